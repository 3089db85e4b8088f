// SPDX-License-Identifier: MPL-2.0
#pragma once
// SqliteStore: the Store on one SQLite connection (the embedded default).
//
// Either on a connection the caller keeps (tests), which must outlive the
// store, or owning its connection (store/open_store.h). Thread rules: those
// of the Database.

#include "store/sqlite/api_tokens.h"
#include "store/sqlite/event_log.h"
#include "store/sqlite/hook_queue.h"
#include "store/sqlite/maintenance.h"
#include "store/sqlite/outbox.h"
#include "store/sqlite/read_queries.h"
#include "store/sqlite/reported_events.h"
#include "store/sqlite/secrets.h"
#include "store/sqlite/task_repository.h"
#include "store/sqlite/web_sessions.h"
#include "store/sqlite/workflow_registry.h"
#include "store/store.h"

#include <memory>

namespace aarshjul {

class Database;

class SqliteStore final : public Store {
public:
    explicit SqliteStore(Database& db);
    // Owns `db` and closes it with the store.
    explicit SqliteStore(std::unique_ptr<Database> db);
    ~SqliteStore() override;
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    Result<std::unique_ptr<UnitOfWork>> begin_write() override;

    TaskRepository& tasks() override { return m_tasks; }
    EventLog& event_log() override { return m_event_log; }
    Outbox& outbox() override { return m_outbox; }
    HookQueue& hooks() override { return m_hooks; }
    WorkflowRegistry& workflows() override { return m_workflows; }
    ReportedEvents& reported_events() override { return m_reported_events; }
    Secrets& secrets() override { return m_secrets; }
    ReadQueries& queries() override { return m_queries; }
    ApiTokens& api_tokens() override { return m_api_tokens; }
    WebSessions& web_sessions() override { return m_web_sessions; }
    Maintenance& maintenance() override { return m_maintenance; }

    Database& database() { return m_db; }

private:
    std::unique_ptr<Database> m_owned; // declared first: closed after the repositories
    Database& m_db;
    SqliteTaskRepository m_tasks;
    SqliteEventLog m_event_log;
    SqliteOutbox m_outbox;
    SqliteHookQueue m_hooks;
    SqliteWorkflowRegistry m_workflows;
    SqliteReportedEvents m_reported_events;
    SqliteSecrets m_secrets;
    SqliteReadQueries m_queries;
    SqliteApiTokens m_api_tokens;
    SqliteWebSessions m_web_sessions;
    SqliteMaintenance m_maintenance;
};

} // namespace aarshjul

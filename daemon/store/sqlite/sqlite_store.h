#pragma once
// SqliteStore: the Store on one SQLite connection (the embedded default).
//
// The connection is the caller's (service, CLI, tests open and migrate it);
// it must outlive the store. Thread rules: those of the Database.

#include "store/sqlite/event_log.h"
#include "store/sqlite/outbox.h"
#include "store/store.h"

namespace aarshjul {

class Database;

class SqliteStore final : public Store {
public:
    explicit SqliteStore(Database& db);
    ~SqliteStore() override;
    SqliteStore(const SqliteStore&) = delete;
    SqliteStore& operator=(const SqliteStore&) = delete;

    Result<std::unique_ptr<UnitOfWork>> begin_write() override;

    EventLog& event_log() override { return m_event_log; }
    Outbox& outbox() override { return m_outbox; }

    Database& database() { return m_db; }

private:
    Database& m_db;
    SqliteEventLog m_event_log;
    SqliteOutbox m_outbox;
};

} // namespace aarshjul

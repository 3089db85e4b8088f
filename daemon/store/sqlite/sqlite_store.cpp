// SPDX-License-Identifier: MPL-2.0
#include "store/sqlite/sqlite_store.h"

#include "store/sqlite/database.h"
#include "store/sqlite/transaction.h"

namespace aarshjul {

namespace {

// A unit of work is a BEGIN IMMEDIATE transaction: the write lock is taken
// at the start, so a busy database shows here rather than half-way through.
class SqliteUnitOfWork final : public UnitOfWork {
public:
    explicit SqliteUnitOfWork(Transaction tx) : m_tx(std::move(tx)) {}
    Result<void> commit() override { return m_tx.commit(); }

private:
    Transaction m_tx;
};

} // namespace

SqliteStore::SqliteStore(Database& db)
    : m_db(db), m_tasks(db), m_event_log(db), m_outbox(db), m_hooks(db), m_workflows(db),
      m_reported_events(db), m_secrets(db), m_queries(db), m_api_tokens(db), m_web_sessions(db),
      m_maintenance(db) {}

SqliteStore::SqliteStore(std::unique_ptr<Database> db) : SqliteStore(*db) {
    m_owned = std::move(db);
}

SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<UnitOfWork>> SqliteStore::begin_write() {
    AARSHJUL_TRY_ASSIGN(auto tx, Transaction::begin(m_db));
    return std::unique_ptr<UnitOfWork>(std::make_unique<SqliteUnitOfWork>(std::move(tx)));
}

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#include "store/sqlite/transaction.h"

#include "store/sqlite/database.h"

#include <sqlite3.h>

namespace aarshjul {

Result<Transaction> Transaction::begin(Database& db) {
    AARSHJUL_TRY(db.exec("BEGIN IMMEDIATE"));
    db.next_transaction();
    return Transaction(db);
}

Transaction::Transaction(Transaction&& other) noexcept : m_db(other.m_db) {
    other.m_db = nullptr;
}

Transaction::~Transaction() {
    if (m_db == nullptr)
        return;
    m_db->next_transaction();
    if (m_db->in_transaction())
        sqlite3_exec(m_db->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

Result<void> Transaction::commit() {
    if (m_db == nullptr)
        return make_error("transaction already finished");
    m_db->next_transaction();
    AARSHJUL_TRY(m_db->exec("COMMIT"));
    m_db = nullptr;
    return {};
}

Result<void> Transaction::rollback() {
    if (m_db == nullptr)
        return make_error("transaction already finished");
    Database* db = m_db;
    m_db = nullptr;
    db->next_transaction();
    // SQLite may already have rolled back by itself (e.g. after SQLITE_FULL).
    if (!db->in_transaction())
        return {};
    return db->exec("ROLLBACK");
}

} // namespace aarshjul

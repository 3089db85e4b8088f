// SPDX-License-Identifier: MPL-2.0
#pragma once
// Transaction: a write transaction guard (BEGIN IMMEDIATE ... COMMIT).
//
// Taking the write lock at BEGIN means a busy database shows up here, under the
// busy timeout, rather than half-way through the work. The destructor rolls back
// unless commit() succeeded, and never throws. Used on the thread that owns the
// Database, which must outlive the guard.

#include "util/result.h"

namespace aarshjul {

class Database;

class Transaction {
public:
    static Result<Transaction> begin(Database& db);

    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();

    // Commits; on failure the transaction stays open and the destructor rolls it back.
    Result<void> commit();
    // Rolls back now rather than at destruction.
    Result<void> rollback();

private:
    explicit Transaction(Database& db) : m_db(&db) {}

    Database* m_db; // null once committed, rolled back or moved from
};

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#include "store/sqlite/database.h"
#include "store/sqlite/transaction.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace aarshjul {
namespace {

std::int64_t count_rows(Database& db) {
    auto stmt = db.prepare("SELECT count(*) FROM t");
    EXPECT_TRUE(stmt.ok());
    EXPECT_TRUE(stmt->step().ok());
    return stmt->column_int64(0);
}

Database make_db() {
    auto db = Database::open(":memory:");
    EXPECT_TRUE(db.ok());
    EXPECT_TRUE(db->exec("CREATE TABLE t (x INTEGER)").ok());
    return std::move(db).value();
}

// Work done in a transaction that is never committed is rolled back when the guard goes.
TEST(Transaction, RollsBackWhenNotCommitted) {
    Database db = make_db();
    {
        auto tx = Transaction::begin(db);
        ASSERT_TRUE(tx.ok()) << tx.error().to_string();
        ASSERT_TRUE(db.exec("INSERT INTO t VALUES (1)").ok());
        EXPECT_EQ(count_rows(db), 1);
    }
    EXPECT_EQ(count_rows(db), 0);
    EXPECT_NE(sqlite3_get_autocommit(db.handle()), 0);
}

// Committed work stays, and the guard's destructor does not undo it.
TEST(Transaction, KeepsDataWhenCommitted) {
    Database db = make_db();
    {
        auto tx = Transaction::begin(db);
        ASSERT_TRUE(tx.ok());
        ASSERT_TRUE(db.exec("INSERT INTO t VALUES (1)").ok());
        ASSERT_TRUE(tx->commit().ok());
        EXPECT_FALSE(tx->commit().ok()); // a second commit is an error, not a crash
    }
    EXPECT_EQ(count_rows(db), 1);
}

// An explicit rollback undoes the work at once.
TEST(Transaction, ExplicitRollback) {
    Database db = make_db();
    auto tx = Transaction::begin(db);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db.exec("INSERT INTO t VALUES (1)").ok());
    ASSERT_TRUE(tx->rollback().ok());
    EXPECT_EQ(count_rows(db), 0);
}

// A moved guard is the one that rolls back; the moved-from one does nothing.
TEST(Transaction, MovedGuardOwnsTheTransaction) {
    Database db = make_db();
    auto tx = Transaction::begin(db);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db.exec("INSERT INTO t VALUES (1)").ok());
    {
        Transaction moved = std::move(tx).value();
        ASSERT_TRUE(db.exec("INSERT INTO t VALUES (2)").ok());
        ASSERT_TRUE(moved.commit().ok());
    }
    EXPECT_EQ(count_rows(db), 2);
}

// BEGIN IMMEDIATE takes the write lock, so a second writer is refused up front (busy).
TEST(Transaction, BeginImmediateTakesWriteLock) {
    testing::TempDir dir;
    auto first = Database::open(dir.path() / "lock.db");
    auto second = Database::open(dir.path() / "lock.db");
    ASSERT_TRUE(first.ok() && second.ok());
    ASSERT_TRUE(first->exec("CREATE TABLE t (x INTEGER)").ok());
    sqlite3_busy_timeout(second->handle(), 50);
    auto held = Transaction::begin(*first);
    ASSERT_TRUE(held.ok());
    auto refused = Transaction::begin(*second);
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message.find("locked"), std::string::npos) << refused.error().message;
    ASSERT_TRUE(held->commit().ok());
    EXPECT_TRUE(Transaction::begin(*second).ok());
}

} // namespace
} // namespace aarshjul

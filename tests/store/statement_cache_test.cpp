// SPDX-License-Identifier: MPL-2.0
// Database::cached: a statement is prepared once per connection and handed
// out again rewound, with its bindings cleared, and a finished lease leaves no
// read open (a second connection can still write and checkpoint).
#include "store/sqlite/database.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

namespace aarshjul {
namespace {

TEST(StatementCache, ReusesOneStatementRewoundAndUnbound) {
    testing::TempDir dir;
    auto db = Database::open(dir.path() / "cache.db");
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (1), (2), (3);").ok());
    const Statement* first = nullptr;
    {
        auto lease = db->cached("SELECT x FROM t WHERE x >= ?1 ORDER BY x");
        ASSERT_TRUE(lease.ok());
        first = &**lease;
        (*lease)->bind_all(2);
        ASSERT_TRUE((*lease)->step().ok());
        EXPECT_EQ((*lease)->column_int64(0), 2);
    }
    {
        auto lease = db->cached("SELECT x FROM t WHERE x >= ?1 ORDER BY x");
        ASSERT_TRUE(lease.ok());
        EXPECT_EQ(&**lease, first) << "prepared again";
        // Rewound and unbound: NULL matches nothing until bound again.
        auto row = (*lease)->step();
        ASSERT_TRUE(row.ok());
        EXPECT_FALSE(*row);
    }
    // No read is left open: another connection writes and checkpoints fully.
    auto other = Database::open(dir.path() / "cache.db");
    ASSERT_TRUE(other.ok());
    ASSERT_TRUE(other->exec("INSERT INTO t VALUES (4)").ok());
    auto checkpoint = other->prepare("PRAGMA wal_checkpoint(TRUNCATE)");
    ASSERT_TRUE(checkpoint.ok() && checkpoint->step().ok());
    EXPECT_EQ(checkpoint->column_int64(0), 0) << "the checkpoint was blocked";
    auto lease = db->cached("SELECT COUNT(*) FROM t WHERE x >= ?1");
    ASSERT_TRUE(lease.ok());
    (*lease)->bind_all(1);
    ASSERT_TRUE((*lease)->step().ok());
    EXPECT_EQ((*lease)->column_int64(0), 4);
}

} // namespace
} // namespace aarshjul

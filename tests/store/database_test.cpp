// SPDX-License-Identifier: MPL-2.0
#include "store/sqlite/database.h"
#include "store/sqlite/statement.h"
#include "support/temp_dir.h"

#include <cstdint>
#include <gtest/gtest.h>
#include <optional>
#include <sqlite3.h>
#include <string>

namespace aarshjul {
namespace {

Database open_memory() {
    auto db = Database::open(":memory:");
    if (!db)
        ADD_FAILURE() << db.error().to_string();
    return std::move(db).value();
}

std::string pragma_text(Database& db, const std::string& pragma) {
    auto stmt = db.prepare("PRAGMA " + pragma);
    EXPECT_TRUE(stmt.ok()) << stmt.error().to_string();
    auto row = stmt->step();
    EXPECT_TRUE(row.ok() && *row) << pragma;
    return stmt->column_text(0);
}

// A file database is opened in WAL mode with synchronous=FULL, foreign keys and a busy timeout.
TEST(Database, FileDatabaseUsesDurableSettings) {
    testing::TempDir dir;
    auto db = Database::open(dir.path() / "store.db");
    ASSERT_TRUE(db.ok()) << db.error().to_string();
    EXPECT_EQ(pragma_text(*db, "journal_mode"), "wal");
    EXPECT_EQ(pragma_text(*db, "synchronous"), "2"); // FULL
    EXPECT_EQ(pragma_text(*db, "foreign_keys"), "1");
    EXPECT_EQ(pragma_text(*db, "busy_timeout"), "5000");
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "store.db"));
}

// An in-memory database opens without WAL but with the other settings.
TEST(Database, MemoryDatabaseOpens) {
    Database db = open_memory();
    EXPECT_EQ(pragma_text(db, "journal_mode"), "memory");
    EXPECT_EQ(pragma_text(db, "foreign_keys"), "1");
}

// Opening a database in a folder that does not exist fails with the path in the message.
TEST(Database, OpenFailureNamesThePath) {
    testing::TempDir dir;
    const auto path = dir.path() / "missing" / "store.db";
    auto db = Database::open(path);
    ASSERT_FALSE(db.ok());
    EXPECT_NE(db.error().message.find(path.string()), std::string::npos) << db.error().message;
}

// Every bindable type, and NULL through nullptr and an empty optional, round-trips.
TEST(Statement, BindsEveryTypeAndNull) {
    Database db = open_memory();
    ASSERT_TRUE(db.exec("CREATE TABLE t (i INTEGER, small INTEGER, d REAL, s TEXT, cs TEXT, "
                        "n TEXT, oi INTEGER, ot TEXT, ni INTEGER, nt TEXT, e TEXT)")
                    .ok());
    auto insert = db.prepare("INSERT INTO t VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    ASSERT_TRUE(insert.ok()) << insert.error().to_string();
    const std::string text = "Ærø — æøå";
    insert->bind(1, std::int64_t{9'007'199'254'740'993})
        .bind(2, -7)
        .bind(3, 2.5)
        .bind(4, std::string_view(text))
        .bind(5, "literal")
        .bind(6, nullptr)
        .bind(7, std::optional<std::int64_t>{42})
        .bind(8, std::optional<std::string>{"opt"})
        .bind(9, std::optional<std::int64_t>{})
        .bind(10, std::optional<std::string>{})
        .bind(11, std::string_view{});
    ASSERT_TRUE(insert->run().ok());
    EXPECT_EQ(db.changes(), 1);
    EXPECT_EQ(db.last_insert_rowid(), 1);

    auto select = db.prepare("SELECT * FROM t");
    ASSERT_TRUE(select.ok());
    auto row = select->step();
    ASSERT_TRUE(row.ok() && *row);
    EXPECT_EQ(select->column_int64(0), 9'007'199'254'740'993);
    EXPECT_EQ(select->column_int64(1), -7);
    EXPECT_DOUBLE_EQ(select->column_double(2), 2.5);
    EXPECT_EQ(select->column_text(3), text);
    EXPECT_EQ(select->column_text(4), "literal");
    EXPECT_TRUE(select->column_is_null(5));
    EXPECT_EQ(select->column_optional_int64(6), std::optional<std::int64_t>{42});
    EXPECT_EQ(select->column_optional_text(7), std::optional<std::string>{"opt"});
    EXPECT_EQ(select->column_optional_int64(8), std::nullopt);
    EXPECT_EQ(select->column_optional_text(9), std::nullopt);
    // An empty string stays an empty string, not NULL.
    EXPECT_FALSE(select->column_is_null(10));
    EXPECT_EQ(select->column_optional_text(10), std::optional<std::string>{""});
    auto done = select->step();
    ASSERT_TRUE(done.ok());
    EXPECT_FALSE(*done);
}

// bind_all binds its arguments to parameters 1..N, and a reset statement runs again.
TEST(Statement, BindAllAndReuse) {
    Database db = open_memory();
    ASSERT_TRUE(db.exec("CREATE TABLE t (a INTEGER, b TEXT, c REAL)").ok());
    auto insert = db.prepare("INSERT INTO t VALUES (?, ?, ?)");
    ASSERT_TRUE(insert.ok());
    for (int i = 1; i <= 3; ++i) {
        insert->bind_all(i, std::string("row ") + std::to_string(i), i * 0.5);
        ASSERT_TRUE(insert->run().ok());
    }
    auto sum = db.prepare("SELECT count(*), sum(a), group_concat(b, ','), sum(c) FROM t");
    ASSERT_TRUE(sum.ok());
    ASSERT_TRUE(sum->step().ok());
    EXPECT_EQ(sum->column_int64(0), 3);
    EXPECT_EQ(sum->column_int64(1), 6);
    EXPECT_EQ(sum->column_text(2), "row 1,row 2,row 3");
    EXPECT_DOUBLE_EQ(sum->column_double(3), 3.0);
}

// A bind to a parameter that does not exist is reported by step(), with the SQL.
TEST(Statement, BindErrorReportedByStep) {
    Database db = open_memory();
    auto stmt = db.prepare("SELECT ?");
    ASSERT_TRUE(stmt.ok());
    stmt->bind(1, 1).bind(2, 2);
    auto row = stmt->step();
    ASSERT_FALSE(row.ok());
    EXPECT_NE(row.error().message.find("parameter 2"), std::string::npos) << row.error().message;
    EXPECT_NE(row.error().message.find("SELECT ?"), std::string::npos) << row.error().message;
}

// Other integer types bind as integers; one too large for SQLite is a bind error, not a wrap.
TEST(Statement, OtherIntegerTypes) {
    Database db = open_memory();
    auto stmt = db.prepare("SELECT ?, ?, ?, typeof(?)");
    ASSERT_TRUE(stmt.ok());
    stmt->bind_all(std::size_t{7}, 8LL, true, std::uint32_t{9});
    auto row = stmt->step();
    ASSERT_TRUE(row.ok() && *row);
    EXPECT_EQ(stmt->column_int64(0), 7);
    EXPECT_EQ(stmt->column_int64(1), 8);
    EXPECT_EQ(stmt->column_int64(2), 1);
    EXPECT_EQ(stmt->column_text(3), "integer");

    auto big = db.prepare("SELECT ?");
    ASSERT_TRUE(big.ok());
    big->bind(1, std::uint64_t{1} << 63);
    auto refused = big->step();
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message.find("too large"), std::string::npos);
}

// A syntax error names SQLite's complaint and the SQL.
TEST(Statement, PrepareErrorNamesSql) {
    Database db = open_memory();
    auto stmt = db.prepare("SELEKT 1");
    ASSERT_FALSE(stmt.ok());
    EXPECT_NE(stmt.error().message.find("syntax error"), std::string::npos) << stmt.error().message;
    EXPECT_NE(stmt.error().message.find("SELEKT 1"), std::string::npos) << stmt.error().message;
}

// prepare() refuses text holding two statements, since the second would never run.
TEST(Statement, PrepareRefusesTwoStatements) {
    Database db = open_memory();
    EXPECT_FALSE(db.prepare("SELECT 1; SELECT 2").ok());
    EXPECT_TRUE(db.prepare("SELECT 1; -- a comment").ok());
}

// A UNIQUE violation is an Error naming the constrained column and the SQL.
TEST(Statement, ConstraintViolationNamesConstraint) {
    Database db = open_memory();
    ASSERT_TRUE(db.exec("CREATE TABLE t (k TEXT NOT NULL UNIQUE, "
                        "s TEXT CHECK (s IN ('a','b')))")
                    .ok());
    auto insert = db.prepare("INSERT INTO t (k, s) VALUES (?, ?)");
    ASSERT_TRUE(insert.ok());
    ASSERT_TRUE(insert->bind_all("x", "a").run().ok());
    auto again = insert->bind_all("x", "a").run();
    ASSERT_FALSE(again.ok());
    EXPECT_NE(again.error().message.find("UNIQUE constraint failed: t.k"), std::string::npos)
        << again.error().message;
    EXPECT_NE(again.error().message.find("INSERT INTO t"), std::string::npos);

    auto bad_state = insert->bind_all("y", "z").run();
    ASSERT_FALSE(bad_state.ok());
    EXPECT_NE(bad_state.error().message.find("CHECK constraint failed"), std::string::npos)
        << bad_state.error().message;

    auto null_key = insert->bind_all(nullptr, "a").run();
    ASSERT_FALSE(null_key.ok());
    EXPECT_NE(null_key.error().message.find("NOT NULL constraint failed: t.k"), std::string::npos)
        << null_key.error().message;
}

// A foreign key violation is refused because foreign keys are on.
TEST(Statement, ForeignKeysEnforced) {
    Database db = open_memory();
    ASSERT_TRUE(db.exec("CREATE TABLE p (id INTEGER PRIMARY KEY); "
                        "CREATE TABLE c (id INTEGER PRIMARY KEY, p INTEGER REFERENCES p(id))")
                    .ok());
    auto insert = db.prepare("INSERT INTO c (p) VALUES (?)");
    ASSERT_TRUE(insert.ok());
    auto result = insert->bind(1, 77).run();
    ASSERT_FALSE(result.ok());
    EXPECT_NE(result.error().message.find("FOREIGN KEY constraint failed"), std::string::npos)
        << result.error().message;
}

// A full disk (here: a page limit reached) gets the "disk full" wording.
TEST(Statement, DiskFullIsWordedClearly) {
    testing::TempDir dir;
    auto db = Database::open(dir.path() / "small.db");
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("CREATE TABLE t (b TEXT)").ok());
    auto count = db->prepare("PRAGMA page_count");
    ASSERT_TRUE(count.ok() && count->step().ok());
    const auto pages = count->column_int64(0);
    ASSERT_TRUE(db->exec("PRAGMA max_page_count = " + std::to_string(pages + 2)).ok());
    auto insert = db->prepare("INSERT INTO t VALUES (?)");
    ASSERT_TRUE(insert.ok());
    const std::string blob(64 * 1024, 'x');
    auto result = insert->bind(1, std::string_view(blob)).run();
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().message.rfind("disk full", 0), 0u) << result.error().message;
}

// A moved-to Database keeps working and the moved-from one gives up its handle.
TEST(Database, MoveTransfersHandle) {
    Database a = open_memory();
    ASSERT_TRUE(a.exec("CREATE TABLE t (x INTEGER)").ok());
    Database b = std::move(a);
    EXPECT_EQ(a.handle(),
              nullptr); // NOLINT(bugprone-use-after-move): checking the moved-from state
    EXPECT_TRUE(b.exec("INSERT INTO t VALUES (1)").ok());
}

} // namespace
} // namespace aarshjul

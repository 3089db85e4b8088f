// SPDX-License-Identifier: MPL-2.0
// The audit trail's hash chain, the online backup and `db check`, on real
// SQLite files.
#include "audit/audit.h"
#include "engine/engine.h"
#include "store/sqlite/maintenance.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store.h"
#include "support/engine_fixture.h"
#include "support/temp_dir.h"

#include <atomic>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <thread>

namespace aarshjul {
namespace {

using ::testing::HasSubstr;

std::int64_t scalar(Database& db, const std::string& sql) {
    auto st = db.prepare(sql);
    EXPECT_TRUE(st.ok()) << sql;
    auto row = st->step();
    EXPECT_TRUE(row.ok() && *row) << sql;
    return st->column_int64(0);
}

// A year of a quarterly workflow: tasks created, opened, reminded, one completed.
void run_a_year(Database& db) {
    FakeClock clock{testing::copenhagen("2027-01-01T00:00:00")};
    Engine engine{std::make_unique<SqliteStore>(db), clock,
                  EngineSettings{testing::copenhagen_zone()}};
    auto defs = std::make_shared<Definitions>();
    defs->workflows = {
        testing::make_workflow("Q", "FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=1", 21, {7, 0}, 7)};
    defs->directory = testing::small_directory();
    ASSERT_TRUE(engine.install(defs).ok());
    ASSERT_TRUE(engine.materialise().ok());
    clock.set(testing::copenhagen("2027-01-20T09:00:00"));
    ASSERT_TRUE(engine.tick().ok());
    ASSERT_TRUE(
        engine.complete("Q||2027-01-01", "anna", "done", "https://x/evidence", CompletionKind::Done)
            .ok());
}

TEST(Audit, ChainVerifiesAndNamesTheFirstBrokenLink) {
    testing::TempDir dir;
    auto db = open_database(dir.path() / "a.db");
    ASSERT_TRUE(db.ok());
    run_a_year(*db);
    const std::int64_t events = scalar(*db, "SELECT COUNT(*) FROM task_events");
    ASSERT_GT(events, 5);

    auto ok = verify_audit_chain(SqliteStore(*db).event_log());
    ASSERT_TRUE(ok.ok());
    EXPECT_FALSE(ok->broken_at);
    EXPECT_EQ(ok->events, events);
    EXPECT_EQ(ok->head.size(), 64u);

    // Someone edits a completion note after the fact.
    const std::int64_t completed =
        scalar(*db, "SELECT id FROM task_events WHERE kind = 'completed'");
    ASSERT_TRUE(db->exec("UPDATE task_events SET actor = 'bo' WHERE kind = 'completed'").ok());
    auto tampered = verify_audit_chain(SqliteStore(*db).event_log());
    ASSERT_TRUE(tampered.ok());
    ASSERT_TRUE(tampered->broken_at);
    EXPECT_EQ(*tampered->broken_at, completed);
    ASSERT_TRUE(db->exec("UPDATE task_events SET actor = 'anna' WHERE kind = 'completed'").ok());
    EXPECT_FALSE(verify_audit_chain(SqliteStore(*db).event_log())->broken_at);

    // Someone deletes an event in the middle: the one after it no longer chains.
    ASSERT_TRUE(db->exec("DELETE FROM task_events WHERE id = 3").ok());
    auto deleted = verify_audit_chain(SqliteStore(*db).event_log());
    ASSERT_TRUE(deleted->broken_at);
    EXPECT_EQ(*deleted->broken_at, 4);
}

// Events written before the chain existed are reported, not treated as tampering;
// new events chain on from genesis.
TEST(Audit, OlderEventsAreUnchained) {
    testing::TempDir dir;
    auto db = open_database(dir.path() / "a.db");
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(db->exec("INSERT INTO tasks(id, occurrence_key, workflow_id, entity_id, "
                         "nominal_date, title, assignee, start_date, due_date, state, "
                         "definition_hash, created_at, updated_at) VALUES(1, 'k', 'W', '', "
                         "'2027-01-01', 't', 'anna', '2027-01-01', '2027-01-02', 'scheduled', "
                         "'h', 0, 0)")
                    .ok());
    ASSERT_TRUE(
        db->exec("INSERT INTO task_events(task_id, at, kind) VALUES(1, 0, 'created')").ok());
    ASSERT_TRUE(
        append_audit_event(SqliteStore(*db).event_log(), {0, 1, 10, "opened", "", ""}).ok());
    auto v = verify_audit_chain(SqliteStore(*db).event_log());
    ASSERT_TRUE(v.ok());
    EXPECT_FALSE(v->broken_at);
    EXPECT_EQ(v->unchained, 1);
    EXPECT_EQ(v->events, 2);
    EXPECT_EQ(v->head, audit_hash(kAuditGenesis, {2, 1, 10, "opened", "", ""}));
}

// A backup taken while another connection keeps writing is a complete,
// consistent database: it passes integrity_check and holds a prefix of the rows.
TEST(Backup, DuringWritesRestoresAndPassesIntegrityCheck) {
    testing::TempDir dir;
    const auto path = dir.path() / "live.db";
    {
        auto db = open_database(path);
        ASSERT_TRUE(db.ok());
        run_a_year(*db);
    }
    std::atomic<bool> stop{false};
    std::atomic<int> written{0};
    std::thread writer([&] {
        auto db = Database::open(path);
        ASSERT_TRUE(db.ok());
        SqliteStore store(*db);
        while (!stop) {
            ASSERT_TRUE(db->exec("BEGIN IMMEDIATE").ok());
            for (int i = 0; i < 50; ++i)
                ASSERT_TRUE(append_audit_event(store.event_log(),
                                               {0, 1, 1, "note", "test", std::string(200, 'x')})
                                .ok());
            ASSERT_TRUE(db->exec("COMMIT").ok());
            written += 50;
        }
    });
    while (written < 500)
        std::this_thread::yield();
    auto source = Database::open(path);
    ASSERT_TRUE(source.ok());
    const auto copy_path = dir.path() / "backup" / "copy.db";
    std::filesystem::create_directories(copy_path.parent_path());
    auto done = SqliteMaintenance(*source).backup(copy_path);
    stop = true;
    writer.join();
    ASSERT_TRUE(done.ok()) << done.error().to_string();
    // One self-contained file: no half-written copy, no -wal beside it.
    int files = 0;
    for (const auto& entry : std::filesystem::directory_iterator(copy_path.parent_path())) {
        (void)entry;
        ++files;
    }
    EXPECT_EQ(files, 1);

    auto copy = Database::open(copy_path);
    ASSERT_TRUE(copy.ok());
    auto check = SqliteMaintenance(*copy).check();
    ASSERT_TRUE(check.ok());
    EXPECT_TRUE(check->problems.empty()) << check->problems.front();
    EXPECT_EQ(check->schema_version, latest_schema_version());
    const auto rows = scalar(*copy, "SELECT COUNT(*) FROM task_events");
    EXPECT_GE(rows, 500);
    EXPECT_FALSE(verify_audit_chain(SqliteStore(*copy).event_log())->broken_at);
}

TEST(Backup, RefusesAFolderOrAMissingFolder) {
    testing::TempDir dir;
    auto db = open_database(dir.path() / "a.db");
    ASSERT_TRUE(db.ok());
    EXPECT_THAT(SqliteMaintenance(*db).backup(dir.path()).error().message,
                HasSubstr("is a folder"));
    EXPECT_THAT(SqliteMaintenance(*db).backup(dir.path() / "nope" / "x.db").error().message,
                HasSubstr("no folder"));
}

TEST(DbCheck, FindsABrokenForeignKey) {
    testing::TempDir dir;
    auto db = open_database(dir.path() / "a.db");
    ASSERT_TRUE(db.ok());
    auto clean = SqliteMaintenance(*db).check();
    ASSERT_TRUE(clean.ok());
    EXPECT_TRUE(clean->problems.empty());
    ASSERT_TRUE(db->exec("PRAGMA foreign_keys = OFF").ok());
    ASSERT_TRUE(
        db->exec("INSERT INTO task_events(task_id, at, kind) VALUES(999, 0, 'created')").ok());
    auto broken = SqliteMaintenance(*db).check();
    ASSERT_TRUE(broken.ok());
    ASSERT_EQ(broken->problems.size(), 1u);
    EXPECT_THAT(broken->problems[0], HasSubstr("foreign key: table task_events"));
}

} // namespace
} // namespace aarshjul

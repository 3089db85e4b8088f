// SPDX-License-Identifier: MPL-2.0
#include "store/sqlite/migrations.h"
#include "store/sqlite/transaction.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <set>
#include <sqlite3.h>
#include <string>

namespace aarshjul {
namespace {

std::set<std::string> columns(Database& db, const std::string& table) {
    std::set<std::string> out;
    auto stmt = db.prepare("SELECT name FROM pragma_table_info(?)");
    EXPECT_TRUE(stmt.ok());
    stmt->bind(1, table);
    while (true) {
        auto row = stmt->step();
        EXPECT_TRUE(row.ok());
        if (!row.ok() || !*row)
            break;
        out.insert(stmt->column_text(0));
    }
    return out;
}

std::string single_text(Database& db, const std::string& sql) {
    auto stmt = db.prepare(sql);
    EXPECT_TRUE(stmt.ok()) << sql;
    auto row = stmt->step();
    EXPECT_TRUE(row.ok() && *row) << sql;
    return stmt->column_text(0);
}

int version_of(Database& db) {
    auto version = schema_version(db);
    EXPECT_TRUE(version.ok());
    return version.ok() ? *version : -1;
}

// A new store is migrated to the latest version with every table in place.
TEST(Migrations, OpenDatabaseCreatesLatestSchema) {
    testing::TempDir dir;
    const auto path = dir.path() / "state" / "nested" / "aarshjul.db";
    auto db = open_database(path);
    ASSERT_TRUE(db.ok()) << db.error().to_string();
    EXPECT_TRUE(std::filesystem::exists(path));
    EXPECT_EQ(version_of(*db), latest_schema_version());
    EXPECT_EQ(latest_schema_version(), 10);
    for (const char* table :
         {"workflows", "tasks", "task_events", "outbox", "events", "secrets", "hook_runs"})
        EXPECT_FALSE(columns(*db, table).empty()) << table;
    EXPECT_EQ(single_text(*db, "PRAGMA journal_mode"), "wal");
}

// Rows written under schema 1 survive the move to the latest schema, and the new columns have
// defaults.
TEST(Migrations, UpgradeFromVersionOneKeepsRows) {
    testing::TempDir dir;
    const auto path = dir.path() / "old.db";
    {
        auto db = Database::open(path);
        ASSERT_TRUE(db.ok());
        ASSERT_TRUE(migrate_to(*db, 1).ok());
        EXPECT_EQ(version_of(*db), 1);
        EXPECT_EQ(columns(*db, "tasks").count("evidence"), 0u);
        auto task = db->prepare(
            "INSERT INTO tasks (occurrence_key, workflow_id, entity_id, nominal_date, title, "
            "assignee, start_date, due_date, state, next_action_at, definition_hash, created_at, "
            "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
        ASSERT_TRUE(task.ok()) << task.error().to_string();
        ASSERT_TRUE(task->bind_all("RISK-SYS|sd-loen|2027-03-01", "RISK-SYS", "sd-loen",
                                   "2027-03-01", "Risikovurdering: SD Løn", "carla.holm",
                                   "2027-02-01", "2027-03-01", "scheduled", 1'800'000'000, "abc123",
                                   1'700'000'000, 1'700'000'000)
                        .run()
                        .ok());
        const auto task_id = db->last_insert_rowid();
        auto outbox = db->prepare(
            "INSERT INTO outbox (notice_key, task_id, kind, channel, recipient, subject, body, "
            "created_at) VALUES (?,?,?,?,?,?,?,?)");
        ASSERT_TRUE(outbox.ok());
        ASSERT_TRUE(outbox
                        ->bind_all("RISK-SYS|sd-loen|2027-03-01|reminder|mail|carla.holm", task_id,
                                   "reminder", "mail", "carla.holm", "Påmindelse",
                                   "Husk risikovurderingen", 1'700'000'100)
                        .run()
                        .ok());
    }
    auto db = open_database(path);
    ASSERT_TRUE(db.ok()) << db.error().to_string();
    EXPECT_EQ(version_of(*db), latest_schema_version());
    EXPECT_EQ(columns(*db, "tasks").count("evidence"), 1u);
    EXPECT_EQ(columns(*db, "tasks").count("due_at"), 1u);
    EXPECT_EQ(columns(*db, "outbox").count("next_attempt_at"), 1u);

    auto task = db->prepare("SELECT occurrence_key, title, evidence FROM tasks");
    ASSERT_TRUE(task.ok());
    ASSERT_TRUE(task->step().ok());
    EXPECT_EQ(task->column_text(0), "RISK-SYS|sd-loen|2027-03-01");
    EXPECT_EQ(task->column_text(1), "Risikovurdering: SD Løn");
    EXPECT_TRUE(task->column_is_null(2));

    auto outbox = db->prepare("SELECT state, attempts, next_attempt_at, subject FROM outbox");
    ASSERT_TRUE(outbox.ok());
    ASSERT_TRUE(outbox->step().ok());
    EXPECT_EQ(outbox->column_text(0), "pending");
    EXPECT_EQ(outbox->column_int64(1), 0);
    EXPECT_EQ(outbox->column_int64(2), 0);
    EXPECT_EQ(outbox->column_text(3), "Påmindelse");
    // The pending index now covers next_attempt_at.
    EXPECT_NE(single_text(*db, "SELECT sql FROM sqlite_schema WHERE name = 'outbox_pending'")
                  .find("next_attempt_at"),
              std::string::npos);
}

// A database from a newer aarshjul is refused with a message saying what to do.
TEST(Migrations, RefusesNewerDatabase) {
    testing::TempDir dir;
    const auto path = dir.path() / "future.db";
    {
        auto db = Database::open(path);
        ASSERT_TRUE(db.ok());
        ASSERT_TRUE(db->exec("PRAGMA user_version = 99").ok());
    }
    auto db = open_database(path);
    ASSERT_FALSE(db.ok());
    EXPECT_NE(db.error().message.find("database schema version 99 is newer than this aarshjul "
                                      "(knows up to " +
                                      std::to_string(latest_schema_version()) +
                                      "); upgrade aarshjul"),
              std::string::npos)
        << db.error().message;
}

// Reopening a current store changes nothing and does not even need the write lock.
TEST(Migrations, ReopeningCurrentStoreRunsNothing) {
    testing::TempDir dir;
    const auto path = dir.path() / "current.db";
    {
        auto db = open_database(path);
        ASSERT_TRUE(db.ok());
    }
    auto holder = Database::open(path);
    ASSERT_TRUE(holder.ok());
    const std::string schema_before = single_text(*holder, "PRAGMA schema_version");
    auto lock = Transaction::begin(*holder);
    ASSERT_TRUE(lock.ok());

    auto db = Database::open(path);
    ASSERT_TRUE(db.ok());
    sqlite3_busy_timeout(db->handle(), 50);
    auto migrated = migrate(*db);
    EXPECT_TRUE(migrated.ok()) << migrated.error().to_string();
    ASSERT_TRUE(lock->commit().ok());
    EXPECT_EQ(single_text(*db, "PRAGMA schema_version"), schema_before);
    EXPECT_EQ(version_of(*db), latest_schema_version());
}

// Migrations only go forward, and only to versions this binary knows.
TEST(Migrations, RefusesBackwardAndUnknownTargets) {
    auto db = Database::open(":memory:");
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(migrate(*db).ok());
    EXPECT_FALSE(migrate_to(*db, 1).ok());
    EXPECT_FALSE(migrate_to(*db, latest_schema_version() + 1).ok());
    EXPECT_TRUE(migrate_to(*db, latest_schema_version()).ok());
}

// After every migration the database passes SQLite's integrity and foreign key checks.
TEST(Migrations, IntegrityAndForeignKeysCleanAfterMigrations) {
    testing::TempDir dir;
    auto db = Database::open(dir.path() / "check.db");
    ASSERT_TRUE(db.ok());
    for (int version = 1; version <= latest_schema_version(); ++version) {
        ASSERT_TRUE(migrate_to(*db, version).ok()) << version;
        EXPECT_EQ(single_text(*db, "PRAGMA integrity_check"), "ok") << version;
        auto fk = db->prepare("PRAGMA foreign_key_check");
        ASSERT_TRUE(fk.ok());
        auto row = fk->step();
        ASSERT_TRUE(row.ok());
        EXPECT_FALSE(*row) << "foreign key violation after migration " << version;
    }
}

// The schema enforces the task state set and the unique occurrence key.
TEST(Migrations, SchemaConstraintsHold) {
    auto db = Database::open(":memory:");
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(migrate(*db).ok());
    auto insert = db->prepare(
        "INSERT INTO tasks (occurrence_key, workflow_id, nominal_date, title, assignee, "
        "start_date, due_date, state, definition_hash, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    ASSERT_TRUE(insert.ok());
    ASSERT_TRUE(insert
                    ->bind_all("ISU-MEET||2027-03-01", "ISU-MEET", "2027-03-01", "Møde",
                               "anna.jensen", "2027-02-01", "2027-03-01", "open", "h", 1, 1)
                    .run()
                    .ok());
    auto duplicate = insert->run();
    ASSERT_FALSE(duplicate.ok());
    EXPECT_NE(duplicate.error().message.find("UNIQUE constraint failed: tasks.occurrence_key"),
              std::string::npos)
        << duplicate.error().message;
    auto bad_state =
        insert
            ->bind_all("ISU-MEET||2027-06-01", "ISU-MEET", "2027-06-01", "Møde", "anna.jensen",
                       "2027-05-01", "2027-06-01", "finished", "h", 1, 1)
            .run();
    ASSERT_FALSE(bad_state.ok());
    EXPECT_NE(bad_state.error().message.find("CHECK constraint failed"), std::string::npos);
    auto event = db->prepare("INSERT INTO task_events (task_id, at, kind) VALUES (?, ?, ?)");
    ASSERT_TRUE(event.ok());
    EXPECT_FALSE(event->bind_all(12345, 1, "created").run().ok()); // no such task
}

// Migration 6 rewrites the IN-list CHECKs as OR chains: every value the old
// constraint allowed is still allowed, anything else is still refused, and a
// task insert no longer builds a temporary B-tree per row.
TEST(Migrations, PlainChecksKeepTheSameValueSets) {
    auto db = Database::open(":memory:");
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(migrate(*db).ok());
    const std::string tasks =
        single_text(*db, "SELECT sql FROM sqlite_schema WHERE name = 'tasks'");
    EXPECT_EQ(tasks.find(" IN ("), std::string::npos) << tasks;
    EXPECT_NE(tasks.find("state = 'scheduled' OR state = 'open' OR"), std::string::npos) << tasks;
    EXPECT_NE(tasks.find("origin = 'plan' OR origin = 'event' OR"), std::string::npos) << tasks;
    const std::string outbox =
        single_text(*db, "SELECT sql FROM sqlite_schema WHERE name = 'outbox'");
    EXPECT_NE(outbox.find("CHECK (state = 'pending' OR state = 'sent' OR state = 'failed')"),
              std::string::npos)
        << outbox;

    int n = 0;
    auto insert_task = [&](const std::string& state, const std::string& origin) {
        auto st = db->prepare(
            "INSERT INTO tasks (occurrence_key, workflow_id, nominal_date, title, assignee, "
            "start_date, due_date, state, definition_hash, created_at, updated_at, origin) "
            "VALUES (?,'W','2027-03-01','t','a','2027-03-01','2027-03-01',?,'h',1,1,?)");
        EXPECT_TRUE(st.ok());
        return st->bind_all("k" + std::to_string(++n), state, origin).run().ok();
    };
    for (const char* state :
         {"scheduled", "open", "due", "overdue", "escalated", "done", "waived", "cancelled"})
        EXPECT_TRUE(insert_task(state, "plan")) << state;
    for (const char* origin : {"plan", "event", "completion", "chain", "hook", "horizon"})
        EXPECT_TRUE(insert_task("open", origin)) << origin;
    EXPECT_FALSE(insert_task("finished", "plan"));
    EXPECT_FALSE(insert_task("open", "import"));
    EXPECT_FALSE(insert_task("Open", "plan"));

    auto plan = db->prepare("EXPLAIN INSERT INTO tasks (occurrence_key, workflow_id, nominal_date, "
                            "title, assignee, start_date, due_date, state, definition_hash, "
                            "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    ASSERT_TRUE(plan.ok());
    for (;;) {
        auto row = plan->step();
        ASSERT_TRUE(row.ok());
        if (!*row)
            break;
        EXPECT_NE(plan->column_text(1), "OpenEphemeral");
    }
    EXPECT_EQ(single_text(*db, "PRAGMA integrity_check"), "ok");
}

} // namespace
} // namespace aarshjul

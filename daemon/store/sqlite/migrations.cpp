// SPDX-License-Identifier: MPL-2.0
#include "store/sqlite/migrations.h"

#include "store/sqlite/transaction.h"

#include <array>
#include <string>
#include <string_view>
#include <system_error>

namespace aarshjul {
namespace {

struct Migration {
    int version;
    std::string_view sql;
    // A step SQL alone cannot express, run after `sql` in the same transaction.
    Result<void> (*after)(Database&) = nullptr;
};

constexpr std::string_view kMigration1 = R"sql(
CREATE TABLE workflows (
  id TEXT PRIMARY KEY,
  content_hash TEXT NOT NULL,
  file TEXT NOT NULL,
  first_seen TEXT NOT NULL,        -- local date the workflow was first loaded: materialisation floor
  updated_at INTEGER NOT NULL      -- unix seconds
);
CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  occurrence_key TEXT NOT NULL UNIQUE,   -- "WORKFLOW|entity|YYYY-MM-DD": deterministic
  workflow_id TEXT NOT NULL,
  entity_id TEXT NOT NULL DEFAULT '',    -- system id for per-system workflows
  nominal_date TEXT NOT NULL,            -- occurrence date (local)
  title TEXT NOT NULL,
  assignee TEXT NOT NULL,                -- person id
  start_date TEXT NOT NULL,
  due_date TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('scheduled','open','due','overdue','escalated','done','waived','cancelled')),
  next_action_at INTEGER,                -- unix seconds of the next reminder or state change; NULL when terminal
  reminders_sent INTEGER NOT NULL DEFAULT 0,
  last_reminder_at INTEGER,
  definition_hash TEXT NOT NULL,
  completed_by TEXT,
  completed_at INTEGER,
  note TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX tasks_next_action ON tasks(next_action_at) WHERE next_action_at IS NOT NULL;
CREATE INDEX tasks_workflow ON tasks(workflow_id, nominal_date);
CREATE TABLE task_events (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES tasks(id),
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,          -- created, updated, opened, due, overdue, reminded, completed, waived, cancelled
  actor TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX task_events_task ON task_events(task_id, id);
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  notice_key TEXT NOT NULL UNIQUE,  -- (occurrence, notice, channel, recipient)
  task_id INTEGER REFERENCES tasks(id),
  kind TEXT NOT NULL,               -- reminder, overdue, escalation, digest
  channel TEXT NOT NULL,
  recipient TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','sent','failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  sent_at INTEGER,
  last_error TEXT
);
CREATE INDEX outbox_pending ON outbox(created_at) WHERE state = 'pending';
)sql";

constexpr std::string_view kMigration2 = R"sql(
ALTER TABLE tasks ADD COLUMN evidence TEXT;
ALTER TABLE outbox ADD COLUMN next_attempt_at INTEGER NOT NULL DEFAULT 0;
DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE state = 'pending';
)sql";

// Events, instants for hour-based deadlines, escalation, chains and hooks.
constexpr std::string_view kMigration3 = R"sql(
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  title TEXT NOT NULL,
  occurred_at INTEGER NOT NULL,     -- when the organisation became aware (unix seconds)
  reported_by TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE INDEX events_type ON events(type, occurred_at);
ALTER TABLE tasks ADD COLUMN origin TEXT NOT NULL DEFAULT 'plan'
  CHECK (origin IN ('plan', 'event', 'completion', 'chain', 'hook', 'horizon'));
ALTER TABLE tasks ADD COLUMN start_at INTEGER;        -- instant of the trigger (events, completions)
ALTER TABLE tasks ADD COLUMN due_at INTEGER;          -- hour-based deadline; NULL for day-based
ALTER TABLE tasks ADD COLUMN escalations_sent INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN parent_task_id INTEGER REFERENCES tasks(id);
ALTER TABLE tasks ADD COLUMN step_index INTEGER;      -- approval chains: 0-based step
ALTER TABLE tasks ADD COLUMN blocked_by TEXT;         -- occurrence key of an unfinished dependency
ALTER TABLE tasks ADD COLUMN hook_error TEXT;         -- the last failing Lua hook's error
CREATE INDEX tasks_completed ON tasks(workflow_id, entity_id, completed_at) WHERE state = 'done';
CREATE INDEX tasks_assignee ON tasks(assignee, due_date);
)sql";

// Notices in the recipient's language need the English title, webhooks the
// facts behind a notice's text; one-click links need a key that survives restarts.
constexpr std::string_view kMigration4 = R"sql(
ALTER TABLE tasks ADD COLUMN title_en TEXT;
ALTER TABLE outbox ADD COLUMN facts TEXT;             -- JSON: what the text says, for webhooks
CREATE TABLE secrets (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql";

// The audit trail: each task event carries the hash that chains it to the
// one before (audit/audit.h); rows from before have none.
// Frozen quarterly reports: the committee's answer as of a meeting date.
constexpr std::string_view kMigration5 = R"sql(
ALTER TABLE task_events ADD COLUMN hash TEXT;
CREATE TABLE report_snapshots (
  id INTEGER PRIMARY KEY,
  quarter TEXT NOT NULL,       -- 2026Q4
  meeting TEXT NOT NULL,       -- the meeting date it was frozen for
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  body TEXT NOT NULL,          -- the report as JSON
  UNIQUE (quarter, meeting)
);
)sql";

// Plain CHECK constraints (plain_checks, below), and incremental planning: what a workflow was last
// planned from (a fingerprint of its definition, the directory and the calendar settings) and up to
// which occurrence date. While the fingerprint holds, only later dates are planned.
constexpr std::string_view kMigration6 = R"sql(
ALTER TABLE workflows ADD COLUMN plan_fingerprint TEXT;
ALTER TABLE workflows ADD COLUMN planned_through TEXT;   -- local date
)sql";

// People on the web: API tokens made with `aarshjul token add` (stored as SHA-256,
// like the configuration's), sign-in sessions (the cookie's SHA-256 is the key,
// so a copy of the database signs no one in), single-use sign-in links (by
// e-mail and the first-start link), and the HTML part of a notice.
constexpr std::string_view kMigration7 = R"sql(
CREATE TABLE api_tokens (
  name TEXT PRIMARY KEY,
  role TEXT NOT NULL CHECK (role = 'viewer' OR role = 'owner' OR role = 'coordinator' OR role = 'admin'),
  person TEXT NOT NULL DEFAULT '',
  sha256 TEXT NOT NULL UNIQUE,     -- hex SHA-256 of the token; the token itself is never stored
  created_at INTEGER NOT NULL,
  expires_at INTEGER,              -- unix seconds; NULL = no expiry
  revoked_at INTEGER
);
CREATE TABLE web_sessions (
  id INTEGER PRIMARY KEY,
  cookie_sha256 TEXT NOT NULL UNIQUE,
  person TEXT NOT NULL DEFAULT '',  -- directory person; '' for the first-start admin
  role TEXT NOT NULL,
  csrf TEXT NOT NULL,               -- the token every form of this session carries
  via TEXT NOT NULL,                -- email, proxy, first-start
  remote TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  ended_at INTEGER,                 -- signed out or revoked
  ended_by TEXT
);
CREATE TABLE signin_links (
  id INTEGER PRIMARY KEY,
  token_sha256 TEXT NOT NULL UNIQUE,
  person TEXT NOT NULL DEFAULT '',
  purpose TEXT NOT NULL CHECK (purpose = 'email' OR purpose = 'first-start'),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
ALTER TABLE outbox ADD COLUMN html_body TEXT;
)sql";

// Hooks are queued in the transaction that decides them and run by the Lua
// worker outside it (store/hook_queue.h); the row is the hook's audit: its
// arguments, attempts, outcome and error.
constexpr std::string_view kMigration8 = R"sql(
CREATE TABLE hook_runs (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES tasks(id),
  event_id INTEGER REFERENCES events(id), -- on_event: the reported event
  workflow_id TEXT NOT NULL,
  hook TEXT NOT NULL CHECK (hook = 'on_complete' OR hook = 'on_overdue' OR hook = 'on_event'),
  args TEXT NOT NULL,               -- JSON object of strings: the hook's read-only arguments
  parent_key TEXT NOT NULL,         -- occurrence key the follow-up tasks are filed under
  state TEXT NOT NULL DEFAULT 'pending'
    CHECK (state = 'pending' OR state = 'running' OR state = 'done' OR state = 'failed'),
  attempts INTEGER NOT NULL DEFAULT 0,
  error TEXT,
  created_at INTEGER NOT NULL,      -- unix seconds
  finished_at INTEGER
);
CREATE INDEX hook_runs_open ON hook_runs(state, id) WHERE state = 'pending' OR state = 'running';
)sql";

// What a completed control found (the workflow's declared outcomes); an
// action plan is a task whose parent_task_id is the task that found it.
constexpr std::string_view kMigration9 = R"sql(
ALTER TABLE tasks ADD COLUMN outcome TEXT;
CREATE INDEX tasks_parent ON tasks(parent_task_id) WHERE parent_task_id IS NOT NULL;
)sql";

// An event's facts (triage): personal data and significance (yes, no,
// unknown; events recorded before are unknown, which starts every clock, as
// before), and the systems, supplier and person it names.
constexpr std::string_view kMigration10 = R"sql(
ALTER TABLE events ADD COLUMN personal_data TEXT NOT NULL DEFAULT 'unknown';
ALTER TABLE events ADD COLUMN significant TEXT NOT NULL DEFAULT 'unknown';
ALTER TABLE events ADD COLUMN systems TEXT NOT NULL DEFAULT '';  -- directory system ids, "a,b"
ALTER TABLE events ADD COLUMN supplier TEXT NOT NULL DEFAULT ''; -- directory processor id
ALTER TABLE events ADD COLUMN person TEXT NOT NULL DEFAULT '';
)sql";

// A CHECK of the form `x IN ('a', 'b', 'c')` makes SQLite build a temporary
// B-tree of the list for every row written (measured: a fifth of planning a
// national year went to opening and closing them). The same constraints as
// OR chains compile to plain comparisons. A table's constraints cannot be
// altered in SQL, so the stored schema text is rewritten, the procedure
// SQLite documents for changing CHECK constraints (lang_altertable.html,
// "other kinds of table schema changes"), and the schema version bumped.
struct CheckRewrite {
    std::string_view table;
    std::string_view column;
    std::string_view in_list; // as migrations 1 and 3 wrote it
};
constexpr std::array kPlainChecks = {
    CheckRewrite{"tasks", "state",
                 "'scheduled','open','due','overdue','escalated','done','waived','cancelled'"},
    CheckRewrite{"tasks", "origin", "'plan', 'event', 'completion', 'chain', 'hook', 'horizon'"},
    CheckRewrite{"outbox", "state", "'pending','sent','failed'"},
};

// Replaces `from` by `to` in the stored CREATE TABLE text of `table`.
Result<void> rewrite_table_sql(Database& db, std::string_view table, std::string_view from,
                               std::string_view to) {
    AARSHJUL_TRY_ASSIGN(Statement rewrite,
                        db.prepare("UPDATE sqlite_schema SET sql = replace(sql, ?2, ?3) WHERE "
                                   "type = 'table' AND name = ?1"));
    rewrite.bind_all(table, from, to);
    return rewrite.run();
}

// Runs `edit` with the schema writable and bumps the schema version after it,
// so that every connection rereads the rewritten text.
template <typename Edit> Result<void> with_writable_schema(Database& db, Edit&& edit) {
    AARSHJUL_TRY_ASSIGN(Statement version, db.prepare("PRAGMA schema_version"));
    AARSHJUL_TRY(version.step());
    const std::int64_t schema = version.column_int64(0);
    AARSHJUL_TRY(db.exec("PRAGMA writable_schema = ON"));
    AARSHJUL_TRY(edit());
    AARSHJUL_TRY(db.exec("PRAGMA schema_version = " + std::to_string(schema + 1)));
    return db.exec("PRAGMA writable_schema = OFF");
}

Result<void> plain_checks(Database& db) {
    return with_writable_schema(db, [&]() -> Result<void> {
        for (const CheckRewrite& check : kPlainChecks) {
            std::string from =
                "CHECK (" + std::string(check.column) + " IN (" + std::string(check.in_list) + "))";
            std::string to = "CHECK (";
            std::string_view rest = check.in_list;
            for (bool first = true; !rest.empty(); first = false) {
                const auto comma = rest.find(',');
                std::string_view value = rest.substr(0, comma);
                while (value.front() == ' ')
                    value.remove_prefix(1);
                to +=
                    (first ? "" : " OR ") + std::string(check.column) + " = " + std::string(value);
                rest =
                    comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
            }
            to += ")";
            AARSHJUL_TRY(rewrite_table_sql(db, check.table, from, to));
        }
        return {};
    });
}

// Migration 9: tasks may have the origin 'action_plan' (the CHECK as migration 6 left it,
// rewritten the same way).
Result<void> allow_action_plans(Database& db) {
    return with_writable_schema(db, [&] {
        return rewrite_table_sql(db, "tasks", "origin = 'horizon')",
                                 "origin = 'horizon' OR origin = 'action_plan')");
    });
}

// Append only: a released migration is never edited, a change is a new entry.
constexpr std::array kMigrations = {
    Migration{1, kMigration1},
    Migration{2, kMigration2},
    Migration{3, kMigration3},
    Migration{4, kMigration4},
    Migration{5, kMigration5},
    Migration{6, kMigration6, plain_checks},
    Migration{7, kMigration7},
    Migration{8, kMigration8},
    Migration{9, kMigration9, allow_action_plans},
    Migration{10, kMigration10},
};

Error too_new(int found) {
    return make_error("database schema version " + std::to_string(found) +
                      " is newer than this aarshjul (knows up to " +
                      std::to_string(latest_schema_version()) + "); upgrade aarshjul");
}

Result<void> apply(Database& db, const Migration& migration) {
    AARSHJUL_TRY_ASSIGN(Transaction tx, Transaction::begin(db));
    // Another process may have migrated between our read and taking the write lock.
    AARSHJUL_TRY_ASSIGN(int current, schema_version(db));
    if (current >= migration.version)
        return {};
    if (auto done = db.exec(migration.sql); !done) {
        Error error = done.take_error();
        error.message =
            "schema migration " + std::to_string(migration.version) + " failed: " + error.message;
        return error;
    }
    if (migration.after) {
        if (auto done = migration.after(db); !done) {
            Error error = done.take_error();
            error.message = "schema migration " + std::to_string(migration.version) +
                            " failed: " + error.message;
            return error;
        }
    }
    // PRAGMA takes no bound parameters; the value is this binary's own constant.
    AARSHJUL_TRY(db.exec("PRAGMA user_version = " + std::to_string(migration.version)));
    return tx.commit();
}

} // namespace

int latest_schema_version() {
    return kMigrations.back().version;
}

Result<int> schema_version(Database& db) {
    AARSHJUL_TRY_ASSIGN(Statement stmt, db.prepare("PRAGMA user_version"));
    AARSHJUL_TRY_ASSIGN(bool row, stmt.step());
    if (!row)
        return make_error("sqlite: PRAGMA user_version returned no row");
    return static_cast<int>(stmt.column_int64(0));
}

Result<void> migrate(Database& db) {
    return migrate_to(db, latest_schema_version());
}

Result<void> migrate_to(Database& db, int version) {
    if (version < 0 || version > latest_schema_version())
        return make_error("no schema version " + std::to_string(version) +
                          " (this aarshjul knows " + "0 to " +
                          std::to_string(latest_schema_version()) + ")");
    AARSHJUL_TRY_ASSIGN(int current, schema_version(db));
    if (current > latest_schema_version())
        return too_new(current);
    if (current > version)
        return make_error("database schema version " + std::to_string(current) +
                          " is past the requested " + std::to_string(version) +
                          "; migrations only go forward");
    for (const Migration& migration : kMigrations)
        if (migration.version > current && migration.version <= version)
            AARSHJUL_TRY(apply(db, migration));
    return {};
}

Result<Database> open_database(const std::filesystem::path& path) {
    if (path != ":memory:" && path.has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(path.parent_path(), ec);
        if (ec)
            return make_error(path.parent_path().string() +
                              ": cannot create the database folder: " + ec.message());
    }
    AARSHJUL_TRY_ASSIGN(Database db, Database::open(path));
    if (auto migrated = migrate(db); !migrated) {
        Error error = migrated.take_error();
        error.message = path.string() + ": " + error.message;
        return error;
    }
    return db;
}

} // namespace aarshjul

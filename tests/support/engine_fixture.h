// SPDX-License-Identifier: MPL-2.0
#pragma once
// Helpers shared by the engine and CLI tests: a migrated in-memory store, a
// fake clock in Copenhagen local time, and hand-built definitions.

#include "clock/clock.h"
#include "engine/engine.h"
#include "store/sqlite/database.h"
#include "time/zone.h"

#include <string>
#include <vector>

namespace aarshjul::testing {

// A local wall-clock reading in Europe/Copenhagen as an instant.
Instant copenhagen(const std::string& local_iso); // "2027-03-01T08:00:00"
Zone copenhagen_zone();

// A migrated in-memory database.
Database memory_store();

// A directory with people anna (coordinator), bo and carla, and systems
// sys-a (owner bo, responsible carla) and sys-b (owner carla, responsible bo).
Directory small_directory();

// A workflow built in C++ (the Lua path is tested separately).
WorkflowDef make_workflow(std::string id, std::string rrule, int due_days,
                          std::vector<int> before_due, int overdue_every);

struct OutboxRow {
    std::string key;
    std::string kind;
    std::string recipient;
    std::int64_t created_at;
};
std::vector<OutboxRow> read_outbox(Database& db);

// The first column of every row `sql` returns, as text (a failing query fails the test).
std::vector<std::string> column_texts(Database& db, const std::string& sql);

} // namespace aarshjul::testing

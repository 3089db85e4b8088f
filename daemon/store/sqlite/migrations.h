// SPDX-License-Identifier: MPL-2.0
#pragma once
// Schema migrations of the aarshjul store.
//
// Forward-only: PRAGMA user_version holds the schema version; each migration runs
// in its own write transaction that also bumps user_version, so a crash leaves the
// database at one version or the next, never between. A database newer than this
// binary is refused rather than guessed at.

#include "store/sqlite/database.h"
#include "util/result.h"

#include <filesystem>

namespace aarshjul {

// The schema version this binary creates and understands.
int latest_schema_version();

// The database's current schema version (PRAGMA user_version).
Result<int> schema_version(Database& db);

// Applies every migration the database lacks. Does nothing, and takes no write
// lock, when it is already current.
Result<void> migrate(Database& db);

// Applies migrations up to and including `version` (for tests of the migration path).
Result<void> migrate_to(Database& db, int version);

// Opens the database at `path`: creates its parent folder, opens it and
// migrates it (store/open_store.h wraps it in a Store).
Result<Database> open_database(const std::filesystem::path& path);

} // namespace aarshjul

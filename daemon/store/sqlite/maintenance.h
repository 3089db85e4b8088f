// SPDX-License-Identifier: MPL-2.0
#pragma once
// Maintenance of the SQLite store: an online backup that runs while the
// daemon writes, and the integrity and foreign-key checks of `aarshjul db check`.

#include "store/sqlite/database.h"
#include "util/result.h"

#include <filesystem>
#include <string>
#include <vector>

namespace aarshjul {

// Copies the whole database to `target` with SQLite's online backup API, a
// few pages at a time so writers are never blocked for long. The copy is
// written to a temporary file next to `target` and renamed into place only
// when complete, so `target` is never a half-written database.
Result<void> backup_database(Database& source, const std::filesystem::path& target);

struct DatabaseCheck {
    std::vector<std::string> problems; // empty: integrity_check said "ok", no FK violations
    int schema_version = 0;
};

// PRAGMA integrity_check and PRAGMA foreign_key_check.
Result<DatabaseCheck> check_database(Database& db);

} // namespace aarshjul

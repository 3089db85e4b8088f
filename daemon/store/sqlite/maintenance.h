// SPDX-License-Identifier: MPL-2.0
#pragma once
// SqliteMaintenance: the Maintenance of a SQLite store: an online backup
// that runs while the daemon writes, and the integrity and foreign-key checks
// of `aarshjul db check`. Thread rules: those of the Database.

#include "store/maintenance.h"

namespace aarshjul {

class Database;

class SqliteMaintenance final : public Maintenance {
public:
    explicit SqliteMaintenance(Database& db) : m_db(db) {}

    // With SQLite's online backup API, a few pages at a time so writers are
    // never blocked for long. The copy is written to a temporary file next to
    // `target` and renamed into place only when complete.
    Result<void> backup(const std::filesystem::path& target) override;

    // PRAGMA integrity_check and PRAGMA foreign_key_check.
    Result<StoreCheck> check() override;

private:
    Database& m_db;
};

} // namespace aarshjul

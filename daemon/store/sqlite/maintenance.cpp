// SPDX-License-Identifier: MPL-2.0
#include "store/sqlite/maintenance.h"

#include "store/sqlite/database.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_error.h"
#include "store/sqlite/statement.h"

#include <memory>
#include <sqlite3.h>
#include <unistd.h>

namespace aarshjul {
namespace {

// Pages copied per step, and the pause that lets writers in between steps.
constexpr int kPagesPerStep = 256;
constexpr int kPauseMs = 5;

} // namespace

Result<void> SqliteMaintenance::backup(const std::filesystem::path& target) {
    Database& source = m_db;
    std::error_code ec;
    if (std::filesystem::is_directory(target, ec))
        return make_error("backup: " + target.string() + " is a folder; name the file to write");
    const auto folder = target.has_parent_path() ? target.parent_path() : ".";
    if (!std::filesystem::is_directory(folder, ec))
        return make_error("backup: no folder " + folder.string());
    const auto partial =
        std::filesystem::path(target.string() + ".partial-" + std::to_string(::getpid()));
    std::filesystem::remove(partial, ec);
    {
        AARSHJUL_TRY_ASSIGN(Database copy, Database::open(partial));
        std::unique_ptr<sqlite3_backup, int (*)(sqlite3_backup*)> backup(
            sqlite3_backup_init(copy.handle(), "main", source.handle(), "main"),
            sqlite3_backup_finish);
        if (!backup)
            return store_detail::sqlite_error(copy.handle(), sqlite3_errcode(copy.handle()),
                                              "backup");
        for (;;) {
            const int rc = sqlite3_backup_step(backup.get(), kPagesPerStep);
            if (rc == SQLITE_DONE)
                break;
            if (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
                sqlite3_sleep(kPauseMs);
                continue;
            }
            const Error error = store_detail::sqlite_error(copy.handle(), rc, "backup");
            backup.reset();
            std::filesystem::remove(partial, ec);
            return error;
        }
        const int rc = sqlite3_backup_finish(backup.release());
        if (rc != SQLITE_OK) {
            std::filesystem::remove(partial, ec);
            return store_detail::sqlite_error(copy.handle(), rc, "backup");
        }
        // A self-contained file: no -wal next to it.
        AARSHJUL_TRY(copy.exec("PRAGMA journal_mode = DELETE"));
    }
    std::filesystem::rename(partial, target, ec);
    if (ec)
        return make_error("backup: cannot move the copy to " + target.string() + ": " +
                          ec.message());
    return {};
}

Result<StoreCheck> SqliteMaintenance::check() {
    Database& db = m_db;
    StoreCheck check;
    AARSHJUL_TRY_ASSIGN(check.schema_version, schema_version(db));
    AARSHJUL_TRY_ASSIGN(auto integrity, db.prepare("PRAGMA integrity_check"));
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, integrity.step());
        if (!row)
            break;
        const std::string line = integrity.column_text(0);
        if (line != "ok")
            check.problems.push_back("integrity: " + line);
    }
    AARSHJUL_TRY_ASSIGN(auto keys, db.prepare("PRAGMA foreign_key_check"));
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, keys.step());
        if (!row)
            break;
        check.problems.push_back("foreign key: table " + keys.column_text(0) + " row " +
                                 keys.column_text(1) + " refers to a missing row of " +
                                 keys.column_text(2));
    }
    return check;
}

} // namespace aarshjul

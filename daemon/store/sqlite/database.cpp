// SPDX-License-Identifier: MPL-2.0
#include "store/sqlite/database.h"

#include "store/sqlite/sqlite_error.h"

#include <sqlite3.h>
#include <string>

namespace aarshjul {
namespace {

constexpr int kBusyTimeoutMs = 5000;
// Page cache per connection, in KiB (SQLite's default is 2 MiB). Measured
// (bench/RESULTS.md): planning a national year with 2 MiB re-read index pages
// from the OS on almost every insert; the cache only grows to what is touched,
// so a small database stays small.
constexpr int kCacheKiB = 32 * 1024;

bool is_memory_path(const std::filesystem::path& path) {
    return path.empty() || path == ":memory:";
}

} // namespace

Result<StatementLease> Database::cached(std::string_view sql) {
    auto it = m_cache.find(sql);
    if (it == m_cache.end()) {
        AARSHJUL_TRY_ASSIGN(auto st, prepare(sql));
        it = m_cache.emplace(std::string(sql), std::make_unique<Statement>(std::move(st))).first;
    }
    return StatementLease(*it->second);
}

bool Database::in_transaction() const {
    return sqlite3_get_autocommit(m_db.get()) == 0;
}

void Database::Closer::operator()(sqlite3* db) const noexcept {
    // close_v2 defers the close until any statement still alive is finalized.
    sqlite3_close_v2(db);
}

Result<Database> Database::open(const std::filesystem::path& path) {
    const bool memory = is_memory_path(path);
    const std::string name = memory ? std::string(":memory:") : path.string();
    sqlite3* raw = nullptr;
    const int rc =
        sqlite3_open_v2(name.c_str(), &raw,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    Database db(raw, memory ? std::filesystem::path(":memory:") : path);
    if (rc != SQLITE_OK) {
        Error error = store_detail::sqlite_error(raw, rc, {});
        error.message = name + ": cannot open database: " + error.message;
        return error;
    }
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, kBusyTimeoutMs);

    if (!memory) {
        // journal_mode answers with the mode now in force; anything but "wal" means the
        // file system refused it (e.g. no shared memory), which we do not accept.
        AARSHJUL_TRY_ASSIGN(Statement wal, db.prepare("PRAGMA journal_mode=WAL"));
        AARSHJUL_TRY_ASSIGN(bool row, wal.step());
        if (!row || wal.column_text(0) != "wal")
            return make_error(name + ": cannot switch the database to WAL journal mode");
    }
    AARSHJUL_TRY(db.exec("PRAGMA synchronous=FULL"));
    AARSHJUL_TRY(db.exec("PRAGMA cache_size=-" + std::to_string(kCacheKiB)));
    AARSHJUL_TRY(db.exec("PRAGMA foreign_keys=ON"));
    return db;
}

Result<void> Database::exec(std::string_view sql) {
    // sqlite3_exec needs a terminated string.
    const std::string text(sql);
    const int rc = sqlite3_exec(m_db.get(), text.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
        return store_detail::sqlite_error(m_db.get(), rc, sql);
    return {};
}

Result<Statement> Database::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    const int rc =
        sqlite3_prepare_v2(m_db.get(), sql.data(), static_cast<int>(sql.size()), &stmt, &tail);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return store_detail::sqlite_error(m_db.get(), rc, sql);
    }
    if (stmt == nullptr)
        return make_error("sqlite: no SQL statement in [sql: " + std::string(sql) + "]");
    Statement statement(stmt);
    // A second statement after the first would silently never run.
    const std::size_t consumed = static_cast<std::size_t>(tail - sql.data());
    if (consumed < sql.size()) {
        sqlite3_stmt* rest = nullptr;
        sqlite3_prepare_v2(m_db.get(), tail, static_cast<int>(sql.size() - consumed), &rest,
                           nullptr);
        const bool more = rest != nullptr;
        sqlite3_finalize(rest);
        if (more)
            return make_error("sqlite: more than one statement in [sql: " + std::string(sql) +
                              "]; prepare them one at a time");
    }
    return statement;
}

std::int64_t Database::last_insert_rowid() const {
    return sqlite3_last_insert_rowid(m_db.get());
}

std::int64_t Database::changes() const {
    return sqlite3_changes64(m_db.get());
}

} // namespace aarshjul

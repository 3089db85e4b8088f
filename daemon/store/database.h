#pragma once
// Database: an open SQLite connection (RAII over sqlite3*).
//
// Opened with the durability settings aarshjul relies on: WAL journal (file
// databases), synchronous=FULL, foreign keys on, a 5 s busy timeout. Movable,
// not copyable. A connection and its statements belong to one thread at a time;
// give each thread its own Database.

#include "store/statement.h"
#include "util/result.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>

struct sqlite3;

namespace aarshjul {

class Database {
public:
    // Opens (creating if needed) the database at `path`; ":memory:" opens a private
    // in-memory database.
    static Result<Database> open(const std::filesystem::path& path);

    Database(Database&&) noexcept = default;
    Database& operator=(Database&&) noexcept = default;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database() = default;

    // Runs one or more SQL statements that take no parameters and return no rows.
    Result<void> exec(std::string_view sql);
    Result<Statement> prepare(std::string_view sql);

    std::int64_t last_insert_rowid() const;
    // Rows changed by the most recent INSERT, UPDATE or DELETE.
    std::int64_t changes() const;

    const std::filesystem::path& path() const { return m_path; }
    // The raw handle, for the rare call this class does not wrap (e.g. the backup API).
    sqlite3* handle() const { return m_db.get(); }

private:
    struct Closer {
        void operator()(sqlite3* db) const noexcept;
    };

    Database(sqlite3* db, std::filesystem::path path) : m_db(db), m_path(std::move(path)) {}

    std::unique_ptr<sqlite3, Closer> m_db;
    std::filesystem::path m_path;
};

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#pragma once
// Database: an open SQLite connection (RAII over sqlite3*).
//
// Opened with the durability settings aarshjul relies on: WAL journal (file
// databases), synchronous=FULL, foreign keys on, a 5 s busy timeout, a 32 MiB page cache. Movable,
// not copyable. A connection and its statements belong to one thread at a time;
// give each thread its own Database.

#include "store/sqlite/statement.h"
#include "util/result.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

struct sqlite3;

namespace aarshjul {

class StatementLease;

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
    // A statement prepared once per connection and reused (hot paths: one
    // prepare per task costs more than the insert). The lease resets it when
    // it ends, so no read stays open. One lease per SQL text at a time.
    Result<StatementLease> cached(std::string_view sql);

    std::int64_t last_insert_rowid() const;
    // Rows changed by the most recent INSERT, UPDATE or DELETE.
    std::int64_t changes() const;

    const std::filesystem::path& path() const { return m_path; }

    // True while a transaction is open on this connection.
    bool in_transaction() const;
    // Changes whenever a Transaction begins or ends: memos valid for one
    // transaction (e.g. the event log's head) compare it.
    std::uint64_t transaction_serial() const { return m_transaction_serial; }
    void next_transaction() { ++m_transaction_serial; }
    // The raw handle, for the rare call this class does not wrap (e.g. the backup API).
    sqlite3* handle() const { return m_db.get(); }

private:
    struct Closer {
        void operator()(sqlite3* db) const noexcept;
    };

    Database(sqlite3* db, std::filesystem::path path) : m_db(db), m_path(std::move(path)) {}

    std::unique_ptr<sqlite3, Closer> m_db;
    std::filesystem::path m_path;
    std::uint64_t m_transaction_serial = 0;
    // Looked up by the SQL text without copying it into a std::string.
    struct TextHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const noexcept {
            return std::hash<std::string_view>{}(text);
        }
    };
    // Declared after m_db: finalized before the connection closes.
    std::unordered_map<std::string, std::unique_ptr<Statement>, TextHash, std::equal_to<>> m_cache;
};

// A cached statement in use; rewound (and its bindings cleared) when it ends.
class StatementLease {
public:
    explicit StatementLease(Statement& statement) : m_statement(&statement) {}
    StatementLease(StatementLease&& other) noexcept
        : m_statement(std::exchange(other.m_statement, nullptr)) {}
    StatementLease& operator=(StatementLease&&) = delete;
    StatementLease(const StatementLease&) = delete;
    StatementLease& operator=(const StatementLease&) = delete;
    ~StatementLease() {
        if (m_statement) {
            m_statement->reset();
            m_statement->clear_bindings();
        }
    }
    Statement* operator->() const { return m_statement; }
    Statement& operator*() const { return *m_statement; }

private:
    Statement* m_statement;
};

} // namespace aarshjul

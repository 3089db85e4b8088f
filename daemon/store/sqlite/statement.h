// SPDX-License-Identifier: MPL-2.0
#pragma once
// Statement: a prepared SQLite statement (RAII over sqlite3_stmt*).
//
// Values are bound, never spliced into SQL text. A bind failure is recorded and
// reported by the next step()/run(), so binds chain: `stmt.bind(1, id).bind(2, name)`.
// Parameters are numbered from 1, result columns from 0 (as in SQLite).
// Belongs to the thread that uses its Database; must not outlive that Database.

#include "util/result.h"

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

struct sqlite3_stmt;

namespace aarshjul {

// Integer types other than the two Statement binds directly.
template <class T>
concept OtherInteger = std::integral<T> && !std::same_as<T, int> && !std::same_as<T, std::int64_t>;

class Statement {
public:
    Statement(Statement&&) noexcept = default;
    Statement& operator=(Statement&&) noexcept = default;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement() = default;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    // Any other integer type (bool, unsigned, long long, std::size_t); a value past
    // INT64_MAX is a bind error rather than a silent wrap.
    template <OtherInteger T> Statement& bind(int index, T value) {
        if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(std::int64_t)) {
            if (value > static_cast<T>(INT64_MAX)) {
                record_range_error(index);
                return *this;
            }
        }
        return bind(index, static_cast<std::int64_t>(value));
    }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, std::nullptr_t);
    template <class T> Statement& bind(int index, const std::optional<T>& value) {
        if (value)
            return bind(index, *value);
        return bind(index, nullptr);
    }
    // Binds args to parameters 1, 2, ... in order.
    template <class... Args> Statement& bind_all(const Args&... args) {
        int index = 0;
        (bind(++index, args), ...);
        return *this;
    }

    // Advances to the next row: true when a row is available, false when done.
    Result<bool> step();
    // Steps until done (ignoring any rows), then resets for reuse; bindings stay.
    Result<void> run();
    // Rewinds the statement so it can run again; bindings stay until clear_bindings().
    void reset();
    void clear_bindings();

    int column_count() const;
    bool column_is_null(int column) const;
    std::int64_t column_int64(int column) const;
    double column_double(int column) const;
    std::string column_text(int column) const;
    std::optional<std::int64_t> column_optional_int64(int column) const;
    std::optional<std::string> column_optional_text(int column) const;

    // The SQL text the statement was prepared from.
    std::string_view sql() const;

private:
    friend class Database;
    struct Finalizer {
        void operator()(sqlite3_stmt* stmt) const noexcept;
    };

    explicit Statement(sqlite3_stmt* stmt) : m_stmt(stmt) {}
    void record_bind(int rc, int index);
    void record_range_error(int index);

    std::unique_ptr<sqlite3_stmt, Finalizer> m_stmt;
    std::optional<Error> m_bind_error;
};

} // namespace aarshjul

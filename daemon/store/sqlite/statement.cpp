// SPDX-License-Identifier: MPL-2.0
#include "store/sqlite/statement.h"

#include "store/sqlite/sqlite_error.h"

#include <sqlite3.h>

namespace aarshjul {

void Statement::Finalizer::operator()(sqlite3_stmt* stmt) const noexcept {
    sqlite3_finalize(stmt);
}

void Statement::record_bind(int rc, int index) {
    if (rc == SQLITE_OK || m_bind_error)
        return;
    Error error = store_detail::sqlite_error(sqlite3_db_handle(m_stmt.get()), rc, sql());
    error.message = "binding parameter " + std::to_string(index) + ": " + error.message;
    m_bind_error = std::move(error);
}

void Statement::record_range_error(int index) {
    if (m_bind_error)
        return;
    m_bind_error = make_error("binding parameter " + std::to_string(index) +
                              ": integer too large for SQLite [sql: " + std::string(sql()) + "]");
}

Statement& Statement::bind(int index, std::int64_t value) {
    record_bind(sqlite3_bind_int64(m_stmt.get(), index, value), index);
    return *this;
}

Statement& Statement::bind(int index, double value) {
    record_bind(sqlite3_bind_double(m_stmt.get(), index, value), index);
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    // A null data pointer would bind NULL; an empty string must stay an empty string.
    const char* data = value.data() != nullptr ? value.data() : "";
    record_bind(
        sqlite3_bind_text64(m_stmt.get(), index, data, value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
        index);
    return *this;
}

Statement& Statement::bind(int index, std::nullptr_t) {
    record_bind(sqlite3_bind_null(m_stmt.get(), index), index);
    return *this;
}

Result<bool> Statement::step() {
    if (m_bind_error)
        return *m_bind_error;
    const int rc = sqlite3_step(m_stmt.get());
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    Error error = store_detail::sqlite_error(sqlite3_db_handle(m_stmt.get()), rc, sql());
    // Leave the statement ready to run again after the caller handled the error.
    sqlite3_reset(m_stmt.get());
    return error;
}

Result<void> Statement::run() {
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, step());
        if (!row)
            break;
    }
    sqlite3_reset(m_stmt.get());
    return {};
}

void Statement::reset() {
    sqlite3_reset(m_stmt.get());
}

void Statement::clear_bindings() {
    sqlite3_clear_bindings(m_stmt.get());
    m_bind_error.reset();
}

int Statement::column_count() const {
    return sqlite3_column_count(m_stmt.get());
}

bool Statement::column_is_null(int column) const {
    return sqlite3_column_type(m_stmt.get(), column) == SQLITE_NULL;
}

std::int64_t Statement::column_int64(int column) const {
    return sqlite3_column_int64(m_stmt.get(), column);
}

double Statement::column_double(int column) const {
    return sqlite3_column_double(m_stmt.get(), column);
}

std::string Statement::column_text(int column) const {
    const auto* text = sqlite3_column_text(m_stmt.get(), column);
    if (text == nullptr)
        return {};
    const int size = sqlite3_column_bytes(m_stmt.get(), column);
    return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::optional<std::int64_t> Statement::column_optional_int64(int column) const {
    if (column_is_null(column))
        return std::nullopt;
    return column_int64(column);
}

std::optional<std::string> Statement::column_optional_text(int column) const {
    if (column_is_null(column))
        return std::nullopt;
    return column_text(column);
}

std::string_view Statement::sql() const {
    const char* text = sqlite3_sql(m_stmt.get());
    return text != nullptr ? std::string_view(text) : std::string_view();
}

} // namespace aarshjul

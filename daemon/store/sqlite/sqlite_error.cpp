// SPDX-License-Identifier: MPL-2.0
#include "store/sqlite/sqlite_error.h"

#include <sqlite3.h>
#include <string>

namespace aarshjul::store_detail {
namespace {

constexpr std::size_t kMaxSqlInMessage = 240;

// The SQL with runs of whitespace folded to one space, shortened for a log line.
std::string one_line(std::string_view sql) {
    std::string out;
    bool space = false;
    for (char c : sql) {
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = !out.empty();
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        out += c;
    }
    if (out.size() > kMaxSqlInMessage)
        out = out.substr(0, kMaxSqlInMessage) + "...";
    return out;
}

} // namespace

Error sqlite_error(sqlite3* db, int rc, std::string_view sql) {
    const int primary = rc & 0xff;
    // The connection's message is more precise (it names the constraint), but it only
    // belongs to this failure when its code matches.
    std::string text = db != nullptr && (sqlite3_errcode(db) & 0xff) == primary
                           ? std::string(sqlite3_errmsg(db))
                           : std::string(sqlite3_errstr(rc));
    std::string message;
    if (primary == SQLITE_FULL)
        message = "disk full: the database could not be written (" + text + ")";
    else
        message = "sqlite: " + text;
    if (!sql.empty())
        message += " [sql: " + one_line(sql) + "]";
    return make_error(std::move(message));
}

} // namespace aarshjul::store_detail

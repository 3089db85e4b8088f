// SPDX-License-Identifier: MPL-2.0
#pragma once
// Turns a failed SQLite call into an aarshjul Error (internal to daemon/store).

#include "util/result.h"

#include <string_view>

struct sqlite3;

namespace aarshjul::store_detail {

// An Error carrying SQLite's message for `rc` (the connection's text when `db` has one)
// and the SQL involved; SQLITE_FULL is worded as a full disk.
Error sqlite_error(sqlite3* db, int rc, std::string_view sql);

} // namespace aarshjul::store_detail

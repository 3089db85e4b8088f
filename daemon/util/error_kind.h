// SPDX-License-Identifier: MPL-2.0
#pragma once
// The one table of error categories: for each ErrorKind, the code an API
// client reads, the HTTP status and the exit code of a command. Callers answer
// an error by its kind and never re-check the condition that caused it.

#include "util/result.h"

#include <string_view>

namespace aarshjul {

struct ErrorCategory {
    ErrorKind kind;
    std::string_view code; // the API's error code ("invalid", "not_found", ...)
    int http_status;
    int exit_code; // 1 the command failed, 2 its input is invalid (README, "Command line")
};

const ErrorCategory& category_of(ErrorKind kind);

// Drops an error on purpose, saying why: the failure is logged at debug level
// with the reason, so a reader sees the choice and an operator can find it.
// For work whose failure changes nothing for the caller (a best-effort
// cleanup, an optional detail on a page).
void ignore_error(const Error& error, std::string_view why);
template <class T> void ignore_error(const Result<T>& result, std::string_view why) {
    if (!result.ok())
        ignore_error(result.error(), why);
}

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#include "util/error_kind.h"

#include <array>
#include <spdlog/spdlog.h>

namespace aarshjul {
namespace {

constexpr std::array kCategories = {
    ErrorCategory{ErrorKind::Internal, "internal", 500, 1},
    ErrorCategory{ErrorKind::Invalid, "invalid", 422, 2},
    ErrorCategory{ErrorKind::NotFound, "not_found", 404, 1},
    ErrorCategory{ErrorKind::Conflict, "conflict", 409, 1},
    ErrorCategory{ErrorKind::Busy, "busy", 503, 1},
    ErrorCategory{ErrorKind::Io, "internal", 500, 1},
};

} // namespace

const ErrorCategory& category_of(ErrorKind kind) {
    for (const auto& category : kCategories)
        if (category.kind == kind)
            return category;
    return kCategories.front();
}

void ignore_error(const Error& error, std::string_view why) {
    spdlog::debug("ignored ({}): {}", why, error.to_string());
}

} // namespace aarshjul

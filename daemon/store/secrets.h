// SPDX-License-Identifier: MPL-2.0
#pragma once
// Secrets: named values the daemon keeps (table `secrets`: the link key).
// Thread rules: those of the Store.

#include "util/result.h"

#include <optional>
#include <string>
#include <string_view>

namespace aarshjul {

class Secrets {
public:
    virtual ~Secrets() = default;

    virtual Result<std::optional<std::string>> get(std::string_view name) = 0;
    // Stores `value` unless `name` has one already (another process may have
    // been first); returns the value stored.
    virtual Result<std::string> put_if_absent(std::string_view name, std::string_view value) = 0;
};

} // namespace aarshjul

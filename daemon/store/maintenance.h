// SPDX-License-Identifier: MPL-2.0
#pragma once
// Maintenance: what `aarshjul backup` and `aarshjul db check` ask of the
// store, whatever engine keeps it.
//
// Thread rules: those of the Store; a backup runs while other connections
// (the daemon's) keep writing.

#include "util/result.h"

#include <filesystem>
#include <string>
#include <vector>

namespace aarshjul {

struct StoreCheck {
    std::vector<std::string> problems; // empty: the store is sound
    int schema_version = 0;
};

class Maintenance {
public:
    virtual ~Maintenance() = default;

    // Copies the whole store to the file `target`, without blocking writers
    // for long. `target` is never left half-written: it is the whole copy or
    // untouched.
    virtual Result<void> backup(const std::filesystem::path& target) = 0;

    // Checks the store's integrity and its references; names each problem found.
    virtual Result<StoreCheck> check() = 0;
};

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#pragma once
// open_store: the one way the daemon, the CLI and the simulation open a
// store. It opens the store named by the settings, brings its schema up to
// date and returns a Store that owns its connection.
//
// Each call opens a new connection: a thread that needs the store opens its
// own (the Store's thread rules).

#include "store/store.h"
#include "util/result.h"

#include <filesystem>
#include <memory>

namespace aarshjul {

// Where the store lives, from the configuration (`database`). Built by the
// caller, so the store layer does not depend on the configuration's.
struct StoreSettings {
    // A SQLite file (its folder is created when missing), or ":memory:" for a
    // private in-memory store that lives as long as the returned Store.
    std::filesystem::path location;
};

// Opens and migrates the store. Fails, naming the location, when it cannot be
// opened or its schema is newer than this binary knows.
Result<std::unique_ptr<Store>> open_store(const StoreSettings& settings);

} // namespace aarshjul

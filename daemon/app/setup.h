// SPDX-License-Identifier: MPL-2.0
#pragma once
// Setup: everything the daemon and the CLI load before they can work —
// configuration, directory and workflows — checked together so `aarshjul
// check` and `aarshjul serve` report the same problems the same way.

#include "config/config.h"
#include "engine/engine.h"
#include "notify/templates.h"
#include "store/open_store.h"
#include "time/zone.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

namespace aarshjul {

struct Setup {
    Config config;
    Zone zone;
    std::shared_ptr<const Definitions> definitions;
    std::shared_ptr<const NoticeTemplates> templates;
};

struct SetupReport {
    std::optional<Setup> setup;  // set only when there are no errors
    std::vector<Error> errors;   // every problem found, in file order
    std::vector<Error> warnings; // the workflows' warnings (old DSL spellings), in file order
};

struct SetupOptions {
    std::filesystem::path config_file;
    std::optional<std::filesystem::path> workflows_dir; // overrides the configured folder
};

SetupReport load_setup(const SetupOptions& options);

// Cross-checks workflows against the directory: unknown people and roles,
// system roles without for_each, invalid recurrences and offsets.
std::vector<Error> validate_workflows(const std::vector<WorkflowDef>& workflows,
                                      const Directory& directory);

// Settings for the engine, derived from the configuration.
EngineSettings engine_settings(const Setup& setup);

// Where the store lives (`database`), for open_store.
StoreSettings store_settings(const Config& config);

// Runs workflow hooks in the Lua worker, from the configured Lua library,
// each under the configured deadline ([hooks] timeout_ms). Blocking up to that
// deadline; safe on any thread (each call has its own process), never the loop's.
HookRunner hook_runner(const Setup& setup);

} // namespace aarshjul

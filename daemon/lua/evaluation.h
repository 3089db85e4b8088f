// SPDX-License-Identifier: MPL-2.0
#pragma once
// The evaluations the Lua worker process runs (worker/lua_worker_main.h):
// a workflow file into its definitions, a hook into its follow-ups. They are
// plain functions of their inputs, with the library and the file's text in
// memory, so they open no file; nothing here checks a definition's rules
// (model/workflow_check.h runs in the daemon, on what comes back). The
// fuzzer runs them in its own process. Safe from any thread: each call has
// its own Sandbox.

#include "lua/lua_library.h"
#include "lua/sandbox.h"
#include "model/workflow.h"
#include "util/result.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aarshjul {

// A workflow file yields at most this many definitions.
inline constexpr std::size_t kMaxDefinitionsPerFile = 1000;

// One result of a file, in file order: a definition, an error, or a warning
// (what the DSL's _warnings() lists: an old spelling that still loads).
struct FileItem {
    std::optional<WorkflowDef> workflow; // file and line set; not checked, not hashed
    Error error;                         // when there is no workflow
    bool warning = false;                // `error` is a warning, not a failure
};

// Runs `text` as the workflow file `file` with the DSL as globals, then
// collects its definitions; the two share one wall deadline. Definitions
// registered before an error are still returned.
std::vector<FileItem> evaluate_workflow_file(std::shared_ptr<const LuaLibrary> library,
                                             const std::string& file, std::string_view text,
                                             const SandboxLimits& limits);

struct HookCall {
    std::filesystem::path file; // the workflow's file (WorkflowDef::file)
    std::string workflow_id;
    std::string hook;                        // "on_complete" | "on_overdue" | "on_event"
    std::map<std::string, std::string> args; // the task's or the event's fields
};

// Re-runs the workflow file (`text`) and calls its hook; the follow-ups are not checked yet.
Result<std::vector<FollowUpSpec>> evaluate_hook(std::shared_ptr<const LuaLibrary> library,
                                                const HookCall& call, std::string_view text,
                                                const SandboxLimits& limits);

} // namespace aarshjul

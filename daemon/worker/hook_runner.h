// SPDX-License-Identifier: MPL-2.0
#pragma once
// run_hook: runs one Lua hook of a workflow (on_complete, on_overdue,
// on_event) and returns the follow-up tasks it asked for.
//
// Hooks run rarely, so each call starts a fresh Lua worker process
// (worker/lua_worker.h) with a fresh Sandbox (with `limits`), which
// re-evaluates the workflow's file with the DSL as globals and calls the
// named hook of the named workflow with `args` as a read-only table of
// strings; the follow-ups come back as data and are checked here. Hooks
// therefore keep no state between calls. Inside the hook,
// `follow_up { id = ..., title = ..., assignee = ..., due = ... }` (see
// lua/aarshjul/dsl.lua) adds a FollowUpSpec to the result.
//
// Every failure (the file no longer loads, the workflow or hook is missing, a
// Lua error, a limit hit, a bad follow_up) is returned as an Error, with the
// file and line when known; nothing throws. Blocking (up to the wall
// deadline); safe to call from any thread but the event loop's: each call
// has its own process.

#include "lua/evaluation.h"
#include "lua/sandbox.h"
#include "model/workflow.h"
#include "util/result.h"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace aarshjul {

Result<std::vector<FollowUpSpec>> run_hook(const std::filesystem::path& lua_dir,
                                           const HookCall& call, SandboxLimits limits = {});

} // namespace aarshjul

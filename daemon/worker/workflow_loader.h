// SPDX-License-Identifier: MPL-2.0
#pragma once
// load_workflows: evaluates workflows/*.lua into WorkflowDef values.
//
// Each *.lua file of the folder runs, in name order, in a fresh Sandbox whose
// globals include the DSL of lua/aarshjul/dsl.lua (workflow, yearly, role,
// ...), in a Lua worker process (worker/lua_worker.h): the daemon reads the
// files and the Lua library, the worker evaluates them and sends the
// definitions back as data, and the daemon checks them (model/
// workflow_check.h) and hashes them. Warnings (the DSL's _warnings(): old
// spellings that still load) come back the same way and never stop a file. Every problem is collected with its file and line and loading
// goes on with the next file, so `aarshjul check` can show them all at once. A missing or empty
// folder and a workflow id defined twice are errors too.
//
// content_hash is workflow_content_hash (model/workflow_codec.h): the hex
// SHA-256 of the canonical serialisation of every field that defines the
// workflow; the file name and line are left out, so moving a workflow within
// or between files keeps its hash. Blocking (up to the wall deadline per
// file); call it off the event loop.

#include "lua/sandbox.h"
#include "model/workflow.h"
#include "model/workflow_codec.h"
#include "util/result.h"

#include <filesystem>
#include <vector>

namespace aarshjul {

struct WorkflowLoadOptions {
    // Folders of *.lua, each loaded in name order, every file in a fresh Sandbox;
    // the folders' workflows form one set (ids unique across all of them).
    std::vector<std::filesystem::path> workflows_dirs;
    std::filesystem::path lua_dir; // the project's lua/ folder (DSL + require root)
    SandboxLimits limits{};
};

struct WorkflowLoadReport {
    std::vector<WorkflowDef> workflows; // every valid definition
    std::vector<Error> errors;          // every problem found, each with file and line
    // What loads but should be written otherwise (an old spelling of the DSL),
    // each with file and line; `aarshjul check` prints them, the daemon logs them.
    std::vector<Error> warnings;
    bool ok() const { return errors.empty(); }
};

WorkflowLoadReport load_workflows(const WorkflowLoadOptions& options);

} // namespace aarshjul

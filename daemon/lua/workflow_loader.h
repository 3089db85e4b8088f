#pragma once
// load_workflows: evaluates workflows/*.lua into WorkflowDef values.
//
// Each *.lua file of the folder runs, in name order, in a fresh Sandbox whose
// globals include the DSL of lua/aarshjul/dsl.lua (workflow, yearly, role,
// ...). Every problem is collected with its file and line and loading goes on
// with the next file, so `aarshjul check` can show them all at once. A
// missing or empty folder and a workflow id defined twice are errors too.
// Warnings (what the DSL's _warnings() lists: old spellings that still load)
// are collected the same way and never stop a file.
//
// content_hash is the hex SHA-256 of a canonical serialisation of every
// field that defines the workflow; the file name and line are left out, so
// moving a workflow within or between files keeps its hash.

#include "lua/sandbox.h"
#include "model/workflow.h"
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

// The canonical hash of a definition (see above); load_workflows sets it.
std::string workflow_content_hash(const WorkflowDef& workflow);

} // namespace aarshjul

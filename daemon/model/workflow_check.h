// SPDX-License-Identifier: MPL-2.0
#pragma once
// The rules every workflow definition obeys, whatever produced it.
//
// lua/aarshjul/dsl.lua checks a definition as it is written, for early
// messages; but a workflow file runs in the same Lua state as the DSL and can
// hand it values that change between the DSL's check and its copy (tables
// with metamethods, constructor results edited afterwards). So the loader runs
// these checks on every definition the DSL returns, and they are the
// authority: an id goes into occurrence keys ("<workflow>|<entity>|<date>",
// "#<step>", "/<follow-up>"), so it may hold none of those separators.
//
// Only the shape is checked here; whether a role, person, body, workflow or
// channel exists is checked against the directory and the configuration
// (app/setup.cpp). Stateless; safe from any thread.

#include "model/workflow.h"
#include "util/result.h"

#include <string_view>

namespace aarshjul {

// Workflow, step and follow-up ids: ^[A-Z][A-Z0-9-]*$, at most 64 bytes ("RISK-SYS").
bool valid_workflow_id(std::string_view id);
// Outcome ids: ^[a-z][a-z0-9_]*$, at most 64 bytes ("deviation").
bool valid_outcome_id(std::string_view id);
// Role names: ^[A-Za-z_][A-Za-z0-9_]*$ ("system_responsible").
bool valid_role_name(std::string_view role);
// Person ids: ^[A-Za-z0-9_][A-Za-z0-9_.@-]*$ ("anna.jensen").
bool valid_person_ref(std::string_view person);
// Body ids and event types: ^[A-Za-z_][A-Za-z0-9_-]*$ ("isu", "incident").
bool valid_name(std::string_view name);
// Channel names: ^[A-Za-z0-9_][A-Za-z0-9_.-]*$ ("mail", "isu-teams").
bool valid_channel_name(std::string_view channel);

// Every field of `workflow`: the first problem, as "workflow <id>: <what>" at
// its file and line, with ErrorKind::Invalid.
Result<void> check_workflow(const WorkflowDef& workflow);

// A follow-up that a hook asked for: the first problem as "follow_up <id>:
// <what>", without a position (the hook runner adds the file).
Result<void> check_follow_up(const FollowUpSpec& follow_up);

} // namespace aarshjul

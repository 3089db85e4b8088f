// SPDX-License-Identifier: MPL-2.0
#pragma once
// The workflow schema, written once: every field of WorkflowDef and
// FollowUpSpec, in order, in workflow_codec.cpp's `fields` functions.
//
// encode_workflow writes that schema as a FieldWriter record (util/
// field_record.h); it is the canonical form of a definition: the Lua worker
// sends definitions back in it, and workflow_content_hash is the SHA-256 of
// it. decode_workflow reads it back, trusting nothing (the worker runs
// untrusted Lua): every string is valid UTF-8, every number in range, every
// enum a known name. file, line and content_hash are not part of it, so
// moving a workflow within or between files keeps its hash.
//
// The bytes are those of the hash before the schema moved here
// ("aarshjul-workflow-v2"); the fields added since (trigger.outcome,
// outcomes, group, standards) follow at the end and are written only when
// set, so a definition that does not use them keeps its stored hash, and
// one that starts to is re-planned once.
// tests/model/workflow_codec_test.cpp fails when a field of the model is
// missing from the schema. Stateless; safe from any thread.

#include "model/workflow.h"
#include "util/result.h"

#include <string>
#include <string_view>

namespace aarshjul {

std::string encode_workflow(const WorkflowDef& workflow);
// file, line and content_hash are left empty.
Result<WorkflowDef> decode_workflow(std::string_view text);

// The hex SHA-256 of encode_workflow(workflow).
std::string workflow_content_hash(const WorkflowDef& workflow);

std::string encode_follow_up(const FollowUpSpec& follow_up);
Result<FollowUpSpec> decode_follow_up(std::string_view text);

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#pragma once
// Catalogue: the loaded workflows described for people — the "shipped cycle"
// table of the README (`aarshjul workflows --format md`), a console table and
// JSON. Generated from the workflow files so the documentation never drifts.

#include "model/directory.h"
#include "model/workflow.h"

#include <string>
#include <vector>

namespace aarshjul {

// "yearly on 1 Mar", "on 1 Jan, Apr, Jul, Oct", "each meeting of Informationssikkerhedsudvalget",
// "on event incident", "12 months after the last completion", ...
std::string describe_cadence(const WorkflowDef& wf, const Directory& directory);

// "30 days", "72 hours", "next meeting of Byrådet", "approval: Direktionen → Byrådet", ...
std::string describe_due(const WorkflowDef& wf, const Directory& directory);

// "system_owner after 7 d, coordinator after 21 d"; "configured default"; "never".
std::string describe_escalation(const WorkflowDef& wf);

// The workflows as a Markdown table (md), an aligned text table (table) or JSON,
// sorted by id; switched-off workflows are marked as such.
std::string render_catalogue(const std::vector<WorkflowDef>& workflows, const Directory& directory,
                             const std::string& format);

} // namespace aarshjul

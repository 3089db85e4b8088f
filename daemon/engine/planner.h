#pragma once
// Planner: expands workflow definitions into the concrete tasks of a span.
//
// Pure: the same definitions, directory and span always give the same tasks in
// the same order. `aarshjul plan` prints its output; the engine materialises it.

#include "model/directory.h"
#include "model/workflow.h"
#include "util/result.h"

#include <string>
#include <vector>

namespace aarshjul {

struct PlannedTask {
    std::string occurrence_key; // "WORKFLOW|entity|YYYY-MM-DD", unique per occurrence
    const WorkflowDef* workflow = nullptr;
    std::string entity_id; // system id, or "" for workflows that run once
    LocalDate nominal;     // the occurrence date produced by the schedule
    LocalDate start;
    LocalDate due;
    std::string title;    // Danish title, with the system's name for per-system tasks
    std::string title_en; // English title
    std::string assignee; // person id
};

// The deterministic key of one occurrence.
std::string occurrence_key(std::string_view workflow_id, std::string_view entity_id,
                           LocalDate nominal);

// Every task whose occurrence date lies in [from, to], ordered by start date,
// then workflow id, then entity. Fails only on an invalid recurrence or an
// assignee that cannot be resolved (both are caught earlier by `check`).
Result<std::vector<PlannedTask>> plan_tasks(const std::vector<WorkflowDef>& workflows,
                                            const Directory& directory, LocalDate from,
                                            LocalDate to);

// Appends the tasks of one workflow whose occurrence date lies in [from, to].
// The tasks point at `workflow`, which must outlive them.
Result<void> plan_workflow(const WorkflowDef& workflow, const Directory& directory, LocalDate from,
                           LocalDate to, std::vector<PlannedTask>& out);

// The person a workflow's task is assigned to, for one system (or none).
Result<std::string> resolve_assignee(const WorkflowDef& workflow, const Directory& directory,
                                     const System* system);

} // namespace aarshjul

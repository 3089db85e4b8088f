// SPDX-License-Identifier: MPL-2.0
#pragma once
// Planner: expands workflow definitions into the concrete tasks they produce.
//
// Pure: the same definitions, directory and span always give the same tasks in
// the same order. `aarshjul plan` prints its output; the engine materialises it
// and uses `plan_occurrence` for occurrences that come from the database
// (events, completions, approval-chain steps).

#include "model/directory.h"
#include "model/workflow.h"
#include "time/holidays.h"
#include "time/zone.h"
#include "util/result.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace aarshjul {

// What a task is about: nothing in particular, one system, or one data processor.
struct Entity {
    std::string id; // "" for workflows that run once per occurrence
    std::string name;
    const System* system = nullptr;
    const Processor* processor = nullptr;
};

struct PlannedTask {
    std::string occurrence_key; // "WORKFLOW|entity|YYYY-MM-DD", unique per occurrence
    const WorkflowDef* workflow = nullptr;
    std::string entity_id;
    LocalDate nominal; // the occurrence date produced by the trigger
    LocalDate start;
    LocalDate due;
    std::optional<Instant> start_at; // hour-based tasks: the trigger instant
    std::optional<Instant> due_at;   // hour-based tasks: the deadline
    std::string title;               // Danish title, with the entity's name
    std::string title_en;
    std::string assignee; // person id
    std::string origin = "plan";
    std::optional<int> step_index; // approval chains
    std::string note;              // e.g. "no meeting of byraad booked after 2027-12-01"
};

// The calendar facts planning needs.
struct PlanContext {
    const Zone& zone;
    const BusinessCalendar& calendar;
    int reminder_hour = 8;
};

// The deterministic key of one occurrence.
std::string occurrence_key(std::string_view workflow_id, std::string_view entity_id,
                           std::string_view occurrence);

// The entities a workflow iterates over.
std::vector<Entity> workflow_entities(const WorkflowDef& workflow, const Directory& directory);

// The systems a `for_each = sample {...}` workflow draws for the occurrence on
// `day` (sorted by id); `record` receives "stikprøve <day> (seed "..."): k af n
// systemer: a b c" for the task's history.
std::vector<Entity> draw_sample(const WorkflowDef& workflow, const Directory& directory,
                                LocalDate day, std::string* record = nullptr);

// The recurrence an entity follows: its tier's schedule, else the workflow's.
const Recurrence& schedule_for(const WorkflowDef& workflow, const Entity& entity);

// Appends the calendar and meeting occurrences of one workflow whose occurrence
// date lies in [from, to] (the first approval step for chains). Event and
// completion triggers produce nothing here: they come from the database.
Result<void> plan_workflow(const WorkflowDef& workflow, const Directory& directory,
                           const PlanContext& context, LocalDate from, LocalDate to,
                           std::vector<PlannedTask>& out);

// The same, handing each task to `sink` as soon as it is planned (in the same
// order), so that a national year is never held in memory; an error from the
// sink stops planning and is returned.
using PlanSink = std::function<Result<void>(PlannedTask&&)>;
Result<void> plan_workflow(const WorkflowDef& workflow, const Directory& directory,
                           const PlanContext& context, LocalDate from, LocalDate to,
                           const PlanSink& sink);

// Every planned task of [from, to], ordered by start, workflow id and entity.
Result<std::vector<PlannedTask>> plan_tasks(const std::vector<WorkflowDef>& workflows,
                                            const Directory& directory, const PlanContext& context,
                                            LocalDate from, LocalDate to);

// One task of `workflow` for `entity`, triggered on `nominal` (at the instant
// `at` for events and completions). `step` selects an approval-chain step.
// `key_suffix` names the occurrence when it is not a date (e.g. "event-12").
Result<PlannedTask> plan_occurrence(const WorkflowDef& workflow, const Directory& directory,
                                    const PlanContext& context, const Entity& entity,
                                    LocalDate nominal, std::optional<Instant> at,
                                    std::optional<int> step, std::string_view key_suffix = {});

// The person an assignee reference means for an entity on a day.
Result<std::string> resolve_person(const AssigneeRef& ref, const Directory& directory,
                                   const Entity& entity, LocalDate day,
                                   const WorkflowDef& workflow);

// The first meeting of `body` strictly after `day`.
std::optional<LocalDate> next_meeting(const Directory& directory, std::string_view body,
                                      LocalDate day);

} // namespace aarshjul

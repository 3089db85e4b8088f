// SPDX-License-Identifier: MPL-2.0
#pragma once
// TaskRow: one stored task, as every reader sees it (the engine, the CLI,
// the API and the pages). Dates are the stored text (YYYY-MM-DD), instants
// unix seconds.

#include "model/task_state.h"

#include <cstdint>
#include <optional>
#include <string>

namespace aarshjul {

struct TaskRow {
    std::int64_t id = 0;
    std::string occurrence_key; // "WORKFLOW|entity|occurrence", unique
    std::string workflow_id;
    std::string entity_id; // the system or processor; empty for a workflow run once
    std::string title;
    std::string title_en; // the English title; the Danish one when there is none
    std::string assignee;
    std::string start_date;
    std::string due_date;
    std::optional<std::int64_t> start_at; // hour-based tasks only
    std::optional<std::int64_t> due_at;   // hour-based tasks only
    TaskState state = TaskState::Scheduled;
    std::string origin; // plan, event, completion, chain, hook, horizon
    std::optional<int> step_index;
    std::optional<std::int64_t> next_action_at;
    std::optional<std::int64_t> last_reminder_at;
    int reminders_sent = 0;
    int escalations_sent = 0;
    std::optional<std::string> completed_by;
    std::optional<std::int64_t> completed_at;
    std::optional<std::string> note;
    std::optional<std::string> evidence;
    std::optional<std::string> outcome;         // what the control found (declared outcomes)
    std::optional<std::int64_t> parent_task_id; // follow-ups, action plans: the task behind them
};

// Whether completing the task records what its control found (when its
// workflow declares outcomes): not for follow-ups, action plans and booking
// warnings, which are not the control itself.
inline bool takes_outcome(const TaskRow& task) {
    return task.origin != "hook" && task.origin != "action_plan" && task.origin != "horizon";
}

} // namespace aarshjul

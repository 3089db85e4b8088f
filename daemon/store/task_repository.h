// SPDX-License-Identifier: MPL-2.0
#pragma once
// TaskRepository: the writes and the engine's reads of table `tasks`.
// Thread rules: those of the Store it belongs to.

#include "store/task_row.h"
#include "util/result.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aarshjul {

// A task as planning produces it: what insert_or_update writes.
struct TaskDraft {
    std::string occurrence_key;
    std::string workflow_id;
    std::string entity_id;
    std::string nominal_date;
    std::string title;
    std::string title_en;
    std::string assignee;
    std::string start_date;
    std::string due_date;
    std::optional<std::int64_t> start_at;
    std::optional<std::int64_t> due_at;
    std::string definition_hash;
    std::string origin;
    std::optional<int> step_index;
    std::optional<std::int64_t> parent_task_id;
    std::optional<std::string> note;
};

// What insert_or_update did.
struct TaskWritten {
    enum class Outcome {
        Created,   // a new row: `id`
        Updated,   // the definition changed: row `id` rewritten, due for a tick now
        Unchanged, // there already, finished, or the same
    };
    Outcome outcome = Outcome::Unchanged;
    std::int64_t id = 0;
};

// What a tick decided for a task.
struct TaskProgress {
    TaskState state = TaskState::Scheduled;
    std::optional<std::int64_t> next_action_at;
    int reminders_added = 0;
    std::optional<std::int64_t> last_reminder_at;
    int escalations_sent = 0;
    std::optional<std::string> blocked_by; // the unfinished task it waits for
};

class TaskRepository {
public:
    virtual ~TaskRepository() = default;

    virtual Result<std::optional<TaskRow>> find(std::int64_t id) = 0;
    virtual Result<std::optional<TaskRow>> find(std::string_view occurrence_key) = 0;
    virtual Result<bool> exists(std::string_view occurrence_key) = 0;

    // How insert_or_update learns whether the task exists: by reading it (it
    // may need an update), or only by inserting (an existing row stays as it is).
    enum class Lookup { Read, InsertOnly };
    // Inserts `draft` as a scheduled task whose next action is
    // `next_action_if_new()`, or rewrites an unfinished one whose definition
    // differs (next action: `now`). Finished tasks are never touched.
    virtual Result<TaskWritten>
    insert_or_update(const TaskDraft& draft, std::int64_t now, Lookup lookup,
                     const std::function<std::optional<std::int64_t>()>& next_action_if_new) = 0;
    // Withdraws a task: state cancelled, no next action.
    virtual Result<void> cancel(std::int64_t id, std::int64_t now) = 0;
    virtual Result<void> save_progress(std::int64_t id, const TaskProgress& progress,
                                       std::int64_t now) = 0;
    // Done or waived by `by`, with what the control found (`outcome`, done only).
    virtual Result<void> complete(std::int64_t id, TaskState state, std::string_view by,
                                  std::int64_t now, std::string_view note,
                                  std::optional<std::string_view> evidence,
                                  std::optional<std::string_view> outcome) = 0;
    // The tasks waiting for `occurrence_key` become due for a tick at `now`.
    virtual Result<void> unblock(std::string_view occurrence_key, std::int64_t now) = 0;
    virtual Result<void> set_hook_error(std::int64_t id, std::string_view error) = 0;

    // Unfinished tasks whose next action is at or before `now`, after id
    // `after_id`, in id order.
    virtual Result<std::vector<TaskRow>> due(std::int64_t now, std::int64_t after_id,
                                             int limit) = 0;
    // The earliest next action of any task.
    virtual Result<std::optional<std::int64_t>> next_wakeup() = 0;
    // The key of the latest occurrence, on or before `date`, of one of
    // `workflows` that is not finished, if any (cancelled ones do not count).
    virtual Result<std::optional<std::string>>
    blocking_task(const std::vector<std::string>& workflows, std::string_view date) = 0;

    // Workflows that have unfinished tasks.
    virtual Result<std::vector<std::string>> workflows_with_open_tasks() = 0;
    virtual Result<std::vector<std::int64_t>> open_task_ids(std::string_view workflow) = 0;
    // (key, id) of the unfinished planned first-step tasks of `workflow`
    // from `nominal_from` on.
    virtual Result<std::vector<std::pair<std::string, std::int64_t>>>
    open_planned(std::string_view workflow, std::string_view nominal_from) = 0;
    virtual Result<bool> has_open_task(std::string_view workflow, std::string_view entity) = 0;
    virtual Result<std::optional<std::int64_t>> last_done_at(std::string_view workflow,
                                                             std::string_view entity) = 0;
    // Tasks of `workflow` done at or after `since`, in id order; `steps_only`:
    // approval steps only.
    enum class Steps { Any, Only };
    virtual Result<std::vector<TaskRow>> done_since(std::string_view workflow, std::int64_t since,
                                                    Steps steps) = 0;
};

} // namespace aarshjul

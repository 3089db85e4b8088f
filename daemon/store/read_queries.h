// SPDX-License-Identifier: MPL-2.0
#pragma once
// ReadQueries: what the status, the report, the API, the pages, the CLI and
// the simulation read, as plain rows. Nothing here writes except the
// report's snapshots, which are kept once and then only read.
// Thread rules: those of the Store it belongs to.

#include "store/task_row.h"
#include "util/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aarshjul {

// Which stored tasks a list shows; empty fields do not filter.
struct TaskFilter {
    std::vector<std::string> states; // any of; empty = all
    std::string workflow;
    std::string assignee;
    std::string system;
    std::string due_from; // YYYY-MM-DD, inclusive
    std::string due_to;   // YYYY-MM-DD, inclusive
    int limit = 50;
    int offset = 0;
};

struct TaskPage {
    std::int64_t total = 0; // matching the filter, before limit and offset
    std::vector<TaskRow> tasks;
};

// Open ones (open, due, overdue, escalated), or finished ones (done, waived).
enum class TaskSet { Open, Finished };

// Unfinished tasks by due date: the overdue ones, or the upcoming ones.
enum class Deadlines { Overdue, Upcoming };

// One (workflow, state) group of tasks for the status.
struct StateCount {
    std::string workflow_id;
    std::string state;
    std::int64_t count = 0;
    std::int64_t on_track = 0;        // not done, due after the due-soon day
    std::int64_t due_soon = 0;        // not done, due on or before it
    std::int64_t done_in_cycle = 0;   // done since the cycle started
    std::int64_t waived_in_cycle = 0; // waived since the cycle started
};

struct ChannelCount {
    std::string channel;
    std::int64_t pending = 0;
    std::int64_t sent = 0;
    std::int64_t failed = 0;
    std::string last_error; // the channel's latest
};

// One group of a Prometheus gauge: (workflow or channel, state) -> count.
struct GroupCount {
    std::string group;
    std::string state;
    std::int64_t count = 0;
};

// How often a workflow's tasks were done with one outcome.
struct OutcomeCount {
    std::string workflow_id;
    std::string outcome;
    std::int64_t count = 0;
};

// A workflow's tasks due in a quarter.
struct ControlCount {
    std::string workflow_id;
    std::int64_t tasks = 0;
    std::int64_t done = 0;
    std::int64_t waived = 0;
    std::int64_t overdue = 0;
    std::int64_t open = 0;
};

// A task due in a span, as the report's trends count it: on time, late or
// still overdue.
struct DueLine {
    std::string workflow_id;
    std::string state;
    std::string due_date;                     // YYYY-MM-DD
    std::optional<std::int64_t> due_at;       // hour-based tasks only
    std::optional<std::int64_t> completed_at; // done and waived ones
};

// An event of the log with the task it is about.
struct TaskEventLine {
    std::int64_t id = 0;
    std::int64_t task_id = 0;
    std::int64_t at = 0;
    std::string kind;
    std::string actor;
    std::string detail;
    std::string task_key;
    std::string workflow_id;
    std::string title;
    std::string assignee;
};

// An outbox row as the report and the simulation show it.
struct NoticeLine {
    std::int64_t id = 0;
    std::int64_t created_at = 0;
    std::string kind;
    std::string channel;
    std::string recipient;
    std::string subject;
    std::int64_t attempts = 0;
    std::string last_error;
    std::string task_key;    // empty when the notice is about no task
    std::string workflow_id; // likewise
};

struct SnapshotInfo {
    std::string quarter;
    std::string meeting;
    std::int64_t created_at = 0;
    std::string created_by;
};

class ReadQueries {
public:
    virtual ~ReadQueries() = default;

    // Tasks.
    virtual Result<TaskPage> list_tasks(const TaskFilter& filter) = 0;
    // Assigned to or completed by `person`, or of one of `systems`. Open ones
    // overdue first, then by due date; finished ones latest first.
    virtual Result<std::vector<TaskRow>> tasks_of_person(const std::string& person,
                                                         const std::vector<std::string>& systems,
                                                         TaskSet set, int limit) = 0;
    // The tasks reported event `event_id` started (its occurrences, their
    // steps and their hooks' follow-ups), in the order they were created.
    virtual Result<std::vector<TaskRow>> tasks_of_event(std::int64_t event_id) = 0;
    // Not cancelled, due on or after `from`; of `assignee` and `workflow` when given.
    virtual Result<std::vector<TaskRow>>
    calendar_tasks(std::string_view from, std::string_view assignee, std::string_view workflow) = 0;
    virtual Result<std::vector<TaskRow>> deadlines(Deadlines which, int limit) = 0;
    // A task's events in order (kind, actor, detail, at).
    virtual Result<std::vector<TaskEventLine>> task_history(std::int64_t task_id) = 0;

    // Status and metrics.
    virtual Result<std::vector<StateCount>> state_counts(std::int64_t cycle_start,
                                                         std::string_view due_soon_until) = 0;
    virtual Result<std::vector<ChannelCount>> channel_counts() = 0;
    // Tasks done with an outcome since `since` (unix seconds), by workflow and outcome.
    virtual Result<std::vector<OutcomeCount>> outcome_counts(std::int64_t since) = 0;
    // Action plans (origin action_plan) not finished, oldest due date first;
    // each row's parent_task_id is the task whose outcome asked for it.
    virtual Result<std::vector<TaskRow>> open_action_plans() = 0;
    virtual Result<std::vector<GroupCount>> task_gauge() = 0;   // by workflow and state
    virtual Result<std::vector<GroupCount>> notice_gauge() = 0; // by channel and state

    // The quarterly report: dates YYYY-MM-DD, instants unix seconds, [from, to).
    virtual Result<std::vector<ControlCount>> controls_due(std::string_view first,
                                                           std::string_view last) = 0;
    virtual Result<std::vector<TaskRow>> finished_between(std::int64_t from, std::int64_t to) = 0;
    // Every task not cancelled due from `first` to `last` (inclusive), in no set order.
    virtual Result<std::vector<DueLine>> due_between(std::string_view first,
                                                     std::string_view last) = 0;
    virtual Result<std::vector<TaskEventLine>> escalations_between(std::int64_t from,
                                                                   std::int64_t to) = 0;
    virtual Result<std::vector<NoticeLine>> failed_notices_between(std::int64_t from,
                                                                   std::int64_t to) = 0;
    virtual Result<std::optional<std::string>> snapshot(std::string_view quarter,
                                                        std::string_view meeting) = 0;
    // Stores a snapshot unless one is kept already; true when this one was stored.
    virtual Result<bool> add_snapshot(const SnapshotInfo& info, std::string_view body) = 0;
    virtual Result<std::vector<SnapshotInfo>> snapshots() = 0;

    // The simulation: events after `after_id` other than created and
    // reminded, and notices after `after_id`, in id order.
    virtual Result<std::vector<TaskEventLine>> state_events_after(std::int64_t after_id) = 0;
    virtual Result<std::vector<NoticeLine>> notices_after(std::int64_t after_id) = 0;

    // What the status cache keys on: this connection's own writes, and a
    // version that moves when any other connection commits.
    virtual std::int64_t own_changes() = 0;
    virtual Result<std::int64_t> others_version() = 0;
};

} // namespace aarshjul

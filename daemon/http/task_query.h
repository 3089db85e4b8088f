#pragma once
// Read-only task and event queries for the API and the pages: filtered,
// paginated lists, one task's history, a reported event and the tasks it
// started. Values are always bound, never spliced into SQL. Thread rules: use
// the Database of the calling thread.

#include "store/database.h"
#include "util/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aarshjul::http {

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

struct TaskRecord {
    std::int64_t id = 0;
    std::string key;
    std::string workflow;
    std::string system;
    std::string title;
    std::string title_en;
    std::string assignee;
    std::string start_date;
    std::string due_date;
    std::optional<std::int64_t> due_at;
    std::string state;
    std::string origin;
    int reminders_sent = 0;
    int escalations_sent = 0;
    std::optional<std::string> completed_by;
    std::optional<std::int64_t> completed_at;
    std::optional<std::string> note;
    std::optional<std::string> evidence;
};

struct TaskEventRecord {
    std::int64_t at = 0;
    std::string kind;
    std::string actor;
    std::string detail;
};

struct TaskPage {
    std::int64_t total = 0;
    std::vector<TaskRecord> tasks;
};

Result<TaskPage> list_tasks(Database& db, const TaskFilter& filter);

// A person's tasks: assigned to them, or of one of `systems` (those they own or
// are responsible for). Open ones (open, due, overdue, escalated) overdue
// first, then by due date; finished ones (done, waived) most recent first.
enum class TaskSet { Open, Finished };
Result<std::vector<TaskRecord>> tasks_of_person(Database& db, const std::string& person,
                                                const std::vector<std::string>& systems,
                                                TaskSet set, int limit);
Result<std::optional<TaskRecord>> get_task(Database& db, std::int64_t id);
Result<std::vector<TaskEventRecord>> task_history(Database& db, std::int64_t id);

// A reported event (an incident, a breach) as stored.
struct StoredEvent {
    std::int64_t id = 0;
    std::string type;
    std::string title;
    std::int64_t occurred_at = 0; // when the organisation became aware (unix seconds)
    std::string reported_by;
    std::string detail;
    std::int64_t created_at = 0;
};

Result<std::optional<StoredEvent>> get_event(Database& db, std::int64_t id);
// The tasks event `id` started (its occurrences, their approval steps and the
// follow-ups of their hooks), in the order they were created.
Result<std::vector<TaskRecord>> tasks_of_event(Database& db, std::int64_t id);

} // namespace aarshjul::http

// SPDX-License-Identifier: MPL-2.0
#pragma once
// HookQueue: the workflow hooks (on_complete, on_overdue, on_event) waiting
// to run, one row per hook decided. The engine enqueues in the unit of work
// that decides a hook, so a hook is never lost nor run for a change that was
// rolled back; an executor claims pending rows (pending -> running, an
// attempt counted), runs them in the Lua worker outside any transaction and
// marks each done or failed in a short unit of work of its own. After a
// crash, `recover` puts rows left running back to pending, or gives up on
// them after a number of attempts. Thread rules: those of the Store it
// belongs to.

#include "util/result.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aarshjul {

enum class HookRunState { Pending, Running, Done, Failed };

std::string_view to_string(HookRunState state);

// A hook decided by the engine.
struct HookRunRequest {
    std::int64_t task_id = 0;             // the task the hook is about (on_event: the task created)
    std::optional<std::int64_t> event_id; // on_event: the reported event
    std::string workflow_id;
    std::string hook;                        // on_complete | on_overdue | on_event
    std::map<std::string, std::string> args; // stored as a JSON object of strings
    std::string parent_key;                  // the occurrence key follow-ups are filed under
    std::int64_t created_at = 0;             // unix seconds
};

// A stored row.
struct HookRun {
    std::int64_t id = 0;
    std::int64_t task_id = 0;
    std::optional<std::int64_t> event_id;
    std::string workflow_id;
    std::string hook;
    std::map<std::string, std::string> args;
    std::string parent_key;
    HookRunState state = HookRunState::Pending;
    int attempts = 0; // claims so far, this one included once claimed
    std::string error;
    std::int64_t created_at = 0;
    std::optional<std::int64_t> finished_at;
};

// What `recover` did with rows a crash left running.
struct HookRecovery {
    std::vector<std::int64_t> requeued; // back to pending
    std::vector<HookRun> given_up;      // marked failed: `max_attempts` reached
};

class HookQueue {
public:
    virtual ~HookQueue() = default;

    virtual Result<std::int64_t> enqueue(const HookRunRequest& request) = 0;
    // Up to `limit` pending rows, oldest first, now running with one more attempt.
    virtual Result<std::vector<HookRun>> claim(int limit) = 0;
    virtual Result<void> mark_done(std::int64_t id, std::int64_t at) = 0;
    virtual Result<void> mark_failed(std::int64_t id, std::string_view error, std::int64_t at) = 0;
    // Rows left running (the process stopped while they ran): pending again
    // while attempts < max_attempts, otherwise failed with a message saying so.
    virtual Result<HookRecovery> recover(int max_attempts, std::int64_t at) = 0;
    virtual Result<int> count(HookRunState state) = 0;
    virtual Result<std::optional<HookRun>> find(std::int64_t id) = 0;
};

} // namespace aarshjul

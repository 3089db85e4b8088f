// SPDX-License-Identifier: MPL-2.0
#pragma once
// Status: where the cycle stands, read from the database. The `status`
// command prints it; the HTTP API serves the same report.

#include "clock/clock.h"
#include "store/read_queries.h"
#include "time/zone.h"
#include "util/result.h"

#include <map>
#include <string>
#include <vector>

namespace aarshjul {

struct WorkflowStatus {
    std::string workflow_id;
    std::map<std::string, int> by_state; // state name -> count
    // The committee's view of the workflow (cancelled tasks are left out):
    int on_track = 0;        // open or scheduled, due after the due-soon window
    int due_soon = 0;        // not done, due from today to today + due_soon_days
    int overdue = 0;         // overdue or escalated
    int done_this_cycle = 0; // done since 1 January of the current local year
    int waived_this_cycle = 0;
    std::map<std::string, int> outcomes_this_cycle; // outcome id -> tasks done with it
};

struct DeadlineLine {
    std::int64_t task_id = 0;
    std::string workflow_id;
    std::string title;
    std::string assignee;
    std::string due_date;
    std::string state;
};

struct ChannelStatus {
    std::string channel;
    int pending = 0;
    int sent = 0;
    int failed = 0;
    std::string last_error;
};

struct StatusReport {
    std::string today;       // local date the report was read on
    std::string cycle_start; // 1 January of today's year: "this cycle"
    int due_soon_days = 14;
    WorkflowStatus total; // every workflow together (workflow_id "")
    std::vector<WorkflowStatus> workflows;
    std::vector<DeadlineLine> overdue;  // oldest due date first
    std::vector<DeadlineLine> upcoming; // the next open deadlines
    std::vector<ChannelStatus> channels;
    int open_action_plans = 0; // action plans for deviations, not finished
};

struct StatusOptions {
    int upcoming_limit = 10;
    int due_soon_days = 14;
};

// Reads the status as of `now`, with dates in `zone`. The CLI's `status`, the
// API's /api/v1/status, /metrics and the status page all read through here.
Result<StatusReport> read_status(ReadQueries& queries, const Zone& zone, Instant now,
                                 const StatusOptions& options = {});
std::string render_status_text(const StatusReport& report);

} // namespace aarshjul

#pragma once
// Status: where the cycle stands, read from the database. The `status`
// command prints it; the HTTP API serves the same report.

#include "store/database.h"
#include "time/zone.h"
#include "util/result.h"

#include <map>
#include <string>
#include <vector>

namespace aarshjul {

struct WorkflowStatus {
    std::string workflow_id;
    std::map<std::string, int> by_state; // state name -> count
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
    std::vector<WorkflowStatus> workflows;
    std::vector<DeadlineLine> overdue;  // oldest due date first
    std::vector<DeadlineLine> upcoming; // the next open deadlines
    std::vector<ChannelStatus> channels;
};

Result<StatusReport> read_status(Database& db, int upcoming_limit = 10);
std::string render_status_text(const StatusReport& report);

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#include "app/status.h"

#include <fmt/format.h>

namespace aarshjul {

namespace {

std::vector<DeadlineLine> lines_of(const std::vector<TaskRow>& tasks) {
    std::vector<DeadlineLine> out;
    for (const auto& t : tasks)
        out.push_back({t.id, t.workflow_id, t.title, t.assignee, t.due_date,
                       std::string(to_string(t.state))});
    return out;
}

} // namespace

Result<StatusReport> read_status(ReadQueries& queries, const Zone& zone, Instant now,
                                 const StatusOptions& options) {
    StatusReport report;
    const LocalDate today = zone.local_date(now);
    const date::year_month_day ymd{today};
    const LocalDate cycle_start = LocalDate{ymd.year() / 1 / 1};
    const std::string soon_end = format_local_date(today + date::days{options.due_soon_days});
    report.today = format_local_date(today);
    report.cycle_start = format_local_date(cycle_start);
    report.due_soon_days = options.due_soon_days;
    AARSHJUL_TRY_ASSIGN(auto counts,
                        queries.state_counts(to_unix(zone.start_of_day(cycle_start)), soon_end));
    for (const auto& c : counts) {
        if (report.workflows.empty() || report.workflows.back().workflow_id != c.workflow_id) {
            WorkflowStatus next;
            next.workflow_id = c.workflow_id;
            report.workflows.push_back(std::move(next));
        }
        const int count = static_cast<int>(c.count);
        for (WorkflowStatus* wf : {&report.workflows.back(), &report.total}) {
            wf->by_state[c.state] += count;
            wf->on_track += static_cast<int>(c.on_track);
            wf->due_soon += static_cast<int>(c.due_soon);
            if (c.state == "overdue" || c.state == "escalated")
                wf->overdue += count;
            wf->done_this_cycle += static_cast<int>(c.done_in_cycle);
            wf->waived_this_cycle += static_cast<int>(c.waived_in_cycle);
        }
    }
    AARSHJUL_TRY_ASSIGN(auto outcomes,
                        queries.outcome_counts(to_unix(zone.start_of_day(cycle_start))));
    for (const auto& o : outcomes) {
        report.total.outcomes_this_cycle[o.outcome] += static_cast<int>(o.count);
        for (auto& wf : report.workflows)
            if (wf.workflow_id == o.workflow_id)
                wf.outcomes_this_cycle[o.outcome] += static_cast<int>(o.count);
    }
    AARSHJUL_TRY_ASSIGN(auto plans, queries.open_action_plans());
    report.open_action_plans = static_cast<int>(plans.size());
    AARSHJUL_TRY_ASSIGN(auto overdue, queries.deadlines(Deadlines::Overdue, 1000));
    report.overdue = lines_of(overdue);
    AARSHJUL_TRY_ASSIGN(auto upcoming,
                        queries.deadlines(Deadlines::Upcoming, options.upcoming_limit));
    report.upcoming = lines_of(upcoming);
    AARSHJUL_TRY_ASSIGN(auto channels, queries.channel_counts());
    for (const auto& c : channels)
        report.channels.push_back({c.channel, static_cast<int>(c.pending), static_cast<int>(c.sent),
                                   static_cast<int>(c.failed), c.last_error});
    return report;
}

std::string render_status_text(const StatusReport& r) {
    std::string out;
    out += fmt::format("{:<14} {:>9} {:>5} {:>4} {:>8} {:>9} {:>5} {:>7}\n", "workflow",
                       "scheduled", "open", "due", "overdue", "escalated", "done", "waived");
    for (const auto& wf : r.workflows) {
        auto n = [&](const char* s) {
            auto it = wf.by_state.find(s);
            return it == wf.by_state.end() ? 0 : it->second;
        };
        out += fmt::format("{:<14} {:>9} {:>5} {:>4} {:>8} {:>9} {:>5} {:>7}\n", wf.workflow_id,
                           n("scheduled"), n("open"), n("due"), n("overdue"), n("escalated"),
                           n("done"), n("waived"));
    }
    out +=
        fmt::format("\nAs of {}: {} on track, {} due within {} days, {} overdue, {} done and {} "
                    "waived since {}\n",
                    r.today, r.total.on_track, r.total.due_soon, r.due_soon_days, r.total.overdue,
                    r.total.done_this_cycle, r.total.waived_this_cycle, r.cycle_start);
    if (!r.total.outcomes_this_cycle.empty()) {
        out += "Outcomes since " + r.cycle_start + ":";
        for (const auto& [outcome, n] : r.total.outcomes_this_cycle)
            out += fmt::format(" {} {}", outcome, n);
        out += fmt::format("; {} action plan(s) open\n", r.open_action_plans);
    }
    out += fmt::format("\nOverdue ({}):\n", r.overdue.size());
    for (const auto& l : r.overdue)
        out += fmt::format("  #{:<6} {}  {:<12} {}  ({})\n", l.task_id, l.due_date, l.assignee,
                           l.title, l.workflow_id);
    out += "\nNext deadlines:\n";
    for (const auto& l : r.upcoming)
        out += fmt::format("  #{:<6} {}  {:<12} {}  ({})\n", l.task_id, l.due_date, l.assignee,
                           l.title, l.workflow_id);
    out += "\nOutbox:\n";
    if (r.channels.empty())
        out += "  (empty)\n";
    for (const auto& c : r.channels)
        out +=
            fmt::format("  {:<8} pending {}  sent {}  failed {}{}\n", c.channel, c.pending, c.sent,
                        c.failed, c.last_error.empty() ? "" : "  last error: " + c.last_error);
    return out;
}

} // namespace aarshjul

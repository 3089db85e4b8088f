#include "app/status.h"

#include <fmt/format.h>

namespace aarshjul {

namespace {

Result<std::vector<DeadlineLine>> read_lines(Database& db, std::string_view where, int limit) {
    AARSHJUL_TRY_ASSIGN(auto st,
                        db.prepare("SELECT id, workflow_id, title, assignee, due_date, "
                                   "state FROM tasks WHERE " +
                                   std::string(where) + " ORDER BY due_date, id LIMIT ?1"));
    st.bind_all(limit);
    std::vector<DeadlineLine> out;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            break;
        out.push_back({st.column_int64(0), st.column_text(1), st.column_text(2), st.column_text(3),
                       st.column_text(4), st.column_text(5)});
    }
    return out;
}

} // namespace

Result<StatusReport> read_status(Database& db, const Zone& zone, Instant now,
                                 const StatusOptions& options) {
    StatusReport report;
    const LocalDate today = zone.local_date(now);
    const date::year_month_day ymd{today};
    const LocalDate cycle_start = LocalDate{ymd.year() / 1 / 1};
    const std::string soon_end = format_local_date(today + date::days{options.due_soon_days});
    report.today = format_local_date(today);
    report.cycle_start = format_local_date(cycle_start);
    report.due_soon_days = options.due_soon_days;
    {
        AARSHJUL_TRY_ASSIGN(
            auto st,
            db.prepare("SELECT workflow_id, state, COUNT(*), "
                       "SUM(state IN ('scheduled','open','due') AND due_date > ?2), "
                       "SUM(state IN ('scheduled','open','due') AND due_date <= ?2), "
                       "SUM(state = 'done' AND completed_at >= ?1), "
                       "SUM(state = 'waived' AND completed_at >= ?1) "
                       "FROM tasks GROUP BY workflow_id, state ORDER BY workflow_id, state"));
        st.bind_all(to_unix(zone.start_of_day(cycle_start)), soon_end);
        for (;;) {
            AARSHJUL_TRY_ASSIGN(bool row, st.step());
            if (!row)
                break;
            auto id = st.column_text(0);
            if (report.workflows.empty() || report.workflows.back().workflow_id != id)
                report.workflows.push_back({id, {}});
            const std::string state = st.column_text(1);
            const int count = static_cast<int>(st.column_int64(2));
            for (WorkflowStatus* wf : {&report.workflows.back(), &report.total}) {
                wf->by_state[state] += count;
                wf->on_track += static_cast<int>(st.column_int64(3));
                wf->due_soon += static_cast<int>(st.column_int64(4));
                if (state == "overdue" || state == "escalated")
                    wf->overdue += count;
                wf->done_this_cycle += static_cast<int>(st.column_int64(5));
                wf->waived_this_cycle += static_cast<int>(st.column_int64(6));
            }
        }
    }
    AARSHJUL_TRY_ASSIGN(report.overdue, read_lines(db, "state IN ('overdue','escalated')", 1000));
    AARSHJUL_TRY_ASSIGN(report.upcoming, read_lines(db, "state IN ('scheduled','open','due')",
                                                    options.upcoming_limit));
    {
        AARSHJUL_TRY_ASSIGN(
            auto st,
            db.prepare("SELECT channel, SUM(state = 'pending'), SUM(state = 'sent'), "
                       "SUM(state = 'failed'), (SELECT last_error FROM outbox o2 WHERE "
                       "o2.channel = outbox.channel AND last_error IS NOT NULL ORDER BY id DESC "
                       "LIMIT 1) FROM outbox GROUP BY channel ORDER BY channel"));
        for (;;) {
            AARSHJUL_TRY_ASSIGN(bool row, st.step());
            if (!row)
                break;
            report.channels.push_back({st.column_text(0), static_cast<int>(st.column_int64(1)),
                                       static_cast<int>(st.column_int64(2)),
                                       static_cast<int>(st.column_int64(3)),
                                       st.column_optional_text(4).value_or("")});
        }
    }
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

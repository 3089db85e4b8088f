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

Result<StatusReport> read_status(Database& db, int upcoming_limit) {
    StatusReport report;
    {
        AARSHJUL_TRY_ASSIGN(auto st, db.prepare("SELECT workflow_id, state, COUNT(*) FROM tasks "
                                                "GROUP BY workflow_id, state ORDER BY "
                                                "workflow_id, state"));
        for (;;) {
            AARSHJUL_TRY_ASSIGN(bool row, st.step());
            if (!row)
                break;
            auto id = st.column_text(0);
            if (report.workflows.empty() || report.workflows.back().workflow_id != id)
                report.workflows.push_back({id, {}});
            report.workflows.back().by_state[st.column_text(1)] =
                static_cast<int>(st.column_int64(2));
        }
    }
    AARSHJUL_TRY_ASSIGN(report.overdue, read_lines(db, "state IN ('overdue','escalated')", 1000));
    AARSHJUL_TRY_ASSIGN(report.upcoming,
                        read_lines(db, "state IN ('scheduled','open','due')", upcoming_limit));
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

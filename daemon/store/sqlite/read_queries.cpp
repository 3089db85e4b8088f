// SPDX-License-Identifier: MPL-2.0
#include "store/sqlite/read_queries.h"

#include "store/sqlite/database.h"
#include "store/sqlite/task_repository.h"

#include <sqlite3.h>

namespace aarshjul {

namespace {

std::string select_tasks(std::string_view rest) {
    return std::string("SELECT ") + sqlite::kTaskColumns + " FROM tasks" + std::string(rest);
}

Result<std::vector<TaskRow>> read_tasks(Statement& st) {
    std::vector<TaskRow> out;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            break;
        out.push_back(sqlite::read_task_row(st));
    }
    return out;
}

// The WHERE clause of a filter and the values it binds, in order.
struct Where {
    std::string sql;
    std::vector<std::string> values;

    void add(std::string_view condition, const std::string& value) {
        sql += sql.empty() ? " WHERE " : " AND ";
        sql += condition;
        sql += " ?" + std::to_string(values.size() + 1);
        values.push_back(value);
    }
};

Where where_of(const TaskFilter& f) {
    Where w;
    if (!f.states.empty()) {
        std::string in;
        for (const auto& s : f.states) {
            in += in.empty() ? "" : ", ";
            in += "?" + std::to_string(w.values.size() + 1);
            w.values.push_back(s);
        }
        w.sql += " WHERE state IN (" + in + ")";
    }
    if (!f.workflow.empty())
        w.add("workflow_id =", f.workflow);
    if (!f.assignee.empty())
        w.add("assignee =", f.assignee);
    if (!f.system.empty())
        w.add("entity_id =", f.system);
    if (!f.due_from.empty())
        w.add("due_date >=", f.due_from);
    if (!f.due_to.empty())
        w.add("due_date <=", f.due_to);
    return w;
}

// Reads rows of (id, task_id, at, kind, actor, detail, key, workflow, title, assignee).
Result<std::vector<TaskEventLine>> read_event_lines(Statement& st) {
    std::vector<TaskEventLine> out;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            break;
        out.push_back(
            {st.column_int64(0), st.column_int64(1), st.column_int64(2), st.column_text(3),
             st.column_text(4), st.column_text(5), st.column_optional_text(6).value_or(""),
             st.column_optional_text(7).value_or(""), st.column_optional_text(8).value_or(""),
             st.column_optional_text(9).value_or("")});
    }
    return out;
}

// Reads rows of (id, created_at, kind, channel, recipient, subject, attempts,
// last_error, task key, workflow).
Result<std::vector<NoticeLine>> read_notice_lines(Statement& st) {
    std::vector<NoticeLine> out;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            break;
        out.push_back({st.column_int64(0), st.column_int64(1), st.column_text(2), st.column_text(3),
                       st.column_text(4), st.column_text(5), st.column_int64(6),
                       st.column_optional_text(7).value_or(""),
                       st.column_optional_text(8).value_or(""),
                       st.column_optional_text(9).value_or("")});
    }
    return out;
}

Result<std::vector<GroupCount>> read_groups(Statement& st) {
    std::vector<GroupCount> out;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            break;
        out.push_back({st.column_text(0), st.column_text(1), st.column_int64(2)});
    }
    return out;
}

} // namespace

Result<TaskPage> SqliteReadQueries::list_tasks(const TaskFilter& filter) {
    const Where where = where_of(filter);
    TaskPage page;
    {
        AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("SELECT COUNT(*) FROM tasks" + where.sql));
        for (std::size_t i = 0; i < where.values.size(); ++i)
            st.bind(static_cast<int>(i + 1), std::string_view(where.values[i]));
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        page.total = row ? st.column_int64(0) : 0;
    }
    const int n = static_cast<int>(where.values.size());
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare(select_tasks(where.sql +
                                                           " ORDER BY due_date, id "
                                                           "LIMIT ?" +
                                                           std::to_string(n + 1) + " OFFSET ?" +
                                                           std::to_string(n + 2))));
    for (int i = 0; i < n; ++i)
        st.bind(i + 1, std::string_view(where.values[static_cast<std::size_t>(i)]));
    st.bind(n + 1, filter.limit).bind(n + 2, filter.offset);
    AARSHJUL_TRY_ASSIGN(page.tasks, read_tasks(st));
    return page;
}

Result<std::vector<TaskRow>> SqliteReadQueries::tasks_of_person(
    const std::string& person, const std::vector<std::string>& systems, TaskSet set, int limit) {
    std::string in;
    for (std::size_t i = 0; i < systems.size(); ++i)
        in += (i ? ", ?" : "?") + std::to_string(i + 3);
    const std::string whose = " WHERE (assignee = ?1 OR completed_by = ?1" +
                              (in.empty() ? "" : " OR entity_id IN (" + in + ")") + ")";
    const std::string sql =
        set == TaskSet::Open
            ? select_tasks(whose + " AND state IN ('open', 'due', 'overdue', 'escalated') ORDER "
                                   "BY state IN ('overdue', 'escalated') DESC, due_date, due_at, "
                                   "id LIMIT ?2")
            : select_tasks(whose + " AND state IN ('done', 'waived') ORDER BY completed_at DESC, "
                                   "id DESC LIMIT ?2");
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare(sql));
    st.bind(1, std::string_view(person)).bind(2, limit);
    for (std::size_t i = 0; i < systems.size(); ++i)
        st.bind(static_cast<int>(i + 3), std::string_view(systems[i]));
    return read_tasks(st);
}

Result<std::vector<TaskRow>> SqliteReadQueries::tasks_of_event(std::int64_t event_id) {
    // An event's occurrence is "WORKFLOW|entity|event-<id>", then "#step" for
    // an approval step or "/follow-up" for a hook's task: event 1 must not
    // match the keys of event 12.
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare(select_tasks(" WHERE occurrence_key LIKE ?1 OR "
                                                           "occurrence_key LIKE ?2 OR "
                                                           "occurrence_key LIKE ?3 ORDER BY id")));
    const std::string occurrence = "%|event-" + std::to_string(event_id);
    st.bind_all(occurrence, occurrence + "#%", occurrence + "/%");
    return read_tasks(st);
}

Result<std::vector<TaskRow>> SqliteReadQueries::calendar_tasks(std::string_view from,
                                                               std::string_view assignee,
                                                               std::string_view workflow) {
    std::string where = " WHERE state != 'cancelled' AND due_date >= ?1";
    if (!assignee.empty())
        where += " AND assignee = ?2";
    if (!workflow.empty())
        where += " AND workflow_id = ?3";
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare(select_tasks(where + " ORDER BY due_date, id")));
    st.bind(1, from);
    if (!assignee.empty())
        st.bind(2, assignee);
    if (!workflow.empty())
        st.bind(3, workflow);
    return read_tasks(st);
}

Result<std::vector<TaskRow>> SqliteReadQueries::deadlines(Deadlines which, int limit) {
    AARSHJUL_TRY_ASSIGN(auto st,
                        m_db.prepare(select_tasks(which == Deadlines::Overdue
                                                      ? " WHERE state IN ('overdue','escalated') "
                                                        "ORDER BY due_date, id LIMIT ?1"
                                                      : " WHERE state IN "
                                                        "('scheduled','open','due') ORDER BY "
                                                        "due_date, id LIMIT ?1")));
    st.bind_all(limit); // negative: no limit
    return read_tasks(st);
}

Result<std::vector<TaskEventLine>> SqliteReadQueries::task_history(std::int64_t task_id) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("SELECT id, task_id, at, kind, actor, detail, NULL, "
                                              "NULL, NULL, NULL FROM task_events WHERE task_id = "
                                              "?1 ORDER BY id"));
    st.bind(1, task_id);
    return read_event_lines(st);
}

Result<std::vector<StateCount>> SqliteReadQueries::state_counts(std::int64_t cycle_start,
                                                                std::string_view due_soon_until) {
    AARSHJUL_TRY_ASSIGN(
        auto st,
        m_db.prepare("SELECT workflow_id, state, COUNT(*), "
                     "SUM(state IN ('scheduled','open','due') AND due_date > ?2), "
                     "SUM(state IN ('scheduled','open','due') AND due_date <= ?2), "
                     "SUM(state = 'done' AND completed_at >= ?1), "
                     "SUM(state = 'waived' AND completed_at >= ?1) "
                     "FROM tasks GROUP BY workflow_id, state ORDER BY workflow_id, state"));
    st.bind_all(cycle_start, due_soon_until);
    std::vector<StateCount> out;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            break;
        out.push_back({st.column_text(0), st.column_text(1), st.column_int64(2), st.column_int64(3),
                       st.column_int64(4), st.column_int64(5), st.column_int64(6)});
    }
    return out;
}

Result<std::vector<OutcomeCount>> SqliteReadQueries::outcome_counts(std::int64_t since) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("SELECT workflow_id, outcome, COUNT(*) FROM tasks "
                                              "WHERE state = 'done' AND outcome IS NOT NULL AND "
                                              "completed_at >= ?1 GROUP BY workflow_id, outcome "
                                              "ORDER BY workflow_id, outcome"));
    st.bind(1, since);
    std::vector<OutcomeCount> out;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            break;
        out.push_back({st.column_text(0), st.column_text(1), st.column_int64(2)});
    }
    return out;
}

Result<std::vector<TaskRow>> SqliteReadQueries::open_action_plans() {
    AARSHJUL_TRY_ASSIGN(auto st,
                        m_db.prepare(select_tasks(" WHERE origin = 'action_plan' AND state NOT IN "
                                                  "('done','waived','cancelled') ORDER BY "
                                                  "due_date, id")));
    return read_tasks(st);
}

Result<std::vector<ChannelCount>> SqliteReadQueries::channel_counts() {
    AARSHJUL_TRY_ASSIGN(
        auto st,
        m_db.prepare("SELECT channel, SUM(state = 'pending'), SUM(state = 'sent'), "
                     "SUM(state = 'failed'), (SELECT last_error FROM outbox o2 WHERE "
                     "o2.channel = outbox.channel AND last_error IS NOT NULL ORDER BY id DESC "
                     "LIMIT 1) FROM outbox GROUP BY channel ORDER BY channel"));
    std::vector<ChannelCount> out;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            break;
        out.push_back({st.column_text(0), st.column_int64(1), st.column_int64(2),
                       st.column_int64(3), st.column_optional_text(4).value_or("")});
    }
    return out;
}

Result<std::vector<GroupCount>> SqliteReadQueries::task_gauge() {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("SELECT workflow_id, state, COUNT(*) FROM tasks "
                                              "GROUP BY workflow_id, state ORDER BY workflow_id, "
                                              "state"));
    return read_groups(st);
}

Result<std::vector<GroupCount>> SqliteReadQueries::notice_gauge() {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("SELECT channel, state, COUNT(*) FROM outbox GROUP "
                                              "BY channel, state ORDER BY channel, state"));
    return read_groups(st);
}

Result<std::vector<ControlCount>> SqliteReadQueries::controls_due(std::string_view first,
                                                                  std::string_view last) {
    AARSHJUL_TRY_ASSIGN(
        auto st, m_db.prepare("SELECT workflow_id, COUNT(*), SUM(state = 'done'), "
                              "SUM(state = 'waived'), SUM(state IN ('overdue','escalated')), "
                              "SUM(state IN ('scheduled','open','due')) FROM tasks "
                              "WHERE state != 'cancelled' AND due_date BETWEEN ?1 AND ?2 "
                              "GROUP BY workflow_id ORDER BY workflow_id"));
    st.bind_all(first, last);
    std::vector<ControlCount> out;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            break;
        out.push_back({st.column_text(0), st.column_int64(1), st.column_int64(2),
                       st.column_int64(3), st.column_int64(4), st.column_int64(5)});
    }
    return out;
}

Result<std::vector<TaskRow>> SqliteReadQueries::finished_between(std::int64_t from,
                                                                 std::int64_t to) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare(select_tasks(" WHERE state IN ('done','waived') "
                                                           "AND completed_at >= ?1 AND "
                                                           "completed_at < ?2 ORDER BY "
                                                           "completed_at, id")));
    st.bind_all(from, to);
    return read_tasks(st);
}

Result<std::vector<DueLine>> SqliteReadQueries::due_between(std::string_view first,
                                                            std::string_view last) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("SELECT workflow_id, state, due_date, due_at, "
                                              "completed_at FROM tasks WHERE state != "
                                              "'cancelled' AND due_date BETWEEN ?1 AND ?2"));
    st.bind_all(first, last);
    std::vector<DueLine> out;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            break;
        out.push_back({st.column_text(0), st.column_text(1), st.column_text(2),
                       st.column_optional_int64(3), st.column_optional_int64(4)});
    }
    return out;
}

Result<std::vector<TaskEventLine>> SqliteReadQueries::escalations_between(std::int64_t from,
                                                                          std::int64_t to) {
    AARSHJUL_TRY_ASSIGN(
        auto st, m_db.prepare("SELECT e.id, e.task_id, e.at, e.kind, e.actor, e.detail, "
                              "t.occurrence_key, t.workflow_id, t.title, t.assignee FROM "
                              "task_events e JOIN tasks t ON t.id = e.task_id WHERE e.kind = "
                              "'escalated' AND e.at >= ?1 AND e.at < ?2 ORDER BY e.at, e.id"));
    st.bind_all(from, to);
    return read_event_lines(st);
}

Result<std::vector<NoticeLine>> SqliteReadQueries::failed_notices_between(std::int64_t from,
                                                                          std::int64_t to) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("SELECT id, created_at, kind, channel, recipient, "
                                              "subject, attempts, last_error, NULL, NULL FROM "
                                              "outbox WHERE state = 'failed' AND created_at >= "
                                              "?1 AND created_at < ?2 ORDER BY created_at, id"));
    st.bind_all(from, to);
    return read_notice_lines(st);
}

Result<std::optional<std::string>> SqliteReadQueries::snapshot(std::string_view quarter,
                                                               std::string_view meeting) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("SELECT body FROM report_snapshots WHERE quarter = "
                                              "?1 AND meeting = ?2"));
    st.bind_all(quarter, meeting);
    AARSHJUL_TRY_ASSIGN(bool row, st.step());
    if (!row)
        return std::optional<std::string>{};
    return std::optional<std::string>{st.column_text(0)};
}

Result<bool> SqliteReadQueries::add_snapshot(const SnapshotInfo& info, std::string_view body) {
    AARSHJUL_TRY_ASSIGN(auto st,
                        m_db.prepare("INSERT INTO report_snapshots (quarter, meeting, created_at, "
                                     "created_by, body) VALUES (?1, ?2, ?3, ?4, ?5) "
                                     "ON CONFLICT (quarter, meeting) DO NOTHING"));
    st.bind_all(info.quarter, info.meeting, info.created_at, info.created_by, body);
    AARSHJUL_TRY(st.run());
    return m_db.changes() > 0;
}

Result<std::vector<SnapshotInfo>> SqliteReadQueries::snapshots() {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("SELECT quarter, meeting, created_at, created_by "
                                              "FROM report_snapshots ORDER BY quarter, meeting"));
    std::vector<SnapshotInfo> out;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            break;
        out.push_back(
            {st.column_text(0), st.column_text(1), st.column_int64(2), st.column_text(3)});
    }
    return out;
}

Result<std::vector<TaskEventLine>> SqliteReadQueries::state_events_after(std::int64_t after_id) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("SELECT e.id, e.task_id, e.at, e.kind, e.actor, "
                                              "e.detail, t.occurrence_key, t.workflow_id, "
                                              "t.title, t.assignee FROM task_events e JOIN tasks "
                                              "t ON t.id = e.task_id WHERE e.id > ?1 AND e.kind "
                                              "NOT IN ('created', 'reminded') ORDER BY e.id"));
    st.bind_all(after_id);
    return read_event_lines(st);
}

Result<std::vector<NoticeLine>> SqliteReadQueries::notices_after(std::int64_t after_id) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("SELECT o.id, o.created_at, o.kind, o.channel, "
                                              "o.recipient, o.subject, o.attempts, o.last_error, "
                                              "t.occurrence_key, t.workflow_id FROM outbox o "
                                              "LEFT JOIN tasks t ON t.id = o.task_id WHERE o.id > "
                                              "?1 ORDER BY o.id"));
    st.bind_all(after_id);
    return read_notice_lines(st);
}

std::int64_t SqliteReadQueries::own_changes() {
    return sqlite3_total_changes64(m_db.handle());
}

Result<std::int64_t> SqliteReadQueries::others_version() {
    AARSHJUL_TRY_ASSIGN(auto version, m_db.cached("PRAGMA data_version"));
    AARSHJUL_TRY_ASSIGN(bool row, version->step());
    if (!row)
        return make_error("PRAGMA data_version returned no row");
    return version->column_int64(0);
}

} // namespace aarshjul

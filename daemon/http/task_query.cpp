#include "http/task_query.h"

namespace aarshjul::http {

namespace {

constexpr std::string_view kColumns =
    "id, occurrence_key, workflow_id, entity_id, title, COALESCE(title_en, title), assignee, "
    "start_date, due_date, due_at, state, origin, reminders_sent, escalations_sent, "
    "completed_by, completed_at, note, evidence";

TaskRecord read_record(const Statement& st) {
    TaskRecord t;
    t.id = st.column_int64(0);
    t.key = st.column_text(1);
    t.workflow = st.column_text(2);
    t.system = st.column_text(3);
    t.title = st.column_text(4);
    t.title_en = st.column_text(5);
    t.assignee = st.column_text(6);
    t.start_date = st.column_text(7);
    t.due_date = st.column_text(8);
    t.due_at = st.column_optional_int64(9);
    t.state = st.column_text(10);
    t.origin = st.column_text(11);
    t.reminders_sent = static_cast<int>(st.column_int64(12));
    t.escalations_sent = static_cast<int>(st.column_int64(13));
    t.completed_by = st.column_optional_text(14);
    t.completed_at = st.column_optional_int64(15);
    t.note = st.column_optional_text(16);
    t.evidence = st.column_optional_text(17);
    return t;
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

} // namespace

Result<TaskPage> list_tasks(Database& db, const TaskFilter& filter) {
    const Where where = where_of(filter);
    TaskPage page;
    {
        AARSHJUL_TRY_ASSIGN(auto st, db.prepare("SELECT COUNT(*) FROM tasks" + where.sql));
        for (std::size_t i = 0; i < where.values.size(); ++i)
            st.bind(static_cast<int>(i + 1), std::string_view(where.values[i]));
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        page.total = row ? st.column_int64(0) : 0;
    }
    const int n = static_cast<int>(where.values.size());
    AARSHJUL_TRY_ASSIGN(auto st,
                        db.prepare("SELECT " + std::string(kColumns) + " FROM tasks" + where.sql +
                                   " ORDER BY due_date, id LIMIT ?" + std::to_string(n + 1) +
                                   " OFFSET ?" + std::to_string(n + 2)));
    for (int i = 0; i < n; ++i)
        st.bind(i + 1, std::string_view(where.values[static_cast<std::size_t>(i)]));
    st.bind(n + 1, filter.limit).bind(n + 2, filter.offset);
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            break;
        page.tasks.push_back(read_record(st));
    }
    return page;
}

Result<std::vector<TaskRecord>> tasks_of_person(Database& db, const std::string& person,
                                                const std::vector<std::string>& systems,
                                                TaskSet set, int limit) {
    std::string in;
    for (std::size_t i = 0; i < systems.size(); ++i)
        in += (i ? ", ?" : "?") + std::to_string(i + 3);
    const std::string whose = "(assignee = ?1 OR completed_by = ?1" +
                              (in.empty() ? "" : " OR entity_id IN (" + in + ")") + ")";
    const std::string sql =
        set == TaskSet::Open
            ? "SELECT " + std::string(kColumns) + " FROM tasks WHERE " + whose +
                  " AND state IN ('open', 'due', 'overdue', 'escalated') ORDER BY "
                  "state IN ('overdue', 'escalated') DESC, due_date, due_at, id LIMIT ?2"
            : "SELECT " + std::string(kColumns) + " FROM tasks WHERE " + whose +
                  " AND state IN ('done', 'waived') ORDER BY completed_at DESC, id DESC LIMIT ?2";
    AARSHJUL_TRY_ASSIGN(auto st, db.prepare(sql));
    st.bind(1, std::string_view(person)).bind(2, limit);
    for (std::size_t i = 0; i < systems.size(); ++i)
        st.bind(static_cast<int>(i + 3), std::string_view(systems[i]));
    std::vector<TaskRecord> out;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            break;
        out.push_back(read_record(st));
    }
    return out;
}

Result<std::optional<TaskRecord>> get_task(Database& db, std::int64_t id) {
    AARSHJUL_TRY_ASSIGN(
        auto st, db.prepare("SELECT " + std::string(kColumns) + " FROM tasks WHERE id = ?1"));
    st.bind(1, id);
    AARSHJUL_TRY_ASSIGN(bool row, st.step());
    if (!row)
        return std::optional<TaskRecord>{};
    return std::optional<TaskRecord>{read_record(st)};
}

Result<std::vector<TaskEventRecord>> task_history(Database& db, std::int64_t id) {
    AARSHJUL_TRY_ASSIGN(auto st, db.prepare("SELECT at, kind, actor, detail FROM task_events "
                                            "WHERE task_id = ?1 ORDER BY id"));
    st.bind(1, id);
    std::vector<TaskEventRecord> out;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            break;
        out.push_back(
            {st.column_int64(0), st.column_text(1), st.column_text(2), st.column_text(3)});
    }
    return out;
}

Result<std::optional<StoredEvent>> get_event(Database& db, std::int64_t id) {
    AARSHJUL_TRY_ASSIGN(auto st, db.prepare("SELECT id, type, title, occurred_at, reported_by, "
                                            "detail, created_at FROM events WHERE id = ?1"));
    st.bind(1, id);
    AARSHJUL_TRY_ASSIGN(bool row, st.step());
    if (!row)
        return std::optional<StoredEvent>{};
    return std::optional<StoredEvent>{
        StoredEvent{st.column_int64(0), st.column_text(1), st.column_text(2), st.column_int64(3),
                    st.column_text(4), st.column_text(5), st.column_int64(6)}};
}

Result<std::vector<TaskRecord>> tasks_of_event(Database& db, std::int64_t id) {
    // An event's occurrence is "WORKFLOW|entity|event-<id>", then "#step" for
    // an approval step or "/follow-up" for a hook's task: event 1 must not
    // match the keys of event 12.
    AARSHJUL_TRY_ASSIGN(auto st, db.prepare("SELECT " + std::string(kColumns) +
                                            " FROM tasks WHERE occurrence_key LIKE ?1 OR "
                                            "occurrence_key LIKE ?2 OR occurrence_key LIKE ?3 "
                                            "ORDER BY id"));
    const std::string occurrence = "%|event-" + std::to_string(id);
    st.bind_all(occurrence, occurrence + "#%", occurrence + "/%");
    std::vector<TaskRecord> out;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            break;
        out.push_back(read_record(st));
    }
    return out;
}

} // namespace aarshjul::http

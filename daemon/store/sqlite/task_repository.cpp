// SPDX-License-Identifier: MPL-2.0
#include "store/sqlite/task_repository.h"

#include "store/sqlite/database.h"

namespace aarshjul {

namespace sqlite {

const char* const kTaskColumns =
    "id, occurrence_key, workflow_id, entity_id, title, COALESCE(title_en, title), assignee, "
    "start_date, due_date, start_at, due_at, state, origin, step_index, next_action_at, "
    "last_reminder_at, reminders_sent, escalations_sent, completed_by, completed_at, note, "
    "evidence, outcome, parent_task_id";

TaskRow read_task_row(const Statement& st, int first) {
    int c = first;
    TaskRow t;
    t.id = st.column_int64(c++);
    t.occurrence_key = st.column_text(c++);
    t.workflow_id = st.column_text(c++);
    t.entity_id = st.column_text(c++);
    t.title = st.column_text(c++);
    t.title_en = st.column_text(c++);
    t.assignee = st.column_text(c++);
    t.start_date = st.column_text(c++);
    t.due_date = st.column_text(c++);
    t.start_at = st.column_optional_int64(c++);
    t.due_at = st.column_optional_int64(c++);
    t.state = task_state_from_string(st.column_text(c++)).value_or(TaskState::Scheduled);
    t.origin = st.column_text(c++);
    if (auto step = st.column_optional_int64(c++))
        t.step_index = static_cast<int>(*step);
    t.next_action_at = st.column_optional_int64(c++);
    t.last_reminder_at = st.column_optional_int64(c++);
    t.reminders_sent = static_cast<int>(st.column_int64(c++));
    t.escalations_sent = static_cast<int>(st.column_int64(c++));
    t.completed_by = st.column_optional_text(c++);
    t.completed_at = st.column_optional_int64(c++);
    t.note = st.column_optional_text(c++);
    t.evidence = st.column_optional_text(c++);
    t.outcome = st.column_optional_text(c++);
    t.parent_task_id = st.column_optional_int64(c++);
    return t;
}

} // namespace sqlite

namespace {

constexpr std::string_view kUnfinished = "state NOT IN ('done','waived','cancelled')";

Result<std::vector<TaskRow>> read_rows(Statement& st) {
    std::vector<TaskRow> rows;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            break;
        rows.push_back(sqlite::read_task_row(st));
    }
    return rows;
}

Result<std::optional<TaskRow>> read_one(Statement& st) {
    AARSHJUL_TRY_ASSIGN(bool row, st.step());
    if (!row)
        return std::optional<TaskRow>{};
    return std::optional<TaskRow>{sqlite::read_task_row(st)};
}

} // namespace

Result<std::optional<TaskRow>> SqliteTaskRepository::find(std::int64_t id) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare(std::string("SELECT ") + sqlite::kTaskColumns +
                                              " FROM tasks WHERE id = ?1"));
    st.bind_all(id);
    return read_one(st);
}

Result<std::optional<TaskRow>> SqliteTaskRepository::find(std::string_view occurrence_key) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare(std::string("SELECT ") + sqlite::kTaskColumns +
                                              " FROM tasks WHERE occurrence_key = ?1"));
    st.bind_all(occurrence_key);
    return read_one(st);
}

Result<bool> SqliteTaskRepository::exists(std::string_view occurrence_key) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("SELECT 1 FROM tasks WHERE occurrence_key = ?1"));
    st.bind_all(occurrence_key);
    return st.step();
}

Result<TaskWritten> SqliteTaskRepository::insert_or_update(
    const TaskDraft& d, std::int64_t now, Lookup lookup,
    const std::function<std::optional<std::int64_t>()>& next_action_if_new) {
    AARSHJUL_TRY_ASSIGN(auto find,
                        m_db.cached("SELECT id, state, definition_hash, assignee, title, "
                                    "start_date, due_date, COALESCE(due_at, -1), "
                                    "COALESCE(title_en, '') FROM tasks WHERE occurrence_key = ?1"));
    bool exists = false;
    if (lookup == Lookup::Read) {
        find->bind_all(d.occurrence_key);
        AARSHJUL_TRY_ASSIGN(exists, find->step());
    }
    if (!exists) {
        AARSHJUL_TRY_ASSIGN(
            auto insert,
            m_db.cached(
                "INSERT INTO tasks(occurrence_key, workflow_id, entity_id, nominal_date, "
                "title, assignee, start_date, due_date, state, next_action_at, "
                "definition_hash, created_at, updated_at, origin, start_at, due_at, "
                "step_index, parent_task_id, note, title_en) VALUES(?1, ?2, ?3, ?4, ?5, ?6, "
                "?7, ?8, 'scheduled', ?9, ?10, ?11, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18) "
                "ON CONFLICT(occurrence_key) DO NOTHING"));
        insert->bind_all(d.occurrence_key, d.workflow_id, d.entity_id, d.nominal_date, d.title,
                         d.assignee, d.start_date, d.due_date);
        insert->bind(9, next_action_if_new());
        insert->bind(10, d.definition_hash);
        insert->bind(11, now);
        insert->bind(12, d.origin);
        insert->bind(13, d.start_at);
        insert->bind(14, d.due_at);
        insert->bind(15, d.step_index);
        insert->bind(16, d.parent_task_id);
        insert->bind(17, d.note);
        insert->bind(18, d.title_en);
        AARSHJUL_TRY(insert->run());
        if (m_db.changes() == 0)
            return TaskWritten{}; // InsertOnly: the task was there already
        return TaskWritten{TaskWritten::Outcome::Created, m_db.last_insert_rowid()};
    }

    const std::int64_t id = find->column_int64(0);
    const auto state = task_state_from_string(find->column_text(1)).value_or(TaskState::Scheduled);
    if (is_terminal(state))
        return TaskWritten{};
    const bool same = find->column_text(2) == d.definition_hash &&
                      find->column_text(3) == d.assignee && find->column_text(4) == d.title &&
                      find->column_text(5) == d.start_date && find->column_text(6) == d.due_date &&
                      find->column_int64(7) == d.due_at.value_or(-1) &&
                      find->column_text(8) == d.title_en;
    if (same)
        return TaskWritten{};
    // The next tick recomputes the state and reminders from the new dates.
    AARSHJUL_TRY_ASSIGN(auto update,
                        m_db.cached("UPDATE tasks SET title = ?2, assignee = ?3, start_date = ?4, "
                                    "due_date = ?5, definition_hash = ?6, next_action_at = ?7, "
                                    "updated_at = ?7, due_at = ?8, title_en = ?9 WHERE id = ?1"));
    update->bind_all(id, d.title, d.assignee, d.start_date, d.due_date, d.definition_hash, now);
    update->bind(8, d.due_at);
    update->bind(9, d.title_en);
    AARSHJUL_TRY(update->run());
    return TaskWritten{TaskWritten::Outcome::Updated, id};
}

Result<void> SqliteTaskRepository::cancel(std::int64_t id, std::int64_t now) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.cached("UPDATE tasks SET state = 'cancelled', "
                                             "next_action_at = NULL, updated_at = ?2 WHERE id = "
                                             "?1"));
    st->bind_all(id, now);
    return st->run();
}

Result<void> SqliteTaskRepository::save_progress(std::int64_t id, const TaskProgress& p,
                                                 std::int64_t now) {
    AARSHJUL_TRY_ASSIGN(auto update,
                        m_db.cached("UPDATE tasks SET state = ?2, next_action_at = ?3, "
                                    "reminders_sent = reminders_sent + ?4, last_reminder_at = "
                                    "?5, updated_at = ?6, escalations_sent = ?7, blocked_by = ?8 "
                                    "WHERE id = ?1"));
    update->bind_all(id, to_string(p.state));
    update->bind(3, p.next_action_at);
    update->bind(4, p.reminders_added);
    update->bind(5, p.last_reminder_at);
    update->bind(6, now);
    update->bind(7, p.escalations_sent);
    update->bind(8, p.blocked_by);
    return update->run();
}

Result<void> SqliteTaskRepository::complete(std::int64_t id, TaskState state, std::string_view by,
                                            std::int64_t now, std::string_view note,
                                            std::optional<std::string_view> evidence,
                                            std::optional<std::string_view> outcome) {
    AARSHJUL_TRY_ASSIGN(auto st,
                        m_db.prepare("UPDATE tasks SET state = ?2, next_action_at = NULL, "
                                     "completed_by = ?3, completed_at = ?4, note = ?5, evidence = "
                                     "?6, outcome = ?7, updated_at = ?4 WHERE id = ?1"));
    st.bind_all(id, to_string(state), by, now, note);
    st.bind(6, evidence);
    st.bind(7, outcome);
    return st.run();
}

Result<void> SqliteTaskRepository::unblock(std::string_view occurrence_key, std::int64_t now) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("UPDATE tasks SET next_action_at = ?2 WHERE "
                                              "blocked_by = ?1 AND next_action_at IS NOT NULL"));
    st.bind_all(occurrence_key, now);
    return st.run();
}

Result<void> SqliteTaskRepository::set_hook_error(std::int64_t id, std::string_view error) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.cached("UPDATE tasks SET hook_error = ?2 WHERE id = ?1"));
    st->bind_all(id, error);
    return st->run();
}

Result<std::vector<TaskRow>> SqliteTaskRepository::due(std::int64_t now, std::int64_t after_id,
                                                       int limit) {
    // INDEXED BY: without it SQLite walks the whole table in id order to
    // satisfy ORDER BY id (measured: a wake-up cost grew with the number of
    // tasks stored, bench/RESULTS.md); the index yields only the due rows,
    // which are then sorted.
    static const std::string sql = std::string("SELECT ") + sqlite::kTaskColumns +
                                   " FROM tasks INDEXED BY tasks_next_action WHERE "
                                   "next_action_at IS NOT NULL AND next_action_at <= ?1 AND id "
                                   "> ?2 ORDER BY id LIMIT ?3";
    AARSHJUL_TRY_ASSIGN(auto st, m_db.cached(sql));
    st->bind_all(now, after_id, limit);
    return read_rows(*st);
}

Result<std::optional<std::int64_t>> SqliteTaskRepository::next_wakeup() {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.cached("SELECT MIN(next_action_at) FROM tasks WHERE "
                                             "next_action_at IS NOT NULL"));
    AARSHJUL_TRY_ASSIGN(bool row, st->step());
    if (!row || st->column_is_null(0))
        return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>{st->column_int64(0)};
}

Result<std::optional<std::string>>
SqliteTaskRepository::blocking_task(const std::vector<std::string>& workflows,
                                    std::string_view date) {
    if (workflows.empty())
        return std::optional<std::string>{};
    AARSHJUL_TRY_ASSIGN(auto st,
                        m_db.prepare("SELECT occurrence_key, state FROM tasks WHERE workflow_id = "
                                     "?1 AND nominal_date <= ?2 AND state <> 'cancelled' ORDER BY "
                                     "nominal_date DESC, id DESC LIMIT 1"));
    for (const auto& workflow : workflows) {
        st.reset();
        st.bind_all(workflow, date);
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            continue;
        auto state = task_state_from_string(st.column_text(1)).value_or(TaskState::Scheduled);
        if (state != TaskState::Done && state != TaskState::Waived)
            return std::optional<std::string>{st.column_text(0)};
    }
    return std::optional<std::string>{};
}

Result<std::vector<std::string>> SqliteTaskRepository::workflows_with_open_tasks() {
    AARSHJUL_TRY_ASSIGN(auto st,
                        m_db.prepare(std::string("SELECT DISTINCT workflow_id FROM tasks WHERE ") +
                                     std::string(kUnfinished)));
    std::vector<std::string> out;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            break;
        out.push_back(st.column_text(0));
    }
    return out;
}

Result<std::vector<std::int64_t>> SqliteTaskRepository::open_task_ids(std::string_view workflow) {
    AARSHJUL_TRY_ASSIGN(
        auto st, m_db.cached(std::string("SELECT id FROM tasks WHERE workflow_id = ?1 AND ") +
                             std::string(kUnfinished)));
    st->bind_all(workflow);
    std::vector<std::int64_t> out;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st->step());
        if (!row)
            break;
        out.push_back(st->column_int64(0));
    }
    return out;
}

Result<std::vector<std::pair<std::string, std::int64_t>>>
SqliteTaskRepository::open_planned(std::string_view workflow, std::string_view nominal_from) {
    AARSHJUL_TRY_ASSIGN(
        auto st,
        m_db.prepare(std::string("SELECT id, occurrence_key FROM tasks WHERE workflow_id = "
                                 "?1 AND nominal_date >= ?2 AND origin = 'plan' AND "
                                 "COALESCE(step_index, 0) = 0 AND ") +
                     std::string(kUnfinished)));
    st.bind_all(workflow, nominal_from);
    std::vector<std::pair<std::string, std::int64_t>> out;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            break;
        out.emplace_back(st.column_text(1), st.column_int64(0));
    }
    return out;
}

Result<bool> SqliteTaskRepository::has_open_task(std::string_view workflow,
                                                 std::string_view entity) {
    AARSHJUL_TRY_ASSIGN(auto st,
                        m_db.cached(std::string("SELECT COUNT(*) FROM tasks WHERE workflow_id = "
                                                "?1 AND entity_id = ?2 AND ") +
                                    std::string(kUnfinished)));
    st->bind_all(workflow, entity);
    AARSHJUL_TRY(st->step());
    return st->column_int64(0) > 0;
}

Result<std::optional<std::int64_t>> SqliteTaskRepository::last_done_at(std::string_view workflow,
                                                                       std::string_view entity) {
    AARSHJUL_TRY_ASSIGN(auto st,
                        m_db.cached("SELECT MAX(completed_at) FROM tasks WHERE workflow_id = ?1 "
                                    "AND entity_id = ?2 AND state = 'done'"));
    st->bind_all(workflow, entity);
    AARSHJUL_TRY(st->step());
    return st->column_optional_int64(0);
}

Result<std::vector<TaskRow>> SqliteTaskRepository::done_since(std::string_view workflow,
                                                              std::int64_t since, Steps steps) {
    AARSHJUL_TRY_ASSIGN(auto st,
                        m_db.prepare(std::string("SELECT ") + sqlite::kTaskColumns +
                                     " FROM tasks WHERE workflow_id = ?1 AND state = 'done' AND " +
                                     (steps == Steps::Only ? "step_index IS NOT NULL AND " : "") +
                                     "completed_at >= ?2 ORDER BY id"));
    st.bind_all(workflow, since);
    return read_rows(st);
}

} // namespace aarshjul

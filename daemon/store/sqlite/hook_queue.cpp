// SPDX-License-Identifier: MPL-2.0
#include "store/sqlite/hook_queue.h"

#include "store/sqlite/database.h"

#include <algorithm>
#include <boost/json.hpp>

namespace aarshjul {

namespace {

constexpr std::string_view kColumns = "id, task_id, event_id, workflow_id, hook, args, parent_key, "
                                      "state, attempts, COALESCE(error, ''), created_at, "
                                      "finished_at";

std::string args_to_json(const std::map<std::string, std::string>& args) {
    boost::json::object out;
    for (const auto& [name, value] : args)
        out[name] = value;
    return boost::json::serialize(out);
}

// The stored JSON is this file's own; anything else in it is dropped, not guessed at.
std::map<std::string, std::string> args_from_json(const std::string& text) {
    std::map<std::string, std::string> args;
    boost::system::error_code ec;
    const boost::json::value value = boost::json::parse(text, ec);
    if (ec || !value.is_object())
        return args;
    for (const auto& [name, field] : value.as_object())
        if (field.is_string())
            args.emplace(std::string(name), std::string(field.as_string()));
    return args;
}

HookRunState state_from(std::string_view text) {
    if (text == "running")
        return HookRunState::Running;
    if (text == "done")
        return HookRunState::Done;
    if (text == "failed")
        return HookRunState::Failed;
    return HookRunState::Pending;
}

HookRun read_row(const Statement& st) {
    HookRun r;
    r.id = st.column_int64(0);
    r.task_id = st.column_int64(1);
    r.event_id = st.column_optional_int64(2);
    r.workflow_id = st.column_text(3);
    r.hook = st.column_text(4);
    r.args = args_from_json(st.column_text(5));
    r.parent_key = st.column_text(6);
    r.state = state_from(st.column_text(7));
    r.attempts = static_cast<int>(st.column_int64(8));
    r.error = st.column_text(9);
    r.created_at = st.column_int64(10);
    r.finished_at = st.column_optional_int64(11);
    return r;
}

Result<std::vector<HookRun>> read_all(Statement& st) {
    std::vector<HookRun> rows;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            break;
        rows.push_back(read_row(st));
    }
    return rows;
}

} // namespace

std::string_view to_string(HookRunState state) {
    switch (state) {
    case HookRunState::Pending:
        return "pending";
    case HookRunState::Running:
        return "running";
    case HookRunState::Done:
        return "done";
    case HookRunState::Failed:
        return "failed";
    }
    return "pending";
}

Result<std::int64_t> SqliteHookQueue::enqueue(const HookRunRequest& r) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.cached("INSERT INTO hook_runs(task_id, event_id, "
                                             "workflow_id, hook, args, parent_key, created_at) "
                                             "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    st->bind(1, r.task_id).bind(2, r.event_id).bind(3, r.workflow_id).bind(4, r.hook);
    st->bind(5, args_to_json(r.args)).bind(6, r.parent_key).bind(7, r.created_at);
    AARSHJUL_TRY(st->run());
    return m_db.last_insert_rowid();
}

Result<std::vector<HookRun>> SqliteHookQueue::claim(int limit) {
    // One statement, so a claim is atomic without a transaction of its own.
    AARSHJUL_TRY_ASSIGN(auto st,
                        m_db.cached("UPDATE hook_runs SET state = 'running', attempts = attempts "
                                    "+ 1 WHERE id IN (SELECT id FROM hook_runs WHERE state = "
                                    "'pending' ORDER BY id LIMIT ?1) RETURNING " +
                                    std::string(kColumns)));
    st->bind_all(limit);
    AARSHJUL_TRY_ASSIGN(auto rows, read_all(*st));
    // RETURNING gives no order.
    std::sort(rows.begin(), rows.end(),
              [](const HookRun& a, const HookRun& b) { return a.id < b.id; });
    return rows;
}

Result<void> SqliteHookQueue::mark_done(std::int64_t id, std::int64_t at) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.cached("UPDATE hook_runs SET state = 'done', error = NULL, "
                                             "finished_at = ?2 WHERE id = ?1"));
    st->bind_all(id, at);
    return st->run();
}

Result<void> SqliteHookQueue::mark_failed(std::int64_t id, std::string_view error,
                                          std::int64_t at) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.cached("UPDATE hook_runs SET state = 'failed', error = ?2, "
                                             "finished_at = ?3 WHERE id = ?1"));
    st->bind_all(id, error, at);
    return st->run();
}

Result<HookRecovery> SqliteHookQueue::recover(int max_attempts, std::int64_t at) {
    HookRecovery recovery;
    std::vector<HookRun> left;
    {
        AARSHJUL_TRY_ASSIGN(auto st, m_db.cached("SELECT " + std::string(kColumns) +
                                                 " FROM hook_runs WHERE state = 'running' "
                                                 "ORDER BY id"));
        AARSHJUL_TRY_ASSIGN(left, read_all(*st));
    }
    for (auto& run : left) {
        if (run.attempts < max_attempts) {
            AARSHJUL_TRY_ASSIGN(auto st, m_db.cached("UPDATE hook_runs SET state = 'pending' "
                                                     "WHERE id = ?1"));
            st->bind_all(run.id);
            AARSHJUL_TRY(st->run());
            recovery.requeued.push_back(run.id);
            continue;
        }
        run.error = "gave up after " + std::to_string(run.attempts) +
                    " attempts: the daemon stopped while the hook ran each time";
        AARSHJUL_TRY(mark_failed(run.id, run.error, at));
        run.state = HookRunState::Failed;
        run.finished_at = at;
        recovery.given_up.push_back(std::move(run));
    }
    return recovery;
}

Result<int> SqliteHookQueue::count(HookRunState state) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.cached("SELECT COUNT(*) FROM hook_runs WHERE state = ?1"));
    st->bind_all(to_string(state));
    AARSHJUL_TRY(st->step());
    return static_cast<int>(st->column_int64(0));
}

Result<std::optional<HookRun>> SqliteHookQueue::find(std::int64_t id) {
    AARSHJUL_TRY_ASSIGN(
        auto st, m_db.cached("SELECT " + std::string(kColumns) + " FROM hook_runs WHERE id = ?1"));
    st->bind_all(id);
    AARSHJUL_TRY_ASSIGN(auto rows, read_all(*st));
    if (rows.empty())
        return std::optional<HookRun>{};
    return std::optional<HookRun>{std::move(rows.front())};
}

} // namespace aarshjul

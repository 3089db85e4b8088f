#include "engine/engine.h"

#include "engine/notice_text.h"
#include "store/transaction.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <unordered_set>

namespace aarshjul {

namespace {

// Rows processed per write transaction by `tick`; keeps each transaction short.
constexpr int kTickBatch = 256;

constexpr std::string_view kNonTerminal = "state NOT IN ('done','waived','cancelled')";

std::optional<std::int64_t> parse_id(std::string_view text) {
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size())
        return std::nullopt;
    return id;
}

const char* kTaskColumns =
    "id, occurrence_key, workflow_id, entity_id, title, assignee, start_date, due_date, state, "
    "next_action_at, reminders_sent, completed_by, completed_at, note, evidence";

TaskRow read_task_row(Statement& st) {
    TaskRow row;
    row.id = st.column_int64(0);
    row.occurrence_key = st.column_text(1);
    row.workflow_id = st.column_text(2);
    row.entity_id = st.column_text(3);
    row.title = st.column_text(4);
    row.assignee = st.column_text(5);
    row.start_date = st.column_text(6);
    row.due_date = st.column_text(7);
    row.state = task_state_from_string(st.column_text(8)).value_or(TaskState::Scheduled);
    row.next_action_at = st.column_optional_int64(9);
    row.reminders_sent = static_cast<int>(st.column_int64(10));
    row.completed_by = st.column_optional_text(11);
    row.completed_at = st.column_optional_int64(12);
    row.note = st.column_optional_text(13);
    row.evidence = st.column_optional_text(14);
    return row;
}

// The ordered states a task passes on its way from `from` to `to`.
std::vector<TaskState> crossed_states(TaskState from, TaskState to) {
    std::vector<TaskState> out;
    if (to <= from) {
        out.push_back(to);
        return out;
    }
    for (int s = static_cast<int>(from) + 1; s <= static_cast<int>(to); ++s)
        out.push_back(static_cast<TaskState>(s));
    return out;
}

} // namespace

Engine::Engine(Database& db, const Clock& clock, EngineSettings settings)
    : m_db(db), m_clock(clock), m_settings(std::move(settings)) {}

const WorkflowDef* Engine::find_workflow(std::string_view id) const {
    if (!m_defs)
        return nullptr;
    for (const auto& wf : m_defs->workflows)
        if (wf.id == id)
            return &wf;
    return nullptr;
}

Result<void> Engine::install(std::shared_ptr<const Definitions> definitions) {
    const Instant now = m_clock.now();
    const std::string today = format_local_date(m_settings.zone.local_date(now));
    AARSHJUL_TRY_ASSIGN(auto tx, Transaction::begin(m_db));
    AARSHJUL_TRY_ASSIGN(auto upsert,
                        m_db.prepare("INSERT INTO workflows(id, content_hash, file, first_seen, "
                                     "updated_at) VALUES(?1, ?2, ?3, ?4, ?5) "
                                     "ON CONFLICT(id) DO UPDATE SET content_hash = "
                                     "excluded.content_hash, file = excluded.file, updated_at = "
                                     "excluded.updated_at WHERE content_hash <> "
                                     "excluded.content_hash"));
    for (const auto& wf : definitions->workflows) {
        upsert.reset();
        upsert.bind_all(wf.id, wf.content_hash, wf.file, today, to_unix(now));
        AARSHJUL_TRY(upsert.run());
    }
    AARSHJUL_TRY(tx.commit());
    m_defs = std::move(definitions);
    return {};
}

Result<void> Engine::add_event(std::int64_t task_id, Instant at, std::string_view kind,
                               std::string_view actor, std::string_view detail) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("INSERT INTO task_events(task_id, at, kind, actor, "
                                              "detail) VALUES(?1, ?2, ?3, ?4, ?5)"));
    st.bind_all(task_id, to_unix(at), kind, actor, detail);
    return st.run();
}

std::optional<Instant> Engine::next_action(const TaskTiming& timing,
                                           std::optional<Instant> last_slot, Instant now) const {
    std::optional<Instant> next = timing.next_transition_after(now);
    // A slot at or before now that was not sent yet is due at once.
    if (auto slot = timing.next_slot_after(last_slot)) {
        Instant at = std::max(slot->at, now);
        if (!next || at < *next)
            next = at;
    }
    return next;
}

Result<MaterialiseStats> Engine::materialise() {
    MaterialiseStats stats;
    if (!m_defs)
        return stats;
    const Instant now = m_clock.now();
    const LocalDate today = m_settings.zone.local_date(now);
    const LocalDate horizon = today + date::days{m_settings.horizon_days};

    AARSHJUL_TRY_ASSIGN(auto tx, Transaction::begin(m_db));
    AARSHJUL_TRY_ASSIGN(auto first_seen_st,
                        m_db.prepare("SELECT first_seen FROM workflows WHERE id = ?1"));
    AARSHJUL_TRY_ASSIGN(auto open_tasks_st,
                        m_db.prepare(std::string("SELECT id, occurrence_key FROM tasks WHERE "
                                                 "workflow_id = ?1 AND nominal_date >= ?2 AND ") +
                                     std::string(kNonTerminal)));
    AARSHJUL_TRY_ASSIGN(auto cancel_st,
                        m_db.prepare("UPDATE tasks SET state = 'cancelled', next_action_at = NULL, "
                                     "updated_at = ?2 WHERE id = ?1"));

    auto cancel = [&](std::int64_t id, std::string_view why) -> Result<void> {
        cancel_st.reset();
        cancel_st.bind_all(id, to_unix(now));
        AARSHJUL_TRY(cancel_st.run());
        ++stats.cancelled;
        return add_event(id, now, "cancelled", "", why);
    };

    for (const auto& wf : m_defs->workflows) {
        first_seen_st.reset();
        first_seen_st.bind_all(wf.id);
        AARSHJUL_TRY_ASSIGN(bool has_row, first_seen_st.step());
        LocalDate floor = today;
        if (has_row)
            floor = parse_local_date(first_seen_st.column_text(0)).value_or(today);
        floor = std::max(floor, today - date::days{m_settings.catch_up_days});
        const LocalDate window_from = floor - date::days{std::max(0, wf.due_days)};

        std::vector<PlannedTask> planned;
        AARSHJUL_TRY(plan_workflow(wf, m_defs->directory, window_from, horizon, planned));
        std::unordered_set<std::string> keys;
        for (const auto& task : planned) {
            if (task.due < floor)
                continue; // already past when the workflow was first loaded
            keys.insert(task.occurrence_key);
            AARSHJUL_TRY(materialise_one(task, now, stats));
        }

        // Occurrences the changed definition no longer produces are withdrawn.
        open_tasks_st.reset();
        open_tasks_st.bind_all(wf.id, format_local_date(window_from));
        std::vector<std::int64_t> stale;
        for (;;) {
            AARSHJUL_TRY_ASSIGN(bool row, open_tasks_st.step());
            if (!row)
                break;
            if (!keys.count(open_tasks_st.column_text(1)))
                stale.push_back(open_tasks_st.column_int64(0));
        }
        for (auto id : stale)
            AARSHJUL_TRY(cancel(id, "the workflow no longer produces this occurrence"));
    }

    // Tasks of workflows that were removed from the set.
    AARSHJUL_TRY_ASSIGN(auto orphans_st,
                        m_db.prepare(std::string("SELECT id, workflow_id FROM tasks WHERE ") +
                                     std::string(kNonTerminal)));
    std::vector<std::int64_t> orphans;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, orphans_st.step());
        if (!row)
            break;
        if (!find_workflow(orphans_st.column_text(1)))
            orphans.push_back(orphans_st.column_int64(0));
    }
    for (auto id : orphans)
        AARSHJUL_TRY(cancel(id, "the workflow was removed"));

    AARSHJUL_TRY(tx.commit());
    return stats;
}

Result<void> Engine::materialise_one(const PlannedTask& planned, Instant now,
                                     MaterialiseStats& stats) {
    AARSHJUL_TRY_ASSIGN(auto find,
                        m_db.prepare("SELECT id, state, definition_hash, assignee, title, "
                                     "start_date, due_date FROM tasks WHERE occurrence_key = ?1"));
    find.bind_all(planned.occurrence_key);
    AARSHJUL_TRY_ASSIGN(bool exists, find.step());

    const WorkflowDef& wf = *planned.workflow;
    const std::string start = format_local_date(planned.start);
    const std::string due = format_local_date(planned.due);
    TaskTiming timing(planned.start, planned.due, wf.remind, m_settings.zone,
                      m_settings.reminder_hour);

    if (!exists) {
        auto next = next_action(timing, std::nullopt, now);
        // A task born past its opening is moved on by the very next tick.
        if (timing.state_at(now) != TaskState::Scheduled)
            next = now;
        AARSHJUL_TRY_ASSIGN(
            auto insert,
            m_db.prepare("INSERT INTO tasks(occurrence_key, workflow_id, entity_id, nominal_date, "
                         "title, assignee, start_date, due_date, state, next_action_at, "
                         "definition_hash, created_at, updated_at) VALUES(?1, ?2, ?3, ?4, ?5, ?6, "
                         "?7, ?8, 'scheduled', ?9, ?10, ?11, ?11)"));
        insert.bind_all(planned.occurrence_key, wf.id, planned.entity_id,
                        format_local_date(planned.nominal), planned.title, planned.assignee, start,
                        due);
        insert.bind(9, next ? std::optional<std::int64_t>(to_unix(*next)) : std::nullopt);
        insert.bind(10, wf.content_hash);
        insert.bind(11, to_unix(now));
        AARSHJUL_TRY(insert.run());
        ++stats.created;
        return add_event(m_db.last_insert_rowid(), now, "created", "",
                         "assignee " + planned.assignee + ", due " + due);
    }

    const std::int64_t id = find.column_int64(0);
    const auto state = task_state_from_string(find.column_text(1)).value_or(TaskState::Scheduled);
    if (is_terminal(state)) {
        ++stats.unchanged;
        return {};
    }
    const bool same = find.column_text(2) == wf.content_hash &&
                      find.column_text(3) == planned.assignee &&
                      find.column_text(4) == planned.title && find.column_text(5) == start &&
                      find.column_text(6) == due;
    if (same) {
        ++stats.unchanged;
        return {};
    }
    // The definition changed: rewrite the task and let the next tick recompute
    // its state and reminders from the new dates.
    AARSHJUL_TRY_ASSIGN(auto update,
                        m_db.prepare("UPDATE tasks SET title = ?2, assignee = ?3, start_date = ?4, "
                                     "due_date = ?5, definition_hash = ?6, next_action_at = ?7, "
                                     "updated_at = ?7 WHERE id = ?1"));
    update.bind_all(id, planned.title, planned.assignee, start, due, wf.content_hash,
                    to_unix(now));
    AARSHJUL_TRY(update.run());
    ++stats.updated;
    return add_event(id, now, "updated", "",
                     "definition changed: assignee " + planned.assignee + ", due " + due);
}

Result<TickStats> Engine::tick() {
    TickStats stats;
    const Instant now = m_clock.now();
    for (;;) {
        AARSHJUL_TRY_ASSIGN(int processed, process_due_batch(now, stats));
        if (processed < kTickBatch)
            break;
    }
    return stats;
}

Result<int> Engine::process_due_batch(Instant now, TickStats& stats) {
    AARSHJUL_TRY_ASSIGN(auto tx, Transaction::begin(m_db));
    AARSHJUL_TRY_ASSIGN(auto select,
                        m_db.prepare("SELECT id, occurrence_key, workflow_id, entity_id, title, "
                                     "assignee, start_date, due_date, state, last_reminder_at "
                                     "FROM tasks WHERE next_action_at IS NOT NULL AND "
                                     "next_action_at <= ?1 ORDER BY next_action_at, id LIMIT ?2"));
    select.bind_all(to_unix(now), kTickBatch);

    struct Due {
        std::int64_t id;
        std::string key, workflow_id, entity_id, title, assignee;
        LocalDate start, due;
        TaskState state;
        std::optional<std::int64_t> last_reminder_at;
    };
    std::vector<Due> rows;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, select.step());
        if (!row)
            break;
        Due d;
        d.id = select.column_int64(0);
        d.key = select.column_text(1);
        d.workflow_id = select.column_text(2);
        d.entity_id = select.column_text(3);
        d.title = select.column_text(4);
        d.assignee = select.column_text(5);
        d.start = parse_local_date(select.column_text(6)).value_or(LocalDate{});
        d.due = parse_local_date(select.column_text(7)).value_or(LocalDate{});
        d.state = task_state_from_string(select.column_text(8)).value_or(TaskState::Scheduled);
        d.last_reminder_at = select.column_optional_int64(9);
        rows.push_back(std::move(d));
    }

    AARSHJUL_TRY_ASSIGN(auto update,
                        m_db.prepare("UPDATE tasks SET state = ?2, next_action_at = ?3, "
                                     "reminders_sent = reminders_sent + ?4, last_reminder_at = "
                                     "?5, updated_at = ?6 WHERE id = ?1"));
    AARSHJUL_TRY_ASSIGN(auto enqueue,
                        m_db.prepare("INSERT INTO outbox(notice_key, task_id, kind, channel, "
                                     "recipient, subject, body, created_at, next_attempt_at) "
                                     "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) "
                                     "ON CONFLICT(notice_key) DO NOTHING"));

    for (const auto& row : rows) {
        const WorkflowDef* wf = find_workflow(row.workflow_id);
        if (!wf || is_terminal(row.state)) {
            // Nothing to do until materialise() decides about a removed workflow.
            update.reset();
            update.bind_all(row.id, std::string(to_string(row.state)));
            update.bind(3, nullptr);
            update.bind(4, 0);
            update.bind(5, row.last_reminder_at);
            update.bind(6, to_unix(now));
            AARSHJUL_TRY(update.run());
            continue;
        }
        TaskTiming timing(row.start, row.due, wf->remind, m_settings.zone,
                          m_settings.reminder_hour);

        TaskState state = timing.state_at(now);
        if (row.state == TaskState::Escalated && state == TaskState::Overdue)
            state = TaskState::Escalated;
        if (state != row.state) {
            for (TaskState s : crossed_states(row.state, state)) {
                ++stats.transitions;
                AARSHJUL_TRY(add_event(row.id, now, to_string(s), "", ""));
            }
        }

        std::optional<Instant> last_slot;
        if (row.last_reminder_at)
            last_slot = from_unix(*row.last_reminder_at);
        int sent = 0;
        // Several missed slots (downtime) become one notice: the latest one.
        if (auto slot = timing.last_slot_in(last_slot, now)) {
            const int merged = timing.slots_in(last_slot, now);
            NoticeFacts facts;
            facts.task_id = row.id;
            facts.title = row.title;
            facts.title_en = row.title; // the Danish title carries the system name as well
            facts.due = row.due;
            facts.slot = *slot;
            facts.merged = merged;
            facts.workflow = wf;
            auto text = compose_notice(facts);
            const std::string kind(to_string(slot->kind));
            const std::string notice_key = row.key + "#" + kind + "@" +
                                           format_local_date(slot->day) + "#" +
                                           m_settings.channel + "#" + row.assignee;
            enqueue.reset();
            enqueue.bind_all(notice_key, row.id, kind, m_settings.channel, row.assignee,
                             text.subject, text.body, to_unix(now));
            AARSHJUL_TRY(enqueue.run());
            AARSHJUL_TRY(add_event(row.id, now, "reminded", "",
                                   kind + " " + format_local_date(slot->day) +
                                       (merged > 1 ? " (merged " + std::to_string(merged) + ")"
                                                   : "")));
            last_slot = slot->at;
            sent = 1;
            ++stats.reminders;
        }

        auto next = next_action(timing, last_slot, now);
        update.reset();
        update.bind_all(row.id, std::string(to_string(state)));
        update.bind(3, next ? std::optional<std::int64_t>(to_unix(*next)) : std::nullopt);
        update.bind(4, sent);
        update.bind(5, last_slot ? std::optional<std::int64_t>(to_unix(*last_slot))
                                 : std::nullopt);
        update.bind(6, to_unix(now));
        AARSHJUL_TRY(update.run());
    }
    AARSHJUL_TRY(tx.commit());
    return static_cast<int>(rows.size());
}

Result<std::optional<Instant>> Engine::next_wakeup() {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("SELECT MIN(next_action_at) FROM tasks WHERE "
                                              "next_action_at IS NOT NULL"));
    AARSHJUL_TRY_ASSIGN(bool row, st.step());
    if (!row || st.column_is_null(0))
        return std::optional<Instant>{};
    return std::optional<Instant>{from_unix(st.column_int64(0))};
}

Result<std::optional<TaskRow>> Engine::find_task(std::string_view id_or_key) {
    const bool by_id = parse_id(id_or_key).has_value();
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare(std::string("SELECT ") + kTaskColumns +
                                              " FROM tasks WHERE " +
                                              (by_id ? "id = ?1" : "occurrence_key = ?1")));
    if (by_id)
        st.bind_all(*parse_id(id_or_key));
    else
        st.bind_all(id_or_key);
    AARSHJUL_TRY_ASSIGN(bool row, st.step());
    if (!row)
        return std::optional<TaskRow>{};
    return std::optional<TaskRow>{read_task_row(st)};
}

Result<TaskRow> Engine::complete(std::string_view task, std::string_view by, std::string_view note,
                                 std::string_view evidence, CompletionKind kind) {
    if (m_defs && !m_defs->directory.find_person(by))
        return make_error("unknown person '" + std::string(by) + "' (not in " +
                          m_defs->directory.file + ")");
    const Instant now = m_clock.now();
    AARSHJUL_TRY_ASSIGN(auto tx, Transaction::begin(m_db));
    AARSHJUL_TRY_ASSIGN(auto found, find_task(task));
    if (!found)
        return make_error("no task '" + std::string(task) + "'");
    if (is_terminal(found->state))
        return make_error("task " + std::to_string(found->id) + " is already " +
                          std::string(to_string(found->state)));
    const TaskState to = kind == CompletionKind::Done ? TaskState::Done : TaskState::Waived;
    AARSHJUL_TRY_ASSIGN(auto st,
                        m_db.prepare("UPDATE tasks SET state = ?2, next_action_at = NULL, "
                                     "completed_by = ?3, completed_at = ?4, note = ?5, evidence = "
                                     "?6, updated_at = ?4 WHERE id = ?1"));
    st.bind_all(found->id, std::string(to_string(to)), by, to_unix(now), note);
    st.bind(6, evidence.empty() ? std::optional<std::string_view>{} : evidence);
    AARSHJUL_TRY(st.run());
    std::string detail(note);
    if (!evidence.empty())
        detail += (detail.empty() ? "" : " | ") + std::string("evidence: ") + std::string(evidence);
    AARSHJUL_TRY(add_event(found->id, now, kind == CompletionKind::Done ? "completed" : "waived",
                           by, detail));
    AARSHJUL_TRY(tx.commit());
    found->state = to;
    found->completed_by = std::string(by);
    found->completed_at = to_unix(now);
    found->note = std::string(note);
    if (!evidence.empty())
        found->evidence = std::string(evidence);
    found->next_action_at.reset();
    return *found;
}

} // namespace aarshjul

#include "engine/engine.h"

#include "audit/audit.h"
#include "auth/action_link.h"
#include "engine/notice_text.h"
#include "schedule/recurrence.h"
#include "store/outbox.h"
#include "store/sqlite/sqlite_store.h"
#include "store/transaction.h"
#include "util/sha256.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <spdlog/spdlog.h>
#include <unordered_map>

namespace aarshjul {

namespace {

// Rows processed per write transaction by `tick`; keeps each transaction short.
constexpr int kTickBatch = 512;

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
    : m_db(db), m_store(std::make_unique<SqliteStore>(db)), m_clock(clock),
      m_settings(std::move(settings)) {}

Engine::~Engine() = default;

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
    set_definitions(std::move(definitions));
    return {};
}

void Engine::use(std::shared_ptr<const Definitions> definitions) {
    set_definitions(std::move(definitions));
}

void Engine::set_definitions(std::shared_ptr<const Definitions> definitions) {
    m_defs = std::move(definitions);
    m_plan_inputs.clear();
    if (!m_defs || m_defs->directory.digest.empty())
        return;
    // Everything plan_occurrence reads besides the workflow itself.
    m_plan_inputs = "aarshjul-plan-v1\n" + m_defs->directory.digest + "\n" +
                    m_settings.zone.name() + "\n" + std::to_string(m_settings.reminder_hour);
    for (const auto& day : m_settings.calendar.extra_days())
        m_plan_inputs += "\n" + std::to_string(day.month) + "-" + std::to_string(day.day);
}

std::string Engine::plan_fingerprint(const WorkflowDef& wf) const {
    if (m_plan_inputs.empty())
        return {};
    return sha256_hex(m_plan_inputs + "\n" + wf.content_hash);
}

Result<void> Engine::add_event(std::int64_t task_id, Instant at, std::string_view kind,
                               std::string_view actor, std::string_view detail) {
    // Every event extends the hash-chained audit trail (audit/audit.h).
    AARSHJUL_TRY(
        append_audit_event(m_store->event_log(), {0, task_id, to_unix(at), std::string(kind),
                                                  std::string(actor), std::string(detail)}));
    return {};
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

TimingRules Engine::timing_rules(const WorkflowDef& wf) const {
    TimingRules rules;
    rules.ladder = wf.remind;
    rules.before_due_hours = wf.remind_before_due_hours.empty()
                                 ? m_settings.default_before_due_hours
                                 : wf.remind_before_due_hours;
    rules.overdue_every_hours = wf.overdue_every_hours > 0 ? wf.overdue_every_hours
                                                           : m_settings.default_overdue_every_hours;
    const auto& ladder = wf.escalate_is_default ? m_settings.default_escalation : wf.escalate;
    for (const auto& step : ladder)
        rules.escalate_after_days.push_back(step.after_days_overdue);
    rules.business_days_only = m_settings.business_days_only;
    return rules;
}

TimingContext Engine::timing_context() const {
    return TimingContext{m_settings.zone, m_settings.calendar, m_settings.reminder_hour};
}

PlanContext Engine::plan_context() const {
    return PlanContext{m_settings.zone, m_settings.calendar, m_settings.reminder_hour};
}

Entity Engine::entity_of(const WorkflowDef& wf, std::string_view entity_id) const {
    Entity entity;
    if (entity_id.empty() || !m_defs)
        return entity;
    entity.id = std::string(entity_id);
    if (wf.for_each.kind == ForEach::Kind::Processors) {
        for (const auto& p : m_defs->directory.processors)
            if (p.id == entity_id) {
                entity.processor = &p;
                entity.name = p.name;
            }
    } else if (const System* s = m_defs->directory.find_system(entity_id)) {
        entity.system = s;
        entity.name = s->name;
    }
    return entity;
}

Result<MaterialiseStats> Engine::materialise() {
    MaterialiseStats stats;
    if (!m_defs)
        return stats;
    const Instant now = m_clock.now();
    AARSHJUL_TRY_ASSIGN(auto tx, Transaction::begin(m_db));
    for (const auto& wf : m_defs->workflows)
        AARSHJUL_TRY(materialise_workflow(wf, now, stats));

    // Open tasks of workflows that were removed from the set.
    AARSHJUL_TRY_ASSIGN(auto workflows_st,
                        m_db.prepare(std::string("SELECT DISTINCT workflow_id FROM tasks WHERE ") +
                                     std::string(kNonTerminal)));
    std::vector<std::string> removed;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, workflows_st.step());
        if (!row)
            break;
        const WorkflowDef* wf = find_workflow(workflows_st.column_text(0));
        if (!wf || !wf->enabled)
            removed.push_back(workflows_st.column_text(0));
    }
    AARSHJUL_TRY_ASSIGN(
        auto orphans_st,
        m_db.prepare(std::string("SELECT id FROM tasks WHERE workflow_id = ?1 AND ") +
                     std::string(kNonTerminal)));
    std::vector<std::int64_t> orphans;
    for (const auto& id : removed) {
        orphans_st.reset();
        orphans_st.bind_all(id);
        for (;;) {
            AARSHJUL_TRY_ASSIGN(bool row, orphans_st.step());
            if (!row)
                break;
            orphans.push_back(orphans_st.column_int64(0));
        }
    }
    AARSHJUL_TRY(cancel_tasks(orphans, now, "the workflow was removed or switched off", stats));
    AARSHJUL_TRY(tx.commit());
    return stats;
}

Result<void> Engine::cancel_tasks(const std::vector<std::int64_t>& ids, Instant now,
                                  std::string_view why, MaterialiseStats& stats) {
    AARSHJUL_TRY_ASSIGN(auto cancel_st,
                        m_db.prepare("UPDATE tasks SET state = 'cancelled', next_action_at = NULL, "
                                     "updated_at = ?2 WHERE id = ?1"));
    for (auto id : ids) {
        cancel_st.reset();
        cancel_st.bind_all(id, to_unix(now));
        AARSHJUL_TRY(cancel_st.run());
        ++stats.cancelled;
        AARSHJUL_TRY(add_event(id, now, "cancelled", "", why));
    }
    return {};
}

Result<void> Engine::materialise_workflow(const WorkflowDef& wf, Instant now,
                                          MaterialiseStats& stats) {
    if (!wf.enabled) {
        // Its open tasks are withdrawn (materialise); switched on again, it
        // plans its whole window.
        AARSHJUL_TRY_ASSIGN(auto forget, m_db.cached("UPDATE workflows SET plan_fingerprint = NULL "
                                                     "WHERE id = ?1 AND plan_fingerprint IS NOT "
                                                     "NULL"));
        forget->bind_all(wf.id);
        return forget->run();
    }
    const LocalDate today = m_settings.zone.local_date(now);
    const PlanContext ctx = plan_context();
    const Directory& dir = m_defs->directory;

    AARSHJUL_TRY_ASSIGN(auto first_seen_st,
                        m_db.prepare("SELECT first_seen FROM workflows WHERE id = ?1"));
    first_seen_st.bind_all(wf.id);
    AARSHJUL_TRY_ASSIGN(bool has_row, first_seen_st.step());
    LocalDate floor = today;
    if (has_row)
        floor = parse_local_date(first_seen_st.column_text(0)).value_or(today);
    floor = std::max(floor, today - date::days{m_settings.catch_up_days});
    const Instant floor_at = m_settings.zone.start_of_day(floor);

    if (wf.cadence == Cadence::FromCompletion)
        return materialise_from_completion(wf, floor, now, stats);

    if (wf.trigger.kind == Trigger::Kind::Calendar || wf.trigger.kind == Trigger::Kind::Meetings)
        AARSHJUL_TRY(materialise_calendar(wf, floor, now, stats));

    const std::optional<int> first_step = wf.steps.empty() ? std::nullopt : std::optional<int>(0);
    if (wf.trigger.kind == Trigger::Kind::Event) {
        AARSHJUL_TRY_ASSIGN(auto events,
                            m_db.prepare("SELECT id, title, occurred_at, reported_by, detail FROM "
                                         "events WHERE type = ?1 AND created_at >= ?2 ORDER BY "
                                         "id"));
        events.bind_all(wf.trigger.name, to_unix(floor_at));
        struct Ev {
            std::int64_t id;
            std::string title;
            Instant at;
            std::string by, detail;
        };
        std::vector<Ev> found;
        for (;;) {
            AARSHJUL_TRY_ASSIGN(bool row, events.step());
            if (!row)
                break;
            found.push_back({events.column_int64(0), events.column_text(1),
                             from_unix(events.column_int64(2)), events.column_text(3),
                             events.column_text(4)});
        }
        // Events recorded since the workflow was loaded; awareness may lie earlier.
        for (const auto& ev : found) {
            for (const Entity& entity : workflow_entities(wf, dir)) {
                AARSHJUL_TRY_ASSIGN(auto task,
                                    plan_occurrence(wf, dir, ctx, entity,
                                                    m_settings.zone.local_date(ev.at), ev.at,
                                                    first_step, "event-" + std::to_string(ev.id)));
                task.origin = "event";
                task.title += " (" + ev.title + ")";
                task.title_en += " (" + ev.title + ")";
                AARSHJUL_TRY_ASSIGN(auto created, materialise_one(task, now, stats));
                if (created && wf.has_on_event)
                    AARSHJUL_TRY(run_hook(*created, wf, "on_event",
                                          {{"event_id", std::to_string(ev.id)},
                                           {"title", ev.title},
                                           {"occurred_at", m_settings.zone.format_iso(ev.at)},
                                           {"reported_by", ev.by},
                                           {"detail", ev.detail},
                                           {"task_key", task.occurrence_key}},
                                          task.occurrence_key, now, nullptr));
            }
        }
    }

    if (wf.trigger.kind == Trigger::Kind::Completion) {
        // One occurrence per completed task of the other workflow ("1 month
        // after the notification"), keyed by that task.
        AARSHJUL_TRY_ASSIGN(auto done,
                            m_db.prepare("SELECT id, entity_id, completed_at, title FROM tasks "
                                         "WHERE workflow_id = ?1 AND state = 'done' AND "
                                         "completed_at >= ?2 ORDER BY id"));
        done.bind_all(wf.trigger.name, to_unix(floor_at));
        struct Done {
            std::int64_t id;
            std::string entity;
            Instant at;
            std::string title;
        };
        std::vector<Done> found;
        for (;;) {
            AARSHJUL_TRY_ASSIGN(bool row, done.step());
            if (!row)
                break;
            found.push_back({done.column_int64(0), done.column_text(1),
                             from_unix(done.column_int64(2)), done.column_text(3)});
        }
        for (const auto& d : found) {
            Entity entity = entity_of(wf, d.entity);
            if (wf.for_each.kind == ForEach::Kind::Once)
                entity = Entity{};
            AARSHJUL_TRY_ASSIGN(
                auto task, plan_occurrence(wf, dir, ctx, entity, m_settings.zone.local_date(d.at),
                                           d.at, first_step, "after-" + std::to_string(d.id)));
            task.origin = "completion";
            AARSHJUL_TRY(materialise_one(task, now, stats, d.id));
        }
    }

    if (!wf.steps.empty()) {
        // Approval chains: a completed step creates the next one, due at the
        // next meeting of its body after the completion.
        AARSHJUL_TRY_ASSIGN(auto steps,
                            m_db.prepare("SELECT id, occurrence_key, entity_id, step_index, "
                                         "completed_at, origin FROM tasks WHERE workflow_id = ?1 "
                                         "AND state = 'done' AND step_index IS NOT NULL AND "
                                         "completed_at >= ?2 ORDER BY id"));
        steps.bind_all(wf.id, to_unix(floor_at));
        struct Step {
            std::int64_t id;
            std::string key, entity;
            int index;
            Instant at;
        };
        std::vector<Step> found;
        for (;;) {
            AARSHJUL_TRY_ASSIGN(bool row, steps.step());
            if (!row)
                break;
            found.push_back({steps.column_int64(0), steps.column_text(1), steps.column_text(2),
                             static_cast<int>(steps.column_int64(3)),
                             from_unix(steps.column_int64(4))});
        }
        for (const auto& s : found) {
            if (s.index + 1 >= static_cast<int>(wf.steps.size()))
                continue;
            // "WF|entity|occurrence#STEP" -> "occurrence"
            std::string occurrence = s.key.substr(s.key.rfind('|') + 1);
            occurrence = occurrence.substr(0, occurrence.find('#'));
            AARSHJUL_TRY_ASSIGN(auto task, plan_occurrence(wf, dir, ctx, entity_of(wf, s.entity),
                                                           m_settings.zone.local_date(s.at),
                                                           std::nullopt, s.index + 1, occurrence));
            task.origin = "chain";
            AARSHJUL_TRY(materialise_one(task, now, stats, s.id));
        }
    }

    if (wf.trigger.kind == Trigger::Kind::Meetings && wf.horizon_check)
        AARSHJUL_TRY(materialise_horizon_check(wf, now, stats));
    return {};
}

Result<void> Engine::materialise_calendar(const WorkflowDef& wf, LocalDate floor, Instant now,
                                          MaterialiseStats& stats) {
    const LocalDate today = m_settings.zone.local_date(now);
    const LocalDate horizon = today + date::days{m_settings.horizon_days};
    // Look back far enough that a due date on or after the floor is found.
    const LocalDate window_from = floor - date::days{std::max(0, wf.due_days) + 400};

    const std::string fingerprint = plan_fingerprint(wf);
    std::optional<LocalDate> planned_through;
    {
        AARSHJUL_TRY_ASSIGN(auto last, m_db.cached("SELECT plan_fingerprint, planned_through FROM "
                                                   "workflows WHERE id = ?1"));
        last->bind_all(wf.id);
        AARSHJUL_TRY_ASSIGN(bool row, last->step());
        if (row && !fingerprint.empty() && !last->column_is_null(0) &&
            last->column_text(0) == fingerprint && !last->column_is_null(1))
            planned_through = parse_local_date(last->column_text(1));
    }
    // Nothing the planner reads has changed since it planned up to
    // `planned_through`: the dates after it are all that is new (measured: a
    // national directory re-planned 600,000 known occurrences every day).
    const bool incremental = planned_through.has_value();
    const LocalDate from =
        incremental ? std::max(window_from, *planned_through + date::days{1}) : window_from;

    // A full pass withdraws the open tasks of its window that the definition
    // no longer produces: those left here once every planned key is struck out.
    std::unordered_map<std::string, std::int64_t> unplanned;
    if (!incremental) {
        AARSHJUL_TRY_ASSIGN(
            auto open_st,
            m_db.prepare(std::string("SELECT id, occurrence_key FROM tasks WHERE workflow_id = "
                                     "?1 AND nominal_date >= ?2 AND origin = 'plan' AND "
                                     "COALESCE(step_index, 0) = 0 AND ") +
                         std::string(kNonTerminal)));
        open_st.bind_all(wf.id, format_local_date(window_from));
        for (;;) {
            AARSHJUL_TRY_ASSIGN(bool row, open_st.step());
            if (!row)
                break;
            unplanned.emplace(open_st.column_text(1), open_st.column_int64(0));
        }
    }
    const Lookup lookup = incremental ? Lookup::InsertOnly : Lookup::Read;
    AARSHJUL_TRY(plan_workflow(wf, m_defs->directory, plan_context(), from, horizon,
                               [&](PlannedTask&& task) -> Result<void> {
                                   if (!unplanned.empty())
                                       unplanned.erase(task.occurrence_key);
                                   if (task.due < floor)
                                       return {}; // past when the workflow was first loaded
                                   AARSHJUL_TRY(
                                       materialise_one(task, now, stats, std::nullopt, lookup));
                                   return {};
                               }));
    std::vector<std::int64_t> stale;
    stale.reserve(unplanned.size());
    for (const auto& [key, id] : unplanned)
        stale.push_back(id);
    std::sort(stale.begin(), stale.end());
    AARSHJUL_TRY(cancel_tasks(stale, now, "the workflow no longer produces it", stats));

    AARSHJUL_TRY_ASSIGN(auto mark,
                        m_db.cached("UPDATE workflows SET plan_fingerprint = ?2, planned_through = "
                                    "CASE WHEN ?3 AND planned_through > ?4 THEN planned_through "
                                    "ELSE ?4 END WHERE id = ?1"));
    mark->bind_all(wf.id);
    mark->bind(2, fingerprint.empty() ? std::optional<std::string>{} : fingerprint);
    mark->bind(3, incremental ? 1 : 0);
    mark->bind(4, format_local_date(horizon));
    return mark->run();
}

Result<void> Engine::materialise_from_completion(const WorkflowDef& wf, LocalDate floor,
                                                 Instant now, MaterialiseStats& stats) {
    const PlanContext ctx = plan_context();
    const Directory& dir = m_defs->directory;
    const LocalDate today = m_settings.zone.local_date(now);
    AARSHJUL_TRY_ASSIGN(auto open_st,
                        m_db.prepare(std::string("SELECT COUNT(*) FROM tasks WHERE workflow_id = "
                                                 "?1 AND entity_id = ?2 AND ") +
                                     std::string(kNonTerminal)));
    AARSHJUL_TRY_ASSIGN(auto last_st,
                        m_db.prepare("SELECT MAX(completed_at) FROM tasks WHERE workflow_id = ?1 "
                                     "AND entity_id = ?2 AND state = 'done'"));
    for (const Entity& entity : workflow_entities(wf, dir)) {
        open_st.reset();
        open_st.bind_all(wf.id, entity.id);
        AARSHJUL_TRY(open_st.step());
        if (open_st.column_int64(0) > 0)
            continue; // one open occurrence at a time
        last_st.reset();
        last_st.bind_all(wf.id, entity.id);
        AARSHJUL_TRY(last_st.step());
        LocalDate nominal;
        if (!last_st.column_is_null(0)) {
            // "At least every N": counted from the last completion, planned or ad hoc.
            const LocalDate done_on =
                m_settings.zone.local_date(from_unix(last_st.column_int64(0)));
            nominal = wf.interval.unit == Offset::Unit::Months
                          ? add_months_clamped(done_on, wf.interval.amount)
                          : done_on + date::days{wf.interval.amount};
        } else {
            // The first occurrence comes from the calendar.
            auto dates = expand_dates(schedule_for(wf, entity), floor - date::days{400},
                                      today + date::days{m_settings.horizon_days});
            if (!dates.ok())
                return Error::at(wf.file, wf.line,
                                 "workflow " + wf.id + ": " + dates.error().message);
            std::optional<LocalDate> first;
            for (LocalDate d : *dates) {
                auto probe = plan_occurrence(wf, dir, ctx, entity, d, std::nullopt, std::nullopt);
                if (probe.ok() && probe->due >= floor) {
                    first = d;
                    break;
                }
            }
            if (!first)
                continue;
            nominal = *first;
        }
        AARSHJUL_TRY_ASSIGN(
            auto task, plan_occurrence(wf, dir, ctx, entity, nominal, std::nullopt,
                                       wf.steps.empty() ? std::nullopt : std::optional<int>(0)));
        AARSHJUL_TRY(materialise_one(task, now, stats));
    }
    return {};
}

Result<void> Engine::materialise_horizon_check(const WorkflowDef& wf, Instant now,
                                               MaterialiseStats& stats) {
    const Directory& dir = m_defs->directory;
    const Body* body = dir.find_body(wf.trigger.name);
    const LocalDate today = m_settings.zone.local_date(now);
    const LocalDate needed = add_months_clamped(today, wf.horizon_check->months);
    std::optional<LocalDate> last;
    if (body && !body->meetings.empty())
        last = body->meetings.back();
    if (last && *last >= needed)
        return {};
    // One task per state of the calendar: booking new dates (and reloading)
    // makes the next check a new occurrence.
    PlannedTask task;
    task.workflow = &wf;
    task.origin = "horizon";
    task.occurrence_key =
        occurrence_key(wf.id, "horizon", last ? format_local_date(*last) : "none");
    // Its dates were fixed when it was created; recomputing them from today
    // would move the deadline every day.
    AARSHJUL_TRY_ASSIGN(auto existing,
                        m_db.prepare("SELECT 1 FROM tasks WHERE occurrence_key = ?1"));
    existing.bind_all(task.occurrence_key);
    AARSHJUL_TRY_ASSIGN(bool exists, existing.step());
    if (exists) {
        ++stats.unchanged;
        return {};
    }
    task.nominal = today;
    task.start = today;
    task.due = today + date::days{14};
    const std::string name = body ? body->name : wf.trigger.name;
    const std::string until = last ? format_local_date(*last) : "ingen datoer";
    task.title = "Book møder: " + name + " (kalenderen rækker til " + until + ")";
    task.title_en = "Book meetings: " + name + " (calendar ends " + until + ")";
    AARSHJUL_TRY_ASSIGN(task.assignee,
                        resolve_person(wf.horizon_check->assignee, dir, Entity{}, today, wf));
    AARSHJUL_TRY(materialise_one(task, now, stats));
    return {};
}

Result<std::optional<std::int64_t>> Engine::materialise_one(const PlannedTask& planned, Instant now,
                                                            MaterialiseStats& stats,
                                                            std::optional<std::int64_t> parent,
                                                            Lookup lookup) {
    AARSHJUL_TRY_ASSIGN(
        auto find,
        m_db.cached("SELECT id, state, definition_hash, assignee, title, "
                    "start_date, due_date, COALESCE(due_at, -1), COALESCE(title_en, '') FROM "
                    "tasks WHERE "
                    "occurrence_key = ?1"));
    bool exists = false;
    if (lookup == Lookup::Read) {
        find->bind_all(planned.occurrence_key);
        AARSHJUL_TRY_ASSIGN(exists, find->step());
    }

    const WorkflowDef& wf = *planned.workflow;
    const std::string start = format_local_date(planned.start);
    const std::string due = format_local_date(planned.due);
    const auto due_at =
        planned.due_at ? std::optional<std::int64_t>(to_unix(*planned.due_at)) : std::nullopt;

    if (!exists) {
        const TimingRules rules = timing_rules(wf);
        const TimingContext ctx = timing_context();
        TaskTiming timing = planned.due_at
                                ? TaskTiming::for_deadline(planned.start_at.value_or(now),
                                                           *planned.due_at, rules, ctx)
                                : TaskTiming::for_date(planned.start, planned.due, rules, ctx);
        auto next = next_action(timing, std::nullopt, now);
        // A task born past its opening is moved on by the very next tick.
        if (timing.state_at(now) != TaskState::Scheduled)
            next = now;
        AARSHJUL_TRY_ASSIGN(
            auto insert,
            m_db.cached(
                "INSERT INTO tasks(occurrence_key, workflow_id, entity_id, nominal_date, "
                "title, assignee, start_date, due_date, state, next_action_at, "
                "definition_hash, created_at, updated_at, origin, start_at, due_at, "
                "step_index, parent_task_id, note, title_en) VALUES(?1, ?2, ?3, ?4, ?5, ?6, "
                "?7, ?8, 'scheduled', ?9, ?10, ?11, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18) "
                "ON CONFLICT(occurrence_key) DO NOTHING"));
        insert->bind_all(planned.occurrence_key, wf.id, planned.entity_id,
                         format_local_date(planned.nominal), planned.title, planned.assignee, start,
                         due);
        insert->bind(9, next ? std::optional<std::int64_t>(to_unix(*next)) : std::nullopt);
        insert->bind(10, wf.content_hash);
        insert->bind(11, to_unix(now));
        insert->bind(12, planned.origin);
        insert->bind(13, planned.start_at ? std::optional<std::int64_t>(to_unix(*planned.start_at))
                                          : std::nullopt);
        insert->bind(14, due_at);
        insert->bind(15, planned.step_index);
        insert->bind(16, parent);
        insert->bind(17, planned.note.empty() ? std::optional<std::string>{} : planned.note);
        insert->bind(18, planned.title_en);
        AARSHJUL_TRY(insert->run());
        if (m_db.changes() == 0) {
            ++stats.unchanged; // InsertOnly: the task was there already
            return std::optional<std::int64_t>{};
        }
        ++stats.created;
        const std::int64_t id = m_db.last_insert_rowid();
        std::string detail = "assignee " + planned.assignee + ", due " +
                             (planned.due_at ? m_settings.zone.format_iso(*planned.due_at) : due);
        if (!planned.note.empty())
            detail += "; " + planned.note;
        AARSHJUL_TRY(add_event(id, now, "created", "", detail));
        return std::optional<std::int64_t>(id);
    }

    const std::int64_t id = find->column_int64(0);
    const auto state = task_state_from_string(find->column_text(1)).value_or(TaskState::Scheduled);
    if (is_terminal(state)) {
        ++stats.unchanged;
        return std::optional<std::int64_t>{};
    }
    const bool same = find->column_text(2) == wf.content_hash &&
                      find->column_text(3) == planned.assignee &&
                      find->column_text(4) == planned.title && find->column_text(5) == start &&
                      find->column_text(6) == due && find->column_int64(7) == due_at.value_or(-1) &&
                      find->column_text(8) == planned.title_en;
    if (same) {
        ++stats.unchanged;
        return std::optional<std::int64_t>{};
    }
    // The definition changed: rewrite the task and let the next tick recompute
    // its state and reminders from the new dates.
    AARSHJUL_TRY_ASSIGN(auto update,
                        m_db.cached("UPDATE tasks SET title = ?2, assignee = ?3, start_date = ?4, "
                                    "due_date = ?5, definition_hash = ?6, next_action_at = ?7, "
                                    "updated_at = ?7, due_at = ?8, title_en = ?9 WHERE id = ?1"));
    update->bind_all(id, planned.title, planned.assignee, start, due, wf.content_hash,
                     to_unix(now));
    update->bind(8, due_at);
    update->bind(9, planned.title_en);
    AARSHJUL_TRY(update->run());
    ++stats.updated;
    AARSHJUL_TRY(add_event(id, now, "updated", "",
                           "definition changed: assignee " + planned.assignee + ", due " + due));
    return std::optional<std::int64_t>{};
}

// A row of `tasks` whose next action is due.
struct Engine::DueRow {
    std::int64_t id;
    std::string key, workflow_id, entity_id, title, title_en, assignee;
    LocalDate start, due;
    std::optional<std::int64_t> start_at, due_at;
    TaskState state;
    std::optional<std::int64_t> last_reminder_at;
    int escalations_sent;
};

// A notice decided during one tick; queued (or grouped into a digest) at its end.
struct Engine::Pending {
    std::int64_t task_id;
    std::string task_key;
    std::string kind; // reminder, due, overdue, new, escalation
    std::string recipient;
    std::string slot; // the local date (or rung) that makes the key unique
    NoticeFacts facts;
    bool urgent = false; // hour-based duties are never folded into a digest
};

Result<TickStats> Engine::tick() {
    TickStats stats;
    const Instant now = m_clock.now();
    AARSHJUL_TRY_ASSIGN(auto tx, Transaction::begin(m_db));
    AARSHJUL_TRY_ASSIGN(
        auto select,
        // INDEXED BY: without it SQLite walks the whole table in id order to
        // satisfy ORDER BY id (measured: a wake-up cost grew with the number of
        // tasks stored, bench/RESULTS.md); the index yields only the due rows,
        // which are then sorted.
        m_db.cached("SELECT id, occurrence_key, workflow_id, entity_id, title, "
                    "assignee, start_date, due_date, state, last_reminder_at, "
                    "start_at, due_at, escalations_sent, COALESCE(title_en, title) FROM "
                    "tasks INDEXED BY tasks_next_action WHERE "
                    "next_action_at IS NOT NULL AND next_action_at <= ?1 AND id "
                    "> ?2 ORDER BY id LIMIT ?3"));
    std::vector<Pending> notices;
    std::int64_t after_id = 0;
    for (;;) {
        select->reset();
        select->bind_all(to_unix(now), after_id, kTickBatch);
        std::vector<DueRow> rows;
        for (;;) {
            AARSHJUL_TRY_ASSIGN(bool row, select->step());
            if (!row)
                break;
            DueRow d;
            d.id = select->column_int64(0);
            d.key = select->column_text(1);
            d.workflow_id = select->column_text(2);
            d.entity_id = select->column_text(3);
            d.title = select->column_text(4);
            d.assignee = select->column_text(5);
            d.start = parse_local_date(select->column_text(6)).value_or(LocalDate{});
            d.due = parse_local_date(select->column_text(7)).value_or(LocalDate{});
            d.state = task_state_from_string(select->column_text(8)).value_or(TaskState::Scheduled);
            d.last_reminder_at = select->column_optional_int64(9);
            d.start_at = select->column_optional_int64(10);
            d.due_at = select->column_optional_int64(11);
            d.escalations_sent = static_cast<int>(select->column_int64(12));
            d.title_en = select->column_text(13);
            rows.push_back(std::move(d));
        }
        for (const auto& row : rows) {
            AARSHJUL_TRY(process_row(row, now, stats, notices));
            after_id = row.id;
        }
        if (static_cast<int>(rows.size()) < kTickBatch)
            break;
    }
    AARSHJUL_TRY(queue_notices(notices, now, stats));
    AARSHJUL_TRY(tx.commit());
    return stats;
}

Result<std::optional<std::string>> Engine::blocking_task(const WorkflowDef& wf,
                                                         std::string_view due_date) {
    if (wf.depends_on.empty())
        return std::optional<std::string>{};
    AARSHJUL_TRY_ASSIGN(auto st,
                        m_db.prepare("SELECT occurrence_key, state FROM tasks WHERE workflow_id = "
                                     "?1 AND nominal_date <= ?2 AND state <> 'cancelled' ORDER BY "
                                     "nominal_date DESC, id DESC LIMIT 1"));
    for (const auto& dep : wf.depends_on) {
        st.reset();
        st.bind_all(dep, due_date);
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            continue;
        auto state = task_state_from_string(st.column_text(1)).value_or(TaskState::Scheduled);
        if (state != TaskState::Done && state != TaskState::Waived)
            return std::optional<std::string>{st.column_text(0)};
    }
    return std::optional<std::string>{};
}

Result<void> Engine::process_row(const DueRow& row, Instant now, TickStats& stats,
                                 std::vector<Pending>& notices) {
    AARSHJUL_TRY_ASSIGN(auto update,
                        m_db.cached("UPDATE tasks SET state = ?2, next_action_at = ?3, "
                                    "reminders_sent = reminders_sent + ?4, last_reminder_at = "
                                    "?5, updated_at = ?6, escalations_sent = ?7, blocked_by = ?8 "
                                    "WHERE id = ?1"));
    const WorkflowDef* wf = find_workflow(row.workflow_id);
    if (!wf || is_terminal(row.state)) {
        // Nothing to do until materialise() decides about a removed workflow.
        update->bind_all(row.id, std::string(to_string(row.state)));
        update->bind(3, nullptr);
        update->bind(4, 0);
        update->bind(5, row.last_reminder_at);
        update->bind(6, to_unix(now));
        update->bind(7, row.escalations_sent);
        update->bind(8, nullptr);
        return update->run();
    }
    const TimingRules rules = timing_rules(*wf);
    const TimingContext ctx = timing_context();
    TaskTiming timing = row.due_at ? TaskTiming::for_deadline(from_unix(row.start_at.value_or(0)),
                                                              from_unix(*row.due_at), rules, ctx)
                                   : TaskTiming::for_date(row.start, row.due, rules, ctx);

    TaskState state = timing.state_at(now);
    if (row.escalations_sent > 0 && state == TaskState::Overdue)
        state = TaskState::Escalated;
    if (state != row.state) {
        for (TaskState s : crossed_states(row.state, state)) {
            ++stats.transitions;
            AARSHJUL_TRY(add_event(row.id, now, to_string(s), "", ""));
        }
        const bool became_overdue = row.state < TaskState::Overdue && state >= TaskState::Overdue;
        if (became_overdue && wf->has_on_overdue)
            AARSHJUL_TRY(run_hook(row.id, *wf, "on_overdue",
                                  {{"task_id", std::to_string(row.id)},
                                   {"key", row.key},
                                   {"title", row.title},
                                   {"assignee", row.assignee},
                                   {"system", row.entity_id},
                                   {"due", format_local_date(row.due)}},
                                  row.key, now, &stats.hook_failures));
    }

    NoticeFacts facts;
    facts.task_id = row.id;
    facts.task_key = row.key;
    facts.assignee = row.assignee;
    facts.title = row.title;
    facts.title_en = row.title_en;
    facts.due = row.due;
    if (row.due_at)
        facts.due_at = from_unix(*row.due_at);
    if (m_defs)
        if (const System* system = m_defs->directory.find_system(row.entity_id))
            facts.system = system->name;
    facts.workflow = wf;

    // Reminders wait while a dependency is unfinished; deadlines and
    // escalations do not.
    AARSHJUL_TRY_ASSIGN(auto blocked, blocking_task(*wf, format_local_date(row.due)));
    std::optional<Instant> last_slot;
    if (row.last_reminder_at)
        last_slot = from_unix(*row.last_reminder_at);
    int sent = 0;
    if (!blocked) {
        // Several missed slots (downtime) become one notice: the latest one.
        if (auto slot = timing.last_slot_in(last_slot, now)) {
            facts.slot = *slot;
            facts.merged = timing.slots_in(last_slot, now);
            notices.push_back({row.id, row.key, std::string(to_string(slot->kind)), row.assignee,
                               format_local_date(slot->day), facts, row.due_at.has_value()});
            last_slot = slot->at;
            sent = 1;
        }
    }

    // Missed escalations are never merged: every rung that fell due is sent.
    int escalations = row.escalations_sent;
    const auto& ladder = wf->escalate_is_default ? m_settings.default_escalation : wf->escalate;
    while (auto at = timing.escalation_at(escalations)) {
        if (*at > now)
            break;
        const EscalationStep& step = ladder.at(static_cast<size_t>(escalations));
        // A system role on a task without a system falls to the next rung's role.
        Result<std::string> target = make_error("no escalation target");
        for (size_t r = static_cast<size_t>(escalations); r < ladder.size() && !target.ok(); ++r)
            target = resolve_person(ladder[r].to, m_defs->directory, entity_of(*wf, row.entity_id),
                                    m_settings.zone.local_date(now), *wf);
        ++escalations;
        if (target.ok()) {
            facts.slot = ReminderSlot{ReminderSlot::Kind::Overdue, m_settings.zone.local_date(*at),
                                      *at, step.after_days_overdue};
            facts.escalation_rung = escalations;
            if (const Person* p = m_defs->directory.find_person(row.assignee))
                facts.assignee_name = p->name;
            notices.push_back({row.id, row.key, "escalation", *target,
                               "rung" + std::to_string(escalations), facts,
                               row.due_at.has_value()});
            facts.escalation_rung = 0;
        }
        ++stats.escalations;
        AARSHJUL_TRY(add_event(row.id, now, "escalated", "",
                               "rung " + std::to_string(escalations) + " to " +
                                   (target.ok() ? *target : target.error().message)));
        state = TaskState::Escalated;
    }

    std::optional<Instant> next = timing.next_transition_after(now);
    auto consider = [&](std::optional<Instant> t) {
        if (t && (!next || *t < *next))
            next = std::max(*t, now + std::chrono::seconds{1});
    };
    if (!blocked)
        if (auto slot = timing.next_slot_after(last_slot))
            consider(slot->at);
    consider(timing.escalation_at(escalations));

    update->bind_all(row.id, std::string(to_string(state)));
    update->bind(3, next ? std::optional<std::int64_t>(to_unix(*next)) : std::nullopt);
    update->bind(4, sent);
    update->bind(5, last_slot ? std::optional<std::int64_t>(to_unix(*last_slot)) : std::nullopt);
    update->bind(6, to_unix(now));
    update->bind(7, escalations);
    update->bind(8, blocked);
    return update->run();
}

Result<const ActionLinks*> Engine::action_links() {
    if (m_settings.public_url.empty())
        return static_cast<const ActionLinks*>(nullptr);
    if (!m_links) {
        AARSHJUL_TRY_ASSIGN(std::string key, load_or_create_link_key(m_db));
        m_links = std::make_unique<ActionLinks>(std::move(key), m_settings.public_url);
    }
    return static_cast<const ActionLinks*>(m_links.get());
}

NoticeRecipient Engine::recipient_of(const std::string& id) const {
    if (m_defs) {
        if (const Body* body = body_recipient(m_defs->directory, id))
            return {id, body->name, "da"};
        if (const Person* p = m_defs->directory.find_person(id))
            return {id, p->name, p->language};
    }
    return {id, id, "da"};
}

std::vector<std::string> Engine::channels_for(const std::string& recipient,
                                              const WorkflowDef* wf) const {
    // A committee hears of escalations in its own channel (a team's webhook).
    if (m_defs)
        if (const Body* body = body_recipient(m_defs->directory, recipient))
            return {body->channel};
    // A workflow may insist on its channels (an incident goes to mail and chat).
    if (wf && !wf->channels.empty())
        return wf->channels;
    const Person* p = m_defs ? m_defs->directory.find_person(recipient) : nullptr;
    return p && !p->channels.empty() ? p->channels : m_settings.default_channels;
}

Result<void> Engine::queue_notices(std::vector<Pending>& notices, Instant now, TickStats& stats) {
    const NoticeTemplates& templates =
        m_settings.templates ? *m_settings.templates : NoticeTemplates::builtin();
    AARSHJUL_TRY_ASSIGN(const ActionLinks* links, action_links());
    const std::int64_t expires =
        to_unix(now) + std::int64_t{m_settings.link_valid_days} * 24 * 3600;
    const LocalDate expires_day = m_settings.zone.local_date(from_unix(expires));

    // The links of one notice for its recipient. A committee's channel gets no
    // personal one-click link: nobody there completes as "the body".
    auto links_of = [&](const Pending& n, const NoticeRecipient& to) {
        NoticeLinks out;
        if (links && !body_recipient(m_defs->directory, to.id))
            out.complete = links->link({n.task_id, to.id, expires});
        if (!m_settings.public_url.empty())
            out.task = m_settings.public_url + "/api/v1/tasks/" + std::to_string(n.task_id);
        return out;
    };
    // The links in the text: the task's one-click link (none for a digest as
    // a whole) and the recipient's own page, "Mine opgaver", for people only.
    auto personal_of = [&](const Pending* n, const NoticeRecipient& to) {
        RecipientLinks out;
        out.expires = expires_day;
        if (n)
            out.complete = links_of(*n, to).complete;
        if (links && !body_recipient(m_defs->directory, to.id))
            out.my_tasks = links->personal_link(PersonalLink::MyTasks, to.id, expires);
        return out;
    };
    auto values = [&](const Pending& n, const NoticeRecipient& to) {
        return notice_data(n.facts, to, m_settings.zone, m_settings.organisation,
                           personal_of(&n, to));
    };
    auto enqueue_row = [&](const std::string& key, std::optional<std::int64_t> task_id,
                           const std::string& kind, const std::string& channel,
                           const std::string& person, const NoticeText& text,
                           const std::string& facts) -> Result<void> {
        OutboxNotice notice;
        notice.key = key + "#" + channel + "#" + person;
        notice.task_id = task_id;
        notice.kind = kind;
        notice.channel = channel;
        notice.recipient = person;
        notice.subject = text.subject;
        notice.body = text.body;
        notice.html_body = text.html;
        notice.facts_json = facts;
        notice.created_at = to_unix(now);
        AARSHJUL_TRY(m_store->outbox().enqueue(notice));
        return {};
    };

    // Group by recipient and channels: a person who wants digests and has
    // several notices at this instant gets one digest per set of channels.
    using Group = std::pair<std::string, std::vector<std::string>>;
    std::map<Group, std::vector<const Pending*>> groups, urgent;
    for (const auto& n : notices) {
        Group g{n.recipient, channels_for(n.recipient, n.facts.workflow)};
        (n.urgent ? urgent : groups)[g].push_back(&n);
    }
    for (auto& [group, list] : urgent) {
        auto& rest = groups[group];
        rest.insert(rest.begin(), list.begin(), list.end());
    }
    for (const auto& [group, list] : groups) {
        const auto& [person, channels] = group;
        const NoticeRecipient to = recipient_of(person);
        const Person* p = m_defs ? m_defs->directory.find_person(person) : nullptr;
        const bool any_urgent =
            std::any_of(list.begin(), list.end(), [](const Pending* n) { return n->urgent; });
        const bool digest =
            m_settings.digest && !any_urgent && list.size() > 1 && (!p || p->digest);
        if (!digest) {
            for (const Pending* n : list) {
                const NoticeText text =
                    templates.render(n->kind == "escalation" ? "escalation" : "reminder",
                                     to.language, values(*n, to));
                const std::string facts =
                    facts_json({{&n->facts, links_of(*n, to)}}, to, m_settings.zone);
                for (const auto& channel : channels)
                    AARSHJUL_TRY(enqueue_row(n->task_key + "#" + n->kind + "@" + n->slot,
                                             n->task_id, n->kind, channel, person, text, facts));
                ++stats.reminders;
                AARSHJUL_TRY(add_event(n->task_id, now, "reminded", "",
                                       n->kind + " " + n->slot + " to " + person));
            }
            continue;
        }
        TemplateData data;
        add_recipient_data(data, to, m_settings.organisation, personal_of(nullptr, to));
        data.text["count"] = std::to_string(list.size());
        for (const Pending* n : list) {
            TemplateData item = values(*n, to);
            item.text["subject"] = templates.subject(
                n->kind == "escalation" ? "escalation" : "reminder", to.language, item);
            data.flags["any_link"] = data.flags["any_link"] || !item.text["link"].empty();
            if (!item.text["link_expires"].empty())
                data.text["link_expires"] = item.text["link_expires"];
            data.items.push_back(std::move(item));
        }
        const NoticeText text = templates.render("digest", to.language, data);
        std::vector<std::pair<const NoticeFacts*, NoticeLinks>> fact_items;
        for (const Pending* n : list)
            fact_items.emplace_back(&n->facts, links_of(*n, to));
        const std::string facts = facts_json(fact_items, to, m_settings.zone);
        std::string key = "digest|" + person + "|" + format_instant_utc(now) + "|";
        for (const auto& channel : channels)
            key += channel + (&channel == &channels.back() ? "" : "+");
        for (const auto& channel : channels)
            AARSHJUL_TRY(enqueue_row(key, std::nullopt, "digest", channel, person, text, facts));
        ++stats.reminders;
        for (const Pending* n : list)
            AARSHJUL_TRY(add_event(n->task_id, now, "reminded", "",
                                   n->kind + " " + n->slot + " to " + person + " in " + key));
    }
    notices.clear();
    return {};
}

Result<void> Engine::run_hook(std::int64_t task_id, const WorkflowDef& wf, std::string_view hook,
                              const std::map<std::string, std::string>& args,
                              std::string_view parent_key, Instant now, int* failures) {
    if (!m_hooks)
        return {};
    auto follow_ups = m_hooks(wf, hook, args);
    AARSHJUL_TRY_ASSIGN(auto mark, m_db.prepare("UPDATE tasks SET hook_error = ?2 WHERE id = ?1"));
    if (!follow_ups.ok()) {
        // A failing hook is recorded on the task and logged; it never stops the daemon.
        const std::string message = follow_ups.error().to_string();
        spdlog::error("workflow {}: {} failed: {}", wf.id, hook, message);
        mark.bind_all(task_id, std::string(hook) + ": " + message);
        AARSHJUL_TRY(mark.run());
        if (failures)
            ++*failures;
        return add_event(task_id, now, "hook_failed", "", std::string(hook) + ": " + message);
    }
    MaterialiseStats ignored;
    const LocalDate today = m_settings.zone.local_date(now);
    for (const auto& spec : *follow_ups) {
        PlannedTask task;
        task.workflow = &wf;
        task.origin = "hook";
        task.occurrence_key = std::string(parent_key) + "/" + spec.id;
        task.nominal = today;
        task.title = spec.title.in("da");
        task.title_en = spec.title.in("en");
        switch (spec.due.unit) {
        case Offset::Unit::Hours:
            task.start_at = now;
            task.due_at = add_hours(now, spec.due.amount);
            task.due = m_settings.zone.local_date(*task.due_at);
            break;
        case Offset::Unit::Months:
            task.due = add_months_clamped(today, spec.due.amount);
            break;
        case Offset::Unit::BusinessDays: {
            LocalDate d = m_settings.calendar.roll_forward(today);
            for (int i = 0; i < spec.due.amount; ++i)
                d = m_settings.calendar.roll_forward(d + date::days{1});
            task.due = d;
            break;
        }
        case Offset::Unit::Days:
            task.due = today + date::days{spec.due.amount};
            break;
        }
        task.start = std::min(today, task.due);
        auto who = resolve_person(spec.assignee, m_defs->directory, Entity{}, today, wf);
        if (!who.ok()) {
            mark.reset();
            mark.bind_all(task_id, std::string(hook) + ": " + who.error().message);
            AARSHJUL_TRY(mark.run());
            AARSHJUL_TRY(add_event(task_id, now, "hook_failed", "", who.error().message));
            continue;
        }
        task.assignee = *who;
        AARSHJUL_TRY(materialise_one(task, now, ignored, task_id));
    }
    return {};
}

Result<std::int64_t> Engine::record_event(const EventRecord& event) {
    const Instant now = m_clock.now();
    std::int64_t id = 0;
    {
        AARSHJUL_TRY_ASSIGN(auto tx, Transaction::begin(m_db));
        AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("INSERT INTO events(type, title, occurred_at, "
                                                  "reported_by, detail, created_at) VALUES(?1, "
                                                  "?2, ?3, ?4, ?5, ?6)"));
        st.bind_all(event.type, event.title, to_unix(event.occurred_at), event.reported_by,
                    event.detail, to_unix(now));
        AARSHJUL_TRY(st.run());
        id = m_db.last_insert_rowid();
        AARSHJUL_TRY(tx.commit());
    }
    AARSHJUL_TRY(materialise());
    return id;
}

Result<std::optional<Instant>> Engine::next_wakeup() {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.cached("SELECT MIN(next_action_at) FROM tasks WHERE "
                                             "next_action_at IS NOT NULL"));
    AARSHJUL_TRY_ASSIGN(bool row, st->step());
    if (!row || st->column_is_null(0))
        return std::optional<Instant>{};
    return std::optional<Instant>{from_unix(st->column_int64(0))};
}

Result<std::optional<TaskRow>> Engine::find_task(std::string_view id_or_key) {
    const bool by_id = parse_id(id_or_key).has_value();
    AARSHJUL_TRY_ASSIGN(auto st,
                        m_db.prepare(std::string("SELECT ") + kTaskColumns + " FROM tasks WHERE " +
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
        return make_error(ErrorKind::Invalid,
                          "unknown person '" + std::string(by) + "' (not in " +
                              m_defs->directory.file + ")",
                          "by");
    const Instant now = m_clock.now();
    AARSHJUL_TRY_ASSIGN(auto tx, Transaction::begin(m_db));
    AARSHJUL_TRY_ASSIGN(auto found, find_task(task));
    if (!found)
        return make_error(ErrorKind::NotFound, "no task '" + std::string(task) + "'");
    if (is_terminal(found->state))
        return make_error(ErrorKind::Conflict, "task " + std::to_string(found->id) +
                                                   " is already " +
                                                   std::string(to_string(found->state)));
    const TaskState to = kind == CompletionKind::Done ? TaskState::Done : TaskState::Waived;
    if (const WorkflowDef* wf = find_workflow(found->workflow_id);
        wf && wf->evidence_required && kind == CompletionKind::Done && evidence.empty())
        return make_error(ErrorKind::Invalid,
                          "task " + std::to_string(found->id) + " (" + wf->id +
                              ") needs evidence: give a link or document reference (--evidence)",
                          "evidence");
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
    // Tasks waiting for this one are looked at again by the next tick.
    AARSHJUL_TRY_ASSIGN(auto unblock, m_db.prepare("UPDATE tasks SET next_action_at = ?2 WHERE "
                                                   "blocked_by = ?1 AND next_action_at IS NOT "
                                                   "NULL"));
    unblock.bind_all(found->occurrence_key, to_unix(now));
    AARSHJUL_TRY(unblock.run());
    if (const WorkflowDef* wf = find_workflow(found->workflow_id);
        wf && wf->has_on_complete && kind == CompletionKind::Done)
        AARSHJUL_TRY(run_hook(found->id, *wf, "on_complete",
                              {{"task_id", std::to_string(found->id)},
                               {"key", found->occurrence_key},
                               {"title", found->title},
                               {"assignee", found->assignee},
                               {"system", found->entity_id},
                               {"due", found->due_date},
                               {"completed_by", std::string(by)},
                               {"note", std::string(note)},
                               {"evidence", std::string(evidence)}},
                              found->occurrence_key, now, nullptr));
    AARSHJUL_TRY(tx.commit());
    // Completion can trigger chained workflows, the next approval step and
    // the next "from completion" occurrence.
    AARSHJUL_TRY(materialise());
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

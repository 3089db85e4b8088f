#include "engine/engine.h"

#include "audit/audit.h"
#include "auth/action_link.h"
#include "engine/notice_text.h"
#include "schedule/recurrence.h"
#include "store/event_log.h"
#include "store/outbox.h"
#include "store/reported_events.h"
#include "store/secrets.h"
#include "store/sqlite/sqlite_store.h"
#include "store/task_repository.h"
#include "store/workflow_registry.h"
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

std::optional<std::int64_t> parse_id(std::string_view text) {
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size())
        return std::nullopt;
    return id;
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

Engine::Engine(Store& store, const Clock& clock, EngineSettings settings)
    : m_store(store), m_clock(clock), m_settings(std::move(settings)) {}

Engine::Engine(Database& db, const Clock& clock, EngineSettings settings)
    : m_own_store(std::make_unique<SqliteStore>(db)), m_store(*m_own_store), m_clock(clock),
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
    AARSHJUL_TRY_ASSIGN(auto work, m_store.begin_write());
    for (const auto& wf : definitions->workflows)
        AARSHJUL_TRY(
            m_store.workflows().record({wf.id, wf.content_hash, wf.file}, today, to_unix(now)));
    AARSHJUL_TRY(work->commit());
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
        append_audit_event(m_store.event_log(), {0, task_id, to_unix(at), std::string(kind),
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
    AARSHJUL_TRY_ASSIGN(auto work, m_store.begin_write());
    for (const auto& wf : m_defs->workflows)
        AARSHJUL_TRY(materialise_workflow(wf, now, stats));

    // Open tasks of workflows that were removed from the set.
    AARSHJUL_TRY_ASSIGN(auto with_open, m_store.tasks().workflows_with_open_tasks());
    std::vector<std::int64_t> orphans;
    for (const auto& id : with_open) {
        const WorkflowDef* wf = find_workflow(id);
        if (wf && wf->enabled)
            continue;
        AARSHJUL_TRY_ASSIGN(auto ids, m_store.tasks().open_task_ids(id));
        orphans.insert(orphans.end(), ids.begin(), ids.end());
    }
    AARSHJUL_TRY(cancel_tasks(orphans, now, "the workflow was removed or switched off", stats));
    AARSHJUL_TRY(work->commit());
    return stats;
}

Result<void> Engine::cancel_tasks(const std::vector<std::int64_t>& ids, Instant now,
                                  std::string_view why, MaterialiseStats& stats) {
    for (auto id : ids) {
        AARSHJUL_TRY(m_store.tasks().cancel(id, to_unix(now)));
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
        return m_store.workflows().forget_plan(wf.id);
    }
    const LocalDate today = m_settings.zone.local_date(now);
    const PlanContext ctx = plan_context();
    const Directory& dir = m_defs->directory;

    AARSHJUL_TRY_ASSIGN(auto first_seen, m_store.workflows().first_seen(wf.id));
    LocalDate floor = today;
    if (first_seen)
        floor = parse_local_date(*first_seen).value_or(today);
    floor = std::max(floor, today - date::days{m_settings.catch_up_days});
    const Instant floor_at = m_settings.zone.start_of_day(floor);

    if (wf.cadence == Cadence::FromCompletion)
        return materialise_from_completion(wf, floor, now, stats);

    if (wf.trigger.kind == Trigger::Kind::Calendar || wf.trigger.kind == Trigger::Kind::Meetings)
        AARSHJUL_TRY(materialise_calendar(wf, floor, now, stats));

    const std::optional<int> first_step = wf.steps.empty() ? std::nullopt : std::optional<int>(0);
    if (wf.trigger.kind == Trigger::Kind::Event) {
        AARSHJUL_TRY_ASSIGN(auto events, m_store.reported_events().of_type_since(
                                             wf.trigger.name, to_unix(floor_at)));
        struct Ev {
            std::int64_t id;
            std::string title;
            Instant at;
            std::string by, detail;
        };
        std::vector<Ev> found;
        for (const auto& ev : events)
            found.push_back(
                {ev.id, ev.title, from_unix(ev.occurred_at), ev.reported_by, ev.detail});
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
                            m_store.tasks().done_since(wf.trigger.name, to_unix(floor_at),
                                                       TaskRepository::Steps::Any));
        struct Done {
            std::int64_t id;
            std::string entity;
            Instant at;
            std::string title;
        };
        std::vector<Done> found;
        for (const auto& t : done)
            found.push_back({t.id, t.entity_id, from_unix(t.completed_at.value_or(0)), t.title});
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
        AARSHJUL_TRY_ASSIGN(auto steps, m_store.tasks().done_since(wf.id, to_unix(floor_at),
                                                                   TaskRepository::Steps::Only));
        struct Step {
            std::int64_t id;
            std::string key, entity;
            int index;
            Instant at;
        };
        std::vector<Step> found;
        for (const auto& t : steps)
            found.push_back({t.id, t.occurrence_key, t.entity_id, t.step_index.value_or(0),
                             from_unix(t.completed_at.value_or(0))});
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
        AARSHJUL_TRY_ASSIGN(auto last, m_store.workflows().plan_mark(wf.id));
        if (!fingerprint.empty() && last.fingerprint == fingerprint && last.planned_through)
            planned_through = parse_local_date(*last.planned_through);
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
        AARSHJUL_TRY_ASSIGN(auto open,
                            m_store.tasks().open_planned(wf.id, format_local_date(window_from)));
        for (auto& [key, id] : open)
            unplanned.emplace(std::move(key), id);
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

    return m_store.workflows().set_plan_mark(
        wf.id, fingerprint.empty() ? std::optional<std::string>{} : fingerprint, incremental,
        format_local_date(horizon));
}

Result<void> Engine::materialise_from_completion(const WorkflowDef& wf, LocalDate floor,
                                                 Instant now, MaterialiseStats& stats) {
    const PlanContext ctx = plan_context();
    const Directory& dir = m_defs->directory;
    const LocalDate today = m_settings.zone.local_date(now);
    for (const Entity& entity : workflow_entities(wf, dir)) {
        AARSHJUL_TRY_ASSIGN(bool open, m_store.tasks().has_open_task(wf.id, entity.id));
        if (open)
            continue; // one open occurrence at a time
        AARSHJUL_TRY_ASSIGN(auto last_done, m_store.tasks().last_done_at(wf.id, entity.id));
        LocalDate nominal;
        if (last_done) {
            // "At least every N": counted from the last completion, planned or ad hoc.
            const LocalDate done_on = m_settings.zone.local_date(from_unix(*last_done));
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
    AARSHJUL_TRY_ASSIGN(bool exists, m_store.tasks().exists(task.occurrence_key));
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
    const WorkflowDef& wf = *planned.workflow;
    TaskDraft draft;
    draft.occurrence_key = planned.occurrence_key;
    draft.workflow_id = wf.id;
    draft.entity_id = planned.entity_id;
    draft.nominal_date = format_local_date(planned.nominal);
    draft.title = planned.title;
    draft.title_en = planned.title_en;
    draft.assignee = planned.assignee;
    draft.start_date = format_local_date(planned.start);
    draft.due_date = format_local_date(planned.due);
    if (planned.start_at)
        draft.start_at = to_unix(*planned.start_at);
    if (planned.due_at)
        draft.due_at = to_unix(*planned.due_at);
    draft.definition_hash = wf.content_hash;
    draft.origin = planned.origin;
    draft.step_index = planned.step_index;
    draft.parent_task_id = parent;
    if (!planned.note.empty())
        draft.note = planned.note;

    // The first action of a new task, computed only when it is new.
    auto first_action = [&]() -> std::optional<std::int64_t> {
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
        return next ? std::optional<std::int64_t>(to_unix(*next)) : std::nullopt;
    };
    AARSHJUL_TRY_ASSIGN(
        auto written, m_store.tasks().insert_or_update(draft, to_unix(now), lookup, first_action));
    switch (written.outcome) {
    case TaskWritten::Outcome::Unchanged:
        ++stats.unchanged;
        return std::optional<std::int64_t>{};
    case TaskWritten::Outcome::Created: {
        ++stats.created;
        std::string detail =
            "assignee " + planned.assignee + ", due " +
            (planned.due_at ? m_settings.zone.format_iso(*planned.due_at) : draft.due_date);
        if (!planned.note.empty())
            detail += "; " + planned.note;
        AARSHJUL_TRY(add_event(written.id, now, "created", "", detail));
        return std::optional<std::int64_t>(written.id);
    }
    case TaskWritten::Outcome::Updated:
        break;
    }
    ++stats.updated;
    AARSHJUL_TRY(
        add_event(written.id, now, "updated", "",
                  "definition changed: assignee " + planned.assignee + ", due " + draft.due_date));
    return std::optional<std::int64_t>{};
}

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
    AARSHJUL_TRY_ASSIGN(auto work, m_store.begin_write());
    std::vector<Pending> notices;
    std::int64_t after_id = 0;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(auto rows, m_store.tasks().due(to_unix(now), after_id, kTickBatch));
        for (const auto& row : rows) {
            AARSHJUL_TRY(process_row(row, now, stats, notices));
            after_id = row.id;
        }
        if (static_cast<int>(rows.size()) < kTickBatch)
            break;
    }
    AARSHJUL_TRY(queue_notices(notices, now, stats));
    AARSHJUL_TRY(work->commit());
    return stats;
}

Result<std::optional<std::string>> Engine::blocking_task(const WorkflowDef& wf,
                                                         std::string_view due_date) {
    return m_store.tasks().blocking_task(wf.depends_on, due_date);
}

Result<void> Engine::process_row(const TaskRow& row, Instant now, TickStats& stats,
                                 std::vector<Pending>& notices) {
    const LocalDate start = parse_local_date(row.start_date).value_or(LocalDate{});
    const LocalDate due = parse_local_date(row.due_date).value_or(LocalDate{});
    const WorkflowDef* wf = find_workflow(row.workflow_id);
    if (!wf || is_terminal(row.state)) {
        // Nothing to do until materialise() decides about a removed workflow.
        return m_store.tasks().save_progress(
            row.id, {row.state, std::nullopt, 0, row.last_reminder_at, row.escalations_sent, {}},
            to_unix(now));
    }
    const TimingRules rules = timing_rules(*wf);
    const TimingContext ctx = timing_context();
    TaskTiming timing = row.due_at ? TaskTiming::for_deadline(from_unix(row.start_at.value_or(0)),
                                                              from_unix(*row.due_at), rules, ctx)
                                   : TaskTiming::for_date(start, due, rules, ctx);

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
                                   {"key", row.occurrence_key},
                                   {"title", row.title},
                                   {"assignee", row.assignee},
                                   {"system", row.entity_id},
                                   {"due", format_local_date(due)}},
                                  row.occurrence_key, now, &stats.hook_failures));
    }

    NoticeFacts facts;
    facts.task_id = row.id;
    facts.task_key = row.occurrence_key;
    facts.assignee = row.assignee;
    facts.title = row.title;
    facts.title_en = row.title_en;
    facts.due = due;
    if (row.due_at)
        facts.due_at = from_unix(*row.due_at);
    if (m_defs)
        if (const System* system = m_defs->directory.find_system(row.entity_id))
            facts.system = system->name;
    facts.workflow = wf;

    // Reminders wait while a dependency is unfinished; deadlines and
    // escalations do not.
    AARSHJUL_TRY_ASSIGN(auto blocked, blocking_task(*wf, format_local_date(due)));
    std::optional<Instant> last_slot;
    if (row.last_reminder_at)
        last_slot = from_unix(*row.last_reminder_at);
    int sent = 0;
    if (!blocked) {
        // Several missed slots (downtime) become one notice: the latest one.
        if (auto slot = timing.last_slot_in(last_slot, now)) {
            facts.slot = *slot;
            facts.merged = timing.slots_in(last_slot, now);
            notices.push_back({row.id, row.occurrence_key, std::string(to_string(slot->kind)),
                               row.assignee, format_local_date(slot->day), facts,
                               row.due_at.has_value()});
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
            notices.push_back({row.id, row.occurrence_key, "escalation", *target,
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

    TaskProgress progress;
    progress.state = state;
    if (next)
        progress.next_action_at = to_unix(*next);
    progress.reminders_added = sent;
    if (last_slot)
        progress.last_reminder_at = to_unix(*last_slot);
    progress.escalations_sent = escalations;
    progress.blocked_by = blocked;
    return m_store.tasks().save_progress(row.id, progress, to_unix(now));
}

Result<const ActionLinks*> Engine::action_links() {
    if (m_settings.public_url.empty())
        return static_cast<const ActionLinks*>(nullptr);
    if (!m_links) {
        AARSHJUL_TRY_ASSIGN(std::string key, load_or_create_link_key(m_store.secrets()));
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
        AARSHJUL_TRY(m_store.outbox().enqueue(notice));
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
    if (!follow_ups.ok()) {
        // A failing hook is recorded on the task and logged; it never stops the daemon.
        const std::string message = follow_ups.error().to_string();
        spdlog::error("workflow {}: {} failed: {}", wf.id, hook, message);
        AARSHJUL_TRY(m_store.tasks().set_hook_error(task_id, std::string(hook) + ": " + message));
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
            AARSHJUL_TRY(m_store.tasks().set_hook_error(task_id, std::string(hook) + ": " +
                                                                     who.error().message));
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
        AARSHJUL_TRY_ASSIGN(auto work, m_store.begin_write());
        AARSHJUL_TRY_ASSIGN(id, m_store.reported_events().add(
                                    {0, event.type, event.title, to_unix(event.occurred_at),
                                     event.reported_by, event.detail, to_unix(now)}));
        AARSHJUL_TRY(work->commit());
    }
    AARSHJUL_TRY(materialise());
    return id;
}

Result<std::optional<Instant>> Engine::next_wakeup() {
    AARSHJUL_TRY_ASSIGN(auto at, m_store.tasks().next_wakeup());
    if (!at)
        return std::optional<Instant>{};
    return std::optional<Instant>{from_unix(*at)};
}

Result<std::optional<TaskRow>> Engine::find_task(std::string_view id_or_key) {
    if (auto id = parse_id(id_or_key))
        return m_store.tasks().find(*id);
    return m_store.tasks().find(id_or_key);
}

Result<TaskRow> Engine::complete(std::string_view task, std::string_view by, std::string_view note,
                                 std::string_view evidence, CompletionKind kind) {
    if (m_defs && !m_defs->directory.find_person(by))
        return make_error(ErrorKind::Invalid,
                          "unknown person '" + std::string(by) + "' (not in " +
                              m_defs->directory.file + ")",
                          "by");
    const Instant now = m_clock.now();
    AARSHJUL_TRY_ASSIGN(auto work, m_store.begin_write());
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
    AARSHJUL_TRY(
        m_store.tasks().complete(found->id, to, by, to_unix(now), note,
                                 evidence.empty() ? std::optional<std::string_view>{} : evidence));
    std::string detail(note);
    if (!evidence.empty())
        detail += (detail.empty() ? "" : " | ") + std::string("evidence: ") + std::string(evidence);
    AARSHJUL_TRY(add_event(found->id, now, kind == CompletionKind::Done ? "completed" : "waived",
                           by, detail));
    // Tasks waiting for this one are looked at again by the next tick.
    AARSHJUL_TRY(m_store.tasks().unblock(found->occurrence_key, to_unix(now)));
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
    AARSHJUL_TRY(work->commit());
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

// SPDX-License-Identifier: MPL-2.0
// Materialising: the tasks of the horizon, written idempotently from the
// workflows' plans, the completions and approval chains they follow, and the
// withdrawal of what a definition no longer produces.

#include "engine/engine.h"
#include "schedule/recurrence.h"
#include "store/task_repository.h"
#include "store/workflow_registry.h"
#include "util/error_kind.h"
#include "util/sha256.h"

#include <algorithm>
#include <unordered_map>

namespace aarshjul {

std::string Engine::plan_fingerprint(const WorkflowDef& wf) const {
    if (m_plan_inputs.empty())
        return {};
    return sha256_hex(m_plan_inputs + "\n" + wf.content_hash);
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

    // `also = on_event`: the ad-hoc occurrences beside the calendar.
    if (wf.also)
        AARSHJUL_TRY(materialise_events(wf, *wf.also, floor_at, now, stats));

    if (wf.cadence == Cadence::FromCompletion)
        return materialise_from_completion(wf, floor, now, stats);

    if (wf.trigger.kind == Trigger::Kind::Calendar || wf.trigger.kind == Trigger::Kind::Meetings)
        AARSHJUL_TRY(materialise_calendar(wf, floor, now, stats));

    const std::optional<int> first_step = wf.steps.empty() ? std::nullopt : std::optional<int>(0);
    if (wf.trigger.kind == Trigger::Kind::Event)
        AARSHJUL_TRY(materialise_events(wf, wf.trigger, floor_at, now, stats));

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
            // on_completion { "NIS2-NOT", outcome = "notified" }: only what was found so.
            if (wf.trigger.outcome.empty() || t.outcome == wf.trigger.outcome)
                found.push_back(
                    {t.id, t.entity_id, from_unix(t.completed_at.value_or(0)), t.title});
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
                // A date that cannot be planned is not taken as the first.
                ignore_error(probe, "probing for the first occurrence");
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

} // namespace aarshjul

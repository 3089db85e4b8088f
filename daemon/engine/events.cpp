// SPDX-License-Identifier: MPL-2.0
// Events: an event reported to the organisation with what is known about it
// (its facts), the tasks of the workflows whose facts hold, and corrections
// of the facts that withdraw or start clocks.

#include "engine/engine.h"
#include "store/read_queries.h"
#include "store/reported_events.h"
#include "store/task_repository.h"

#include <algorithm>
#include <set>

namespace aarshjul {

namespace {

bool iterates_entities(const WorkflowDef& wf) {
    return wf.for_each.kind == ForEach::Kind::Systems ||
           wf.for_each.kind == ForEach::Kind::Processors;
}

} // namespace

std::vector<Entity> Engine::event_entities(const WorkflowDef& wf, const EventFacts& facts) const {
    std::vector<Entity> all = workflow_entities(wf, m_defs->directory);
    if (!iterates_entities(wf))
        return all;
    // The systems the event names, and those its supplier processes data for;
    // for a per-processor workflow, the supplier.
    std::set<std::string> named;
    if (wf.for_each.kind == ForEach::Kind::Systems) {
        named.insert(facts.systems.begin(), facts.systems.end());
        for (const auto& p : m_defs->directory.processors)
            if (p.id == facts.supplier)
                named.insert(p.systems.begin(), p.systems.end());
    } else if (!facts.supplier.empty()) {
        named.insert(facts.supplier);
    }
    std::vector<Entity> out;
    for (auto& entity : all)
        if (named.count(entity.id))
            out.push_back(std::move(entity));
    return out;
}

Result<void> Engine::check_facts(std::string_view type, const EventFacts& facts) const {
    if (!valid_fact_answer(facts.personal_data))
        return make_error(ErrorKind::Invalid,
                          "personal_data must be yes, no or unknown (got '" + facts.personal_data +
                              "')",
                          "personal_data");
    if (!valid_fact_answer(facts.significant))
        return make_error(ErrorKind::Invalid,
                          "significant must be yes, no or unknown (got '" + facts.significant +
                              "')",
                          "significant");
    if (!m_defs)
        return {};
    const Directory& dir = m_defs->directory;
    for (const auto& system : facts.systems)
        if (!dir.find_system(system))
            return make_error(ErrorKind::Invalid,
                              "unknown system '" + system + "' (not in " + dir.file + ")",
                              "systems");
    const bool supplier_known =
        facts.supplier.empty() ||
        std::any_of(dir.processors.begin(), dir.processors.end(),
                    [&](const Processor& p) { return p.id == facts.supplier; });
    if (!supplier_known)
        return make_error(ErrorKind::Invalid,
                          "unknown supplier '" + facts.supplier + "' (no [[processor]] in " +
                              dir.file + ")",
                          "supplier");
    if (!facts.person.empty() && !dir.find_person(facts.person))
        return make_error(ErrorKind::Invalid,
                          "unknown person '" + facts.person + "' (not in " + dir.file + ")",
                          "person");
    // A per-system duty needs to know which system: without one it would
    // concern every system, or none.
    for (const auto& wf : m_defs->workflows)
        if (const Trigger* trigger = wf.event_trigger(type);
            wf.enabled && trigger && iterates_entities(wf) && trigger->facts.holds(facts) &&
            event_entities(wf, facts).empty())
            return make_error(
                ErrorKind::Invalid,
                "an event of type '" + std::string(type) + "' must name the " +
                    (wf.for_each.kind == ForEach::Kind::Systems ? "system or the supplier"
                                                                : "supplier") +
                    " it concerns (" + wf.id + " is per " +
                    (wf.for_each.kind == ForEach::Kind::Systems ? "system" : "processor") + ")",
                wf.for_each.kind == ForEach::Kind::Systems ? "systems" : "supplier");
    return {};
}

Result<void> Engine::materialise_events(const WorkflowDef& wf, const Trigger& trigger,
                                        Instant floor_at, Instant now, MaterialiseStats& stats) {
    const PlanContext ctx = plan_context();
    const Directory& dir = m_defs->directory;
    const std::optional<int> first_step = wf.steps.empty() ? std::nullopt : std::optional<int>(0);
    AARSHJUL_TRY_ASSIGN(auto events,
                        m_store.reported_events().of_type_since(trigger.name, to_unix(floor_at)));
    // Events recorded since the workflow was loaded; awareness may lie earlier.
    for (const auto& ev : events) {
        // Triage: only the clocks whose facts hold (unknown starts a clock
        // that asks for it, because a missed deadline cannot be undone).
        if (!trigger.facts.holds(ev.facts))
            continue;
        const Instant aware = from_unix(ev.occurred_at);
        for (const Entity& entity : event_entities(wf, ev.facts)) {
            AARSHJUL_TRY_ASSIGN(
                auto task, plan_occurrence(wf, dir, ctx, entity, m_settings.zone.local_date(aware),
                                           aware, first_step, "event-" + std::to_string(ev.id)));
            task.origin = "event";
            task.title += " (" + ev.title + ")";
            task.title_en += " (" + ev.title + ")";
            AARSHJUL_TRY_ASSIGN(auto created, materialise_one(task, now, stats));
            if (created && wf.has_on_event)
                AARSHJUL_TRY(queue_hook(*created, wf, "on_event",
                                        {{"event_id", std::to_string(ev.id)},
                                         {"title", ev.title},
                                         {"occurred_at", m_settings.zone.format_iso(aware)},
                                         {"reported_by", ev.reported_by},
                                         {"detail", ev.detail},
                                         {"personal_data", ev.facts.personal_data},
                                         {"significant", ev.facts.significant},
                                         {"system", entity.id},
                                         {"supplier", ev.facts.supplier},
                                         {"person", ev.facts.person},
                                         {"task_key", task.occurrence_key}},
                                        task.occurrence_key, now, ev.id));
        }
    }
    return {};
}

Result<std::int64_t> Engine::record_event(const EventRecord& event) {
    AARSHJUL_TRY(check_facts(event.type, event.facts));
    const Instant now = m_clock.now();
    std::int64_t id = 0;
    {
        AARSHJUL_TRY_ASSIGN(auto work, m_store.begin_write());
        StoredEvent stored{0,
                           event.type,
                           event.title,
                           to_unix(event.occurred_at),
                           event.reported_by,
                           event.detail,
                           to_unix(now)};
        stored.facts = event.facts;
        AARSHJUL_TRY_ASSIGN(id, m_store.reported_events().add(stored));
        AARSHJUL_TRY(work->commit());
    }
    AARSHJUL_TRY(materialise());
    return id;
}

Result<CorrectionOutcome> Engine::correct_event(std::int64_t id, const FactCorrection& correction) {
    if (m_defs && !m_defs->directory.find_person(correction.by))
        return make_error(
            ErrorKind::Invalid,
            "unknown person '" + correction.by + "' (not in " + m_defs->directory.file + ")", "by");
    if (correction.why.empty())
        return make_error(ErrorKind::Invalid, "a correction says why (--reason)", "reason");
    if (correction.facts.empty())
        return make_error(ErrorKind::Invalid,
                          "a correction names at least one fact (personal_data, significant, "
                          "systems, supplier, person)",
                          "facts");
    const Instant now = m_clock.now();
    CorrectionOutcome outcome;
    {
        AARSHJUL_TRY_ASSIGN(auto work, m_store.begin_write());
        AARSHJUL_TRY_ASSIGN(auto event, m_store.reported_events().find(id));
        if (!event)
            return make_error(ErrorKind::NotFound, "no event " + std::to_string(id));
        // Only what the correction names changes.
        const EventFacts facts = correction.facts.applied_to(event->facts);
        outcome.facts = facts;
        AARSHJUL_TRY(check_facts(event->type, facts));
        AARSHJUL_TRY(m_store.reported_events().update_facts(id, facts));
        // Each open task of a clock that no longer applies is withdrawn, with
        // the follow-ups and steps filed under it.
        AARSHJUL_TRY_ASSIGN(auto tasks, m_store.queries().tasks_of_event(id));
        std::vector<std::string> withdrawn_keys;
        for (const auto& task : tasks) {
            if (task.origin != "event")
                continue;
            const WorkflowDef* wf = find_workflow(task.workflow_id);
            const Trigger* trigger = wf ? wf->event_trigger(event->type) : nullptr;
            if (!trigger)
                continue;
            const auto why_not = trigger->facts.why_not(facts);
            bool entity_named = true;
            if (iterates_entities(*wf)) {
                const auto entities = event_entities(*wf, facts);
                entity_named = std::any_of(entities.begin(), entities.end(),
                                           [&](const Entity& e) { return e.id == task.entity_id; });
            }
            if (!why_not && entity_named)
                continue;
            withdrawn_keys.push_back(task.occurrence_key);
            if (is_terminal(task.state))
                continue;
            AARSHJUL_TRY(m_store.tasks().cancel(task.id, to_unix(now)));
            AARSHJUL_TRY(
                add_event(task.id, now, "withdrawn", correction.by,
                          (why_not ? *why_not : "the event no longer names " + task.entity_id) +
                              ": " + correction.why));
            ++outcome.withdrawn;
        }
        for (const auto& task : tasks) {
            if (task.origin == "event" || is_terminal(task.state))
                continue;
            for (const auto& key : withdrawn_keys)
                if (task.occurrence_key.rfind(key + "/", 0) == 0 ||
                    task.occurrence_key.rfind(key + "#", 0) == 0) {
                    AARSHJUL_TRY(m_store.tasks().cancel(task.id, to_unix(now)));
                    AARSHJUL_TRY(add_event(task.id, now, "withdrawn", correction.by,
                                           "its clock was withdrawn: " + correction.why));
                    ++outcome.withdrawn;
                    break;
                }
        }
        AARSHJUL_TRY(work->commit());
    }
    // Clocks that now apply start from the original time of awareness.
    AARSHJUL_TRY_ASSIGN(auto before, m_store.queries().tasks_of_event(id));
    AARSHJUL_TRY(materialise());
    AARSHJUL_TRY_ASSIGN(auto after, m_store.queries().tasks_of_event(id));
    outcome.started = static_cast<int>(after.size() - before.size());
    return outcome;
}

} // namespace aarshjul

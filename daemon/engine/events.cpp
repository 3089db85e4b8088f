// SPDX-License-Identifier: MPL-2.0
// Events: an event reported to the organisation, and the tasks of the
// workflows it triggers.

#include "engine/engine.h"
#include "store/reported_events.h"

namespace aarshjul {

Result<void> Engine::materialise_events(const WorkflowDef& wf, Instant floor_at, Instant now,
                                        MaterialiseStats& stats) {
    const PlanContext ctx = plan_context();
    const Directory& dir = m_defs->directory;
    const std::optional<int> first_step = wf.steps.empty() ? std::nullopt : std::optional<int>(0);
    AARSHJUL_TRY_ASSIGN(
        auto events, m_store.reported_events().of_type_since(wf.trigger.name, to_unix(floor_at)));
    // Events recorded since the workflow was loaded; awareness may lie earlier.
    for (const auto& ev : events) {
        const Instant aware = from_unix(ev.occurred_at);
        for (const Entity& entity : workflow_entities(wf, dir)) {
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
                                         {"task_key", task.occurrence_key}},
                                        task.occurrence_key, now, ev.id));
        }
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

} // namespace aarshjul

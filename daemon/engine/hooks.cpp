// SPDX-License-Identifier: MPL-2.0
// Hooks: a workflow's Lua hook run through the HookRunner, and the
// follow-up tasks it asks for.

#include "engine/engine.h"
#include "store/task_repository.h"

#include <algorithm>
#include <spdlog/spdlog.h>

namespace aarshjul {

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

} // namespace aarshjul

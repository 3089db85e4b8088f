// SPDX-License-Identifier: MPL-2.0
// The Engine facade: construction, definitions, the shared timing and
// entity helpers, and the reads the CLI and the API ask of it.

#include "engine/engine.h"

#include "audit/audit.h"
#include "auth/action_link.h"
#include "store/task_repository.h"
#include "store/workflow_registry.h"

#include <algorithm>
#include <charconv>

namespace aarshjul {

namespace {

std::optional<std::int64_t> parse_id(std::string_view text) {
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size())
        return std::nullopt;
    return id;
}

} // namespace

Engine::Engine(Store& store, const Clock& clock, EngineSettings settings)
    : m_store(store), m_clock(clock), m_settings(std::move(settings)) {}

Engine::Engine(std::unique_ptr<Store> store, const Clock& clock, EngineSettings settings)
    : m_own_store(std::move(store)), m_store(*m_own_store), m_clock(clock),
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

Result<PlannedTask> Engine::plan_follow_up(const WorkflowDef& wf, const FollowUpSpec& spec,
                                           std::string key, const Entity& entity,
                                           Instant now) const {
    const LocalDate today = m_settings.zone.local_date(now);
    PlannedTask task;
    task.workflow = &wf;
    task.occurrence_key = std::move(key);
    task.entity_id = entity.id;
    task.nominal = today;
    task.title = spec.title.in("da");
    task.title_en = spec.title.in("en");
    if (!entity.name.empty()) {
        task.title += ": " + entity.name;
        task.title_en += ": " + entity.name;
    }
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
    AARSHJUL_TRY_ASSIGN(task.assignee,
                        resolve_person(spec.assignee, m_defs->directory, entity, today, wf));
    return task;
}

} // namespace aarshjul

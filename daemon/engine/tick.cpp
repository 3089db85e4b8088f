// SPDX-License-Identifier: MPL-2.0
// The tick: every state change, reminder and escalation due at the clock's
// now, decided per task and saved in one unit of work with its notices.

#include "engine/engine.h"
#include "engine/pending_notice.h"
#include "store/task_repository.h"

#include <algorithm>

namespace aarshjul {

namespace {

// Rows processed per write transaction by `tick`; keeps each transaction short.
constexpr int kTickBatch = 512;

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
        if (became_overdue && wf->has_on_overdue) {
            AARSHJUL_TRY(queue_hook(row.id, *wf, "on_overdue",
                                    {{"task_id", std::to_string(row.id)},
                                     {"key", row.occurrence_key},
                                     {"title", row.title},
                                     {"assignee", row.assignee},
                                     {"system", row.entity_id},
                                     {"due", format_local_date(due)}},
                                    row.occurrence_key, now));
            ++stats.hooks_queued;
        }
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

} // namespace aarshjul

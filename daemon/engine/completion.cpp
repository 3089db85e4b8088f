// SPDX-License-Identifier: MPL-2.0
// Completion: a task done or waived with what it found (its outcome), the
// action plan that outcome asks for, the tasks waiting for it unblocked, and
// its on_complete hook queued.

#include "engine/engine.h"
#include "store/task_repository.h"

namespace aarshjul {

namespace {

// "ok, remarks or deviation"
std::string outcome_list(const WorkflowDef& wf) {
    std::string out;
    for (std::size_t i = 0; i < wf.outcomes.size(); ++i) {
        if (i > 0)
            out += i + 1 == wf.outcomes.size() ? " or " : ", ";
        out += wf.outcomes[i].id;
    }
    return out;
}

// The outcome `given` for completing `task` as `kind`: none, or one `wf` declares.
Result<const OutcomeDef*> check_outcome(const WorkflowDef* wf, const TaskRow& task,
                                        CompletionKind kind, std::string_view given) {
    const std::string which = "task " + std::to_string(task.id) + " (" + task.workflow_id + ")";
    const bool declared = wf && !wf->outcomes.empty() && takes_outcome(task);
    if (kind == CompletionKind::Waived || !declared) {
        if (given.empty())
            return static_cast<const OutcomeDef*>(nullptr);
        return make_error(ErrorKind::Invalid,
                          kind == CompletionKind::Waived
                              ? which + " is waived, so it has no outcome"
                              : which + " takes no outcome: its workflow declares none",
                          "outcome");
    }
    if (given.empty())
        return make_error(ErrorKind::Invalid,
                          which + " needs an outcome: " + outcome_list(*wf) + " (--outcome)",
                          "outcome");
    if (const OutcomeDef* o = wf->find_outcome(given))
        return o;
    return make_error(ErrorKind::Invalid,
                      which + ": unknown outcome '" + std::string(given) + "' (" +
                          outcome_list(*wf) + ")",
                      "outcome");
}

} // namespace

// An ad-hoc occurrence (`also = on_event`) done resets a from_completion
// cadence: the planned occurrence it stands in for is withdrawn, and
// materialise counts the next one from this completion.
Result<void> Engine::supersede_planned(const WorkflowDef& wf, const TaskRow& done,
                                       std::string_view by, Instant now) {
    AARSHJUL_TRY_ASSIGN(auto planned, m_store.tasks().open_planned(wf.id, ""));
    for (const auto& [key, id] : planned) {
        AARSHJUL_TRY_ASSIGN(auto task, m_store.tasks().find(id));
        if (!task || task->entity_id != done.entity_id)
            continue;
        AARSHJUL_TRY(m_store.tasks().cancel(id, to_unix(now)));
        AARSHJUL_TRY(add_event(id, now, "withdrawn", by,
                               "the ad-hoc occurrence, task " + std::to_string(done.id) +
                                   ", was done; the next is counted from it"));
    }
    return {};
}

Result<TaskRow> Engine::complete(std::string_view task, std::string_view by, std::string_view note,
                                 std::string_view evidence, CompletionKind kind,
                                 std::string_view outcome) {
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
    const WorkflowDef* wf = find_workflow(found->workflow_id);
    if (wf && wf->evidence_required && kind == CompletionKind::Done && evidence.empty())
        return make_error(ErrorKind::Invalid,
                          "task " + std::to_string(found->id) + " (" + wf->id +
                              ") needs evidence: give a link or document reference (--evidence)",
                          "evidence");
    AARSHJUL_TRY_ASSIGN(const OutcomeDef* found_outcome, check_outcome(wf, *found, kind, outcome));
    auto optional_text = [](std::string_view text) {
        return text.empty() ? std::optional<std::string_view>{} : text;
    };
    AARSHJUL_TRY(m_store.tasks().complete(found->id, to, by, to_unix(now), note,
                                          optional_text(evidence), optional_text(outcome)));
    // The audit event says what was found: "outcome: deviation | <note> | evidence: <link>".
    std::string detail = found_outcome ? "outcome: " + found_outcome->id : "";
    auto add_detail = [&](const std::string& part) {
        if (!part.empty())
            detail += (detail.empty() ? "" : " | ") + part;
    };
    add_detail(std::string(note));
    if (!evidence.empty())
        add_detail("evidence: " + std::string(evidence));
    AARSHJUL_TRY(add_event(found->id, now, kind == CompletionKind::Done ? "completed" : "waived",
                           by, detail));
    if (found_outcome && found_outcome->action_plan) {
        // S4's "handlingsplan": a task of its own, for the system the control looked at.
        // When nobody holds the plan's role for this system the plan goes to
        // whoever had the control, and the audit says so: a finding is never lost.
        const Entity entity = entity_of(*wf, found->entity_id);
        const std::string key = found->occurrence_key + "/PLAN";
        auto planned = plan_follow_up(*wf, *found_outcome->action_plan, key, entity, now);
        if (!planned.ok()) {
            FollowUpSpec fallback = *found_outcome->action_plan;
            AARSHJUL_TRY(
                add_event(found->id, now, "action_plan", by,
                          planned.error().message + "; the plan goes to " + found->assignee));
            fallback.assignee = {AssigneeRef::Kind::Person, found->assignee};
            planned = plan_follow_up(*wf, fallback, key, entity, now);
        }
        AARSHJUL_TRY_ASSIGN(PlannedTask plan, std::move(planned));
        plan.origin = "action_plan";
        MaterialiseStats stats;
        AARSHJUL_TRY_ASSIGN(auto plan_id, materialise_one(plan, now, stats, found->id));
        if (plan_id)
            AARSHJUL_TRY(add_event(found->id, now, "action_plan", by,
                                   "task " + std::to_string(*plan_id) + " for " + plan.assignee +
                                       ", due " + format_local_date(plan.due)));
    }
    if (wf && wf->also && wf->cadence == Cadence::FromCompletion && found->origin == "event" &&
        kind == CompletionKind::Done)
        AARSHJUL_TRY(supersede_planned(*wf, *found, by, now));
    // Tasks waiting for this one are looked at again by the next tick.
    AARSHJUL_TRY(m_store.tasks().unblock(found->occurrence_key, to_unix(now)));
    if (wf && wf->has_on_complete && kind == CompletionKind::Done)
        AARSHJUL_TRY(queue_hook(found->id, *wf, "on_complete",
                                {{"task_id", std::to_string(found->id)},
                                 {"key", found->occurrence_key},
                                 {"title", found->title},
                                 {"assignee", found->assignee},
                                 {"system", found->entity_id},
                                 {"due", found->due_date},
                                 {"completed_by", std::string(by)},
                                 {"note", std::string(note)},
                                 {"evidence", std::string(evidence)},
                                 {"outcome", std::string(outcome)}},
                                found->occurrence_key, now));
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
    if (!outcome.empty())
        found->outcome = std::string(outcome);
    found->next_action_at.reset();
    return *found;
}

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
// Completion: a task done or waived, the tasks waiting for it unblocked,
// and its on_complete hook queued.

#include "engine/engine.h"
#include "store/task_repository.h"

namespace aarshjul {

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
        AARSHJUL_TRY(queue_hook(found->id, *wf, "on_complete",
                                {{"task_id", std::to_string(found->id)},
                                 {"key", found->occurrence_key},
                                 {"title", found->title},
                                 {"assignee", found->assignee},
                                 {"system", found->entity_id},
                                 {"due", found->due_date},
                                 {"completed_by", std::string(by)},
                                 {"note", std::string(note)},
                                 {"evidence", std::string(evidence)}},
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
    found->next_action_at.reset();
    return *found;
}

} // namespace aarshjul

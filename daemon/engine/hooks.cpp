// SPDX-License-Identifier: MPL-2.0
// Hooks: a workflow's Lua hook queued in the unit of work that decides it,
// claimed and run outside any transaction (by the service's hook executor
// or drain_hooks), and its outcome — the follow-up tasks it asks for, or
// its failure — applied in a short unit of work of its own.

#include "engine/engine.h"
#include "store/hook_queue.h"
#include "store/task_repository.h"

#include <algorithm>
#include <spdlog/spdlog.h>

namespace aarshjul {

Result<void> Engine::queue_hook(std::int64_t task_id, const WorkflowDef& wf, std::string_view hook,
                                std::map<std::string, std::string> args,
                                std::string_view parent_key, Instant now,
                                std::optional<std::int64_t> event_id) {
    HookRunRequest request;
    request.task_id = task_id;
    request.event_id = event_id;
    request.workflow_id = wf.id;
    request.hook = std::string(hook);
    request.args = std::move(args);
    request.parent_key = std::string(parent_key);
    request.created_at = to_unix(now);
    AARSHJUL_TRY(m_store.hooks().enqueue(request));
    return {};
}

Result<std::vector<HookJob>> Engine::claim_hooks(int limit) {
    std::vector<HookJob> jobs;
    AARSHJUL_TRY_ASSIGN(auto runs, m_store.hooks().claim(limit));
    for (auto& run : runs) {
        const WorkflowDef* wf = find_workflow(run.workflow_id);
        if (!wf) {
            // A reload removed the workflow after the hook was queued.
            AARSHJUL_TRY(
                finish_hook(run, make_error(ErrorKind::NotFound, "workflow " + run.workflow_id +
                                                                     " is no longer loaded")));
            continue;
        }
        jobs.push_back(HookJob{std::move(run), m_defs, wf});
    }
    return jobs;
}

Result<HookOutcome> Engine::finish_hook(const HookRun& run,
                                        const Result<std::vector<FollowUpSpec>>& follow_ups) {
    const Instant now = m_clock.now();
    HookOutcome outcome;
    AARSHJUL_TRY_ASSIGN(auto work, m_store.begin_write());
    const WorkflowDef* wf = find_workflow(run.workflow_id);
    if (!follow_ups.ok() || !wf) {
        // A failing hook is recorded on the task, in the queue and in the
        // audit trail, and logged; it never stops the daemon.
        const std::string message = follow_ups.ok()
                                        ? "workflow " + run.workflow_id + " is no longer loaded"
                                        : follow_ups.error().to_string();
        spdlog::error("workflow {}: {} failed: {}", run.workflow_id, run.hook, message);
        AARSHJUL_TRY(m_store.tasks().set_hook_error(run.task_id, run.hook + ": " + message));
        AARSHJUL_TRY(add_event(run.task_id, now, "hook_failed", "", run.hook + ": " + message));
        AARSHJUL_TRY(m_store.hooks().mark_failed(run.id, message, to_unix(now)));
        AARSHJUL_TRY(work->commit());
        outcome.failed = true;
        return outcome;
    }
    MaterialiseStats stats;
    for (const auto& spec : *follow_ups) {
        auto task = plan_follow_up(*wf, spec, run.parent_key + "/" + spec.id, Entity{}, now);
        if (!task.ok()) {
            const std::string message = task.error().message;
            AARSHJUL_TRY(m_store.tasks().set_hook_error(run.task_id, run.hook + ": " + message));
            AARSHJUL_TRY(add_event(run.task_id, now, "hook_failed", "", message));
            continue;
        }
        task->origin = "hook";
        AARSHJUL_TRY(materialise_one(*task, now, stats, run.task_id));
    }
    AARSHJUL_TRY(
        add_event(run.task_id, now, "hook_ran", "",
                  run.hook + ": " + std::to_string(follow_ups->size()) + " follow-up task(s)"));
    AARSHJUL_TRY(m_store.hooks().mark_done(run.id, to_unix(now)));
    AARSHJUL_TRY(work->commit());
    outcome.follow_ups_created = stats.created;
    return outcome;
}

Result<int> Engine::drain_hooks() {
    int ran = 0;
    if (!m_hooks)
        return ran; // nothing to run them with: they wait for one that has
    for (;;) {
        AARSHJUL_TRY_ASSIGN(auto jobs, claim_hooks(1));
        if (jobs.empty()) {
            AARSHJUL_TRY_ASSIGN(int pending, m_store.hooks().count(HookRunState::Pending));
            if (pending == 0)
                return ran;
            continue; // the claimed row's workflow was gone; it is failed already
        }
        for (const HookJob& job : jobs) {
            AARSHJUL_TRY(finish_hook(job.run, m_hooks(*job.workflow, job.run.hook, job.run.args)));
            ++ran;
        }
    }
}

Result<HookRecovery> Engine::recover_hooks(int max_attempts) {
    const Instant now = m_clock.now();
    AARSHJUL_TRY_ASSIGN(auto work, m_store.begin_write());
    AARSHJUL_TRY_ASSIGN(auto recovery, m_store.hooks().recover(max_attempts, to_unix(now)));
    for (const HookRun& run : recovery.given_up) {
        spdlog::error("workflow {}: {} failed: {}", run.workflow_id, run.hook, run.error);
        AARSHJUL_TRY(m_store.tasks().set_hook_error(run.task_id, run.hook + ": " + run.error));
        AARSHJUL_TRY(add_event(run.task_id, now, "hook_failed", "", run.hook + ": " + run.error));
    }
    AARSHJUL_TRY(work->commit());
    return recovery;
}

} // namespace aarshjul

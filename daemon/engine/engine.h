// SPDX-License-Identifier: MPL-2.0
#pragma once
// Engine: turns workflow definitions into stored tasks and moves them on in time.
//
// The database is the truth: `materialise` writes the tasks of the horizon
// idempotently, `tick` applies every state change and reminder that is due at
// the clock's "now" (reminders go to the outbox in the same unit of work), and
// `next_wakeup` reads the earliest pending action from an index. All storage
// goes through the Store. One concern per file: engine.cpp (this facade and
// its shared helpers), materialise.cpp, tick.cpp, notices.cpp, hooks.cpp,
// completion.cpp, events.cpp. Thread rules: one Engine per store, used from
// one thread at a time.

#include "clock/clock.h"
#include "engine/notice_text.h"
#include "engine/planner.h"
#include "engine/task_timing.h"
#include "model/directory.h"
#include "model/workflow.h"
#include "notify/templates.h"
#include "store/hook_queue.h"
#include "store/store.h"
#include "store/task_repository.h"
#include "store/task_row.h"
#include "time/holidays.h"
#include "time/zone.h"
#include "util/result.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace aarshjul {

class ActionLinks;

struct EngineSettings {
    explicit EngineSettings(Zone z) : zone(std::move(z)) {}

    Zone zone;
    BusinessCalendar calendar = BusinessCalendar::danish_default();
    int reminder_hour = 8;
    int horizon_days = 400;  // materialise occurrences up to today + horizon
    int catch_up_days = 800; // how far back a restart looks for missed occurrences
    std::vector<std::string> default_channels{"log"}; // for people who name no channels
    bool business_days_only = true;                   // quiet hours for day-based reminders
    bool digest = true; // group a person's simultaneous notices into one
    std::vector<EscalationStep> default_escalation;   // for workflows without `escalate`
    std::vector<int> default_before_due_hours{24, 4}; // hour-based tasks without a ladder
    int default_overdue_every_hours = 24;

    // What notices say and how they link back.
    std::string organisation = "aarshjul";
    std::shared_ptr<const NoticeTemplates> templates; // null: the built-in templates
    // One-click links "<public_url>/act/<id>?..." in every notice, signed with the
    // key kept in the database; empty: notices name the CLI command instead.
    std::string public_url;
    int link_valid_days = 60;
};

// Runs a workflow's Lua hook (on_complete, on_overdue, on_event) and returns
// the follow-up tasks it asked for. Supplied by the application (the Lua
// worker); the engine only knows this signature. It blocks up to the hook's
// deadline, so the daemon calls it off the event loop (service/hook_executor.h);
// drain_hooks calls it on the caller's thread (CLI, tests).
using HookRunner = std::function<Result<std::vector<FollowUpSpec>>(
    const WorkflowDef&, std::string_view hook, const std::map<std::string, std::string>& args)>;

struct Definitions;

// A hook claimed from the queue (running, an attempt counted) with the
// workflow it runs; `definitions` keeps `workflow` alive across a reload, so
// a job may be handed to another thread and run there.
struct HookJob {
    HookRun run;
    std::shared_ptr<const Definitions> definitions;
    const WorkflowDef* workflow = nullptr;
};

// What applying a hook's outcome did.
struct HookOutcome {
    bool failed = false;
    int follow_ups_created = 0;
};

// An event reported to the organisation (an incident, a new system, ...).
struct EventRecord {
    std::string type;
    std::string title;
    Instant occurred_at; // when the organisation became aware
    std::string reported_by;
    std::string detail;
    EventFacts facts{}; // triage: which clocks apply, and whom the tasks concern
};

// A correction of an event's facts: who made it and why (both in the audit trail).
struct FactCorrection {
    EventFactsPatch facts; // what changes; the rest stays
    std::string by;        // directory person
    std::string why;
};

// What a correction did to the event's clocks.
struct CorrectionOutcome {
    EventFacts facts{}; // the event's facts after the correction
    int withdrawn = 0;  // open tasks whose clock no longer applies, cancelled
    int started = 0;    // tasks whose clock now applies, from the original awareness
};

// The loaded definitions the engine works from; immutable and shared.
struct Definitions {
    std::vector<WorkflowDef> workflows;
    Directory directory;
};

struct MaterialiseStats {
    int created = 0;
    int updated = 0;
    int cancelled = 0;
    int unchanged = 0;
};

struct TickStats {
    int transitions = 0;
    int reminders = 0; // notices queued (a digest counts once)
    int escalations = 0;
    int hooks_queued = 0; // on_overdue hooks, run after the tick (drain_hooks, the executor)
};

enum class CompletionKind { Done, Waived };

class Engine {
public:
    Engine(Store& store, const Clock& clock, EngineSettings settings);
    // Owns `store` (the simulation, tests).
    Engine(std::unique_ptr<Store> store, const Clock& clock, EngineSettings settings);
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Replaces the definitions (at start and on reload) and records each
    // workflow's content hash; does not materialise by itself.
    Result<void> install(std::shared_ptr<const Definitions> definitions);

    // Uses the definitions without recording them (for one-shot commands).
    void use(std::shared_ptr<const Definitions> definitions);

    // Creates or updates the tasks of [floor, today + horizon]; running it
    // twice creates nothing new. Done and waived tasks are never touched.
    // Planning is incremental: while a workflow's fingerprint (its definition,
    // the directory's text, the zone and calendar settings) is the one it was
    // last planned with, only occurrence dates after the last planned one are
    // planned; any change plans the whole window again and withdraws what the
    // new definition no longer produces.
    Result<MaterialiseStats> materialise();

    // Applies every state change and reminder due at the clock's now.
    Result<TickStats> tick();

    // The earliest instant at which `tick` has something to do.
    Result<std::optional<Instant>> next_wakeup();

    // Records an event and creates the tasks of the workflows it triggers
    // whose facts hold. Invalid for an answer other than yes, no or unknown, a
    // system, supplier or person not in the directory, or an event a per-system
    // (or per-processor) workflow needs and that names no system (supplier).
    Result<std::int64_t> record_event(const EventRecord& event);
    // Replaces an event's facts: the open tasks of clocks that no longer apply
    // are withdrawn (cancelled, with an audit event naming who and why), and
    // clocks that now apply start from the event's original time of awareness.
    // A clock withdrawn once stays withdrawn.
    Result<CorrectionOutcome> correct_event(std::int64_t id, const FactCorrection& correction);

    // Hooks: `tick`, `complete` and `record_event` only queue the hooks they
    // decide (store/hook_queue.h), in the unit of work that decides them.
    // Running one is claim_hooks (a short write), the HookRunner outside any
    // transaction, then finish_hook (a short write of its own).
    void set_hook_runner(HookRunner runner) { m_hooks = std::move(runner); }
    // Claims up to `limit` pending hooks; one whose workflow is gone is failed here.
    Result<std::vector<HookJob>> claim_hooks(int limit);
    // Applies a claimed hook's outcome in one unit of work: the follow-up
    // tasks (under the task's occurrence key) and a `hook_ran` audit event,
    // or the error on the task and a `hook_failed` event; the row done or failed.
    Result<HookOutcome> finish_hook(const HookRun& run,
                                    const Result<std::vector<FollowUpSpec>>& follow_ups);
    // Runs every pending hook with the HookRunner, one at a time, on this
    // thread, until none is left; returns how many ran. Without a runner it
    // runs none (they wait). For one-shot commands and tests.
    Result<int> drain_hooks();
    // At start: hooks left running by a process that stopped go back to
    // pending, or fail (recorded as above) once `max_attempts` were made.
    Result<HookRecovery> recover_hooks(int max_attempts);

    // Marks a task done (or waived) by a person from the directory. A task of
    // a workflow that declares outcomes is done with one of them (`outcome`;
    // Invalid without it); an outcome with an action plan creates that task,
    // linked to this one, in the same unit of work.
    Result<TaskRow> complete(std::string_view task, std::string_view by, std::string_view note,
                             std::string_view evidence, CompletionKind kind,
                             std::string_view outcome = {});

    Result<std::optional<TaskRow>> find_task(std::string_view id_or_key);

    const EngineSettings& settings() const { return m_settings; }
    // The store the engine writes to; the API reads through the same one.
    Store& store() { return m_store; }

private:
    struct Pending; // a notice decided by tick, queued at its end

    // How materialise_one learns whether the task exists: by reading it (it
    // may need an update), or only by inserting (an incremental pass plans
    // dates no earlier pass produced; an existing row is left as it is).
    using Lookup = TaskRepository::Lookup;
    // Inserts or updates one task; returns its id when it was created.
    Result<std::optional<std::int64_t>> materialise_one(const PlannedTask& planned, Instant now,
                                                        MaterialiseStats& stats,
                                                        std::optional<std::int64_t> parent = {},
                                                        Lookup lookup = Lookup::Read);
    Result<void> materialise_calendar(const WorkflowDef& wf, LocalDate floor, Instant now,
                                      MaterialiseStats& stats);
    // What planning `wf` depends on, hashed; empty when the directory was
    // built by hand (no text to hash), which turns incremental planning off.
    std::string plan_fingerprint(const WorkflowDef& wf) const;
    void set_definitions(std::shared_ptr<const Definitions> definitions);
    Result<void> materialise_workflow(const WorkflowDef& wf, Instant now, MaterialiseStats& stats);
    // Withdraws open tasks (state cancelled, an event saying why).
    Result<void> cancel_tasks(const std::vector<std::int64_t>& ids, Instant now,
                              std::string_view why, MaterialiseStats& stats);
    // Withdraws the open planned occurrences of `wf` for `done`'s entity
    // (an ad-hoc occurrence was done in their stead).
    Result<void> supersede_planned(const WorkflowDef& wf, const TaskRow& done, std::string_view by,
                                   Instant now);
    // The tasks of the events of `trigger`'s type recorded since `floor_at`.
    Result<void> materialise_events(const WorkflowDef& wf, const Trigger& trigger, Instant floor_at,
                                    Instant now, MaterialiseStats& stats);
    // The facts' shape and references; `type` names the event's workflows for the
    // per-entity check.
    Result<void> check_facts(std::string_view type, const EventFacts& facts) const;
    // The entities an event's tasks concern: the systems (or supplier) it names
    // when `wf` iterates over them, otherwise the workflow's own.
    std::vector<Entity> event_entities(const WorkflowDef& wf, const EventFacts& facts) const;
    Result<void> materialise_from_completion(const WorkflowDef& wf, LocalDate floor, Instant now,
                                             MaterialiseStats& stats);
    Result<void> materialise_horizon_check(const WorkflowDef& wf, Instant now,
                                           MaterialiseStats& stats);
    Result<void> process_row(const TaskRow& row, Instant now, TickStats& stats,
                             std::vector<Pending>& notices);
    Result<void> queue_notices(std::vector<Pending>& notices, Instant now, TickStats& stats);
    Result<const ActionLinks*> action_links();
    NoticeRecipient recipient_of(const std::string& id) const;
    std::vector<std::string> channels_for(const std::string& recipient,
                                          const WorkflowDef* wf) const;
    Result<void> queue_hook(std::int64_t task_id, const WorkflowDef& wf, std::string_view hook,
                            std::map<std::string, std::string> args, std::string_view parent_key,
                            Instant now, std::optional<std::int64_t> event_id = {});
    Result<std::optional<std::string>> blocking_task(const WorkflowDef& wf,
                                                     std::string_view due_date);
    TimingRules timing_rules(const WorkflowDef& wf) const;
    TimingContext timing_context() const;
    PlanContext plan_context() const;
    Entity entity_of(const WorkflowDef& wf, std::string_view entity_id) const;
    // A task a hook or an outcome asks for, under `key`, due `spec.due` from
    // `now`, its assignee resolved for `entity` (Invalid when nobody holds it).
    Result<PlannedTask> plan_follow_up(const WorkflowDef& wf, const FollowUpSpec& spec,
                                       std::string key, const Entity& entity, Instant now) const;
    Result<void> add_event(std::int64_t task_id, Instant at, std::string_view kind,
                           std::string_view actor, std::string_view detail);
    std::optional<Instant> next_action(const TaskTiming& timing, std::optional<Instant> last_slot,
                                       Instant now) const;
    const WorkflowDef* find_workflow(std::string_view id) const;

    std::unique_ptr<Store> m_own_store; // when the engine owns its store
    Store& m_store;
    const Clock& m_clock;
    EngineSettings m_settings;
    std::shared_ptr<const Definitions> m_defs;
    std::string m_plan_inputs; // the fingerprint's part shared by all workflows
    HookRunner m_hooks;
    std::unique_ptr<ActionLinks> m_links; // loaded on first use when public_url is set
};

} // namespace aarshjul

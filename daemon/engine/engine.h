#pragma once
// Engine: turns workflow definitions into stored tasks and moves them on in time.
//
// The database is the truth: `materialise` writes the tasks of the horizon
// idempotently, `tick` applies every state change and reminder that is due at
// the clock's "now" (reminders go to the outbox in the same transaction), and
// `next_wakeup` reads the earliest pending action from an index. Thread rules:
// one Engine per database connection, used from one thread at a time.

#include "clock/clock.h"
#include "engine/planner.h"
#include "engine/task_timing.h"
#include "model/directory.h"
#include "model/workflow.h"
#include "store/database.h"
#include "time/zone.h"
#include "util/result.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace aarshjul {

struct EngineSettings {
    Zone zone;
    int reminder_hour = 8;
    int horizon_days = 400;    // materialise occurrences up to today + horizon
    int catch_up_days = 800;   // how far back a restart looks for missed occurrences
    std::string channel = "log"; // the notifier channel reminders are queued for
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
    int reminders = 0;
};

// A stored task as the CLI and the API see it.
struct TaskRow {
    std::int64_t id = 0;
    std::string occurrence_key;
    std::string workflow_id;
    std::string entity_id;
    std::string title;
    std::string assignee;
    std::string start_date;
    std::string due_date;
    TaskState state = TaskState::Scheduled;
    std::optional<std::int64_t> next_action_at;
    int reminders_sent = 0;
    std::optional<std::string> completed_by;
    std::optional<std::int64_t> completed_at;
    std::optional<std::string> note;
    std::optional<std::string> evidence;
};

enum class CompletionKind { Done, Waived };

class Engine {
public:
    Engine(Database& db, const Clock& clock, EngineSettings settings);

    // Replaces the definitions (at start and on reload) and records each
    // workflow's content hash; does not materialise by itself.
    Result<void> install(std::shared_ptr<const Definitions> definitions);

    // Uses the definitions without recording them (for one-shot commands).
    void use(std::shared_ptr<const Definitions> definitions) { m_defs = std::move(definitions); }

    // Creates or updates the tasks of [floor, today + horizon]; running it
    // twice creates nothing new. Done and waived tasks are never touched.
    Result<MaterialiseStats> materialise();

    // Applies every state change and reminder due at the clock's now.
    Result<TickStats> tick();

    // The earliest instant at which `tick` has something to do.
    Result<std::optional<Instant>> next_wakeup();

    // Marks a task done (or waived) by a person from the directory.
    Result<TaskRow> complete(std::string_view task, std::string_view by, std::string_view note,
                             std::string_view evidence, CompletionKind kind);

    Result<std::optional<TaskRow>> find_task(std::string_view id_or_key);

    const EngineSettings& settings() const { return m_settings; }

private:
    Result<void> materialise_one(const PlannedTask& planned, Instant now, MaterialiseStats& stats);
    Result<int> process_due_batch(Instant now, TickStats& stats);
    Result<void> add_event(std::int64_t task_id, Instant at, std::string_view kind,
                           std::string_view actor, std::string_view detail);
    std::optional<Instant> next_action(const TaskTiming& timing, std::optional<Instant> last_slot,
                                       Instant now) const;
    const WorkflowDef* find_workflow(std::string_view id) const;

    Database& m_db;
    const Clock& m_clock;
    EngineSettings m_settings;
    std::shared_ptr<const Definitions> m_defs;
};

} // namespace aarshjul

#pragma once
// TaskTiming: when a task opens, falls due, goes overdue and is reminded.
//
// Pure functions of a task's civil dates, its workflow's reminder ladder and
// the zone; no storage and no clock. The engine asks "what happens next after
// instant t" and stores only the answer, so the scheduler's wake-up is one
// indexed query however many tasks exist.

#include "model/workflow.h"
#include "time/civil.h"
#include "time/zone.h"

#include <optional>
#include <string>
#include <vector>

namespace aarshjul {

enum class TaskState { Scheduled, Open, Due, Overdue, Escalated, Done, Waived, Cancelled };

std::string_view to_string(TaskState state);
std::optional<TaskState> task_state_from_string(std::string_view text);
bool is_terminal(TaskState state);

// One reminder slot: a local date at the organisation's reminder hour.
struct ReminderSlot {
    enum class Kind { BeforeDue, DueDay, Overdue };
    Kind kind;
    LocalDate day;
    Instant at;
    int days_from_due; // negative before the due date, 0 on it, positive after
};

std::string_view to_string(ReminderSlot::Kind kind);

class TaskTiming {
public:
    TaskTiming(LocalDate start, LocalDate due, const ReminderLadder& ladder, const Zone& zone,
               int reminder_hour);

    // The state a non-terminal task is in at `now`.
    TaskState state_at(Instant now) const;
    // The first instant after `now` at which the state changes, if any.
    std::optional<Instant> next_transition_after(Instant now) const;
    // The first reminder slot strictly after `after` (nullopt: none; the first slot when `after` is unset).
    std::optional<ReminderSlot> next_slot_after(std::optional<Instant> after) const;
    // The last reminder slot in (after, now], if any: the one to send when several were missed.
    std::optional<ReminderSlot> last_slot_in(std::optional<Instant> after, Instant now) const;
    // How many slots lie in (after, now].
    int slots_in(std::optional<Instant> after, Instant now) const;

    Instant open_at() const { return m_open_at; }
    Instant due_at() const { return m_due_at; }
    Instant overdue_at() const { return m_overdue_at; }

private:
    ReminderSlot slot_on(LocalDate day, int days_from_due) const;

    LocalDate m_due;
    std::vector<ReminderSlot> m_before; // before-due and due-day slots, in time order
    int m_overdue_every;
    const Zone& m_zone;
    int m_reminder_hour;
    Instant m_open_at;
    Instant m_due_at;
    Instant m_overdue_at;
};

} // namespace aarshjul

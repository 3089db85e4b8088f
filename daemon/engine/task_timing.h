// SPDX-License-Identifier: MPL-2.0
#pragma once
// TaskTiming: when a task opens, falls due, goes overdue, is reminded and
// escalated.
//
// Pure functions of a task's dates, its workflow's ladders, the zone and the
// business calendar; no storage and no clock. The engine asks "what happens
// next after instant t" and stores only the answer, so the scheduler's wake-up
// is one indexed query however many tasks exist.
//
// Day-based tasks are due on a local date: their reminders go out at the
// organisation's reminder hour, on business days only when quiet hours are on
// (a reminder before the due date moves back to the previous business day, an
// overdue one forward to the next). Hour-based tasks (72 hours from an event)
// have an instant as deadline; their reminders count hours and ignore quiet
// hours, because such duties are urgent.

#include "model/task_state.h"
#include "model/workflow.h"
#include "time/civil.h"
#include "time/holidays.h"
#include "time/zone.h"

#include <optional>
#include <string>
#include <vector>

namespace aarshjul {

// One reminder slot.
struct ReminderSlot {
    enum class Kind { New, BeforeDue, DueDay, Overdue };
    Kind kind;
    LocalDate day; // the local date of `at`: part of the notice key
    Instant at;
    int days_from_due; // negative before the due date, 0 on it, positive after
};

std::string_view to_string(ReminderSlot::Kind kind);

// The rules a task's timing follows, from its workflow and the configuration.
struct TimingRules {
    ReminderLadder ladder;                // day-based tasks
    std::vector<int> before_due_hours;    // hour-based tasks
    int overdue_every_hours = 0;          // hour-based tasks
    std::vector<int> escalate_after_days; // escalation rungs, increasing
    bool business_days_only = true;       // quiet hours for day-based reminders
};

// The calendar context every timing shares; must outlive the TaskTiming.
struct TimingContext {
    const Zone& zone;
    const BusinessCalendar& calendar;
    int reminder_hour = 8;
};

class TaskTiming {
public:
    // A task due on the local date `due`.
    static TaskTiming for_date(LocalDate start, LocalDate due, const TimingRules& rules,
                               const TimingContext& context);
    // A task triggered at `start_at` with the hard deadline `due_at`.
    static TaskTiming for_deadline(Instant start_at, Instant due_at, const TimingRules& rules,
                                   const TimingContext& context);

    // The state a non-terminal task is in at `now` (never Escalated: that is
    // decided by the escalations sent).
    TaskState state_at(Instant now) const;
    // The first instant after `now` at which the state changes, if any.
    std::optional<Instant> next_transition_after(Instant now) const;
    // The first reminder slot strictly after `after` (the first slot when unset).
    std::optional<ReminderSlot> next_slot_after(std::optional<Instant> after) const;
    // The last reminder slot in (after, now]: the one sent when several were missed.
    std::optional<ReminderSlot> last_slot_in(std::optional<Instant> after, Instant now) const;
    // How many slots lie in (after, now].
    int slots_in(std::optional<Instant> after, Instant now) const;
    // When escalation rung `rung` (0-based) falls due; nullopt when there is none.
    std::optional<Instant> escalation_at(int rung) const;
    int escalation_rungs() const { return static_cast<int>(m_escalations.size()); }

    Instant open_at() const { return m_open_at; }
    Instant due_at() const { return m_due_at; }
    Instant overdue_at() const { return m_overdue_at; }
    bool hour_based() const { return m_hour_based; }

private:
    TaskTiming(const TimingRules& rules, const TimingContext& context)
        : m_rules(rules), m_ctx(context) {}
    ReminderSlot day_slot(LocalDate day, int days_from_due, bool move_back) const;
    std::optional<ReminderSlot> overdue_slot_after(std::optional<Instant> after) const;

    TimingRules m_rules;
    TimingContext m_ctx;
    bool m_hour_based = false;
    LocalDate m_due_day{};
    Instant m_open_at{};
    Instant m_due_at{};                // when the state becomes `due`
    Instant m_overdue_at{};            // when the state becomes `overdue`
    std::vector<ReminderSlot> m_fixed; // slots up to the deadline, in time order
    std::vector<Instant> m_escalations;
};

} // namespace aarshjul

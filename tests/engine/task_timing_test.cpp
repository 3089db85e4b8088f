// SPDX-License-Identifier: MPL-2.0
#include "engine/task_timing.h"
#include "support/engine_fixture.h"

#include <gtest/gtest.h>

namespace aarshjul {
namespace {

using testing::copenhagen;

const BusinessCalendar kCalendar = BusinessCalendar::danish_default();

// Timing with quiet hours off, so slots fall exactly on the ladder's days.
TaskTiming timing_for(LocalDate start, LocalDate due, ReminderLadder ladder, const Zone& zone,
                      bool business_days_only = false) {
    TimingRules rules;
    rules.ladder = std::move(ladder);
    rules.business_days_only = business_days_only;
    return TaskTiming::for_date(start, due, rules, TimingContext{zone, kCalendar, 8});
}

LocalDate day(int y, unsigned m, unsigned d) {
    return LocalDate{date::year{y} / m / d};
}

// Reminder slots fall at the local reminder hour on due-k days, then every N days overdue.
TEST(TaskTiming, SlotsFollowTheLadderAtTheLocalHour) {
    Zone zone = testing::copenhagen_zone();
    auto timing = timing_for(day(2027, 3, 1), day(2027, 3, 31), {{14, 3, 0}, 7}, zone);
    std::vector<std::pair<std::string, std::string>> got;
    std::optional<Instant> after;
    for (int i = 0; i < 6; ++i) {
        auto slot = timing.next_slot_after(after);
        ASSERT_TRUE(slot);
        got.emplace_back(std::string(to_string(slot->kind)), zone.format_iso(slot->at));
        after = slot->at;
    }
    std::vector<std::pair<std::string, std::string>> want = {
        {"reminder", "2027-03-17T08:00:00+01:00"}, {"reminder", "2027-03-28T08:00:00+02:00"},
        {"due", "2027-03-31T08:00:00+02:00"},      {"overdue", "2027-04-07T08:00:00+02:00"},
        {"overdue", "2027-04-14T08:00:00+02:00"},  {"overdue", "2027-04-21T08:00:00+02:00"}};
    EXPECT_EQ(got, want);
}

// The state follows the calendar: scheduled, open from the start or first reminder, due, overdue.
TEST(TaskTiming, StateFollowsTheCalendar) {
    Zone zone = testing::copenhagen_zone();
    auto timing = timing_for(day(2027, 3, 1), day(2027, 3, 31), {{14}, 0}, zone);
    EXPECT_EQ(timing.state_at(copenhagen("2027-02-28T23:59:59")), TaskState::Scheduled);
    EXPECT_EQ(timing.state_at(copenhagen("2027-03-01T00:00:00")), TaskState::Open);
    EXPECT_EQ(timing.state_at(copenhagen("2027-03-31T00:00:00")), TaskState::Due);
    EXPECT_EQ(timing.state_at(copenhagen("2027-03-31T23:59:59")), TaskState::Due);
    EXPECT_EQ(timing.state_at(copenhagen("2027-04-01T00:00:00")), TaskState::Overdue);
    EXPECT_EQ(timing.next_transition_after(copenhagen("2027-03-15T12:00:00")),
              copenhagen("2027-03-31T00:00:00"));
    EXPECT_FALSE(timing.next_transition_after(copenhagen("2027-04-02T00:00:00")));
}

// A reminder ladder that starts before the start date opens the task at the first reminder.
TEST(TaskTiming, EarlyReminderOpensTheTask) {
    Zone zone = testing::copenhagen_zone();
    auto timing = timing_for(day(2027, 6, 1), day(2027, 6, 1), {{30, 7}, 0}, zone);
    EXPECT_EQ(timing.open_at(), copenhagen("2027-05-02T08:00:00"));
}

// Missed slots are counted, and the last one is the one sent after downtime.
TEST(TaskTiming, MissedSlotsMergeIntoTheLastOne) {
    Zone zone = testing::copenhagen_zone();
    auto timing = timing_for(day(2027, 3, 1), day(2027, 3, 31), {{14, 3, 0}, 7}, zone);
    auto now = copenhagen("2027-04-20T12:00:00");
    EXPECT_EQ(timing.slots_in(std::nullopt, now), 5);
    auto last = timing.last_slot_in(std::nullopt, now);
    ASSERT_TRUE(last);
    EXPECT_EQ(last->kind, ReminderSlot::Kind::Overdue);
    EXPECT_EQ(last->day, day(2027, 4, 14));
    EXPECT_EQ(timing.slots_in(last->at, now), 0);
}

} // namespace
} // namespace aarshjul

namespace aarshjul {
namespace {

LocalDate d(int y, unsigned m, unsigned dd) {
    return LocalDate{date::year{y} / m / dd};
}

// Quiet hours: a reminder before the due date that falls on a closed day moves back to the
// previous business day; an overdue one moves forward to the next.
TEST(TaskTiming, QuietHoursMoveRemindersOffClosedDays) {
    Zone zone = testing::copenhagen_zone();
    TimingRules rules;
    rules.ladder = {{3, 0}, 2};
    rules.business_days_only = true;
    // Due Tuesday 7 April 2026 (after Easter): 3 days before is Saturday 4 April -> Thursday 2
    // April is Skærtorsdag, Wednesday 1 April is the previous business day.
    auto timing = TaskTiming::for_date(d(2026, 3, 1), d(2026, 4, 7), rules,
                                       TimingContext{zone, kCalendar, 8});
    auto first = timing.next_slot_after(std::nullopt);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->day, d(2026, 4, 1));
    auto due = timing.next_slot_after(first->at);
    ASSERT_TRUE(due);
    EXPECT_EQ(due->day, d(2026, 4, 7));
    // Overdue every 2 days: 9 April (Thursday) is a business day; 11 April (Saturday) -> 13 April.
    auto o1 = timing.next_slot_after(due->at);
    auto o2 = timing.next_slot_after(o1->at);
    EXPECT_EQ(o1->day, d(2026, 4, 9));
    EXPECT_EQ(o2->day, d(2026, 4, 13));
}

// An hour-based deadline is announced at once, reminded N hours before, and never rolls.
TEST(TaskTiming, HourBasedDeadlinesCountHoursAcrossDst) {
    Zone zone = testing::copenhagen_zone();
    TimingRules rules;
    rules.before_due_hours = {24};
    rules.overdue_every_hours = 12;
    const Instant aware = copenhagen("2026-10-24T09:00:00");
    const Instant deadline = add_hours(aware, 72);
    EXPECT_EQ(zone.format_iso(deadline), "2026-10-27T08:00:00+01:00");
    auto timing =
        TaskTiming::for_deadline(aware, deadline, rules, TimingContext{zone, kCalendar, 8});
    auto announce = timing.next_slot_after(std::nullopt);
    ASSERT_TRUE(announce);
    EXPECT_EQ(announce->kind, ReminderSlot::Kind::New);
    EXPECT_EQ(announce->at, aware);
    auto before = timing.next_slot_after(announce->at);
    EXPECT_EQ(zone.format_iso(before->at), "2026-10-26T08:00:00+01:00");
    auto overdue = timing.next_slot_after(before->at);
    EXPECT_EQ(overdue->kind, ReminderSlot::Kind::Overdue);
    EXPECT_EQ(zone.format_iso(overdue->at), "2026-10-27T20:00:00+01:00");
    EXPECT_EQ(timing.state_at(deadline - std::chrono::seconds{1}), TaskState::Due);
    EXPECT_EQ(timing.state_at(deadline), TaskState::Overdue);
}

// Escalation rungs fall N days after the due date at the reminder hour.
TEST(TaskTiming, EscalationRungsFollowTheDueDate) {
    Zone zone = testing::copenhagen_zone();
    TimingRules rules;
    rules.escalate_after_days = {7, 21};
    rules.business_days_only = true;
    auto timing = TaskTiming::for_date(d(2027, 3, 1), d(2027, 3, 31), rules,
                                       TimingContext{zone, kCalendar, 8});
    EXPECT_EQ(timing.escalation_at(0), copenhagen("2027-04-07T08:00:00"));
    EXPECT_EQ(timing.escalation_at(1), copenhagen("2027-04-21T08:00:00"));
    EXPECT_FALSE(timing.escalation_at(2));
}

} // namespace
} // namespace aarshjul

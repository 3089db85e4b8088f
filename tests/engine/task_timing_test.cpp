#include "engine/task_timing.h"

#include "support/engine_fixture.h"

#include <gtest/gtest.h>

namespace aarshjul {
namespace {

using testing::copenhagen;

LocalDate day(int y, unsigned m, unsigned d) { return LocalDate{date::year{y} / m / d}; }

// Reminder slots fall at the local reminder hour on due-k days, then every N days overdue.
TEST(TaskTiming, SlotsFollowTheLadderAtTheLocalHour) {
    Zone zone = testing::copenhagen_zone();
    TaskTiming timing(day(2027, 3, 1), day(2027, 3, 31), {{14, 3, 0}, 7}, zone, 8);
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
    TaskTiming timing(day(2027, 3, 1), day(2027, 3, 31), {{14}, 0}, zone, 8);
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
    TaskTiming timing(day(2027, 6, 1), day(2027, 6, 1), {{30, 7}, 0}, zone, 8);
    EXPECT_EQ(timing.open_at(), copenhagen("2027-05-02T08:00:00"));
}

// Missed slots are counted, and the last one is the one sent after downtime.
TEST(TaskTiming, MissedSlotsMergeIntoTheLastOne) {
    Zone zone = testing::copenhagen_zone();
    TaskTiming timing(day(2027, 3, 1), day(2027, 3, 31), {{14, 3, 0}, 7}, zone, 8);
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

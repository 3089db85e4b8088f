// SPDX-License-Identifier: MPL-2.0
#include "app/status.h"
#include "app/wheel.h"
#include "store/sqlite/sqlite_store.h"
#include "support/engine_fixture.h"

#include <gtest/gtest.h>
#include <map>

namespace aarshjul {
namespace {

using testing::copenhagen;
using testing::make_workflow;

// A monthly risk duty and a quarterly committee duty, planned from 1 January
// 2027, seen on 20 March: January's and February's tasks finished or overdue.
struct ReadWheelTest : ::testing::Test {
    Database db = testing::memory_store();
    FakeClock clock{copenhagen("2027-01-01T00:00:00")};
    Engine engine{std::make_unique<SqliteStore>(db), clock,
                  EngineSettings{testing::copenhagen_zone()}};
    std::vector<WorkflowDef> workflows;

    void SetUp() override {
        auto monthly = make_workflow("M", "FREQ=MONTHLY;BYMONTHDAY=1", 0, {}, 0);
        monthly.group = WorkflowGroup::Risk;
        auto quarterly = make_workflow("Q", "FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=1", 0, {}, 0);
        quarterly.group = WorkflowGroup::Committee;
        workflows = {monthly, quarterly};
        auto defs = std::make_shared<Definitions>();
        defs->workflows = workflows;
        defs->directory = testing::small_directory();
        ASSERT_TRUE(engine.install(defs).ok());
        ASSERT_TRUE(engine.materialise().ok());
        ASSERT_TRUE(engine.complete("M||2027-01-01", "anna", "ok", "", CompletionKind::Done).ok());
        ASSERT_TRUE(
            engine.complete("M||2027-02-01", "anna", "not needed", "", CompletionKind::Waived)
                .ok());
        const Instant end = copenhagen("2027-03-20T12:00:00");
        for (;;) {
            auto next = engine.next_wakeup();
            ASSERT_TRUE(next.ok());
            if (!*next || **next > end)
                break;
            clock.set(std::max(**next, clock.now()));
            ASSERT_TRUE(engine.tick().ok());
        }
        clock.set(end);
    }

    WheelInput read(WheelRequest request, const std::vector<WorkflowDef>& loaded) {
        auto input = read_wheel(engine.store().queries(), loaded, testing::copenhagen_zone(),
                                clock.now(), request);
        EXPECT_TRUE(input.ok()) << input.error().to_string();
        return input.ok() ? *input : WheelInput{};
    }
    WheelInput read(int year) { return read(WheelRequest{.year = year}, workflows); }
};

std::map<MarkState, int> by_state(const WheelInput& input) {
    std::map<MarkState, int> out;
    for (const auto& m : input.marks)
        ++out[m.state];
    return out;
}

// Every task due in the year is one mark on its workflow's ring, linked to
// its page; the rings are the five groups; today is the clock's local date.
TEST_F(ReadWheelTest, EveryTaskOfTheYearOnItsRing) {
    const WheelInput in = read(2027);
    EXPECT_EQ(in.marks.size(), 16u); // twelve months and four quarters
    EXPECT_EQ(in.today, LocalDate{date::year{2027} / 3 / 20});
    EXPECT_EQ(in.groups.size(), 5u);
    for (const auto& m : in.marks) {
        EXPECT_EQ(m.group, m.workflow_id == "M" ? WorkflowGroup::Risk : WorkflowGroup::Committee);
        EXPECT_EQ(m.link, "/tasks/" + std::to_string(m.task_id));
        EXPECT_EQ(date::year_month_day{m.due}.year(), date::year{2027});
        EXPECT_EQ(m.title, "Titel " + m.workflow_id);
    }
    EXPECT_TRUE(render_wheel(in).ok());
    EXPECT_EQ(read(WheelRequest{.year = 2027, .language = "en"}, workflows)
                  .marks[0]
                  .title.rfind("Title ", 0),
              0u);
}

// The marks' standings are the status page's counts: the wheel uses the
// status's rule (done, waived, overdue, due within 14 days, on track).
TEST_F(ReadWheelTest, StandingsAreTheStatusCounts) {
    auto status = read_status(engine.store().queries(), testing::copenhagen_zone(), clock.now());
    ASSERT_TRUE(status.ok());
    std::map<MarkState, int> wheel;
    for (int year : {2027, 2028})
        for (const auto& [state, n] : by_state(read(year)))
            wheel[state] += n;
    EXPECT_EQ(wheel[MarkState::Done], status->total.done_this_cycle);
    EXPECT_EQ(wheel[MarkState::Waived], status->total.waived_this_cycle);
    EXPECT_EQ(wheel[MarkState::Overdue], status->total.overdue);
    EXPECT_EQ(wheel[MarkState::DueSoon], status->total.due_soon);
    EXPECT_EQ(wheel[MarkState::OnTrack], status->total.on_track);
    // And what that is here: January done, February waived, March and
    // Q1 overdue, 1 April (M and Q) due soon.
    const auto this_year = by_state(read(2027));
    EXPECT_EQ(this_year.at(MarkState::Done), 1);
    EXPECT_EQ(this_year.at(MarkState::Waived), 1);
    EXPECT_EQ(this_year.at(MarkState::Overdue), 2);
    EXPECT_EQ(this_year.at(MarkState::DueSoon), 2);
    EXPECT_EQ(this_year.at(MarkState::OnTrack), 10);
}

// The rule itself, state by state, on the day the due-soon window ends and after it.
TEST(Standing, FollowsTheStatusRule) {
    struct Case {
        TaskState state;
        const char* due;
        std::optional<MarkState> want;
    };
    const Case cases[] = {
        {.state = TaskState::Scheduled, .due = "2027-04-03", .want = MarkState::DueSoon},
        {.state = TaskState::Open, .due = "2027-04-04", .want = MarkState::OnTrack},
        {.state = TaskState::Due, .due = "2027-03-20", .want = MarkState::DueSoon},
        {.state = TaskState::Overdue, .due = "2027-03-01", .want = MarkState::Overdue},
        {.state = TaskState::Escalated, .due = "2027-02-01", .want = MarkState::Overdue},
        {.state = TaskState::Done, .due = "2027-05-01", .want = MarkState::Done},
        {.state = TaskState::Waived, .due = "2027-05-01", .want = MarkState::Waived},
        {.state = TaskState::Cancelled, .due = "2027-05-01", .want = std::nullopt},
    };
    for (const Case& c : cases)
        EXPECT_EQ(standing_of(c.state, c.due, "2027-04-03"), c.want) << to_string(c.state);
}

// A group asked for is the only ring; a person's wheel has only their tasks;
// a task whose workflow is no longer loaded goes on the ring "other".
TEST_F(ReadWheelTest, FiltersAndTheOtherRing) {
    const WheelInput committee =
        read(WheelRequest{.year = 2027, .group = WorkflowGroup::Committee}, workflows);
    EXPECT_EQ(committee.groups, std::vector<WorkflowGroup>{WorkflowGroup::Committee});
    EXPECT_EQ(committee.marks.size(), 4u);

    EXPECT_EQ(read(WheelRequest{.year = 2027, .person = "bo"}, workflows).marks.size(), 0u);
    EXPECT_EQ(read(WheelRequest{.year = 2027, .person = "anna"}, workflows).marks.size(), 16u);

    const WheelInput without_q = read(WheelRequest{.year = 2027}, {workflows[0]});
    EXPECT_EQ(without_q.groups.back(), WorkflowGroup::Other);
    int other = 0;
    for (const auto& m : without_q.marks)
        other += m.group == WorkflowGroup::Other;
    EXPECT_EQ(other, 4);
    EXPECT_TRUE(render_wheel(without_q).ok());
}

} // namespace
} // namespace aarshjul

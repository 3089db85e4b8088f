// SPDX-License-Identifier: MPL-2.0
// The quarterly report's trends: per group, the tasks due in this quarter and
// each of the four before, done on time, late, overdue, waived and open, as
// they stand when the report is made; checked against a history seeded over
// five quarters with a fake clock.
#include "engine/engine.h"
#include "http/report.h"
#include "store/sqlite/sqlite_store.h"
#include "support/engine_fixture.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <map>

namespace aarshjul {
namespace {

using testing::copenhagen;
using testing::make_workflow;

namespace json = boost::json;

// What the seeded history does with a task.
enum class Fate { OnTime, Late, Waived, Left };

struct Seeded {
    std::string key;     // the task's occurrence key
    std::string group;   // its workflow's group
    std::string quarter; // the quarter of its due date
    Fate fate;
    std::string when = ""; // local time of the completion ("" for Left)
};

struct Trends : ::testing::Test {
    Database db = testing::memory_store();
    FakeClock clock{copenhagen("2026-01-01T08:00:00")};
    std::unique_ptr<SqliteStore> reader = std::make_unique<SqliteStore>(db);
    Engine engine{std::make_unique<SqliteStore>(db), clock,
                  EngineSettings{testing::copenhagen_zone()}};
    std::shared_ptr<Definitions> definitions = std::make_shared<Definitions>();

    void SetUp() override {
        // Committee: monthly on the 10th. Risk: quarterly on the 15th, per
        // system (two). Technical: monthly on the 20th. One without a group.
        auto meet = make_workflow("MEET", "FREQ=MONTHLY;BYMONTHDAY=10", 0, {}, 0);
        meet.group = WorkflowGroup::Committee;
        auto risk = make_workflow("RISK", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15", 0, {}, 0);
        risk.schedule.anchor = LocalDate{date::year{2026} / 1 / 15};
        risk.group = WorkflowGroup::Risk;
        risk.for_each.kind = ForEach::Kind::Systems;
        auto tech = make_workflow("TECH", "FREQ=MONTHLY;BYMONTHDAY=20", 0, {}, 0);
        tech.group = WorkflowGroup::Technical;
        auto misc = make_workflow("MISC", "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=1", 0, {}, 0);
        definitions->workflows = {meet, risk, tech, misc};
        definitions->directory = testing::small_directory();
        ASSERT_TRUE(engine.install(definitions).ok());
        ASSERT_TRUE(engine.materialise().ok());
    }

    // Moves the clock to `end`, ticking at every wake-up on the way and
    // planning as the horizon moves, as the daemon does.
    void run_until(Instant end) {
        for (;;) {
            auto next = engine.next_wakeup();
            ASSERT_TRUE(next.ok());
            if (!*next || **next > end)
                break;
            clock.set(std::max(**next, clock.now()));
            ASSERT_TRUE(engine.tick().ok());
        }
        clock.set(end);
        ASSERT_TRUE(engine.materialise().ok());
        ASSERT_TRUE(engine.tick().ok());
    }
};

std::string quarter_of(const std::string& due) {
    const int month = std::stoi(due.substr(5, 2));
    return due.substr(0, 4) + "Q" + std::to_string((month - 1) / 3 + 1);
}

// Tasks due in 2026Q1 to 2027Q1, each done on time, late, waived or left
// undone, and the report of 2027Q1 made on 10 April 2027 counts each group's
// quarter as seeded; a completion at 23:30 on the due day is on time, at
// 00:10 the day after is late.
TEST_F(Trends, PerGroupNumbersFollowTheSeededHistory) {
    std::vector<Seeded> seeded;
    auto add = [&](std::string workflow, std::string entity, std::string due, std::string group,
                   Fate fate, std::string when = "") {
        seeded.push_back(
            {workflow + "|" + entity + "|" + due, group, quarter_of(due), fate, std::move(when)});
    };
    // Committee, one a month: the fate varies by quarter so a quarter shifted
    // by one shows up.
    const std::vector<std::string> months{"2026-01", "2026-02", "2026-03", "2026-04", "2026-05",
                                          "2026-06", "2026-07", "2026-08", "2026-09", "2026-10",
                                          "2026-11", "2026-12", "2027-01", "2027-02", "2027-03"};
    const std::vector<Fate> meet_fates{
        Fate::OnTime, Fate::OnTime, Fate::OnTime, // 2026Q1: all on time
        Fate::OnTime, Fate::Late,   Fate::Late,   // 2026Q2
        Fate::Left,   Fate::Late,   Fate::OnTime, // 2026Q3
        Fate::Waived, Fate::Left,   Fate::Left,   // 2026Q4
        Fate::OnTime, Fate::OnTime, Fate::Late};  // 2027Q1
    for (std::size_t i = 0; i < months.size(); ++i) {
        const std::string due = months[i] + "-10";
        const Fate f = meet_fates[i];
        add("MEET", "", due, "committee", f,
            f == Fate::OnTime   ? due + "T23:30:00"
            : f == Fate::Late   ? months[i] + "-11T00:10:00"
            : f == Fate::Waived ? due + "T09:00:00"
                                : "");
    }
    // Risk, two systems a quarter.
    const std::vector<std::string> risk_days{"2026-01-15", "2026-04-15", "2026-07-15", "2026-10-15",
                                             "2027-01-15"};
    const std::vector<std::pair<Fate, Fate>> risk_fates{{Fate::OnTime, Fate::Late},
                                                        {Fate::Left, Fate::Left},
                                                        {Fate::OnTime, Fate::OnTime},
                                                        {Fate::Late, Fate::Left},
                                                        {Fate::OnTime, Fate::Waived}};
    for (std::size_t i = 0; i < risk_days.size(); ++i) {
        const std::string& due = risk_days[i];
        const std::string late = due.substr(0, 8) + "28T10:00:00";
        for (auto [entity, f] :
             {std::pair{"sys-a", risk_fates[i].first}, std::pair{"sys-b", risk_fates[i].second}})
            add("RISK", entity, due, "risk", f,
                f == Fate::OnTime   ? due.substr(0, 8) + "01T10:00:00" // early counts as on time
                : f == Fate::Late   ? late
                : f == Fate::Waived ? due + "T12:00:00"
                                    : "");
    }
    // Technical: done late from 2026Q3 on, on time before.
    for (const auto& month : months)
        add("TECH", "", month + "-20", "technical", month < "2026-07" ? Fate::OnTime : Fate::Late,
            month < "2026-07" ? month + "-20T08:30:00" : month + "-25T08:30:00");
    // MISC (no group: "other"): 1 June 2026, left undone.
    add("MISC", "", "2026-06-01", "other", Fate::Left);

    std::vector<const Seeded*> chronological;
    for (const auto& s : seeded)
        if (s.fate != Fate::Left)
            chronological.push_back(&s);
    std::sort(chronological.begin(), chronological.end(),
              [](const Seeded* a, const Seeded* b) { return a->when < b->when; });
    for (const Seeded* s : chronological) {
        run_until(copenhagen(s->when));
        auto done = engine.complete(s->key, "anna", "", "",
                                    s->fate == Fate::Waived ? CompletionKind::Waived
                                                            : CompletionKind::Done);
        ASSERT_TRUE(done.ok()) << s->key << ": " << done.error().to_string();
    }
    run_until(copenhagen("2027-04-10T09:00:00"));

    // What the seeded history says, per group and quarter.
    struct Expect {
        std::int64_t due = 0, on_time = 0, late = 0, overdue = 0, waived = 0;
    };
    std::map<std::pair<std::string, std::string>, Expect> expected;
    for (const auto& s : seeded) {
        Expect& e = expected[{s.group, s.quarter}];
        ++e.due;
        ++(s.fate == Fate::OnTime ? e.on_time
           : s.fate == Fate::Late ? e.late
           : s.fate == Fate::Left ? e.overdue
                                  : e.waived);
    }
    const std::pair<std::string, std::string> committee_q4{"committee", "2026Q4"};
    ASSERT_EQ(expected[committee_q4].overdue, 2); // the history is what the test says

    auto report = http::build_report(*reader, testing::copenhagen_zone(), definitions.get(),
                                     "Testkommune", *http::parse_quarter("2027Q1"), clock.now());
    ASSERT_TRUE(report.ok()) << report.error().to_string();
    const auto& trends = report->at("trends").as_object();
    const json::array quarters{"2026Q1", "2026Q2", "2026Q3", "2026Q4", "2027Q1"};
    EXPECT_EQ(trends.at("quarters").as_array(), quarters);
    std::vector<std::string> groups;
    for (const auto& g : trends.at("groups").as_array()) {
        const std::string group(g.at("group").as_string());
        groups.push_back(group);
        const auto& cells = g.at("quarters").as_array();
        ASSERT_EQ(cells.size(), 5u) << group;
        for (std::size_t q = 0; q < cells.size(); ++q) {
            const auto& cell = cells[q].as_object();
            const std::string quarter(quarters[q].as_string());
            EXPECT_EQ(cell.at("quarter").as_string(), quarter);
            const Expect e = expected[{group, quarter}];
            SCOPED_TRACE(group + " " + quarter);
            EXPECT_EQ(cell.at("due").as_int64(), e.due);
            EXPECT_EQ(cell.at("on_time").as_int64(), e.on_time);
            EXPECT_EQ(cell.at("late").as_int64(), e.late);
            EXPECT_EQ(cell.at("overdue").as_int64(), e.overdue);
            EXPECT_EQ(cell.at("waived").as_int64(), e.waived);
            EXPECT_EQ(cell.at("open").as_int64(), 0);
        }
    }
    // The wheel's rings: every group, "other" last because a workflow has none.
    EXPECT_EQ(groups, (std::vector<std::string>{"committee", "risk", "data_protection", "incidents",
                                                "technical", "other"}));
}

} // namespace
} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#include "engine/engine.h"
#include "store/sqlite/sqlite_store.h"
#include "support/engine_fixture.h"

#include <gtest/gtest.h>

namespace aarshjul {
namespace {

using testing::copenhagen;
using testing::make_workflow;
using testing::read_outbox;

constexpr const char* kQuarterly = "FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=1";
constexpr const char* kYearlyMarch = "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1";

struct EngineTest : ::testing::Test {
    Database db = testing::memory_store();
    FakeClock clock{copenhagen("2027-01-01T00:00:00")};
    Engine engine{std::make_unique<SqliteStore>(db), clock,
                  EngineSettings{testing::copenhagen_zone()}};

    std::shared_ptr<Definitions> defs(std::vector<WorkflowDef> workflows) {
        auto d = std::make_shared<Definitions>();
        d->workflows = std::move(workflows);
        d->directory = testing::small_directory();
        return d;
    }

    int count(const std::string& sql) {
        auto st = db.prepare(sql);
        EXPECT_TRUE(st.ok());
        auto row = st->step();
        EXPECT_TRUE(row.ok() && *row);
        return static_cast<int>(st->column_int64(0));
    }

    // Runs virtual time up to `end`, waking exactly when the engine asks to.
    void run_until(Instant end) {
        for (;;) {
            auto next = engine.next_wakeup();
            ASSERT_TRUE(next.ok()) << next.error().to_string();
            if (!*next || **next > end)
                break;
            clock.set(std::max(**next, clock.now()));
            auto ticked = engine.tick();
            ASSERT_TRUE(ticked.ok()) << ticked.error().to_string();
        }
        clock.set(end);
    }
};

// Materialising twice creates nothing the second time.
TEST_F(EngineTest, MaterialisationIsIdempotent) {
    auto wf = make_workflow("Q", kQuarterly, 21, {7}, 0);
    ASSERT_TRUE(engine.install(defs({wf})).ok());
    auto first = engine.materialise();
    ASSERT_TRUE(first.ok()) << first.error().to_string();
    // 2027-01-01 .. 2028-02-05 (400 days): five quarters.
    EXPECT_EQ(first->created, 5);
    auto second = engine.materialise();
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(second->created, 0);
    EXPECT_EQ(second->updated, 0);
    EXPECT_EQ(second->unchanged, 5);
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks"), 5);
}

// A changed workflow rewrites open future tasks, cancels dropped ones and never touches done ones.
TEST_F(EngineTest, ChangedWorkflowUpdatesFutureTasksOnly) {
    ASSERT_TRUE(engine.install(defs({make_workflow("Q", kQuarterly, 21, {7}, 0)})).ok());
    ASSERT_TRUE(engine.materialise().ok());
    auto done = engine.complete("Q||2027-01-01", "anna", "status given", "", CompletionKind::Done);
    ASSERT_TRUE(done.ok()) << done.error().to_string();

    // Now half-yearly with a longer due offset: April and October vanish, the rest move.
    auto changed = make_workflow("Q", "FREQ=MONTHLY;BYMONTH=1,7;BYMONTHDAY=1", 30, {7}, 0);
    ASSERT_TRUE(engine.install(defs({changed})).ok());
    auto stats = engine.materialise();
    ASSERT_TRUE(stats.ok()) << stats.error().to_string();
    EXPECT_EQ(stats->created, 0);
    EXPECT_EQ(stats->updated, 2);   // 2027-07-01 and 2028-01-01
    EXPECT_EQ(stats->cancelled, 2); // 2027-04-01 and 2027-10-01
    EXPECT_EQ(stats->unchanged, 1); // the done January task
    auto january = engine.find_task("Q||2027-01-01");
    ASSERT_TRUE(january.ok() && *january);
    EXPECT_EQ((*january)->state, TaskState::Done);
    EXPECT_EQ((*january)->due_date, "2027-01-22");
    auto july = engine.find_task("Q||2027-07-01");
    ASSERT_TRUE(july.ok() && *july);
    EXPECT_EQ((*july)->due_date, "2027-07-31");
}

// A whole year on the fake clock produces exactly the expected reminders, at the expected instants.
TEST_F(EngineTest, WholeYearProducesExactlyTheExpectedReminders) {
    auto q = make_workflow("Q", kQuarterly, 21, {7, 1, 0}, 0);
    auto y = make_workflow("Y", kYearlyMarch, 30, {14, 0}, 7);
    y.for_each.kind = ForEach::Kind::Systems;
    y.assignee = {AssigneeRef::Kind::Role, "system_responsible"};
    ASSERT_TRUE(engine.install(defs({q, y})).ok());
    ASSERT_TRUE(engine.materialise().ok());

    run_until(copenhagen("2027-04-10T12:00:00"));
    ASSERT_TRUE(engine
                    .complete("Y|sys-a|2027-03-01", "carla", "done", "https://evidence/1",
                              CompletionKind::Done)
                    .ok());
    run_until(copenhagen("2027-12-31T23:59:59"));

    std::vector<std::string> quarterly, sys_a, sys_b;
    for (const auto& row : read_outbox(db)) {
        if (row.key.rfind("Q|", 0) == 0)
            quarterly.push_back(row.key);
        else if (row.key.rfind("Y|sys-a|", 0) == 0)
            sys_a.push_back(row.key);
        else if (row.key.rfind("Y|sys-b|", 0) == 0)
            sys_b.push_back(row.key);
        else
            ADD_FAILURE() << "unexpected notice " << row.key;
        // Every notice goes out at 08:00 local time, the moment its slot falls due.
        auto local = testing::copenhagen_zone().to_local(from_unix(row.created_at));
        EXPECT_EQ(date::format("%T", local), "08:00:00") << row.key;
    }
    const std::vector<std::string> want_quarterly = {
        "Q||2027-01-01#reminder@2027-01-15#log#anna", "Q||2027-01-01#reminder@2027-01-21#log#anna",
        "Q||2027-01-01#due@2027-01-22#log#anna",      "Q||2027-04-01#reminder@2027-04-15#log#anna",
        "Q||2027-04-01#reminder@2027-04-21#log#anna", "Q||2027-04-01#due@2027-04-22#log#anna",
        "Q||2027-07-01#reminder@2027-07-15#log#anna", "Q||2027-07-01#reminder@2027-07-21#log#anna",
        "Q||2027-07-01#due@2027-07-22#log#anna",      "Q||2027-10-01#reminder@2027-10-15#log#anna",
        "Q||2027-10-01#reminder@2027-10-21#log#anna", "Q||2027-10-01#due@2027-10-22#log#anna",
    };
    EXPECT_EQ(quarterly, want_quarterly);
    const std::vector<std::string> want_sys_a = {
        "Y|sys-a|2027-03-01#reminder@2027-03-17#log#carla",
        "Y|sys-a|2027-03-01#due@2027-03-31#log#carla",
        "Y|sys-a|2027-03-01#overdue@2027-04-07#log#carla",
    };
    EXPECT_EQ(sys_a, want_sys_a);
    // sys-b is never completed: overdue every 7 days from 7 April to 29 December.
    ASSERT_EQ(sys_b.size(), 2u + 39u);
    EXPECT_EQ(sys_b[0], "Y|sys-b|2027-03-01#reminder@2027-03-17#log#bo");
    EXPECT_EQ(sys_b[2], "Y|sys-b|2027-03-01#overdue@2027-04-07#log#bo");
    EXPECT_EQ(sys_b.back(), "Y|sys-b|2027-03-01#overdue@2027-12-29#log#bo");

    auto b = engine.find_task("Y|sys-b|2027-03-01");
    ASSERT_TRUE(b.ok() && *b);
    EXPECT_EQ((*b)->state, TaskState::Overdue);
    EXPECT_EQ((*b)->reminders_sent, 41);
}

// After downtime the missed reminders of a task become one notice; none is sent twice.
TEST_F(EngineTest, DowntimeMergesMissedReminders) {
    ASSERT_TRUE(engine.install(defs({make_workflow("Y", kYearlyMarch, 30, {14, 3, 0}, 7)})).ok());
    ASSERT_TRUE(engine.materialise().ok());
    // The daemon was down from New Year until 20 April.
    clock.set(copenhagen("2027-04-20T09:00:00"));
    auto ticked = engine.tick();
    ASSERT_TRUE(ticked.ok());
    EXPECT_EQ(ticked->reminders, 1);
    auto rows = read_outbox(db);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].key, "Y||2027-03-01#overdue@2027-04-14#log#anna");
    // The state passed through open and due to overdue, each recorded.
    EXPECT_EQ(count("SELECT COUNT(*) FROM task_events WHERE kind IN ('open','due','overdue')"), 3);
    // Ticking again at the same instant sends nothing more.
    ticked = engine.tick();
    ASSERT_TRUE(ticked.ok());
    EXPECT_EQ(ticked->reminders, 0);
    auto next = engine.next_wakeup();
    ASSERT_TRUE(next.ok() && *next);
    EXPECT_EQ(**next, copenhagen("2027-04-21T08:00:00"));
}

// Completing needs a known person and an open task, and stops its reminders.
TEST_F(EngineTest, CompletionIsCheckedAndFinal) {
    ASSERT_TRUE(engine.install(defs({make_workflow("Q", kQuarterly, 21, {7}, 7)})).ok());
    ASSERT_TRUE(engine.materialise().ok());
    EXPECT_FALSE(engine.complete("Q||2027-01-01", "mallory", "", "", CompletionKind::Done).ok());
    EXPECT_FALSE(engine.complete("999", "anna", "", "", CompletionKind::Done).ok());
    auto done = engine.complete("Q||2027-01-01", "anna", "ok", "", CompletionKind::Done);
    ASSERT_TRUE(done.ok());
    auto again = engine.complete(std::to_string(done->id), "anna", "", "", CompletionKind::Done);
    ASSERT_FALSE(again.ok());
    EXPECT_NE(again.error().message.find("already done"), std::string::npos);
    run_until(copenhagen("2027-03-01T00:00:00"));
    for (const auto& row : read_outbox(db))
        EXPECT_EQ(row.key.find("Q||2027-01-01"), std::string::npos) << row.key;
}

// The next wake-up comes from the index: the earliest pending action of any task.
TEST_F(EngineTest, NextWakeupIsTheEarliestAction) {
    ASSERT_TRUE(engine.install(defs({make_workflow("Q", kQuarterly, 21, {7}, 0)})).ok());
    ASSERT_TRUE(engine.materialise().ok());
    auto next = engine.next_wakeup();
    ASSERT_TRUE(next.ok() && *next);
    EXPECT_EQ(**next, copenhagen("2027-01-01T00:00:00")); // the first task opens now
    ASSERT_TRUE(engine.tick().ok());
    next = engine.next_wakeup();
    ASSERT_TRUE(next.ok() && *next);
    EXPECT_EQ(**next, copenhagen("2027-01-15T08:00:00"));
}

namespace incremental {

constexpr const char* kMonthly = "FREQ=MONTHLY;BYMONTHDAY=15";

// Two engines on two stores: one plans incrementally (its directory has a
// digest, as a parsed one does), the other always plans its whole window (a
// directory built by hand has none).
struct IncrementalTest : ::testing::Test {
    FakeClock clock{copenhagen("2027-01-01T00:00:00")};
    Database inc_db = testing::memory_store();
    Database full_db = testing::memory_store();
    Engine inc{std::make_unique<SqliteStore>(inc_db), clock,
               EngineSettings{testing::copenhagen_zone()}};
    Engine full{std::make_unique<SqliteStore>(full_db), clock,
                EngineSettings{testing::copenhagen_zone()}};

    static std::vector<WorkflowDef> workflows() {
        auto m = make_workflow("M", kMonthly, 10, {3}, 0);
        auto y = make_workflow("Y", kYearlyMarch, 30, {14}, 7);
        y.for_each.kind = ForEach::Kind::Systems;
        y.assignee = {AssigneeRef::Kind::Role, "system_responsible"};
        return {m, y};
    }
    static std::shared_ptr<Definitions> defs(std::string digest,
                                             std::vector<WorkflowDef> wfs = workflows()) {
        auto d = std::make_shared<Definitions>();
        d->workflows = std::move(wfs);
        d->directory = testing::small_directory();
        d->directory.digest = std::move(digest);
        return d;
    }
    static std::vector<std::string> tasks(Database& db) {
        return testing::column_texts(
            db, "SELECT occurrence_key || ' ' || title || ' ' || assignee || ' ' || start_date || "
                "' ' || due_date || ' ' || state FROM tasks ORDER BY occurrence_key");
    }
    static std::string planned_through(Database& db, const std::string& wf) {
        const auto rows = testing::column_texts(
            db, "SELECT COALESCE(planned_through, '') FROM workflows WHERE id = '" + wf + "'");
        EXPECT_EQ(rows.size(), 1u) << wf;
        return rows.empty() ? std::string() : rows.front();
    }
};

// Day by day for 14 months, incremental planning stores exactly the tasks a
// full plan of the whole window stores, and each day it plans only the day
// that came into the horizon.
TEST_F(IncrementalTest, DailyIncrementsEqualFullPlans) {
    ASSERT_TRUE(inc.install(defs("directory-v1")).ok());
    ASSERT_TRUE(full.install(defs("")).ok());
    int inc_looked_at = 0, full_looked_at = 0;
    for (int day = 0; day < 430; ++day) {
        auto a = inc.materialise();
        auto b = full.materialise();
        ASSERT_TRUE(a.ok()) << a.error().to_string();
        ASSERT_TRUE(b.ok()) << b.error().to_string();
        if (day > 0) {
            inc_looked_at += a->created + a->unchanged;
            full_looked_at += b->created + b->unchanged;
        }
        EXPECT_EQ(a->created, b->created) << "day " << day;
        clock.advance(std::chrono::hours{24});
    }
    EXPECT_EQ(tasks(inc_db), tasks(full_db));
    EXPECT_GT(tasks(inc_db).size(), 20u);
    // Only new dates were planned: every occurrence looked at was created.
    auto after = inc.materialise();
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(after->created + after->unchanged, 0);
    EXPECT_LT(inc_looked_at * 10, full_looked_at);
    EXPECT_EQ(
        planned_through(inc_db, "M"),
        format_local_date(testing::copenhagen_zone().local_date(clock.now()) + date::days{400}));
}

// A changed directory (another digest) plans the whole window again: a system
// added to it gets this year's occurrence although that date was planned before.
TEST_F(IncrementalTest, ChangedDirectoryPlansTheWholeWindowAgain) {
    ASSERT_TRUE(inc.install(defs("directory-v1")).ok());
    ASSERT_TRUE(inc.materialise().ok());
    clock.set(copenhagen("2027-03-10T00:00:00"));
    ASSERT_TRUE(inc.materialise().ok());

    auto grown = defs("directory-v2");
    grown->directory.systems.push_back({"sys-new", "New system", "bo", "carla", "high"});
    ASSERT_TRUE(inc.install(grown).ok());
    auto stats = inc.materialise();
    ASSERT_TRUE(stats.ok()) << stats.error().to_string();
    EXPECT_EQ(stats->created, 2); // 2027-03-01 (due 03-31) and 2028-03-01
    auto task = inc.find_task("Y|sys-new|2027-03-01");
    ASSERT_TRUE(task.ok() && *task);
    EXPECT_EQ((*task)->assignee, "carla");
}

// A changed definition withdraws what it no longer produces; a workflow
// switched off and on again plans the dates it missed while it was off.
TEST_F(IncrementalTest, ChangedAndSwitchedOffWorkflowsPlanAgain) {
    ASSERT_TRUE(inc.install(defs("directory-v1")).ok());
    ASSERT_TRUE(inc.materialise().ok());

    auto wfs = workflows();
    wfs[0] = make_workflow("M", "FREQ=MONTHLY;BYMONTH=1,7;BYMONTHDAY=15", 10, {3}, 0);
    ASSERT_TRUE(inc.install(defs("directory-v1", wfs)).ok());
    auto changed = inc.materialise();
    ASSERT_TRUE(changed.ok());
    // 13 monthly occurrences to 2028-02-05; January and July (three of them) remain.
    EXPECT_EQ(changed->cancelled, 10);

    wfs[0].enabled = false;
    ASSERT_TRUE(inc.install(defs("directory-v1", wfs)).ok());
    ASSERT_TRUE(inc.materialise().ok());
    clock.set(copenhagen("2028-03-01T00:00:00"));
    ASSERT_TRUE(inc.materialise().ok());
    wfs[0].enabled = true;
    ASSERT_TRUE(inc.install(defs("directory-v1", wfs)).ok());
    ASSERT_TRUE(inc.materialise().ok());
    for (const char* key : {"M||2028-07-15", "M||2029-01-15"}) {
        auto task = inc.find_task(key);
        ASSERT_TRUE(task.ok() && *task) << key;
        EXPECT_FALSE(is_terminal((*task)->state)) << key;
    }
}

// A task left open for longer than the catch-up window is still open after a
// full re-plan: it lies outside the window the planner looked at, so nothing
// says the workflow stopped producing it.
TEST_F(IncrementalTest, LongOverdueTaskIsNeverWithdrawnAsStale) {
    ASSERT_TRUE(full.install(defs("")).ok());
    ASSERT_TRUE(full.materialise().ok());
    clock.set(copenhagen("2030-06-01T00:00:00"));
    auto stats = full.materialise();
    ASSERT_TRUE(stats.ok()) << stats.error().to_string();
    EXPECT_EQ(stats->cancelled, 0);
    auto old = full.find_task("M||2027-01-15");
    ASSERT_TRUE(old.ok() && *old);
    EXPECT_FALSE(is_terminal((*old)->state));
}

} // namespace incremental

} // namespace
} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
// Constructs the shipped controls need: a reproducible sample of systems
// (COMPL's stikprøve), evidence required for completion, and controls that
// ship switched off.
#include "engine/engine.h"
#include "engine/planner.h"
#include "store/sqlite/sqlite_store.h"
#include "support/engine_fixture.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <set>

namespace aarshjul {
namespace {

using testing::copenhagen;
using ::testing::HasSubstr;
using testing::make_workflow;

Directory many_systems(int n) {
    Directory d = testing::small_directory();
    d.systems.clear();
    for (int i = 0; i < n; ++i) {
        char id[16];
        std::snprintf(id, sizeof id, "sys-%02d", i);
        d.systems.push_back(
            {id, std::string("System ") + id, "bo", "carla", i % 3 == 0 ? "high" : "low"});
    }
    return d;
}

WorkflowDef sample_workflow(int size, std::vector<std::string> criticality = {}) {
    auto wf = make_workflow("COMPL", "FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=1", 30, {7}, 0);
    wf.for_each.kind = ForEach::Kind::Sample;
    wf.for_each.sample_size = size;
    wf.for_each.sample_seed = "COMPL";
    wf.for_each.criticality = std::move(criticality);
    return wf;
}

std::set<std::string> ids(const std::vector<Entity>& entities) {
    std::set<std::string> out;
    for (const auto& e : entities)
        out.insert(e.id);
    return out;
}

// The same seed and date draw the same systems; another year draws anew; the
// draw respects the size and the criticality filter and is written down.
TEST(Sample, DrawIsReproducibleAndRecorded) {
    const Directory d = many_systems(30);
    const auto wf = sample_workflow(5);
    const LocalDate oct2027{date::year{2027} / 10 / 1};
    const LocalDate oct2028{date::year{2028} / 10 / 1};
    std::string record;
    const auto first = draw_sample(wf, d, oct2027, &record);
    ASSERT_EQ(first.size(), 5u);
    EXPECT_EQ(ids(first), ids(draw_sample(wf, d, oct2027)));
    EXPECT_NE(ids(first), ids(draw_sample(wf, d, oct2028)));
    EXPECT_THAT(record, HasSubstr("stikprøve 2027-10-01 (seed \"COMPL\"): 5 af 30 systemer:"));
    for (const auto& id : ids(first))
        EXPECT_THAT(record, HasSubstr(" " + id));

    auto other_seed = wf;
    other_seed.for_each.sample_seed = "another";
    EXPECT_NE(ids(first), ids(draw_sample(other_seed, d, oct2027)));

    // Only high-criticality systems (every third of 30), and never more than there are.
    for (const auto& e : draw_sample(sample_workflow(50, {"high"}), d, oct2027))
        EXPECT_EQ(e.system->criticality, "high");
    EXPECT_EQ(draw_sample(sample_workflow(50, {"high"}), d, oct2027).size(), 10u);
    // Independent of the directory's order: the draw is over systems sorted by id.
    Directory reversed = d;
    std::reverse(reversed.systems.begin(), reversed.systems.end());
    EXPECT_EQ(ids(first), ids(draw_sample(wf, reversed, oct2027)));
}

// Pinned values: a change to the drawing procedure shows up here, because a
// municipality's recorded samples must stay explainable after an upgrade.
TEST(Sample, DrawIsStableAcrossVersions) {
    const Directory d = many_systems(30);
    std::string record;
    const auto drawn =
        draw_sample(sample_workflow(3), d, LocalDate{date::year{2027} / 10 / 1}, &record);
    EXPECT_EQ(ids(drawn), (std::set<std::string>{"sys-05", "sys-10", "sys-13"}));
    EXPECT_EQ(record, "stikprøve 2027-10-01 (seed \"COMPL\"): 3 af 30 systemer: sys-05 sys-10 "
                      "sys-13");
}

struct ControlsEngine : ::testing::Test {
    Database db = testing::memory_store();
    FakeClock clock{copenhagen("2027-01-01T00:00:00")};
    Engine engine{std::make_unique<SqliteStore>(db), clock,
                  EngineSettings{testing::copenhagen_zone()}};

    void install(std::vector<WorkflowDef> workflows, Directory directory) {
        auto d = std::make_shared<Definitions>();
        d->workflows = std::move(workflows);
        d->directory = std::move(directory);
        ASSERT_TRUE(engine.install(d).ok());
        auto m = engine.materialise();
        ASSERT_TRUE(m.ok()) << m.error().to_string();
    }

    int count(const std::string& sql) {
        auto st = db.prepare(sql);
        EXPECT_TRUE(st.ok()) << sql;
        auto row = st->step();
        EXPECT_TRUE(row.ok() && *row);
        return static_cast<int>(st->column_int64(0));
    }
};

// The engine materialises one task per drawn system and records the draw in
// each task's history; materialising again draws the same systems.
TEST_F(ControlsEngine, SampleBecomesTasksWithTheDrawInTheirHistory) {
    install({sample_workflow(4)}, many_systems(20));
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks WHERE nominal_date = '2027-10-01'"), 4);
    EXPECT_EQ(count("SELECT COUNT(*) FROM task_events WHERE kind = 'created' AND detail LIKE "
                    "'%stikprøve 2027-10-01 (seed \"COMPL\"): 4 af 20 systemer:%'"),
              4);
    auto again = engine.materialise();
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->created, 0);
    EXPECT_EQ(again->cancelled, 0);
}

// A control that requires evidence cannot be marked done without it; waiving needs none.
TEST_F(ControlsEngine, EvidenceRequiredRefusesABareCompletion) {
    auto wf = make_workflow("BCP-TEST", "FREQ=MONTHLY;BYMONTHDAY=1", 30, {7}, 0);
    wf.evidence_required = true;
    auto plain = make_workflow("PLAIN", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1", 30, {7}, 0);
    install({wf, plain}, testing::small_directory());
    auto bare = engine.complete("BCP-TEST||2027-03-01", "anna", "tested", "", CompletionKind::Done);
    ASSERT_FALSE(bare.ok());
    EXPECT_THAT(bare.error().message, HasSubstr("needs evidence"));
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks WHERE state = 'done'"), 0);
    EXPECT_TRUE(engine
                    .complete("BCP-TEST||2027-03-01", "anna", "tested",
                              "https://intra.eksempel.dk/beredskab/test-2027.pdf",
                              CompletionKind::Done)
                    .ok());
    EXPECT_TRUE(engine.complete("PLAIN||2027-03-01", "anna", "", "", CompletionKind::Done).ok());
    EXPECT_TRUE(
        engine
            .complete("BCP-TEST||2027-04-01", "anna", "not this month", "", CompletionKind::Waived)
            .ok());
}

// A control shipped switched off creates nothing; switching it off later withdraws its open tasks.
TEST_F(ControlsEngine, SwitchedOffControlsCreateNothing) {
    auto off = make_workflow("CIS-11.2", "FREQ=WEEKLY", 2, {}, 0);
    off.enabled = false;
    auto on = make_workflow("ON", "FREQ=MONTHLY;BYMONTHDAY=1", 7, {}, 0);
    install({off, on}, testing::small_directory());
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks WHERE workflow_id = 'CIS-11.2'"), 0);
    EXPECT_GT(count("SELECT COUNT(*) FROM tasks WHERE workflow_id = 'ON'"), 0);

    on.enabled = false;
    on.content_hash += "-off";
    install({off, on}, testing::small_directory());
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks WHERE workflow_id = 'ON' AND state <> 'cancelled'"),
              0);
}

} // namespace
} // namespace aarshjul

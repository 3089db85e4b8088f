// SPDX-License-Identifier: MPL-2.0
#include "app/year_export.h"
#include "store/sqlite/sqlite_store.h"
#include "support/engine_fixture.h"

#include <gtest/gtest.h>
#include <map>

namespace aarshjul {
namespace {

using testing::copenhagen;
using testing::make_workflow;

// A monthly risk duty (with outcomes), a quarterly committee duty and a
// yearly duty per system, planned from 1 January 2027 and read on 20 March:
// January's risk task done with an outcome and evidence, February's waived.
struct YearExportTest : ::testing::Test {
    Database db = testing::memory_store();
    FakeClock clock{copenhagen("2027-01-01T00:00:00")};
    Engine engine{std::make_unique<SqliteStore>(db), clock,
                  EngineSettings{testing::copenhagen_zone()}};
    std::vector<WorkflowDef> workflows;
    Directory directory = testing::small_directory();
    Zone zone = testing::copenhagen_zone();

    void SetUp() override {
        auto monthly = make_workflow("M", "FREQ=MONTHLY;BYMONTHDAY=1", 0, {}, 0);
        monthly.group = WorkflowGroup::Risk;
        monthly.outcomes = {
            OutcomeDef{.id = "ok", .label = {"I orden", "In order"}, .action_plan = std::nullopt}};
        auto quarterly = make_workflow("Q", "FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=1", 0, {}, 0);
        quarterly.group = WorkflowGroup::Committee;
        auto per_system = make_workflow("S", "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=15", 0, {}, 0);
        per_system.group = WorkflowGroup::Technical;
        per_system.for_each.kind = ForEach::Kind::Systems;
        per_system.assignee = {AssigneeRef::Kind::Role, "system_responsible"};
        workflows = {monthly, quarterly, per_system};
        auto defs = std::make_shared<Definitions>();
        defs->workflows = workflows;
        defs->directory = directory;
        ASSERT_TRUE(engine.install(defs).ok());
        ASSERT_TRUE(engine.materialise().ok());
        clock.set(copenhagen("2027-01-05T10:15:00"));
        ASSERT_TRUE(engine
                        .complete("M||2027-01-01", "anna", "two remarks, see the report",
                                  "https://dok.example.dk/risk/1", CompletionKind::Done, "ok")
                        .ok());
        ASSERT_TRUE(
            engine.complete("M||2027-02-01", "bo", "not needed", "", CompletionKind::Waived).ok());
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

    YearSheet read(YearExportRequest request) {
        const YearExportContext context{.workflows = workflows,
                                        .directory = directory,
                                        .zone = zone,
                                        .now = clock.now(),
                                        .organisation = "Testkommune"};
        auto sheet = read_year_sheet(engine.store().queries(), context, request);
        EXPECT_TRUE(sheet.ok()) << sheet.error().to_string();
        return sheet.ok() ? *sheet : YearSheet{};
    }

    static const YearRow& row_of(const YearSheet& sheet, std::int64_t task_id) {
        for (const auto& row : sheet.rows)
            if (row.task_id == task_id)
                return row;
        static const YearRow none;
        ADD_FAILURE() << "no row for task " << task_id;
        return none;
    }

    std::int64_t id_of(const std::string& key) {
        auto task = engine.find_task(key);
        EXPECT_TRUE(task.ok() && *task) << key;
        return task.ok() && *task ? (*task)->id : 0;
    }
};

// One row per task due in the year, in due-date order: twelve monthly, four
// quarterly and one per system, every due date in 2027.
TEST_F(YearExportTest, OneRowPerTaskOfTheYearInDueOrder) {
    const YearSheet sheet = read({.year = 2027});
    EXPECT_EQ(sheet.rows.size(), 12u + 4u + 2u);
    std::map<std::string, int> per_control;
    for (std::size_t i = 0; i < sheet.rows.size(); ++i) {
        const auto& row = sheet.rows[i];
        ++per_control[row.control];
        EXPECT_EQ(date::year_month_day{row.due}.year(), date::year{2027}) << row.task_id;
        if (i > 0) {
            EXPECT_LE(sheet.rows[i - 1].due, row.due) << row.task_id;
        }
    }
    EXPECT_EQ(per_control, (std::map<std::string, int>{{"M", 12}, {"Q", 4}, {"S", 2}}));
    EXPECT_EQ(sheet.organisation, "Testkommune");
    EXPECT_EQ(sheet.year, 2027);
    EXPECT_EQ(sheet.time_zone, "Europe/Copenhagen");
    EXPECT_EQ(sheet.generated_at.iso, "2027-03-20T12:00:00+01:00");
    EXPECT_FALSE(sheet.links);
}

// A done task carries who completed it (name and id), when (Copenhagen
// time), the outcome's label, the evidence and the note; a waived task's
// note is its reason for the waiver, not a note.
TEST_F(YearExportTest, CompletionOutcomeEvidenceAndWaiver) {
    const YearSheet sheet = read({.year = 2027});
    const YearRow& done = row_of(sheet, id_of("M||2027-01-01"));
    EXPECT_EQ(done.control, "M");
    EXPECT_EQ(done.control_title, "Titel M");
    EXPECT_EQ(done.group, "Risiko");
    EXPECT_EQ(done.responsible, "Anna Jensen");
    EXPECT_EQ(done.responsible_id, "anna");
    EXPECT_EQ(done.state, "udført");
    ASSERT_TRUE(done.completed_at);
    EXPECT_EQ(done.completed_at->iso, "2027-01-05T10:15:00+01:00");
    EXPECT_EQ(done.completed_at->local, LocalDate{date::year{2027} / 1 / 5} +
                                            std::chrono::hours{10} + std::chrono::minutes{15});
    EXPECT_EQ(done.completed_by, "Anna Jensen");
    EXPECT_EQ(done.completed_by_id, "anna");
    EXPECT_EQ(done.outcome, "I orden");
    EXPECT_EQ(done.evidence, "https://dok.example.dk/risk/1");
    EXPECT_EQ(done.note, "two remarks, see the report");
    EXPECT_EQ(done.waived_reason, "");

    const YearRow& waived = row_of(sheet, id_of("M||2027-02-01"));
    EXPECT_EQ(waived.state, "fritaget");
    EXPECT_EQ(waived.completed_by, "Bo Nielsen");
    EXPECT_EQ(waived.waived_reason, "not needed");
    EXPECT_EQ(waived.note, "");
    EXPECT_EQ(waived.outcome, "");

    const YearRow& overdue = row_of(sheet, id_of("M||2027-03-01"));
    EXPECT_EQ(overdue.state, "overskredet");
    EXPECT_FALSE(overdue.completed_at);
}

// A task per system names the system and its name, and goes to the
// system's responsible person.
TEST_F(YearExportTest, SystemsAndTheirResponsible) {
    const YearSheet sheet = read({.year = 2027});
    const YearRow& a = row_of(sheet, id_of("S|sys-a|2027-06-15"));
    EXPECT_EQ(a.system, "sys-a");
    EXPECT_EQ(a.system_name, "System A");
    EXPECT_EQ(a.responsible, "Carla Holm");
    EXPECT_EQ(a.group, "Teknik");
    const YearRow& q = row_of(sheet, id_of("Q||2027-04-01"));
    EXPECT_EQ(q.system, "");
    EXPECT_EQ(q.system_name, "");
}

// In English the labels, titles and states are English; a public URL links
// every row to its task page (a trailing slash does not double).
TEST_F(YearExportTest, EnglishAndLinks) {
    const YearSheet sheet =
        read({.year = 2027, .language = "en", .public_url = "https://aarshjul.example.dk/"});
    EXPECT_TRUE(sheet.links);
    const YearRow& done = row_of(sheet, id_of("M||2027-01-01"));
    EXPECT_EQ(done.group, "Risk");
    EXPECT_EQ(done.state, "done");
    EXPECT_EQ(done.outcome, "In order");
    EXPECT_EQ(done.control_title, "Title M");
    EXPECT_EQ(done.link, "https://aarshjul.example.dk/tasks/" + std::to_string(done.task_id));
}

// The group and person filters keep only their rows and are named in the
// sheet; a year with no tasks is an empty sheet, not an error.
TEST_F(YearExportTest, FiltersAndAnEmptyYear) {
    const YearSheet committee = read({.year = 2027, .group = WorkflowGroup::Committee});
    EXPECT_EQ(committee.rows.size(), 4u);
    EXPECT_EQ(committee.group, "Udvalg");
    for (const auto& row : committee.rows)
        EXPECT_EQ(row.control, "Q");

    const YearSheet carla = read({.year = 2027, .person = "carla"});
    EXPECT_EQ(carla.person, "Carla Holm (carla)");
    ASSERT_EQ(carla.rows.size(), 1u);
    EXPECT_EQ(carla.rows[0].system, "sys-a");

    EXPECT_TRUE(read({.year = 2031}).rows.empty());
}

// A task whose workflow is no longer loaded keeps its row, under "other",
// with its own title as the control's.
TEST_F(YearExportTest, UnloadedWorkflowGoesToOther) {
    workflows.erase(workflows.begin()); // M
    const YearSheet sheet = read({.year = 2027});
    const YearRow& done = row_of(sheet, id_of("M||2027-01-01"));
    EXPECT_EQ(done.group, "Øvrige");
    EXPECT_EQ(done.control_title, "Titel M");
    EXPECT_EQ(done.outcome, "ok"); // no label without the workflow: the stored id
}

// A year outside 1970-9999 and an unknown language are refused, naming the field.
TEST_F(YearExportTest, RefusesABadYearOrLanguage) {
    const YearExportContext context{.workflows = workflows,
                                    .directory = directory,
                                    .zone = zone,
                                    .now = clock.now(),
                                    .organisation = ""};
    for (const YearExportRequest& bad :
         {YearExportRequest{.year = 1969}, YearExportRequest{.year = 10000},
          YearExportRequest{.year = 2027, .language = "de"}}) {
        auto sheet = read_year_sheet(engine.store().queries(), context, bad);
        ASSERT_FALSE(sheet.ok());
        EXPECT_EQ(sheet.error().kind, ErrorKind::Invalid);
        EXPECT_EQ(sheet.error().field, bad.year == 2027 ? "language" : "year");
    }
}

} // namespace
} // namespace aarshjul

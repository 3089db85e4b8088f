// SPDX-License-Identifier: MPL-2.0
#include "support/temp_dir.h"
#include "worker/workflow_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace aarshjul {
namespace {

using ::testing::HasSubstr;

const std::filesystem::path kLuaDir = std::filesystem::path(AARSHJUL_SOURCE_DIR) / "lua";
const std::filesystem::path kFixtures =
    std::filesystem::path(AARSHJUL_TEST_DATA) / "lua" / "workflows";

WorkflowLoadReport load(const std::filesystem::path& dir) {
    WorkflowLoadOptions options;
    options.workflows_dirs = {dir};
    options.lua_dir = kLuaDir;
    return load_workflows(options);
}

std::string errors_of(const WorkflowLoadReport& report) {
    std::string out;
    for (const auto& e : report.errors)
        out += e.to_string() + "\n";
    return out;
}

const char* const kRisk = R"(workflow {
  id = "RISK-SYS",
  title = { da = "Risikovurdering af system", en = "Risk assessment of system" },
  source = "004_8f337844b52a9e9a.txt: årlige risikovurdering af systemerne",
  for_each = systems {},
  assignee = role "system_responsible",
  schedule = yearly { month = 3, day = 1 },
  due = days(30),
}
)";

// The fixture folder loads in name order into complete definitions.
TEST(WorkflowLoader, LoadsEveryFieldOfTheFixtures) {
    auto report = load(kFixtures);
    ASSERT_TRUE(report.ok()) << errors_of(report);
    ASSERT_EQ(report.workflows.size(), 3u);
    // policy.lua sorts before risk.lua.
    const WorkflowDef& pol = report.workflows[0];
    EXPECT_EQ(pol.id, "POL-REV");
    EXPECT_EQ(pol.file, (kFixtures / "policy.lua").string());
    EXPECT_EQ(pol.line, 2);
    EXPECT_EQ(pol.schedule.rrule, "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=11");
    EXPECT_EQ(format_local_date(pol.schedule.anchor), "2023-04-11");
    EXPECT_FALSE(pol.schedule.valid_until);
    EXPECT_EQ(pol.for_each.kind, ForEach::Kind::Once);
    EXPECT_EQ(pol.due_days, 0);
    EXPECT_TRUE(pol.remind_is_default);
    EXPECT_TRUE(pol.remind.before_due_days.empty());
    EXPECT_EQ(pol.description.da, "");

    const WorkflowDef& strat = report.workflows[1];
    EXPECT_EQ(strat.id, "STRAT-EXP");
    EXPECT_EQ(strat.line, 10);
    EXPECT_EQ(strat.assignee.kind, AssigneeRef::Kind::Person);
    EXPECT_EQ(strat.assignee.id, "anna.jensen");
    ASSERT_TRUE(strat.schedule.valid_until);
    EXPECT_EQ(format_local_date(*strat.schedule.valid_until), "2025-12-31");
    EXPECT_EQ(format_local_date(strat.schedule.anchor), "2023-01-01");

    const WorkflowDef& risk = report.workflows[2];
    EXPECT_EQ(risk.id, "RISK-SYS");
    EXPECT_EQ(risk.title.da, "Risikovurdering af system");
    EXPECT_EQ(risk.title.en, "Risk assessment of system");
    EXPECT_EQ(risk.description.en, "Yearly risk assessment per system.");
    EXPECT_EQ(risk.source, "004_8f337844b52a9e9a.txt: årlige risikovurdering af systemerne");
    EXPECT_EQ(risk.for_each.kind, ForEach::Kind::Systems);
    EXPECT_EQ(risk.for_each.criticality, (std::vector<std::string>{"high", "medium"}));
    EXPECT_EQ(risk.assignee.kind, AssigneeRef::Kind::Role);
    EXPECT_EQ(risk.assignee.id, "system_responsible");
    EXPECT_EQ(risk.schedule.rrule, "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1");
    EXPECT_EQ(format_local_date(risk.schedule.anchor), "2000-01-01");
    EXPECT_EQ(risk.due_days, 30);
    EXPECT_FALSE(risk.remind_is_default);
    EXPECT_EQ(risk.remind.before_due_days, (std::vector<int>{14, 3, 0}));
    EXPECT_EQ(risk.remind.overdue_every_days, 7);
    EXPECT_EQ(risk.line, 2);
    EXPECT_EQ(risk.content_hash.size(), 64u);
    EXPECT_EQ(risk.content_hash.find_first_not_of("0123456789abcdef"), std::string::npos);
}

// Errors in one file are reported as file:line and the other files still load.
TEST(WorkflowLoader, ReportsSyntaxErrorsAndUnknownFieldsWithTheirLines) {
    testing::TempDir dir;
    dir.write("workflows/a_syntax.lua", "-- broken\nworkflow {\n  id = \"A\"\n  title = {}\n}\n");
    dir.write("workflows/b_field.lua",
              "\n\n\nworkflow {\n  id = \"B\",\n  titel = { da = \"x\", en = \"y\" },\n}\n");
    dir.write("workflows/c_ok.lua", kRisk);
    dir.write("workflows/notes.txt", "not a workflow");
    auto report = load(dir.path() / "workflows");
    ASSERT_EQ(report.errors.size(), 2u) << errors_of(report);
    EXPECT_EQ(report.errors[0].file, (dir.path() / "workflows" / "a_syntax.lua").string());
    EXPECT_EQ(report.errors[0].line, 4);
    EXPECT_THAT(report.errors[0].message, HasSubstr("'}' expected (to close '{' at line 2)"));
    EXPECT_EQ(report.errors[1].to_string(), (dir.path() / "workflows" / "b_field.lua").string() +
                                                ":4: workflow B: unknown field 'titel'");
    ASSERT_EQ(report.workflows.size(), 1u);
    EXPECT_EQ(report.workflows[0].id, "RISK-SYS");
}

// The DSL's warnings reach the report with the loaded file and the line, in
// file order, and are no errors.
TEST(WorkflowLoader, ReadsTheDslsWarningsPerFile) {
    auto with_id = [](std::string code, const std::string& id) {
        return code.replace(code.find("RISK-SYS"), 8, id);
    };
    std::string old_style = kRisk;
    old_style.insert(old_style.rfind('}'), "  remind = { overdue_every = 7 },\n");
    testing::TempDir dir;
    dir.write("workflows/a.lua", "\n" + old_style);
    dir.write("workflows/b.lua", with_id(kRisk, "RISK-TWO"));
    dir.write("workflows/c.lua", with_id(old_style, "RISK-THREE"));
    auto report = load(dir.path() / "workflows");
    ASSERT_TRUE(report.ok()) << errors_of(report);
    EXPECT_EQ(report.workflows.size(), 3u);
    ASSERT_EQ(report.warnings.size(), 2u);
    EXPECT_EQ(report.warnings[0].to_string(),
              (dir.path() / "workflows" / "a.lua").string() +
                  ":2: workflow RISK-SYS: remind.overdue_every = 7 is in days without saying so; "
                  "write overdue_every = days(7)");
    EXPECT_EQ(report.warnings[1].file, (dir.path() / "workflows" / "c.lua").string());
    EXPECT_EQ(report.warnings[1].line, 1);
    EXPECT_THAT(report.warnings[1].message, HasSubstr("workflow RISK-THREE"));
}

// A runaway workflow file is stopped and named; the limits come from the options.
TEST(WorkflowLoader, AppliesTheSandboxLimits) {
    testing::TempDir dir;
    dir.write("workflows/loop.lua", "\nwhile true do end\n");
    WorkflowLoadOptions options;
    options.workflows_dirs = {dir.path() / "workflows"};
    options.lua_dir = kLuaDir;
    options.limits.instruction_budget = 100'000;
    auto report = load_workflows(options);
    ASSERT_EQ(report.errors.size(), 1u) << errors_of(report);
    EXPECT_EQ(report.errors[0].to_string(),
              (dir.path() / "workflows" / "loop.lua").string() +
                  ":2: instruction budget exceeded (100000 instructions)");
}

// The same id in two files is an error naming both places; the first one is kept.
TEST(WorkflowLoader, RefusesDuplicateIds) {
    testing::TempDir dir;
    auto first = dir.write("wf/one.lua", kRisk);
    auto second = dir.write("wf/two.lua", std::string("-- again\n\n") + kRisk);
    auto report = load(dir.path() / "wf");
    ASSERT_EQ(report.errors.size(), 1u) << errors_of(report);
    EXPECT_EQ(report.errors[0].file, second.string());
    EXPECT_EQ(report.errors[0].line, 3);
    EXPECT_EQ(report.errors[0].message,
              "duplicate workflow id 'RISK-SYS' (first defined at " + first.string() + ":1)");
    ASSERT_EQ(report.workflows.size(), 1u);
    EXPECT_EQ(report.workflows[0].file, first.string());
}

// The content hash is stable across loads, ignores position, and changes with any field.
TEST(WorkflowLoader, ContentHashTracksTheDefinitionOnly) {
    testing::TempDir dir;
    dir.write("wf/risk.lua", kRisk);
    const std::string original = load(dir.path() / "wf").workflows.at(0).content_hash;
    EXPECT_EQ(load(dir.path() / "wf").workflows.at(0).content_hash, original);

    dir.write("wf/risk.lua", std::string("-- moved down by a comment\n\n") + kRisk);
    auto moved = load(dir.path() / "wf");
    EXPECT_EQ(moved.workflows.at(0).line, 3);
    EXPECT_EQ(moved.workflows.at(0).content_hash, original);

    std::string changed = kRisk;
    changed.replace(changed.find("days(30)"), 8, "days(31)");
    dir.write("wf/risk.lua", changed);
    EXPECT_NE(load(dir.path() / "wf").workflows.at(0).content_hash, original);

    std::string retitled = kRisk;
    retitled.replace(retitled.find("Risk assessment"), 4, "Risq");
    dir.write("wf/risk.lua", retitled);
    EXPECT_NE(load(dir.path() / "wf").workflows.at(0).content_hash, original);
}

// Every field takes part in the hash.
TEST(WorkflowLoader, ContentHashCoversEveryField) {
    WorkflowDef base;
    base.id = "A";
    base.title = {"da", "en"};
    base.source = "s";
    base.schedule.rrule = "FREQ=YEARLY";
    const std::string h = workflow_content_hash(base);
    std::vector<void (*)(WorkflowDef&)> changes = {
        [](WorkflowDef& w) { w.id = "B"; },
        [](WorkflowDef& w) { w.title.da = "x"; },
        [](WorkflowDef& w) { w.title.en = "x"; },
        [](WorkflowDef& w) { w.description.da = "x"; },
        [](WorkflowDef& w) { w.description.en = "x"; },
        [](WorkflowDef& w) { w.source = "t"; },
        [](WorkflowDef& w) { w.assignee.kind = AssigneeRef::Kind::Person; },
        [](WorkflowDef& w) { w.assignee.id = "x"; },
        [](WorkflowDef& w) { w.for_each.kind = ForEach::Kind::Systems; },
        [](WorkflowDef& w) { w.for_each.criticality = {"high"}; },
        [](WorkflowDef& w) { w.schedule.rrule = "FREQ=MONTHLY"; },
        [](WorkflowDef& w) { w.schedule.anchor += date::days(1); },
        [](WorkflowDef& w) { w.schedule.valid_until = w.schedule.anchor; },
        [](WorkflowDef& w) { w.due_days = 1; },
        [](WorkflowDef& w) { w.remind.before_due_days = {1}; },
        [](WorkflowDef& w) { w.remind.overdue_every_days = 1; },
        [](WorkflowDef& w) { w.remind_is_default = !w.remind_is_default; },
        [](WorkflowDef& w) { w.for_each.kind = ForEach::Kind::Processors; },
        [](WorkflowDef& w) { w.for_each.tiers = {"high"}; },
        [](WorkflowDef& w) { w.trigger.kind = Trigger::Kind::Meetings; },
        [](WorkflowDef& w) { w.trigger.kind = Trigger::Kind::Event; },
        [](WorkflowDef& w) { w.trigger.kind = Trigger::Kind::Completion; },
        [](WorkflowDef& w) { w.trigger.name = "isu"; },
        [](WorkflowDef& w) { w.due.unit = Offset::Unit::Hours; },
        [](WorkflowDef& w) { w.due.unit = Offset::Unit::BusinessDays; },
        [](WorkflowDef& w) { w.due.unit = Offset::Unit::Months; },
        [](WorkflowDef& w) { w.due.amount = -1; },
        [](WorkflowDef& w) { w.remind_before_due_hours = {24}; },
        [](WorkflowDef& w) { w.overdue_every_hours = 12; },
        [](WorkflowDef& w) { w.due_next_meeting = "byraad"; },
        [](WorkflowDef& w) { w.roll_to_business_day = true; },
        [](WorkflowDef& w) { w.cadence = Cadence::FromCompletion; },
        [](WorkflowDef& w) { w.interval.unit = Offset::Unit::Days; },
        [](WorkflowDef& w) { w.interval.amount = 6; },
        [](WorkflowDef& w) { w.depends_on = {"RISK-PORT"}; },
        [](WorkflowDef& w) {
            w.steps = {ApprovalStep{"DIR", {"a", "b"}, "direktion", {}}};
        },
        [](WorkflowDef& w) {
            w.escalate = {EscalationStep{7, {AssigneeRef::Kind::Role, "system_owner"}}};
        },
        [](WorkflowDef& w) { w.escalate_is_default = false; },
        [](WorkflowDef& w) { w.channels = {"mail"}; },
        [](WorkflowDef& w) { w.horizon_check = HorizonCheck{}; },
        [](WorkflowDef& w) {
            w.schedule_by_tier = {{"high", w.schedule}};
        },
        [](WorkflowDef& w) { w.has_on_complete = true; },
        [](WorkflowDef& w) { w.has_on_overdue = true; },
        [](WorkflowDef& w) { w.has_on_event = true; },
        [](WorkflowDef& w) { w.group = WorkflowGroup::Committee; },
        // Field boundaries are unambiguous: moving text between fields changes the hash.
        [](WorkflowDef& w) {
            w.title = {"dae", "n"};
        },
    };
    for (std::size_t i = 0; i < changes.size(); ++i) {
        WorkflowDef w = base;
        changes[i](w);
        EXPECT_NE(workflow_content_hash(w), h) << "change " << i;
    }
    // Every part of the nested values counts too.
    WorkflowDef nested = base;
    nested.steps = {ApprovalStep{"DIR", {"a", "b"}, "direktion", {AssigneeRef::Kind::Role, "x"}}};
    nested.escalate = {EscalationStep{7, {AssigneeRef::Kind::Role, "x"}}};
    nested.horizon_check = HorizonCheck{6, {AssigneeRef::Kind::Role, "x"}};
    nested.schedule_by_tier = {{"high", base.schedule}};
    const std::string hn = workflow_content_hash(nested);
    std::vector<void (*)(WorkflowDef&)> nested_changes = {
        [](WorkflowDef& w) { w.steps[0].id = "BR"; },
        [](WorkflowDef& w) { w.steps[0].title.da = "x"; },
        [](WorkflowDef& w) { w.steps[0].title.en = "x"; },
        [](WorkflowDef& w) { w.steps[0].body = "byraad"; },
        [](WorkflowDef& w) { w.steps[0].assignee.kind = AssigneeRef::Kind::Person; },
        [](WorkflowDef& w) { w.steps[0].assignee.id = "y"; },
        [](WorkflowDef& w) { w.escalate[0].after_days_overdue = 8; },
        [](WorkflowDef& w) { w.escalate[0].to.kind = AssigneeRef::Kind::Person; },
        [](WorkflowDef& w) { w.escalate[0].to.kind = AssigneeRef::Kind::Body; },
        [](WorkflowDef& w) { w.escalate[0].to.id = "y"; },
        [](WorkflowDef& w) { w.horizon_check->months = 3; },
        [](WorkflowDef& w) { w.horizon_check->assignee.id = "y"; },
        [](WorkflowDef& w) { w.schedule_by_tier[0].first = "low"; },
        [](WorkflowDef& w) { w.schedule_by_tier[0].second.rrule = "FREQ=MONTHLY"; },
        [](WorkflowDef& w) { w.schedule_by_tier[0].second.anchor += date::days(1); },
        [](WorkflowDef& w) {
            w.schedule_by_tier[0].second.valid_until = w.schedule_by_tier[0].second.anchor;
        },
    };
    for (std::size_t i = 0; i < nested_changes.size(); ++i) {
        WorkflowDef w = nested;
        nested_changes[i](w);
        EXPECT_NE(workflow_content_hash(w), hn) << "nested change " << i;
    }
    WorkflowDef moved = base;
    moved.file = "elsewhere.lua";
    moved.line = 99;
    EXPECT_EQ(workflow_content_hash(moved), h);
}

// A missing folder, an empty one and one without definitions are errors.
TEST(WorkflowLoader, RefusesMissingAndEmptyFolders) {
    testing::TempDir dir;
    auto missing = load(dir.path() / "nope");
    ASSERT_EQ(missing.errors.size(), 1u);
    EXPECT_EQ(missing.errors[0].to_string(),
              (dir.path() / "nope").string() + ": workflow folder not found");

    std::filesystem::create_directories(dir.path() / "empty");
    dir.write("empty/readme.txt", "no lua here");
    auto empty = load(dir.path() / "empty");
    ASSERT_EQ(empty.errors.size(), 1u);
    EXPECT_THAT(empty.errors[0].message,
                HasSubstr("no workflows in " + (dir.path() / "empty").string()));

    dir.write("blank/only_comments.lua", "-- nothing yet\n");
    auto blank = load(dir.path() / "blank");
    ASSERT_EQ(blank.errors.size(), 1u);
    EXPECT_THAT(blank.errors[0].message, HasSubstr("no workflows in"));
}

struct BadTextCase {
    const char* name;
    std::string field; // a line of the workflow table, holding a byte that is not UTF-8
    std::string message;
};

// A string that is not UTF-8, in any field, refuses the definition at the line
// of its workflow { } call, naming the field and the byte.
TEST(WorkflowLoader, RefusesStringsThatAreNotUtf8) {
    const BadTextCase cases[] = {
        {.name = "title",
         .field = "title = { da = \"Risiko\xff\", en = \"Risk\" },",
         .message = "workflow BAD: title.da is not valid UTF-8 (byte 0xFF at offset 6); save the "
                    "file as UTF-8"},
        {.name = "latin-1 description",
         .field =
             "title = { da = \"T\", en = \"T\" }, description = { da = \"\", en = \"\xe6rlig\" "
             "},",
         .message = "workflow BAD: description.en is not valid UTF-8 (byte 0xE6 at offset 0)"},
        {.name = "step title",
         .field = "title = { da = \"T\", en = \"T\" }, steps = { { id = \"DIR\", title = { da = "
                  "\"ok\", en = \"\xc0\xaf\" }, body = \"isu\", assignee = role \"coordinator\" } "
                  "},",
         .message = "workflow BAD: steps[1].title.en is not valid UTF-8 (byte 0xC0 at offset 0)"},
        {.name = "surrogate in a sample seed",
         .field = "title = { da = \"T\", en = \"T\" }, for_each = sample { size = 1, seed = "
                  "\"\xed\xa0\x80\" },",
         .message = "workflow BAD: for_each.seed is not valid UTF-8 (byte 0xED at offset 0)"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        testing::TempDir dir;
        auto file = dir.write("wf/bad.lua", "-- a file\nworkflow {\n  id = \"BAD\",\n  " + c.field +
                                                "\n  source = \"S\",\n  assignee = role "
                                                "\"coordinator\",\n  schedule = yearly { month = "
                                                "3, day = 1 },\n}\n");
        auto report = load(dir.path() / "wf");
        ASSERT_EQ(report.errors.size(), 1u) << errors_of(report);
        EXPECT_EQ(report.errors[0].file, file.string());
        EXPECT_EQ(report.errors[0].line, 2);
        EXPECT_EQ(report.errors[0].kind, ErrorKind::Invalid);
        EXPECT_THAT(report.errors[0].message, HasSubstr(c.message));
        EXPECT_TRUE(report.workflows.empty());
    }
}

// A workflow file cannot reach the DSL's list of definitions: the attack of
// the black-box test (issue 14, item 5) fails at its line and adds nothing.
TEST(WorkflowLoader, AFileCannotEditTheDslsDefinitions) {
    testing::TempDir dir;
    dir.write("wf/a_ok.lua", kRisk);
    auto evil = dir.write("wf/b_evil.lua", std::string(kRisk).replace(19, 8, "RISK-TWO") + R"(
local defs = require("aarshjul.dsl")._definitions()
defs[#defs + 1] = { id = "EVIL|KEY#x y" }
)");
    auto report = load(dir.path() / "wf");
    ASSERT_EQ(report.errors.size(), 1u) << errors_of(report);
    EXPECT_EQ(report.errors[0].file, evil.string());
    EXPECT_EQ(report.errors[0].line, 11);
    EXPECT_THAT(report.errors[0].message, HasSubstr("_definitions"));
    ASSERT_EQ(report.workflows.size(), 2u); // RISK-TWO was defined before the attack
    EXPECT_EQ(report.workflows[1].id, "RISK-TWO");
}

// Values that change after the DSL checked them (a table whose id flips once
// it has been validated, a constructor's result edited afterwards) are still
// refused: the loader's own check is the one that counts.
TEST(WorkflowLoader, RefusesDefinitionsThatSlipPastTheDsl) {
    testing::TempDir dir;
    auto flip = dir.write("wf/flip.lua",
                          testing::read_file(kFixtures.parent_path() / "attacks/flip_id.lua"));
    auto edited = dir.write("wf/edited.lua", R"(local who = role "coordinator"
who.id = "coordinator|x#y"
local when = yearly { month = 3, day = 1 }
when.rrule = "FREQ=YEARLY|#"

workflow {
  id = "EDITED",
  title = { da = "T", en = "T" }, source = "S",
  assignee = who, schedule = when,
}
)");
    auto report = load(dir.path() / "wf");
    ASSERT_EQ(report.errors.size(), 2u) << errors_of(report);
    EXPECT_EQ(report.errors[0].to_string(),
              edited.string() + ":6: workflow EDITED: assignee: 'coordinator|x#y' is not a role "
                                "name");
    EXPECT_EQ(report.errors[1].to_string(),
              flip.string() + ":9: workflow: id must be capitals, digits and '-' starting with a "
                              "capital, at most 64 bytes (got 'EVIL|KEY#x y')");
    EXPECT_TRUE(report.workflows.empty());
}

// A Lua folder without the DSL is reported, not a crash.
TEST(WorkflowLoader, ReportsAMissingDsl) {
    testing::TempDir dir;
    dir.write("wf/risk.lua", kRisk);
    std::filesystem::create_directories(dir.path() / "lua");
    WorkflowLoadOptions options;
    options.workflows_dirs = {dir.path() / "wf"};
    options.lua_dir = dir.path() / "lua";
    auto report = load_workflows(options);
    ASSERT_FALSE(report.ok());
    EXPECT_THAT(report.errors[0].message, HasSubstr("module 'aarshjul.dsl' not found"));
}

} // namespace
} // namespace aarshjul

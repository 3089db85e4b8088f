// SPDX-License-Identifier: MPL-2.0
#include "lua/sandbox.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace aarshjul {
namespace {

using ::testing::HasSubstr;

const std::filesystem::path kLuaDir = std::filesystem::path(AARSHJUL_SOURCE_DIR) / "lua";

// Evaluates `code` with the DSL as globals.
Result<LuaValue> eval_dsl(const std::string& code,
                          const std::string& chunk = "workflows/test.lua") {
    auto sandbox = Sandbox::create(kLuaDir);
    if (!sandbox.ok())
        return sandbox.take_error();
    RunOptions options;
    options.prelude = {"aarshjul.dsl"};
    return (*sandbox)->run_string(code, chunk, options);
}

std::string field(const LuaValue& value, const char* name) {
    const LuaTable* t = value.as_table();
    if (!t || !t->field(name) || !t->field(name)->as_string())
        return "<none>";
    return *t->field(name)->as_string();
}

struct ScheduleCase {
    const char* name;
    const char* code;
    const char* rrule;
    const char* from = "2000-01-01";
    const char* until = "<none>";
};

// Each schedule constructor yields the RRULE, anchor and end that the scheduler expands.
TEST(Dsl, SchedulesProduceTheExpectedRrules) {
    const ScheduleCase cases[] = {
        {.name = "yearly",
         .code = "yearly { month = 3, day = 1 }",
         .rrule = "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1"},
        {.name = "yearly on Feb 29 clamps to Feb 28",
         .code = "yearly { month = 2, day = 29 }",
         .rrule = "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1"},
        {.name = "yearly on a day every such month has",
         .code = "yearly { month = 1, day = 31 }",
         .rrule = "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=31"},
        {.name = "half_yearly defaults",
         .code = "half_yearly {}",
         .rrule = "FREQ=MONTHLY;BYMONTH=1,7;BYMONTHDAY=1"},
        {.name = "half_yearly months sorted",
         .code = "half_yearly { months = { 9, 3 }, day = 15 }",
         .rrule = "FREQ=MONTHLY;BYMONTH=3,9;BYMONTHDAY=15"},
        {.name = "half_yearly on the 31st clamps per month",
         .code = "half_yearly { months = { 6, 12 }, day = 31 }",
         .rrule = "FREQ=MONTHLY;BYMONTH=6,12;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"},
        {.name = "quarterly defaults",
         .code = "quarterly {}",
         .rrule = "FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=1"},
        {.name = "quarterly on the 30th",
         .code = "quarterly { months = { 2, 5, 8, 11 }, day = 30 }",
         .rrule = "FREQ=MONTHLY;BYMONTH=2,5,8,11;BYMONTHDAY=28,29,30;BYSETPOS=-1"},
        {.name = "monthly defaults", .code = "monthly {}", .rrule = "FREQ=MONTHLY;BYMONTHDAY=1"},
        {.name = "monthly on the 28th",
         .code = "monthly { day = 28 }",
         .rrule = "FREQ=MONTHLY;BYMONTHDAY=28"},
        {.name = "monthly on the 31st",
         .code = "monthly { day = 31 }",
         .rrule = "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"},
        {.name = "weekly", .code = "weekly { weekday = 'TH' }", .rrule = "FREQ=WEEKLY;BYDAY=TH"},
        {.name = "weekly default", .code = "weekly {}", .rrule = "FREQ=WEEKLY;BYDAY=MO"},
        {.name = "rrule passthrough",
         .code = "rrule 'FREQ=MONTHLY;BYMONTHDAY=1,15;BYMONTH=1,2,3,4,5,6,8,9,10,11,12'",
         .rrule = "FREQ=MONTHLY;BYMONTHDAY=1,15;BYMONTH=1,2,3,4,5,6,8,9,10,11,12"},
        {.name = "rrule with an anchor",
         .code = "rrule { 'FREQ=YEARLY', from = '2023-04-11' }",
         .rrule = "FREQ=YEARLY",
         .from = "2023-04-11"},
        {.name = "from and to",
         .code = "yearly { month = 9, day = 1, from = '2023-01-01', to = '2025-12-31' }",
         .rrule = "FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=1",
         .from = "2023-01-01",
         .until = "2025-12-31"},
        {.name = "until (a Lua keyword, so bracketed)",
         .code = "monthly { day = 5, ['until'] = '2026-06-30' }",
         .rrule = "FREQ=MONTHLY;BYMONTHDAY=5",
         .until = "2026-06-30"},
        {.name = "leap day anchor",
         .code = "yearly { month = 2, day = 29, from = '2028-02-29' }",
         .rrule = "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1",
         .from = "2028-02-29"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        auto result = eval_dsl(std::string("local s = ") + c.code + "\nreturn s");
        ASSERT_TRUE(result.ok()) << result.error().to_string();
        EXPECT_EQ(field(*result, "rrule"), c.rrule);
        EXPECT_EQ(field(*result, "from"), c.from);
        EXPECT_EQ(field(*result, "valid_until"), c.until);
    }
}

struct ErrorCase {
    const char* name;
    const char* code; // evaluated from line 3 of the chunk
    const char* message;
};

// Mistakes stop the file with "file:line: message" at the coordinator's line.
TEST(Dsl, ReportsMistakesAtTheCoordinatorsLine) {
    const char* valid = R"(
        id = "RISK-SYS",
        title = { da = "Risikovurdering", en = "Risk assessment" },
        source = "004: årlige risikovurdering",
        assignee = role "system_responsible",
        schedule = yearly { month = 3, day = 1 },
    )";
    const std::string wf = std::string("workflow {") + valid;
    const ErrorCase cases[] = {
        {.name = "unknown field",
         .code = "titel = {},",
         .message = "workflow RISK-SYS: unknown field 'titel'"},
        {.name = "missing id",
         .code = "workflow { title = { da = 'a', en = 'b' } }",
         .message = "workflow: missing field 'id'"},
        {.name = "bad id", .code = "workflow { id = 'risk' }", .message = "id must be capitals"},
        {.name = "month 13",
         .code = "local s = yearly { month = 13, day = 1 }",
         .message = "yearly: month must be"},
        {.name = "Feb 30",
         .code = "local s = yearly { month = 2, day = 30 }",
         .message = "from 1 to 29"},
        {.name = "Apr 31",
         .code = "local s = yearly { month = 4, day = 31 }",
         .message = "from 1 to 30"},
        {.name = "monthly day 0",
         .code = "local s = monthly { day = 0 }",
         .message = "monthly: day must be"},
        {.name = "fractional day",
         .code = "local s = monthly { day = 1.5 }",
         .message = "whole number"},
        {.name = "weekday",
         .code = "local s = weekly { weekday = 'XX' }",
         .message = "weekday must be one of"},
        {.name = "bad date",
         .code = "local s = monthly { from = '2023-02-29' }",
         .message = "from must be a date"},
        {.name = "to before from",
         .code = "local s = monthly { from = '2024-01-01', to = '2023-01-01' }",
         .message = "is before from"},
        {.name = "rrule without FREQ",
         .code = "local s = rrule 'BYDAY=MO'",
         .message = "needs a FREQ part"},
        {.name = "half_yearly with three months",
         .code = "local s = half_yearly { months = { 1, 5, 9 } }",
         .message = "exactly 2 months"},
        {.name = "quarterly with a repeated month",
         .code = "local s = quarterly { months = { 1, 1, 7, 10 } }",
         .message = "month 1 is listed twice"},
        {.name = "fractional days",
         .code = "local d = days(1.5)",
         .message = "days must be a whole number"},
        {.name = "negative business days",
         .code = "local d = business_days(-1)",
         .message = "business_days must be a whole number from 0"},
        {.name = "follow_up at load time",
         .code = "follow_up { id = 'X', title = { da = 'a', en = 'b' }, assignee = role 'x', "
                 "due = days(1) }",
         .message = "follow_up is only available inside a hook"},
        {.name = "no days in a reminder list",
         .code = "local d = days{}",
         .message = "days{} lists no days: give at least one, as in days{14, 3, 0}"},
        {.name = "fractional hours in a reminder list",
         .code = "local d = hours{24, 1.5}",
         .message = "hours{...}[2] must be a whole number of hours (got 1.5)"},
        {.name = "a negative day in a reminder list",
         .code = "local d = days{-2}",
         .message = "days{...}[1] is -2: the list counts back from the deadline"},
        {.name = "meeting_cycle without a body",
         .code = "meeting_cycle { secretary = role 's' }",
         .message = "meeting_cycle: body must be a body id such as \"isu\" (got nil)"},
        {.name = "role name", .code = "local r = role 'system owner'", .message = "role expects"},
        {.name = "criticality",
         .code = "local s = systems { criticality = { 'huge' } }",
         .message = "low, medium or high"},
        {.name = "unknown group",
         .code = "workflow { id = 'G1', title = { da = 'a', en = 'b' }, source = 's', "
                 "assignee = role 'x', schedule = monthly {}, group = 'finance' }",
         .message = "workflow G1: group must be one of \"committee\", \"risk\", "
                    "\"data_protection\", \"incidents\", \"technical\" or \"other\" "
                    "(got 'finance')"},
        {.name = "group not a name",
         .code = "workflow { id = 'G2', title = { da = 'a', en = 'b' }, source = 's', "
                 "assignee = role 'x', schedule = monthly {}, group = 3 }",
         .message = "workflow G2: group must be one of"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        std::string code = "-- a workflow file\n\n";
        if (std::string_view(c.name) == "unknown field")
            code += wf + c.code + "\n}";
        else
            code += c.code;
        auto result = eval_dsl(code);
        ASSERT_FALSE(result.ok());
        EXPECT_EQ(result.error().file, "workflows/test.lua");
        EXPECT_EQ(result.error().line, 3) << result.error().to_string();
        EXPECT_THAT(result.error().message, HasSubstr(c.message));
    }
}

// Wrong types in workflow fields name the field and what it should be.
TEST(Dsl, RefusesWrongTypes) {
    const std::string head = R"(workflow {
        id = "X1",
        title = { da = "a", en = "b" },
        source = "s",
    )";
    const std::pair<const char*, const char*> cases[] = {
        {"assignee = 'anna', schedule = monthly {}", "assignee must be role"},
        {"assignee = role 'x', schedule = 'monthly'", "schedule must be a schedule"},
        {"assignee = role 'x', schedule = monthly {}, due = 30", "due must be days(n)"},
        {"assignee = role 'x', schedule = monthly {}, for_each = 'systems'",
         "for_each must be systems"},
        {"assignee = role 'x', schedule = monthly {}, remind = { before = { 1 } }",
         "remind: unknown field 'before'"},
        {"assignee = role 'x'", "missing field 'schedule'"},
    };
    for (const auto& [fields, message] : cases) {
        SCOPED_TRACE(fields);
        auto result = eval_dsl(head + fields + "}");
        ASSERT_FALSE(result.ok());
        EXPECT_EQ(result.error().line, 1) << result.error().to_string();
        EXPECT_THAT(result.error().message, HasSubstr(message));
    }
    auto title =
        eval_dsl("workflow { id = 'X2', title = { da = 'a' }, source = 's', assignee = role 'x', "
                 "schedule = monthly {} }");
    ASSERT_FALSE(title.ok());
    EXPECT_THAT(title.error().message, HasSubstr("missing field 'title.en'"));
}

// A valid workflow registers every field, with its file and line, in plain tables.
TEST(Dsl, RegistersDefinitions) {
    auto sandbox = Sandbox::create(kLuaDir);
    ASSERT_TRUE(sandbox.ok());
    RunOptions options;
    options.prelude = {"aarshjul.dsl"};
    auto ran = (*sandbox)->run_string(R"(
local id = workflow {
  id = "RISK-SYS",
  title = { da = "Risikovurdering af system", en = "Risk assessment of system" },
  description = { da = "Årlig", en = "Yearly" },
  source = "004_8f337844b52a9e9a.txt: årlige risikovurdering af systemerne",
  for_each = systems { criticality = { "high", "medium" } },
  assignee = role "system_responsible",
  schedule = yearly { month = 3, day = 1 },
  due = days(30),
  remind = { before_due = { 3, 14, 0, 3 }, overdue_every = 7 },
}
workflow {
  id = "POL-REV",
  title = { da = "Revision af politik", en = "Policy review" },
  source = "S4",
  assignee = person "anna.jensen",
  schedule = rrule { "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=11", from = "2023-04-11" },
}
return id)",
                                      "workflows/risk.lua", options);
    ASSERT_TRUE(ran.ok()) << ran.error().to_string();
    EXPECT_EQ(*ran->as_string(), "RISK-SYS");
    auto defs = (*sandbox)->call_module_function("aarshjul.dsl", "_definitions");
    ASSERT_TRUE(defs.ok()) << defs.error().to_string();
    const LuaTable* list = defs->as_table();
    ASSERT_TRUE(list);
    ASSERT_EQ(list->array.size(), 2u);
    const LuaTable& risk = *list->array[0].as_table();
    EXPECT_EQ(*risk.field("file")->as_string(), "workflows/risk.lua");
    EXPECT_EQ(risk.field("line")->as_integer(), 2);
    EXPECT_EQ(risk.field("due_days")->as_integer(), 30);
    const LuaTable& before = *risk.field("remind")->as_table()->field("before_due")->as_table();
    ASSERT_EQ(before.array.size(), 3u);
    EXPECT_EQ(before.array[0].as_integer(), 14);
    EXPECT_EQ(before.array[2].as_integer(), 0);
    EXPECT_EQ(field(*risk.field("for_each"), "kind"), "systems");
    const LuaTable& pol = *list->array[1].as_table();
    EXPECT_EQ(pol.field("line")->as_integer(), 13);
    EXPECT_EQ(field(*pol.field("assignee"), "kind"), "person");
    EXPECT_EQ(field(*pol.field("schedule"), "from"), "2023-04-11");
    EXPECT_EQ(pol.field("due_days")->as_integer(), 0);
    EXPECT_EQ(pol.field("remind"), nullptr); // the configured default applies
}

// The warnings are plain tables for the loader, hidden from workflow files like
// the definitions.
TEST(Dsl, CollectsWarningsForTheLoaderOnly) {
    auto sandbox = Sandbox::create(kLuaDir);
    ASSERT_TRUE(sandbox.ok());
    RunOptions options;
    options.prelude = {"aarshjul.dsl"};
    auto ran = (*sandbox)->run_string(R"(-- old spelling
workflow {
  id = "X1", title = { da = "a", en = "b" }, source = "s", assignee = role "x",
  schedule = monthly {}, remind = { overdue_every = 3 },
}
return _warnings == nil and require("aarshjul.dsl")._warnings == nil)",
                                      "workflows/old.lua", options);
    ASSERT_TRUE(ran.ok()) << ran.error().to_string();
    EXPECT_EQ(ran->as_boolean(), true);
    auto warnings = (*sandbox)->call_module_function("aarshjul.dsl", "_warnings");
    ASSERT_TRUE(warnings.ok()) << warnings.error().to_string();
    ASSERT_TRUE(warnings->as_table());
    ASSERT_EQ(warnings->as_table()->array.size(), 1u);
    const LuaValue& w = warnings->as_table()->array[0];
    EXPECT_EQ(field(w, "file"), "workflows/old.lua");
    EXPECT_EQ(w.as_table()->field("line")->as_integer(), 2);
    EXPECT_EQ(field(w, "message"), "workflow X1: remind.overdue_every = 3 is in days without "
                                   "saying so; write overdue_every = days(3)");
}

} // namespace
} // namespace aarshjul

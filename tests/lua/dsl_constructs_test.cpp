// The annual-cycle constructs of the workflow DSL (triggers, offsets, cadence,
// approval chains, escalation, horizon checks, tiers, hooks), checked through
// the loader on the WorkflowDef fields they produce.

#include "lua/workflow_loader.h"
#include "support/temp_dir.h"

#include <functional>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace aarshjul {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::filesystem::path kLuaDir = std::filesystem::path(AARSHJUL_SOURCE_DIR) / "lua";

// A workflow file: `schedule` is on line 6, `extra` starts on line 7.
std::string workflow_with(std::string_view schedule, std::string_view extra) {
    std::string code = "workflow {\n"
                       "  id = \"X-1\",\n"
                       "  title = { da = \"Titel\", en = \"Title\" },\n"
                       "  source = \"test\",\n"
                       "  assignee = role \"coordinator\",\n";
    if (!schedule.empty())
        code += "  schedule = " + std::string(schedule) + ",\n";
    else
        code += "  -- no schedule\n";
    code += std::string(extra) + "\n}\n";
    return code;
}

WorkflowLoadReport load_code(const std::string& code) {
    testing::TempDir dir;
    dir.write("wf/test.lua", code);
    WorkflowLoadOptions options;
    options.workflows_dirs = {dir.path() / "wf"};
    options.lua_dir = kLuaDir;
    return load_workflows(options);
}

std::string errors_of(const WorkflowLoadReport& report) {
    std::string out;
    for (const auto& e : report.errors)
        out += e.to_string() + "\n";
    return out;
}

std::string date_of(LocalDate day) {
    return format_local_date(day);
}

struct ConstructCase {
    const char* name;
    const char* schedule;
    const char* extra;
    std::function<void(const WorkflowDef&)> check;
};

// Each construct fills the WorkflowDef fields the scheduler reads.
TEST(DslConstructs, FillTheWorkflowFields) {
    const ConstructCase cases[] = {
        {.name = "calendar defaults",
         .schedule = "yearly { month = 3, day = 1 }",
         .extra = "",
         .check =
             [](const WorkflowDef& w) {
                 EXPECT_EQ(w.trigger.kind, Trigger::Kind::Calendar);
                 EXPECT_EQ(w.trigger.name, "");
                 EXPECT_EQ(w.due.unit, Offset::Unit::Days);
                 EXPECT_EQ(w.due.amount, 0);
                 EXPECT_EQ(w.due_next_meeting, "");
                 EXPECT_FALSE(w.roll_to_business_day);
                 EXPECT_EQ(w.cadence, Cadence::Calendar);
                 EXPECT_EQ(w.interval.unit, Offset::Unit::Months);
                 EXPECT_EQ(w.interval.amount, 12);
                 EXPECT_TRUE(w.depends_on.empty());
                 EXPECT_TRUE(w.steps.empty());
                 EXPECT_TRUE(w.escalate_is_default);
                 EXPECT_TRUE(w.channels.empty());
                 EXPECT_FALSE(w.evidence_required);
                 EXPECT_TRUE(w.enabled);
                 EXPECT_TRUE(w.escalate.empty());
                 EXPECT_FALSE(w.horizon_check);
                 EXPECT_TRUE(w.schedule_by_tier.empty());
                 EXPECT_TRUE(w.remind_before_due_hours.empty());
                 EXPECT_EQ(w.overdue_every_hours, 0);
                 EXPECT_FALSE(w.has_on_complete || w.has_on_overdue || w.has_on_event);
             }},
        {.name = "meetings trigger",
         .schedule = "meetings \"isu\"",
         .extra = "",
         .check =
             [](const WorkflowDef& w) {
                 EXPECT_EQ(w.trigger.kind, Trigger::Kind::Meetings);
                 EXPECT_EQ(w.trigger.name, "isu");
                 EXPECT_EQ(w.schedule.rrule, "");
             }},
        {.name = "event trigger with an hour deadline and hour reminders",
         .schedule = "on_event \"personal_data_breach\"",
         .extra = "due = hours(72), remind = { before_due_hours = { 4, 24, 4 }, "
                  "overdue_every_hours = 12 },",
         .check =
             [](const WorkflowDef& w) {
                 EXPECT_EQ(w.trigger.kind, Trigger::Kind::Event);
                 EXPECT_EQ(w.trigger.name, "personal_data_breach");
                 EXPECT_EQ(w.due.unit, Offset::Unit::Hours);
                 EXPECT_EQ(w.due.amount, 72);
                 EXPECT_EQ(w.due_days, 0);
                 EXPECT_THAT(w.remind_before_due_hours, ElementsAre(24, 4));
                 EXPECT_EQ(w.overdue_every_hours, 12);
                 EXPECT_FALSE(w.remind_is_default);
                 EXPECT_TRUE(w.remind.before_due_days.empty());
             }},
        {.name = "completion trigger with a month deadline",
         .schedule = "on_completion \"NIS2-NOT\"",
         .extra = "due = months(1),",
         .check =
             [](const WorkflowDef& w) {
                 EXPECT_EQ(w.trigger.kind, Trigger::Kind::Completion);
                 EXPECT_EQ(w.trigger.name, "NIS2-NOT");
                 EXPECT_EQ(w.due.unit, Offset::Unit::Months);
                 EXPECT_EQ(w.due.amount, 1);
                 EXPECT_EQ(w.due_days, 0);
             }},
        {.name = "once, with an hour deadline",
         .schedule = "once \"2025-12-31\"",
         .extra = "due = hours(24),",
         .check =
             [](const WorkflowDef& w) {
                 EXPECT_EQ(w.trigger.kind, Trigger::Kind::Calendar);
                 EXPECT_EQ(w.schedule.rrule, "FREQ=DAILY;COUNT=1");
                 EXPECT_EQ(date_of(w.schedule.anchor), "2025-12-31");
                 EXPECT_FALSE(w.schedule.valid_until);
                 EXPECT_EQ(w.due.unit, Offset::Unit::Hours);
             }},
        {.name = "the day before",
         .schedule = "rrule 'FREQ=MONTHLY;BYMONTHDAY=1,15'",
         .extra = "due = days(-1), roll = \"none\",",
         .check =
             [](const WorkflowDef& w) {
                 EXPECT_EQ(w.due.unit, Offset::Unit::Days);
                 EXPECT_EQ(w.due.amount, -1);
                 EXPECT_EQ(w.due_days, -1);
                 EXPECT_FALSE(w.roll_to_business_day);
             }},
        {.name = "business days, rolled forward",
         .schedule = "monthly {}",
         .extra = "due = business_days(5), roll = \"forward\",",
         .check =
             [](const WorkflowDef& w) {
                 EXPECT_EQ(w.due.unit, Offset::Unit::BusinessDays);
                 EXPECT_EQ(w.due.amount, 5);
                 EXPECT_EQ(w.due_days, 0);
                 EXPECT_TRUE(w.roll_to_business_day);
             }},
        {.name = "due at the next meeting",
         .schedule = "on_event \"incident\"",
         .extra = "due = next_meeting \"isu\",",
         .check =
             [](const WorkflowDef& w) {
                 EXPECT_EQ(w.due_next_meeting, "isu");
                 EXPECT_EQ(w.due.unit, Offset::Unit::Days);
                 EXPECT_EQ(w.due.amount, 0);
             }},
        {.name = "cadence from completion in months",
         .schedule = "yearly { month = 4, day = 11, from = '2023-04-11' }",
         .extra = "cadence = from_completion { months = 12 },",
         .check =
             [](const WorkflowDef& w) {
                 EXPECT_EQ(w.cadence, Cadence::FromCompletion);
                 EXPECT_EQ(w.interval.unit, Offset::Unit::Months);
                 EXPECT_EQ(w.interval.amount, 12);
             }},
        {.name = "cadence from completion in days",
         .schedule = "yearly { month = 4, day = 11 }",
         .extra = "cadence = from_completion { days = 90 },",
         .check =
             [](const WorkflowDef& w) {
                 EXPECT_EQ(w.cadence, Cadence::FromCompletion);
                 EXPECT_EQ(w.interval.unit, Offset::Unit::Days);
                 EXPECT_EQ(w.interval.amount, 90);
             }},
        {.name = "cadence calendar spelled out",
         .schedule = "yearly { month = 4, day = 11 }",
         .extra = "cadence = \"calendar\",",
         .check = [](const WorkflowDef& w) { EXPECT_EQ(w.cadence, Cadence::Calendar); }},
        {.name = "depends_on as a list",
         .schedule = "yearly { month = 4, day = 11 }",
         .extra = "depends_on = { \"RISK-PORT\", \"ROPA\" },",
         .check =
             [](const WorkflowDef& w) {
                 EXPECT_THAT(w.depends_on, ElementsAre("RISK-PORT", "ROPA"));
             }},
        {.name = "depends_on as one id",
         .schedule = "yearly { month = 4, day = 11 }",
         .extra = "depends_on = \"RISK-PORT\",",
         .check =
             [](const WorkflowDef& w) { EXPECT_THAT(w.depends_on, ElementsAre("RISK-PORT")); }},
        {.name = "an approval chain",
         .schedule = "yearly { month = 4, day = 11 }",
         .extra = R"(steps = {
    { id = "DIR", title = { da = "Direktionen", en = "Executive board" }, body = "direktion",
      assignee = role "executive_board" },
    { id = "BR", title = { da = "Byrådet", en = "City council" }, body = "byraad",
      assignee = person "borgmester" },
  },)",
         .check =
             [](const WorkflowDef& w) {
                 ASSERT_EQ(w.steps.size(), 2u);
                 EXPECT_EQ(w.steps[0].id, "DIR");
                 EXPECT_EQ(w.steps[0].title.da, "Direktionen");
                 EXPECT_EQ(w.steps[0].title.en, "Executive board");
                 EXPECT_EQ(w.steps[0].body, "direktion");
                 EXPECT_EQ(w.steps[0].assignee.kind, AssigneeRef::Kind::Role);
                 EXPECT_EQ(w.steps[0].assignee.id, "executive_board");
                 EXPECT_EQ(w.steps[1].id, "BR");
                 EXPECT_EQ(w.steps[1].body, "byraad");
                 EXPECT_EQ(w.steps[1].assignee.kind, AssigneeRef::Kind::Person);
                 EXPECT_EQ(w.steps[1].assignee.id, "borgmester");
             }},
        {.name = "an escalation ladder",
         .schedule = "yearly { month = 4, day = 11 }",
         .extra = "escalate = { { after = 7, to = role \"system_owner\" }, "
                  "{ after = 21, to = person \"cfo\" } },",
         .check =
             [](const WorkflowDef& w) {
                 ASSERT_EQ(w.escalate.size(), 2u);
                 EXPECT_EQ(w.escalate[0].after_days_overdue, 7);
                 EXPECT_EQ(w.escalate[0].to.kind, AssigneeRef::Kind::Role);
                 EXPECT_EQ(w.escalate[0].to.id, "system_owner");
                 EXPECT_EQ(w.escalate[1].after_days_overdue, 21);
                 EXPECT_EQ(w.escalate[1].to.kind, AssigneeRef::Kind::Person);
                 EXPECT_EQ(w.escalate[1].to.id, "cfo");
                 EXPECT_FALSE(w.escalate_is_default);
             }},
        {.name = "an escalation to a committee's channel",
         .schedule = "yearly { month = 4, day = 11 }",
         .extra = "escalate = { { after = 30, to = committee \"isu\" } },",
         .check =
             [](const WorkflowDef& w) {
                 ASSERT_EQ(w.escalate.size(), 1u);
                 EXPECT_EQ(w.escalate[0].to.kind, AssigneeRef::Kind::Body);
                 EXPECT_EQ(w.escalate[0].to.id, "isu");
             }},
        {.name = "no escalation at all",
         .schedule = "yearly { month = 4, day = 11 }",
         .extra = "escalate = {},",
         .check =
             [](const WorkflowDef& w) {
                 EXPECT_TRUE(w.escalate.empty());
                 EXPECT_FALSE(w.escalate_is_default);
             }},
        {.name = "evidence required, switched off",
         .schedule = "yearly { month = 4, day = 11 }",
         .extra = "evidence = \"required\", enabled = false,",
         .check =
             [](const WorkflowDef& w) {
                 EXPECT_TRUE(w.evidence_required);
                 EXPECT_FALSE(w.enabled);
             }},
        {.name = "a sample of systems",
         .schedule = "yearly { month = 10, day = 1 }",
         .extra = "for_each = sample { size = 5, criticality = { \"high\", \"medium\" }, seed = "
                  "\"COMPL\" },",
         .check =
             [](const WorkflowDef& w) {
                 EXPECT_EQ(w.for_each.kind, ForEach::Kind::Sample);
                 EXPECT_EQ(w.for_each.sample_size, 5);
                 EXPECT_EQ(w.for_each.sample_seed, "COMPL");
                 EXPECT_THAT(w.for_each.criticality, ElementsAre("high", "medium"));
             }},
        {.name = "the workflow's own channels",
         .schedule = "yearly { month = 4, day = 11 }",
         .extra = "channels = { \"mail\", \"isu-teams\" },",
         .check =
             [](const WorkflowDef& w) {
                 EXPECT_THAT(w.channels, ElementsAre("mail", "isu-teams"));
             }},
        {.name = "a horizon check on a meeting series",
         .schedule = "meetings \"isu\"",
         .extra = "horizon_check = { months = 6, assignee = role \"committee_secretary\" },",
         .check =
             [](const WorkflowDef& w) {
                 ASSERT_TRUE(w.horizon_check);
                 EXPECT_EQ(w.horizon_check->months, 6);
                 EXPECT_EQ(w.horizon_check->assignee.id, "committee_secretary");
             }},
        {.name = "a horizon check with the default months",
         .schedule = "meetings \"isu\"",
         .extra = "horizon_check = { assignee = role \"committee_secretary\" },",
         .check =
             [](const WorkflowDef& w) {
                 ASSERT_TRUE(w.horizon_check);
                 EXPECT_EQ(w.horizon_check->months, 6);
             }},
        {.name = "per-tier schedules for processors, no fallback",
         .schedule = "",
         .extra = R"(for_each = processors { tier = { "high", "medium" } },
  schedule_by_criticality = {
    medium = rrule { "FREQ=YEARLY;INTERVAL=2;BYMONTH=3;BYMONTHDAY=1", from = "2027-01-01" },
    high = yearly { month = 3, day = 1 },
  },)",
         .check =
             [](const WorkflowDef& w) {
                 EXPECT_EQ(w.for_each.kind, ForEach::Kind::Processors);
                 EXPECT_THAT(w.for_each.tiers, ElementsAre("high", "medium"));
                 EXPECT_TRUE(w.for_each.criticality.empty());
                 EXPECT_EQ(w.schedule.rrule, "");
                 ASSERT_EQ(w.schedule_by_tier.size(), 2u);
                 EXPECT_EQ(w.schedule_by_tier[0].first, "high");
                 EXPECT_EQ(w.schedule_by_tier[0].second.rrule,
                           "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1");
                 EXPECT_EQ(w.schedule_by_tier[1].first, "medium");
                 EXPECT_EQ(w.schedule_by_tier[1].second.rrule,
                           "FREQ=YEARLY;INTERVAL=2;BYMONTH=3;BYMONTHDAY=1");
                 EXPECT_EQ(date_of(w.schedule_by_tier[1].second.anchor), "2027-01-01");
             }},
        {.name = "per-criticality schedules for systems with a fallback",
         .schedule = "yearly { month = 9, day = 1 }",
         .extra = "for_each = systems {}, schedule_by_criticality = { low = rrule "
                  "'FREQ=YEARLY;INTERVAL=3' },",
         .check =
             [](const WorkflowDef& w) {
                 EXPECT_EQ(w.for_each.kind, ForEach::Kind::Systems);
                 EXPECT_EQ(w.schedule.rrule, "FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=1");
                 ASSERT_EQ(w.schedule_by_tier.size(), 1u);
                 EXPECT_EQ(w.schedule_by_tier[0].first, "low");
             }},
        {.name = "every processor",
         .schedule = "yearly { month = 9, day = 1 }",
         .extra = "for_each = processors {},",
         .check =
             [](const WorkflowDef& w) {
                 EXPECT_EQ(w.for_each.kind, ForEach::Kind::Processors);
                 EXPECT_TRUE(w.for_each.tiers.empty());
             }},
        {.name = "hooks",
         .schedule = "on_event \"incident\"",
         .extra = "on_complete = function(task) end, on_overdue = function(task) end, "
                  "on_event = function(event) end,",
         .check =
             [](const WorkflowDef& w) {
                 EXPECT_TRUE(w.has_on_complete);
                 EXPECT_TRUE(w.has_on_overdue);
                 EXPECT_TRUE(w.has_on_event);
             }},
        {.name = "one hook only",
         .schedule = "yearly { month = 9, day = 1 }",
         .extra = "on_overdue = function(task) end,",
         .check =
             [](const WorkflowDef& w) {
                 EXPECT_FALSE(w.has_on_complete);
                 EXPECT_TRUE(w.has_on_overdue);
                 EXPECT_FALSE(w.has_on_event);
             }},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        auto report = load_code(workflow_with(c.schedule, c.extra));
        ASSERT_TRUE(report.ok()) << errors_of(report);
        ASSERT_EQ(report.workflows.size(), 1u);
        c.check(report.workflows[0]);
    }
}

struct MistakeCase {
    const char* name;
    const char* schedule;
    const char* extra;
    int line;
    const char* message;
};

// Each wrong use of a construct stops the file at the line that holds it.
TEST(DslConstructs, ReportMistakesWithTheirLines) {
    const char* yearly = "yearly { month = 3, day = 1 }";
    const MistakeCase cases[] = {
        {"a body that is not a name", "meetings(42)", "", 6,
         "meetings expects a body id such as \"isu\" (got 42)"},
        {"a body given as a table", "meetings { 'isu' }", "", 6, "meetings expects a body id"},
        {"an event type with a space", "on_event 'data breach'", "", 6,
         "on_event expects an event type"},
        {"a completion of a lowercase id", "on_completion 'nis2'", "", 6,
         "on_completion expects a workflow id"},
        {"a schedule that is a role", "role 'x'", "", 1,
         "schedule must be a schedule such as yearly { month = 3, day = 1 } or a trigger"},
        {"once on a day that does not exist", "once '2025-02-30'", "", 6, "once must be a date"},
        {"hours with a calendar schedule", yearly, "due = hours(72),", 1,
         "due = hours(n) needs an instant to count from"},
        {"hours with a meeting series", "meetings 'isu'", "due = hours(72),", 1,
         "due = hours(n) needs an instant"},
        {"negative business days", "on_event 'incident'", "due = business_days(-2),", 7,
         "business_days must be a whole number from 0"},
        {"a due that is a number", yearly, "due = 5,", 1,
         "due must be days(n), business_days(n), hours(n), months(n) or next_meeting"},
        {"a body for next_meeting that is not a name", yearly, "due = next_meeting(1),", 7,
         "next_meeting expects a body id"},
        {"a roll that is neither forward, backward nor none", yearly, "roll = 'sideways',", 1,
         "roll must be \"forward\", \"backward\" or \"none\" (got 'sideways')"},
        {"from_completion without an interval", yearly, "cadence = from_completion {},", 7,
         "from_completion needs months or days"},
        {"from_completion with both units", yearly,
         "cadence = from_completion { months = 1, days = 2 },", 7,
         "from_completion needs months or days"},
        {"a cadence string that is unknown", yearly, "cadence = 'yearly',", 1,
         "cadence must be \"calendar\" or from_completion"},
        {"from_completion with an event trigger", "on_event 'incident'",
         "cadence = from_completion { months = 12 },", 1,
         "from_completion needs a calendar schedule"},
        {"a dependency that is not an id", yearly, "depends_on = { 'risk-port' },", 1,
         "depends_on[1] must be a workflow id"},
        {"a dependency on itself", yearly, "depends_on = 'X-1',", 1,
         "depends_on lists the workflow itself"},
        {"no steps", yearly, "steps = {},", 1, "steps must list at least one step"},
        {"a bad step id", yearly,
         "steps = { { id = 'dir', title = { da = 'a', en = 'b' }, body = 'direktion', "
         "assignee = role 'x' } },",
         1, "steps[1]: id must be capitals"},
        {"a repeated step id", yearly,
         "steps = { { id = 'DIR', title = { da = 'a', en = 'b' }, body = 'direktion', "
         "assignee = role 'x' }, { id = 'DIR', title = { da = 'a', en = 'b' }, body = 'oeu', "
         "assignee = role 'x' } },",
         1, "step id 'DIR' is used twice"},
        {"a step without a body", yearly,
         "steps = { { id = 'DIR', title = { da = 'a', en = 'b' }, assignee = role 'x' } },", 1,
         "steps[1]: missing field 'body'"},
        {"a step with an unknown field", yearly,
         "steps = { { id = 'DIR', title = { da = 'a', en = 'b' }, body = 'd', assignee = role "
         "'x', due = days(1) } },",
         1, "steps[1]: unknown field 'due'"},
        {"a decreasing escalation", yearly,
         "escalate = { { after = 21, to = role 'a' }, { after = 7, to = role 'b' } },", 1,
         "escalate: after must increase from step to step (7 follows 21)"},
        {"an escalation after zero days", yearly, "escalate = { { after = 0, to = role 'a' } },", 1,
         "escalate[1].after must be a whole number from 1"},
        {"an escalation to a string", yearly, "escalate = { { after = 3, to = 'anna' } },", 1,
         "escalate[1].to must be role"},
        {"a horizon check without meetings", yearly,
         "horizon_check = { months = 6, assignee = role 'x' },", 1,
         "horizon_check needs schedule = meetings"},
        {"a horizon check without an assignee", "meetings 'isu'", "horizon_check = { months = 6 },",
         1, "horizon_check: missing field 'assignee'"},
        {"a criticality that does not exist", yearly,
         "for_each = systems {}, schedule_by_criticality = { huge = monthly {} },", 1,
         "schedule_by_criticality: unknown criticality 'huge' (use low, medium or high)"},
        {"per-criticality schedules without entities", yearly,
         "schedule_by_criticality = { high = monthly {} },", 1,
         "schedule_by_criticality needs for_each = systems"},
        {"a per-criticality trigger", yearly,
         "for_each = systems {}, schedule_by_criticality = { high = meetings 'isu' },", 1,
         "schedule_by_criticality.high must be a calendar schedule"},
        {"no schedule at all", "", "for_each = systems {},", 1, "missing field 'schedule'"},
        {"a tier that does not exist", yearly, "for_each = processors { tier = { 'x' } },", 7,
         "processors: tier[1] must be low, medium or high"},
        {"an on_event hook without an event trigger", yearly, "on_event = function(e) end,", 1,
         "an on_event hook needs schedule = on_event"},
        {"a hook that is not a function", yearly, "on_complete = 'notify',", 1,
         "on_complete must be a function"},
        {"hour reminders for a day deadline", yearly, "remind = { before_due_hours = { 4 } },", 1,
         "remind.before_due_hours and remind.overdue_every_hours need due = hours(n)"},
        {"a committee as the assignee", yearly, "assignee = committee 'isu',", 1,
         "committee \"isu\" can only receive escalations"},
        {"a committee id that is not a name", yearly,
         "escalate = { { after = 3, to = committee 'ISU UDVALG' } },", 7,
         "committee expects a body id"},
        {"no channels", yearly, "channels = {},", 1, "channels must name at least one channel"},
        {"evidence that is not a choice", yearly, "evidence = true,", 1,
         "evidence must be \"required\" or \"optional\""},
        {"enabled as a string", yearly, "enabled = 'no',", 1, "enabled must be true or false"},
        {"a sample without a size", yearly, "for_each = sample { seed = 'x' },", 7,
         "sample: missing field 'size'"},
        {"a sample of nothing", yearly, "for_each = sample { size = 0 },", 7,
         "sample: size must be a whole number from 1"},
        {"a sample on meetings", "meetings 'isu'", "for_each = sample { size = 2 },", 1,
         "for_each = sample { ... } needs a plain calendar schedule"},
        {"a channel twice", yearly, "channels = { 'mail', 'mail' },", 1,
         "channels: 'mail' is listed twice"},
        {"a channel that is not a name", yearly, "channels = { 'my mail' },", 1,
         "channels[1] must be a channel name"},
        {"an unknown workflow field", yearly, "escalation = {},", 1,
         "workflow X-1: unknown field 'escalation'"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        auto report = load_code(workflow_with(c.schedule, c.extra));
        ASSERT_EQ(report.errors.size(), 1u) << errors_of(report);
        EXPECT_EQ(report.errors[0].line, c.line) << report.errors[0].to_string();
        EXPECT_THAT(report.errors[0].file, HasSubstr("test.lua"));
        EXPECT_THAT(report.errors[0].message, HasSubstr(c.message));
        EXPECT_TRUE(report.workflows.empty());
    }
}

// A workflow file that calls follow_up outside a hook is refused where it does so.
TEST(DslConstructs, RefusesFollowUpAtLoadTime) {
    auto report = load_code(workflow_with("monthly {}", "") + "\nfollow_up { id = 'A' }\n");
    ASSERT_EQ(report.errors.size(), 1u) << errors_of(report);
    EXPECT_EQ(report.errors[0].line, 10);
    EXPECT_THAT(report.errors[0].message, HasSubstr("follow_up is only available inside a hook"));
    // The workflow defined before the mistake still loads.
    ASSERT_EQ(report.workflows.size(), 1u);
}

// The same construct written in another way yields the same definition and hash.
TEST(DslConstructs, EquivalentSpellingsHashAlike) {
    const std::pair<std::string, std::string> pairs[] = {
        {workflow_with("monthly {}", ""), workflow_with("monthly {}", "cadence = 'calendar',")},
        {workflow_with("monthly {}", ""), workflow_with("monthly {}", "roll = 'none',")},
        {workflow_with("monthly {}", "depends_on = 'A'"),
         workflow_with("monthly {}", "depends_on = { 'A' }")},
        {workflow_with("monthly {}", "due = days(3)"),
         workflow_with("monthly {}", "due = days(3.0)")},
    };
    for (const auto& [a, b] : pairs) {
        auto ra = load_code(a);
        auto rb = load_code(b);
        ASSERT_TRUE(ra.ok() && rb.ok()) << errors_of(ra) << errors_of(rb);
        EXPECT_EQ(ra.workflows.at(0).content_hash, rb.workflows.at(0).content_hash) << b;
    }
}

// Changing any one construct in the file changes the definition's hash.
TEST(DslConstructs, EachConstructChangesTheHash) {
    const std::string base = workflow_with("on_event 'incident'", "due = hours(72),");
    const std::string variants[] = {
        workflow_with("on_event 'breach'", "due = hours(72),"),
        workflow_with("on_completion 'NIS2-NOT'", "due = hours(72),"),
        workflow_with("on_event 'incident'", "due = hours(24),"),
        workflow_with("on_event 'incident'", "due = days(3),"),
        workflow_with("on_event 'incident'", "due = business_days(3),"),
        workflow_with("on_event 'incident'", "due = months(3),"),
        workflow_with("on_event 'incident'", "due = next_meeting 'isu',"),
        workflow_with("on_event 'incident'", "due = hours(72), roll = 'forward',"),
        workflow_with("on_event 'incident'", "due = hours(72), depends_on = 'A',"),
        workflow_with("on_event 'incident'",
                      "due = hours(72), remind = { before_due_hours = { 24 } },"),
        workflow_with("on_event 'incident'",
                      "due = hours(72), escalate = { { after = 1, to = role 'a' } },"),
        workflow_with("on_event 'incident'",
                      "due = hours(72), steps = { { id = 'A', title = { da = 'a', en = 'a' }, "
                      "body = 'b', assignee = role 'c' } },"),
        workflow_with("on_event 'incident'", "due = hours(72), on_complete = function() end,"),
        workflow_with("on_event 'incident'", "due = hours(72), on_overdue = function() end,"),
        workflow_with("on_event 'incident'", "due = hours(72), on_event = function() end,"),
        workflow_with("on_event 'incident'", "due = hours(72), for_each = processors {},"),
        workflow_with("once '2026-01-01'", "due = hours(72),"),
    };
    auto original = load_code(base);
    ASSERT_TRUE(original.ok()) << errors_of(original);
    const std::string hash = original.workflows.at(0).content_hash;
    for (const auto& code : variants) {
        SCOPED_TRACE(code);
        auto report = load_code(code);
        ASSERT_TRUE(report.ok()) << errors_of(report);
        EXPECT_NE(report.workflows.at(0).content_hash, hash);
    }
}

} // namespace
} // namespace aarshjul

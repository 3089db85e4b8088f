// SPDX-License-Identifier: MPL-2.0
// The annual-cycle constructs of the workflow DSL (triggers, offsets, cadence,
// approval chains, escalation, horizon checks, tiers, hooks), checked through
// the loader on the WorkflowDef fields they produce.

#include "support/temp_dir.h"
#include "worker/workflow_loader.h"

#include <functional>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <set>

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
        {.name = "a calendar and an event trigger in one workflow",
         .schedule = "yearly { month = 5, day = 1 }",
         .extra = "also = on_event { 'business_change', significant = { 'yes' } }, "
                  "cadence = from_completion { months = 12 }, on_event = function(e) end,",
         .check =
             [](const WorkflowDef& w) {
                 EXPECT_EQ(w.trigger.kind, Trigger::Kind::Calendar);
                 ASSERT_TRUE(w.also.has_value());
                 EXPECT_EQ(w.also->kind, Trigger::Kind::Event);
                 EXPECT_EQ(w.also->name, "business_change");
                 EXPECT_THAT(w.also->facts.significant, ElementsAre("yes"));
                 EXPECT_EQ(w.event_type(), "business_change");
                 EXPECT_TRUE(w.has_on_event);
                 EXPECT_EQ(w.cadence, Cadence::FromCompletion);
             }},
        {.name = "hour reminders in hours{...} and hours(n)",
         .schedule = "on_event \"personal_data_breach\"",
         .extra = "due = hours(72), remind = { before_due = hours{4, 24, 4}, "
                  "overdue_every = hours(12) },",
         .check =
             [](const WorkflowDef& w) {
                 EXPECT_THAT(w.remind_before_due_hours, ElementsAre(24, 4));
                 EXPECT_EQ(w.overdue_every_hours, 12);
                 EXPECT_TRUE(w.remind.before_due_days.empty());
                 EXPECT_EQ(w.remind.overdue_every_days, 0);
             }},
        {.name = "day reminders in days{...} and days(n)",
         .schedule = "yearly { month = 3, day = 1 }",
         .extra = "remind = { before_due = days{3, 14, 0, 3}, overdue_every = days(7) },",
         .check =
             [](const WorkflowDef& w) {
                 EXPECT_THAT(w.remind.before_due_days, ElementsAre(14, 3, 0));
                 EXPECT_EQ(w.remind.overdue_every_days, 7);
                 EXPECT_TRUE(w.remind_before_due_hours.empty());
                 EXPECT_FALSE(w.remind_is_default);
             }},
        {.name = "an escalation ladder in days(n)",
         .schedule = "on_event \"incident\"",
         .extra = "due = hours(24), escalate = { { after = days(1), to = role \"a\" }, "
                  "{ after = days(3), to = committee \"isu\" } },",
         .check =
             [](const WorkflowDef& w) {
                 ASSERT_EQ(w.escalate.size(), 2u);
                 EXPECT_EQ(w.escalate[0].after_days_overdue, 1);
                 EXPECT_EQ(w.escalate[1].after_days_overdue, 3);
                 EXPECT_EQ(w.escalate[1].to.kind, AssigneeRef::Kind::Body);
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
        {.name = "the standards it evidences",
         .schedule = "yearly { month = 3, day = 1 }",
         .extra = "standards = { iso27001 = { '5.24', '5.26' }, cis = '17.1' },",
         .check =
             [](const WorkflowDef& w) {
                 EXPECT_THAT(w.standards.iso27001, ElementsAre("5.24", "5.26"));
                 EXPECT_THAT(w.standards.cis, ElementsAre("17.1"));
             }},
        {.name = "no standards",
         .schedule = "yearly { month = 3, day = 1 }",
         .extra = "",
         .check = [](const WorkflowDef& w) { EXPECT_TRUE(w.standards.empty()); }},
        {.name = "outcomes with an action plan",
         .schedule = "yearly { month = 9, day = 1 }",
         .extra = "outcomes = { { id = 'ok', label = { da = 'Fint', en = 'Fine' } },\n"
                  "  { id = 'deviation', label = { da = 'Afvigelse', en = 'Deviation' },\n"
                  "    action_plan = { title = { da = 'Plan', en = 'Plan' }, due = days(30) } },\n"
                  "  { id = 'other_1', label = { da = 'Andet', en = 'Other' },\n"
                  "    action_plan = { title = { da = 'P', en = 'P' }, assignee = person 'anna',\n"
                  "                    due = months(2) } } },",
         .check =
             [](const WorkflowDef& w) {
                 ASSERT_EQ(w.outcomes.size(), 3u);
                 EXPECT_EQ(w.outcomes[0].id, "ok");
                 EXPECT_EQ(w.outcomes[0].label.en, "Fine");
                 EXPECT_FALSE(w.outcomes[0].action_plan);
                 ASSERT_TRUE(w.outcomes[1].action_plan);
                 EXPECT_EQ(w.outcomes[1].action_plan->id, "PLAN");
                 // Without an assignee the plan goes to the workflow's.
                 EXPECT_EQ(w.outcomes[1].action_plan->assignee,
                           (AssigneeRef{AssigneeRef::Kind::Role, "coordinator"}));
                 EXPECT_EQ(w.outcomes[1].action_plan->due, (Offset{Offset::Unit::Days, 30}));
                 EXPECT_EQ(w.outcomes[2].action_plan->assignee,
                           (AssigneeRef{AssigneeRef::Kind::Person, "anna"}));
                 EXPECT_EQ(w.outcomes[2].action_plan->due, (Offset{Offset::Unit::Months, 2}));
             }},
        {.name = "a completion trigger filtered on an outcome",
         .schedule = "on_completion { 'NIS2-NOT', outcome = 'notified' }",
         .extra = "",
         .check =
             [](const WorkflowDef& w) {
                 EXPECT_EQ(w.trigger.kind, Trigger::Kind::Completion);
                 EXPECT_EQ(w.trigger.name, "NIS2-NOT");
                 EXPECT_EQ(w.trigger.outcome, "notified");
                 EXPECT_TRUE(w.outcomes.empty());
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
        {"a completion outcome that is not an id", "on_completion { 'NIS2-NOT', outcome = 'Sent' }",
         "", 6, "on_completion: outcome must be an outcome id such as \"notified\" (got 'Sent')"},
        {"a completion trigger with another field", "on_completion { 'NIS2-NOT', when = 1 }", "", 6,
         "on_completion: unknown field 'when'"},
        {"an outcome id in capitals", yearly,
         "outcomes = { { id = 'OK', label = { da = 'a', en = 'b' } } },", 1,
         "outcomes[1]: id must be lower-case letters"},
        {"an outcome declared twice", yearly,
         "outcomes = { { id = 'ok', label = { da = 'a', en = 'b' } },\n"
         "  { id = 'ok', label = { da = 'a', en = 'b' } } },",
         1, "outcomes: 'ok' is declared twice"},
        {"an outcome without a label", yearly, "outcomes = { { id = 'ok' } },", 1,
         "outcomes[1]: missing field 'label'"},
        {"an Annex A control that does not exist", yearly,
         "standards = { iso27001 = { '5.24', '5.38' } },", 1,
         "workflow X-1: standards.iso27001: '5.38' is not a control of ISO/IEC 27001:2022 Annex A "
         "(5.1-5.37, 6.1-6.8, 7.1-7.14, 8.1-8.34)"},
        {"a 2013 Annex A number", yearly, "standards = { iso27001 = { '12.6' } },", 1,
         "standards.iso27001: '12.6' is not a control of ISO/IEC 27001:2022 Annex A"},
        {"a CIS control beyond 18", yearly, "standards = { cis = { '19.1' } },", 1,
         "standards.cis: '19.1' is not a CIS Controls v8 safeguard"},
        {"a CIS safeguard its control does not have", yearly, "standards = { cis = { '1.6' } },", 1,
         "standards.cis: '1.6' is not a CIS Controls v8 safeguard"},
        {"a control listed twice", yearly, "standards = { iso27001 = { '5.1', '5.1' } },", 1,
         "standards.iso27001: '5.1' is listed twice"},
        {"a control number as a number", yearly, "standards = { iso27001 = { 5.24 } },", 1,
         "standards.iso27001[1] must be a control number such as \"5.24\""},
        {"a standard the DSL does not know", yearly, "standards = { nist = { '1.1' } },", 1,
         "standards: unknown field 'nist'"},
        {"standards as a list", yearly, "standards = '5.1',", 1,
         "standards must be a table such as { iso27001 = { \"5.24\" }, cis = { \"17.1\" } }"},
        {"no outcomes in the list", yearly, "outcomes = {},", 1,
         "outcomes must declare from 1 to 20 outcomes (got 0)"},
        {"an action plan due in hours", yearly,
         "outcomes = { { id = 'bad', label = { da = 'a', en = 'b' },\n"
         "  action_plan = { title = { da = 'p', en = 'p' }, due = hours(4) } } },",
         1, "action_plan: due must be days(n), business_days(n) or months(n)"},
        {"an action plan without a due", yearly,
         "outcomes = { { id = 'bad', label = { da = 'a', en = 'b' },\n"
         "  action_plan = { title = { da = 'p', en = 'p' } } } },",
         1, "action_plan: missing field 'due'"},
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
        {"also with a calendar schedule", yearly, "also = monthly {},", 1,
         "also must be an event trigger such as on_event \"business_change\" (got schedule)"},
        {"also with a meetings trigger", yearly, "also = meetings 'isu',", 1,
         "also must be an event trigger such as on_event \"business_change\" (got meetings)"},
        {"also beside an event trigger", "on_event 'incident'", "also = on_event 'breach',", 1,
         "also = on_event needs a calendar or meetings schedule beside it (got schedule = "
         "on_event)"},
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
        {"hour reminders in hours{} for a day deadline", yearly,
         "remind = { before_due = hours{24} },", 1,
         "remind.before_due = hours{24} needs due = hours(n)"},
        {"repeated hour reminders for a day deadline", yearly,
         "remind = { overdue_every = hours(12) },", 1,
         "remind.overdue_every = hours(12) needs due = hours(n)"},
        {"day reminders for an hour deadline", "on_event 'incident'",
         "due = hours(72), remind = { before_due = days{1} },", 1,
         "remind.before_due = days{1} does nothing with due = hours(n)"},
        {"repeated day reminders for an hour deadline", "on_event 'incident'",
         "due = hours(72), remind = { overdue_every = days(1) },", 1,
         "remind.overdue_every = days(1) does nothing with due = hours(n)"},
        {"no days in days{}", yearly, "remind = { before_due = days{} },", 7,
         "days{} lists no days: give at least one, as in days{14, 3, 0}"},
        {"no hours in hours{}", "on_event 'incident'",
         "due = hours(72), remind = { before_due = hours{} },", 7, "hours{} lists no hours"},
        {"a fraction in days{}", yearly, "remind = { before_due = days{1.5} },", 7,
         "days{...}[1] must be a whole number of days (got 1.5)"},
        {"a negative day in days{}", yearly, "remind = { before_due = days{3, -1} },", 7,
         "days{...}[2] is -1: the list counts back from the deadline"},
        {"a string in hours{}", "on_event 'incident'",
         "due = hours(72), remind = { before_due = hours{'4'} },", 7,
         "hours{...}[1] must be a whole number of hours (got '4')"},
        {"a named key in days{}", yearly, "remind = { before_due = days{ first = 3 } },", 7,
         "days must be a list such as days{14, 3, 0} (unexpected key 'first')"},
        {"one span as a reminder list", yearly, "remind = { before_due = days(3) },", 1,
         "remind.before_due must be a list such as days{14, 3, 0} or hours{24, 4} (got days(3); "
         "write days{3} for one reminder)"},
        {"a negative overdue interval", yearly, "remind = { overdue_every = days(-3) },", 1,
         "remind.overdue_every = days(-3) is negative"},
        {"an overdue interval in months", yearly, "remind = { overdue_every = months(1) },", 1,
         "remind.overdue_every must be days(n) or hours(n), as in overdue_every = days(7) (got "
         "months(1))"},
        {"both spellings of the hour reminders", "on_event 'incident'",
         "due = hours(72), remind = { before_due = hours{4}, before_due_hours = { 4 } },", 1,
         "give before_due = hours{...} or before_due_hours (its old spelling), not both"},
        {"an escalation after hours", "on_event 'incident'",
         "due = hours(72), escalate = { { after = hours(12), to = role 'a' } },", 1,
         "escalate[1].after = hours(12): escalations count whole days overdue"},
        {"an escalation after business days", yearly,
         "escalate = { { after = business_days(3), to = role 'a' } },", 1,
         "escalate[1].after must be days(n), as in after = days(7) (got business_days(3))"},
        {"an escalation after a role", yearly,
         "escalate = { { after = role 'a', to = role 'a' } },", 1,
         "escalate[1].after must be days(n), as in after = days(7) (got assignee)"},
        {"a decreasing escalation in days", yearly,
         "escalate = { { after = days(21), to = role 'a' }, { after = days(7), to = role 'b' } },",
         1, "escalate: after must increase from step to step (7 follows 21)"},
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

std::string warnings_of(const WorkflowLoadReport& report) {
    std::string out;
    for (const auto& w : report.warnings)
        out += w.to_string() + "\n";
    return out;
}

// The spellings from before units still load, each with a warning at the
// workflow's line that names the spelling to use instead.
TEST(DslUnits, OldSpellingsLoadWithWarnings) {
    auto report = load_code(R"(-- old spellings

workflow {
  id = "X-1",
  title = { da = "Titel", en = "Title" },
  source = "test",
  assignee = role "coordinator",
  schedule = monthly {},
  remind = { before_due = { 14, 3.0, 0 }, overdue_every = 7 },
  escalate = { { after = 7, to = role "a" }, { after = 21, to = role "b" } },
}

workflow {
  id = "X-2",
  title = { da = "Titel", en = "Title" },
  source = "test",
  assignee = role "coordinator",
  schedule = on_event "incident",
  due = hours(72),
  remind = { before_due = { 2 }, before_due_hours = { 24, 4 }, overdue_every_hours = 12 },
}
)");
    ASSERT_TRUE(report.ok()) << errors_of(report);
    ASSERT_EQ(report.workflows.size(), 2u);
    const std::pair<int, std::string> expected[] = {
        {3, "workflow X-1: escalate[1].after = 7 is in days without saying so; write after = "
            "days(7)"},
        {3, "workflow X-1: escalate[2].after = 21 is in days without saying so; write after = "
            "days(21)"},
        {3, "workflow X-1: remind.before_due = { 14, 3, 0 } is in days without saying so; write "
            "before_due = days{14, 3, 0}"},
        {3, "workflow X-1: remind.overdue_every = 7 is in days without saying so; write "
            "overdue_every = days(7)"},
        {13, "workflow X-2: remind.before_due = { 2 } counts days, which an hour-based deadline "
             "does not use: leave it out, or write before_due = hours{...}"},
        {13, "workflow X-2: remind.before_due_hours is the old spelling; write before_due = "
             "hours{24, 4}"},
        {13, "workflow X-2: remind.overdue_every_hours is the old spelling; write overdue_every = "
             "hours(12)"},
    };
    ASSERT_EQ(report.warnings.size(), std::size(expected)) << warnings_of(report);
    for (std::size_t i = 0; i < std::size(expected); ++i) {
        EXPECT_THAT(report.warnings[i].file, HasSubstr("test.lua"));
        EXPECT_EQ(report.warnings[i].line, expected[i].first) << report.warnings[i].to_string();
        EXPECT_EQ(report.warnings[i].message, expected[i].second);
    }
    EXPECT_THAT(report.workflows[0].remind.before_due_days, ElementsAre(14, 3, 0));
    EXPECT_EQ(report.workflows[0].escalate.at(1).after_days_overdue, 21);
    EXPECT_THAT(report.workflows[1].remind_before_due_hours, ElementsAre(24, 4));
}

// The spellings with units, and what needs no unit (an empty list), load without a warning.
TEST(DslUnits, UnitSpellingsLoadWithoutWarnings) {
    const std::string codes[] = {
        workflow_with("monthly {}",
                      "remind = { before_due = days{14, 3, 0}, overdue_every = "
                      "days(7) }, escalate = { { after = days(7), to = role 'a' } },"),
        workflow_with("monthly {}", "remind = { before_due = {} }, escalate = {},"),
    };
    for (const auto& code : codes) {
        auto report = load_code(code);
        ASSERT_TRUE(report.ok()) << errors_of(report);
        EXPECT_EQ(report.workflows.size(), 1u);
        EXPECT_TRUE(report.warnings.empty()) << warnings_of(report);
    }
}

// A warning never stops a file, and one that fails later keeps the warnings found before.
TEST(DslUnits, WarningsSurviveALaterError) {
    auto report = load_code(workflow_with("monthly {}", "remind = { overdue_every = 7 },") +
                            "\nworkflow { id = 'BROKEN' }\n");
    ASSERT_EQ(report.errors.size(), 1u) << errors_of(report);
    EXPECT_EQ(report.workflows.size(), 1u);
    ASSERT_EQ(report.warnings.size(), 1u) << warnings_of(report);
    EXPECT_EQ(report.warnings[0].line, 1);
}

// The hand-written form of the shipped meeting workflows (before meeting_cycle).
const char* const kMeetingsByHand = R"(workflow {
  id = "RSI-MEET",
  title = { da = "Dagsorden", en = "Agenda" },
  description = { da = "Udsend dagsordenen.", en = "Send the agenda." },
  source = "S2: dagsorden",
  assignee = role "rsi_secretariat",
  schedule = meetings "rsi",
  due = days(-7),
  remind = { before_due = { 7, 1, 0 }, overdue_every = 2 },
  escalate = {
    { after = 2, to = role "rsi_chair" },
  },
  horizon_check = { months = 6, assignee = role "rsi_secretariat" },
  evidence = "optional",
}

workflow {
  id = "RSI-MEET-REF",
  title = { da = "Referat", en = "Minutes" },
  source = "S2: referat",
  assignee = role "rsi_secretariat",
  schedule = meetings "rsi",
  due = days(7),
  remind = { before_due = { 2, 0 }, overdue_every = 3 },
  escalate = {
    { after = 7, to = role "rsi_chair" },
  },
  evidence = "optional",
}

workflow {
  id = "RSI-MEET-GODK",
  title = { da = "Godkendelse", en = "Approval" },
  source = "S2: godkendes",
  assignee = person "anna.jensen",
  schedule = meetings "rsi",
  due = next_meeting "rsi",
  remind = { before_due = { 7, 0 }, overdue_every = 7 },
  escalate = {
    { after = 7, to = role "rsi_chair" },
  },
  evidence = "required",
}
)";

const char* const kMeetingCycle = R"(meeting_cycle {
  body = "rsi",
  secretary = role "rsi_secretariat",
  chair = role "rsi_chair",
  horizon = months(6),
  evidence = "optional",
  agenda = {
    id = "RSI-MEET",
    title = { da = "Dagsorden", en = "Agenda" },
    description = { da = "Udsend dagsordenen.", en = "Send the agenda." },
    source = "S2: dagsorden",
    remind = { before_due = days{7, 1, 0}, overdue_every = days(2) },
    escalate_after = days(2),
  },
  minutes = {
    id = "RSI-MEET-REF",
    title = { da = "Referat", en = "Minutes" },
    source = "S2: referat",
    due = days(7),
    remind = { before_due = days{2, 0}, overdue_every = days(3) },
    escalate = { { after = days(7), to = role "rsi_chair" } },
  },
  approval = {
    id = "RSI-MEET-GODK",
    title = { da = "Godkendelse", en = "Approval" },
    source = "S2: godkendes",
    assignee = person "anna.jensen",
    evidence = "required",
    remind = { before_due = days{7, 0}, overdue_every = days(7) },
    escalate_after = days(7),
  },
}
)";

// meeting_cycle writes exactly the workflows spelled out by hand: the same
// ids in the same order, the same fields and so the same content hashes.
TEST(DslMeetingCycle, WritesTheSameDefinitionsAsByHand) {
    auto by_hand = load_code(kMeetingsByHand);
    auto cycle = load_code(kMeetingCycle);
    ASSERT_TRUE(by_hand.ok()) << errors_of(by_hand);
    ASSERT_TRUE(cycle.ok()) << errors_of(cycle);
    EXPECT_TRUE(cycle.warnings.empty()) << warnings_of(cycle);
    ASSERT_EQ(cycle.workflows.size(), 3u);
    ASSERT_EQ(by_hand.workflows.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        const WorkflowDef& a = by_hand.workflows[i];
        const WorkflowDef& b = cycle.workflows[i];
        SCOPED_TRACE(a.id);
        EXPECT_EQ(b.id, a.id);
        EXPECT_EQ(b.content_hash, a.content_hash);
        EXPECT_EQ(b.trigger.kind, Trigger::Kind::Meetings);
        EXPECT_EQ(b.trigger.name, "rsi");
        EXPECT_EQ(b.line, 1); // every part is at the meeting_cycle's line
    }
    const WorkflowDef& agenda = cycle.workflows[0];
    EXPECT_EQ(agenda.due.amount, -7); // the agenda's default
    ASSERT_TRUE(agenda.horizon_check);
    EXPECT_EQ(agenda.horizon_check->months, 6);
    EXPECT_EQ(agenda.horizon_check->assignee.id, "rsi_secretariat");
    EXPECT_FALSE(cycle.workflows[1].horizon_check);
    EXPECT_EQ(cycle.workflows[2].due_next_meeting, "rsi"); // the approval's default
    EXPECT_EQ(cycle.workflows[2].assignee.id, "anna.jensen");
    EXPECT_TRUE(cycle.workflows[2].evidence_required);
}

// A cycle of an agenda alone, without chair or horizon, gives one workflow
// that takes the configured ladders.
TEST(DslMeetingCycle, AnAgendaAloneTakesTheDefaults) {
    auto report = load_code("meeting_cycle { body = 'tsi', secretary = role 's',\n"
                            "  agenda = { id = 'TSI-MEET', title = { da = 'a', en = 'b' }, "
                            "source = 'S0' } }\n");
    ASSERT_TRUE(report.ok()) << errors_of(report);
    ASSERT_EQ(report.workflows.size(), 1u);
    const WorkflowDef& w = report.workflows[0];
    EXPECT_EQ(w.assignee.id, "s");
    EXPECT_EQ(w.due.unit, Offset::Unit::Days);
    EXPECT_EQ(w.due.amount, -7);
    EXPECT_TRUE(w.remind_is_default);
    EXPECT_TRUE(w.escalate_is_default);
    EXPECT_FALSE(w.horizon_check);
    EXPECT_FALSE(w.evidence_required);
}

struct CycleMistake {
    const char* name;
    std::string fields; // the cycle's fields after body, from line 4 of the file
    int line;           // 0: the cycle is valid
    const char* message;
};

// Each mistake in a meeting_cycle stops the file at the coordinator's line:
// the meeting_cycle's own (line 2), or that of the value at fault.
TEST(DslMeetingCycle, ReportsMistakesAtTheCoordinatorsLine) {
    const std::string part = "id = 'A-1', title = { da = 'a', en = 'b' }, source = 's'";
    // The agenda is on line 5.
    auto agenda = [&](const std::string& extra) {
        return "secretary = role 's', chair = role 'c',\n  agenda = { " + part + extra + " },";
    };
    const CycleMistake cases[] = {
        {"a valid cycle", agenda(""), 0, ""},
        {"no secretary", "agenda = {},", 2,
         "meeting_cycle isu: missing field 'secretary' (who sends the agenda and the minutes"},
        {"an unknown field", "secretary = role 's', agendaa = {},", 2,
         "meeting_cycle isu: unknown field 'agendaa'"},
        {"no agenda", "secretary = role 's',", 2, "meeting_cycle isu: missing field 'agenda'"},
        {"a committee as secretary", "secretary = committee 'isu', agenda = {},", 2,
         "meeting_cycle isu: secretary: committee \"isu\" can only receive escalations"},
        {"a bare horizon", "secretary = role 's', horizon = 6, agenda = {},", 2,
         "meeting_cycle isu: horizon must be months(n), n from 1, as in horizon = months(6) (got "
         "6)"},
        {"a horizon in days", "secretary = role 's', horizon = days(180), agenda = {},", 2,
         "horizon must be months(n), n from 1, as in horizon = months(6) (got days(180))"},
        {"a part that is not a table", "secretary = role 's', agenda = 'ISU-MEET',", 2,
         "meeting_cycle isu: agenda must be a table"},
        {"a schedule in a part", agenda(", schedule = monthly {}"), 2,
         "meeting_cycle isu: agenda: leave schedule out; every part is due around meetings "
         "\"isu\""},
        {"a horizon check in a part",
         agenda(", horizon_check = { months = 6, assignee = role 's' }"), 2,
         "meeting_cycle isu: agenda: the booking check is the cycle's: write horizon = months(6)"},
        {"a field a part does not take", agenda(", for_each = systems {}"), 2,
         "meeting_cycle isu: agenda: unknown field 'for_each'"},
        {"a part without an id",
         "secretary = role 's', agenda = { title = { da = 'a', en = 'b' } },", 2,
         "meeting_cycle isu: agenda: missing field 'id'"},
        {"escalate_after without a chair",
         "secretary = role 's',\n  agenda = { " + part + ", escalate_after = days(3) },", 2,
         "meeting_cycle isu: agenda: escalate_after escalates to the chair: add chair = role"},
        {"escalate_after as a bare number", agenda(", escalate_after = 3"), 2,
         "meeting_cycle isu: agenda: escalate_after must be days(n), as in escalate_after = "
         "days(3); escalations count whole days overdue (got 3)"},
        {"escalate_after in hours", agenda(", escalate_after = hours(3)"), 2,
         "escalate_after must be days(n), as in escalate_after = days(3); escalations count whole "
         "days overdue (got hours(3))"},
        {"both escalations", agenda(", escalate_after = days(3), escalate = {}"), 2,
         "meeting_cycle isu: agenda: give escalate_after or escalate, not both"},
        {"hour reminders for the agenda", agenda(", remind = { before_due = hours{3} }"), 2,
         "workflow A-1: remind.before_due = hours{3} needs due = hours(n)"},
        {"a negative reminder", agenda(", remind = {\n    before_due = days{-1} }"), 6,
         "days{...}[1] is -1"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        auto report =
            load_code("-- a cycle\nmeeting_cycle {\n  body = 'isu',\n  " + c.fields + "\n}\n");
        if (c.line == 0) {
            EXPECT_TRUE(report.ok()) << errors_of(report);
            continue;
        }
        ASSERT_EQ(report.errors.size(), 1u) << errors_of(report);
        EXPECT_EQ(report.errors[0].line, c.line) << report.errors[0].to_string();
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
        {workflow_with("monthly {}", "remind = { before_due = { 14, 3, 0 }, overdue_every = 7 }"),
         workflow_with("monthly {}",
                       "remind = { before_due = days{14, 3, 0}, overdue_every = days(7) }")},
        {workflow_with("monthly {}", "remind = { before_due = days{0, 14, 3, 3} }"),
         workflow_with("monthly {}", "remind = { before_due = days{14, 3, 0} }")},
        {workflow_with("on_event 'x'", "due = hours(72), remind = { before_due_hours = { 24, 4 }, "
                                       "overdue_every_hours = 12 }"),
         workflow_with("on_event 'x'", "due = hours(72), remind = { before_due = hours{24, 4}, "
                                       "overdue_every = hours(12) }")},
        {workflow_with("monthly {}", "escalate = { { after = 7, to = role 'a' } }"),
         workflow_with("monthly {}", "escalate = { { after = days(7), to = role 'a' } }")},
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
    // `also` beside a calendar, and its event type.
    const std::string calendar = workflow_with("yearly { month = 5, day = 1 }", "");
    const std::string with_also =
        workflow_with("yearly { month = 5, day = 1 }", "also = on_event 'business_change',");
    const std::string other_also =
        workflow_with("yearly { month = 5, day = 1 }", "also = on_event 'charter_change',");
    std::set<std::string> hashes;
    for (const auto* code : {&calendar, &with_also, &other_also}) {
        auto report = load_code(*code);
        ASSERT_TRUE(report.ok()) << errors_of(report);
        hashes.insert(report.workflows.at(0).content_hash);
    }
    EXPECT_EQ(hashes.size(), 3u);
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

// SPDX-License-Identifier: MPL-2.0
#include "model/workflow_check.h"

#include <functional>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace aarshjul {
namespace {

using ::testing::HasSubstr;

// A definition that passes every check, as the DSL would return it.
WorkflowDef good() {
    WorkflowDef w;
    w.id = "RISK-SYS";
    w.title = {"Risikovurdering", "Risk assessment"};
    w.source = "S4";
    w.assignee = {AssigneeRef::Kind::Role, "system_responsible"};
    w.schedule.rrule = "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1";
    w.file = "wf/risk.lua";
    w.line = 7;
    return w;
}

struct Case {
    const char* name;
    std::function<void(WorkflowDef&)> edit;
    const char* message; // empty: the definition passes
};

// The ids, names and keys of a definition are checked whatever produced it:
// separators of the occurrence keys, references of the wrong shape and empty
// texts are refused at the definition's file and line.
TEST(WorkflowCheck, RefusesEveryMalformedField) {
    const Case cases[] = {
        {.name = "good", .edit = [](WorkflowDef&) {}, .message = ""},
        {.name = "key separators in the id",
         .edit = [](WorkflowDef& w) { w.id = "EVIL|KEY#x y"; },
         .message = "workflow: id must be capitals, digits and '-' starting with a capital, at "
                    "most 64 bytes (got 'EVIL|KEY#x y')"},
        {.name = "lower-case id",
         .edit = [](WorkflowDef& w) { w.id = "risk"; },
         .message = "(got 'risk')"},
        {.name = "id too long",
         .edit = [](WorkflowDef& w) { w.id = std::string(65, 'A'); },
         .message = "at most 64 bytes"},
        {.name = "empty id", .edit = [](WorkflowDef& w) { w.id.clear(); }, .message = "(got '')"},
        {.name = "slash in a step id",
         .edit =
             [](WorkflowDef& w) {
                 w.steps.push_back({"DIR/X", {"a", "b"}, "isu", w.assignee});
             },
         .message = "workflow RISK-SYS: steps.id must be capitals"},
        {.name = "step id twice",
         .edit =
             [](WorkflowDef& w) {
                 w.steps.push_back({"DIR", {"a", "b"}, "isu", w.assignee});
                 w.steps.push_back({"DIR", {"a", "b"}, "isu", w.assignee});
             },
         .message = "step id 'DIR' is used twice"},
        {.name = "step body with a space",
         .edit =
             [](WorkflowDef& w) {
                 w.steps.push_back({"DIR", {"a", "b"}, "is u", w.assignee});
             },
         .message = "steps: 'is u' is not a body id"},
        {.name = "role with a separator",
         .edit = [](WorkflowDef& w) { w.assignee.id = "coordinator|x"; },
         .message = "assignee: 'coordinator|x' is not a role name"},
        {.name = "person with a hash",
         .edit =
             [](WorkflowDef& w) {
                 w.assignee = {AssigneeRef::Kind::Person, "anna#1"};
             },
         .message = "assignee: 'anna#1' is not a person id"},
        {.name = "committee as assignee",
         .edit =
             [](WorkflowDef& w) {
                 w.assignee = {AssigneeRef::Kind::Body, "isu"};
             },
         .message = "a committee can only receive escalations"},
        {.name = "committee escalation",
         .edit =
             [](WorkflowDef& w) {
                 w.escalate.push_back({7, {AssigneeRef::Kind::Body, "isu"}});
             },
         .message = ""},
        {.name = "escalation not increasing",
         .edit =
             [](WorkflowDef& w) {
                 w.escalate.push_back({7, w.assignee});
                 w.escalate.push_back({7, w.assignee});
             },
         .message = "after must increase"},
        {.name = "title without en",
         .edit = [](WorkflowDef& w) { w.title.en.clear(); },
         .message = "title needs both da and en"},
        {.name = "empty source",
         .edit = [](WorkflowDef& w) { w.source.clear(); },
         .message = "source must not be empty"},
        {.name = "unknown criticality",
         .edit =
             [](WorkflowDef& w) {
                 w.for_each.criticality = {"high", "extreme"};
             },
         .message = "for_each.criticality: 'extreme' is not low, medium or high"},
        {.name = "meetings of a bad body",
         .edit =
             [](WorkflowDef& w) {
                 w.trigger = {Trigger::Kind::Meetings, "isu|x", ""};
             },
         .message = "meetings: 'isu|x' is not a body id"},
        {.name = "on_completion of a bad id",
         .edit =
             [](WorkflowDef& w) {
                 w.trigger = {Trigger::Kind::Completion, "A#B", ""};
             },
         .message = "on_completion must be capitals"},
        {.name = "calendar trigger with a name",
         .edit = [](WorkflowDef& w) { w.trigger.name = "x"; },
         .message = "a calendar schedule has no trigger name"},
        {.name = "depends on itself",
         .edit = [](WorkflowDef& w) { w.depends_on = {"RISK-SYS"}; },
         .message = "depends_on lists the workflow itself"},
        {.name = "depends on a bad id",
         .edit = [](WorkflowDef& w) { w.depends_on = {"POL REV"}; },
         .message = "depends_on must be capitals"},
        {.name = "channel twice",
         .edit =
             [](WorkflowDef& w) {
                 w.channels = {"mail", "mail"};
             },
         .message = "channels: 'mail' is listed twice"},
        {.name = "channel with a hash",
         .edit = [](WorkflowDef& w) { w.channels = {"mail#x"}; },
         .message = "channels: 'mail#x' is not a channel name"},
        {.name = "rrule with a separator",
         .edit = [](WorkflowDef& w) { w.schedule.rrule = "FREQ=YEARLY|x"; },
         .message = "schedule: unexpected character in the RRULE"},
        {.name = "next meeting of a bad body",
         .edit = [](WorkflowDef& w) { w.due_next_meeting = "by raad"; },
         .message = "next_meeting: 'by raad' is not a body id"},
        {.name = "unknown tier key",
         .edit = [](WorkflowDef& w) { w.schedule_by_tier.emplace_back("urgent", w.schedule); },
         .message = "schedule_by_criticality: 'urgent' is not low, medium or high"},
        {.name = "sample of nothing",
         .edit = [](WorkflowDef& w) { w.for_each.kind = ForEach::Kind::Sample; },
         .message = "sample: size must be a whole number from 1 to 1000"},
        {.name = "bytes that are not UTF-8 are quoted safely",
         .edit = [](WorkflowDef& w) { w.id = "A\xff"; },
         .message = "(got 'A\xef\xbf\xbd')"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        WorkflowDef w = good();
        c.edit(w);
        auto checked = check_workflow(w);
        if (std::string_view(c.message).empty()) {
            EXPECT_TRUE(checked.ok()) << checked.error().to_string();
            continue;
        }
        ASSERT_FALSE(checked.ok());
        EXPECT_THAT(checked.error().message, HasSubstr(c.message));
        EXPECT_EQ(checked.error().file, "wf/risk.lua");
        EXPECT_EQ(checked.error().line, 7);
        EXPECT_EQ(checked.error().kind, ErrorKind::Invalid);
    }
}

// A hook's follow-up becomes part of a key ("<parent>/<id>"), so its id obeys the same rule.
TEST(WorkflowCheck, RefusesMalformedFollowUps) {
    FollowUpSpec f{"NOTIFY-DPO", {"a", "b"}, {AssigneeRef::Kind::Role, "dpo"}, {}};
    EXPECT_TRUE(check_follow_up(f).ok());
    f.id = "X/Y";
    ASSERT_FALSE(check_follow_up(f).ok());
    EXPECT_THAT(check_follow_up(f).error().message, HasSubstr("follow_up: id must be capitals"));
    f.id = "OK";
    f.due.amount = -1;
    EXPECT_THAT(check_follow_up(f).error().message, HasSubstr("due must not be negative"));
}

// The shapes accept what the shipped workflows use and refuse every separator.
TEST(WorkflowCheck, NamesHaveOneShapeEach) {
    EXPECT_TRUE(valid_workflow_id("RSI-MEET-GODK"));
    EXPECT_TRUE(valid_workflow_id("NIS2-NOT"));
    EXPECT_FALSE(valid_workflow_id("2FA"));
    EXPECT_TRUE(valid_role_name("system_responsible"));
    EXPECT_FALSE(valid_role_name("system-responsible"));
    EXPECT_TRUE(valid_person_ref("anna.jensen"));
    EXPECT_TRUE(valid_person_ref("anna@kommune.dk"));
    EXPECT_TRUE(valid_name("byraad"));
    EXPECT_TRUE(valid_channel_name("isu-teams"));
    for (const char* separator : {"|", "#", "/", " ", "\n", "@"})
        EXPECT_FALSE(valid_name(std::string("a") + separator + "b")) << separator;
}

} // namespace
} // namespace aarshjul

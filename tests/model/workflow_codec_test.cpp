// SPDX-License-Identifier: MPL-2.0
#include "model/workflow_codec.h"
#include "model/workflow_fixture.inc"
#include "util/field_record.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace aarshjul {
namespace {

using testing::HasSubstr;

// The number of fields of an aggregate, counted by brace initialisation.
struct AnyField {
    template <class T> operator T&() const;
    template <class T> operator T&&() const;
};
template <class T, class... A> constexpr std::size_t field_count() {
    if constexpr (requires { T{A{}..., AnyField{}}; })
        return field_count<T, A..., AnyField>();
    else
        return sizeof...(A);
}

// A field added to the model fails here first: add it to the schema in
// workflow_codec.cpp and to every_field_set(), then update the count.
TEST(WorkflowCodec, TheModelHasTheFieldsTheSchemaKnows) {
    EXPECT_EQ(field_count<WorkflowDef>(), 38u); // 35 in the schema + file, line, content_hash
    EXPECT_EQ(field_count<LocalizedText>(), 2u);
    EXPECT_EQ(field_count<AssigneeRef>(), 2u);
    EXPECT_EQ(field_count<Recurrence>(), 3u);
    EXPECT_EQ(field_count<ReminderLadder>(), 2u);
    EXPECT_EQ(field_count<ForEach>(), 5u);
    EXPECT_EQ(field_count<Offset>(), 2u);
    EXPECT_EQ(field_count<Trigger>(), 4u);
    EXPECT_EQ(field_count<FactCondition>(), 2u);
    EXPECT_EQ(field_count<EscalationStep>(), 2u);
    EXPECT_EQ(field_count<ApprovalStep>(), 4u);
    EXPECT_EQ(field_count<HorizonCheck>(), 2u);
    EXPECT_EQ(field_count<FollowUpSpec>(), 4u);
    EXPECT_EQ(field_count<OutcomeDef>(), 3u);
    EXPECT_EQ(field_count<StandardRefs>(), 2u);
}

// Every field set to a non-default value survives encoding and decoding, so
// none is left out of the canonical form (and therefore of the hash).
TEST(WorkflowCodec, RoundTripsEveryField) {
    const WorkflowDef w = every_field_set();
    // The fixture really sets every field: each one differs from a default definition's.
    EXPECT_FALSE(w == WorkflowDef{});
    auto back = decode_workflow(encode_workflow(w));
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_TRUE(*back == w);
    // file, line and the hash itself are not part of the canonical form.
    WorkflowDef placed = w;
    placed.file = "elsewhere.lua";
    placed.line = 99;
    placed.content_hash = "x";
    EXPECT_EQ(encode_workflow(placed), encode_workflow(w));
    EXPECT_EQ(workflow_content_hash(placed), workflow_content_hash(w));
}

// Changing any one field of the fixture changes the hash.
TEST(WorkflowCodec, EveryFieldChangesTheHash) {
    const WorkflowDef base = every_field_set();
    const std::string h = workflow_content_hash(base);
    std::vector<void (*)(WorkflowDef&)> changes = {
        [](WorkflowDef& w) { w.id = "B"; },
        [](WorkflowDef& w) { w.title.da = "x"; },
        [](WorkflowDef& w) { w.title.en = "x"; },
        [](WorkflowDef& w) { w.description.da = "x"; },
        [](WorkflowDef& w) { w.description.en = "x"; },
        [](WorkflowDef& w) { w.source = "t"; },
        [](WorkflowDef& w) { w.assignee.kind = AssigneeRef::Kind::Role; },
        [](WorkflowDef& w) { w.assignee.id = "x"; },
        [](WorkflowDef& w) { w.for_each.kind = ForEach::Kind::Systems; },
        [](WorkflowDef& w) { w.for_each.criticality.pop_back(); },
        [](WorkflowDef& w) { w.for_each.tiers = {"B"}; },
        [](WorkflowDef& w) { w.for_each.sample_size = 4; },
        [](WorkflowDef& w) { w.for_each.sample_seed = "other"; },
        [](WorkflowDef& w) { w.schedule.rrule = "FREQ=MONTHLY"; },
        [](WorkflowDef& w) { w.schedule.anchor += date::days(1); },
        [](WorkflowDef& w) { w.schedule.valid_until.reset(); },
        [](WorkflowDef& w) { w.due_days = 1; },
        [](WorkflowDef& w) { w.remind.before_due_days = {1}; },
        [](WorkflowDef& w) { w.remind.overdue_every_days = 1; },
        [](WorkflowDef& w) { w.trigger.kind = Trigger::Kind::Event; },
        [](WorkflowDef& w) { w.trigger.name = "other"; },
        [](WorkflowDef& w) { w.due.unit = Offset::Unit::Hours; },
        [](WorkflowDef& w) { w.due.amount = -1; },
        [](WorkflowDef& w) { w.remind_before_due_hours = {24}; },
        [](WorkflowDef& w) { w.overdue_every_hours = 6; },
        [](WorkflowDef& w) { w.due_next_meeting = "isu"; },
        [](WorkflowDef& w) { w.roll_to_business_day = false; },
        [](WorkflowDef& w) { w.roll_backward = false; },
        [](WorkflowDef& w) { w.cadence = Cadence::Calendar; },
        [](WorkflowDef& w) { w.interval.unit = Offset::Unit::Days; },
        [](WorkflowDef& w) { w.interval.amount = 6; },
        [](WorkflowDef& w) { w.depends_on.clear(); },
        [](WorkflowDef& w) { w.steps[0].id = "BR"; },
        [](WorkflowDef& w) { w.steps[0].title.da = "x"; },
        [](WorkflowDef& w) { w.steps[0].title.en = "x"; },
        [](WorkflowDef& w) { w.steps[0].body = "byraad"; },
        [](WorkflowDef& w) { w.steps[0].assignee.kind = AssigneeRef::Kind::Person; },
        [](WorkflowDef& w) { w.steps[0].assignee.id = "y"; },
        [](WorkflowDef& w) { w.escalate[0].after_days_overdue = 8; },
        [](WorkflowDef& w) { w.escalate[0].to.kind = AssigneeRef::Kind::Body; },
        [](WorkflowDef& w) { w.escalate[0].to.id = "y"; },
        [](WorkflowDef& w) { w.escalate_is_default = true; },
        [](WorkflowDef& w) { w.remind_is_default = true; },
        [](WorkflowDef& w) { w.channels = {"mail"}; },
        [](WorkflowDef& w) { w.horizon_check.reset(); },
        [](WorkflowDef& w) { w.horizon_check->months = 4; },
        [](WorkflowDef& w) { w.horizon_check->assignee.id = "y"; },
        [](WorkflowDef& w) { w.schedule_by_tier[0].first = "low"; },
        [](WorkflowDef& w) { w.schedule_by_tier[0].second.rrule = "FREQ=WEEKLY"; },
        [](WorkflowDef& w) { w.schedule_by_tier[0].second.anchor += date::days(1); },
        [](WorkflowDef& w) {
            w.schedule_by_tier[0].second.valid_until = w.schedule_by_tier[0].second.anchor;
        },
        [](WorkflowDef& w) { w.evidence_required = false; },
        [](WorkflowDef& w) { w.enabled = true; },
        [](WorkflowDef& w) { w.has_on_complete = false; },
        [](WorkflowDef& w) { w.has_on_overdue = false; },
        [](WorkflowDef& w) { w.has_on_event = false; },
        [](WorkflowDef& w) { w.trigger.outcome = "other"; },
        [](WorkflowDef& w) { w.trigger.outcome.clear(); },
        [](WorkflowDef& w) { w.outcomes.clear(); },
        [](WorkflowDef& w) { w.outcomes[0].id = "fine"; },
        [](WorkflowDef& w) { w.outcomes[0].label.da = "x"; },
        [](WorkflowDef& w) { w.outcomes[0].label.en = "x"; },
        [](WorkflowDef& w) { w.outcomes[1].action_plan.reset(); },
        [](WorkflowDef& w) { w.outcomes[1].action_plan->title.da = "x"; },
        [](WorkflowDef& w) { w.outcomes[1].action_plan->title.en = "x"; },
        [](WorkflowDef& w) { w.outcomes[1].action_plan->assignee.id = "x"; },
        [](WorkflowDef& w) { w.outcomes[1].action_plan->due.amount = 14; },
        [](WorkflowDef& w) { w.outcomes[1].action_plan->due.unit = Offset::Unit::Months; },
        [](WorkflowDef& w) { w.group = WorkflowGroup::Technical; },
        [](WorkflowDef& w) { w.trigger.facts.personal_data = {"yes"}; },
        [](WorkflowDef& w) { w.trigger.facts.significant.push_back("unknown"); },
        [](WorkflowDef& w) { w.trigger.facts = {}; },
        [](WorkflowDef& w) { w.also.reset(); },
        [](WorkflowDef& w) { w.also->name = "charter_change"; },
        [](WorkflowDef& w) { w.also->facts.personal_data.clear(); },
        [](WorkflowDef& w) { w.also->facts.significant = {"yes"}; },
        [](WorkflowDef& w) { w.standards.iso27001.pop_back(); },
        [](WorkflowDef& w) { w.standards.iso27001.clear(); },
        [](WorkflowDef& w) { w.standards.iso27001[0] = "5.10"; },
        [](WorkflowDef& w) { w.standards.cis.clear(); },
        [](WorkflowDef& w) { w.standards.cis = {"1.2"}; },
        [](WorkflowDef& w) {
            w.standards = {{}, {"1.1"}};
        },
        // Field boundaries are unambiguous: moving text between fields changes the hash.
        [](WorkflowDef& w) {
            w.title = {"Risikovurderin", "gRisk assessment"};
        },
    };
    for (std::size_t i = 0; i < changes.size(); ++i) {
        WorkflowDef w = base;
        changes[i](w);
        EXPECT_NE(workflow_content_hash(w), h) << "change " << i;
        auto back = decode_workflow(encode_workflow(w));
        ASSERT_TRUE(back.ok()) << "change " << i << ": " << back.error().message;
        EXPECT_TRUE(*back == w) << "change " << i;
    }
}

// The canonical form is byte for byte the one the hash had before the schema
// moved into the codec, so the hashes stored in a database stay valid and an
// upgrade re-plans nothing. (Values computed with the hash of commit 5c153e7.)
// Fields added since (trigger.outcome, outcomes, group, trigger.facts, also,
// standards) are written only when set, so a definition without them keeps
// its hash too.
TEST(WorkflowCodec, KeepsTheStoredHashes) {
    WorkflowDef v2 = every_field_set();
    v2.trigger.outcome.clear();
    v2.outcomes.clear();
    v2.group = WorkflowGroup::Other;
    v2.trigger.facts = {};
    v2.also.reset();
    v2.standards = {};
    EXPECT_EQ(workflow_content_hash(v2),
              "d8d1df13a9d8342819e69b7614d41205de105c545e2492c45ccee411579c4901");
    EXPECT_EQ(workflow_content_hash(WorkflowDef{}),
              "b7271c8c55ce4d5d1ef0f5eb99e6ff50f64ddee6b2acbdb6c314fbf5c3538b62");
}

// A follow-up round-trips too.
TEST(WorkflowCodec, RoundTripsFollowUps) {
    const FollowUpSpec f{
        "FIX", {"Ret", "Fix"}, {AssigneeRef::Kind::Person, "bo"}, {Offset::Unit::Hours, 72}};
    auto back = decode_follow_up(encode_follow_up(f));
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_TRUE(*back == f);
}

// What a subverted worker might send is refused, never trusted.
TEST(WorkflowCodec, RefusesMalformedDefinitions) {
    const std::string good = encode_workflow(every_field_set());
    auto replaced = [&](std::string_view from, std::string_view to) {
        std::string text = good;
        const auto at = text.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        return text.replace(at, from.size(), to);
    };
    const struct {
        const char* name;
        std::string text;
        const char* message;
    } cases[] = {
        {.name = "empty", .text = "", .message = "not of the expected kind"},
        {.name = "truncated", .text = good.substr(0, good.size() / 2), .message = "malformed"},
        {.name = "trailing", .text = good + "x=1:y\n", .message = "unexpected field 'x'"},
        {.name = "bad utf-8",
         .text = replaced("id=8:RISK-SYS", "id=8:RISK-\xff\xfe"
                                           "S"),
         .message = "not valid UTF-8"},
        {.name = "unknown enum",
         .text = replaced("assignee.kind=6:person", "assignee.kind=6:nobody"),
         .message = "unknown value"},
        {.name = "out of range",
         .text = replaced("overdue_every_hours=2:12", "overdue_every_hours=2:-1"),
         .message = "not a whole number"},
        {.name = "huge count",
         .text = replaced("depends_on=1:1", "depends_on=7:9999999"),
         .message = "not a whole number"},
        {.name = "long length", .text = replaced("id=8:", "id=9999:"), .message = "runs past"},
        {.name = "bad date",
         .text = replaced("schedule.anchor=10:2026-03-01", "schedule.anchor=10:2026-02-30"),
         .message = "not a date"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        auto decoded = decode_workflow(c.text);
        ASSERT_FALSE(decoded.ok());
        EXPECT_THAT(decoded.error().message, HasSubstr(c.message));
    }
}

// FieldReader reads what FieldWriter wrote, any bytes included, and nothing else.
TEST(FieldRecord, RoundTripsAnyBytesAndChecksNames) {
    FieldWriter out("head\n");
    const std::string binary("a\0b\n=:c", 7);
    out.put("x", binary);
    out.put_int("n", -42);
    out.put_bool("b", true);
    const std::string text = out.take();
    FieldReader in(text, "head\n");
    auto x = in.get("x");
    ASSERT_TRUE(x.ok());
    EXPECT_EQ(*x, binary);
    auto n = in.get_int("n", -100, 100);
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(*n, -42);
    auto b = in.get_bool("b");
    ASSERT_TRUE(b.ok());
    EXPECT_TRUE(*b);
    EXPECT_TRUE(in.expect_end().ok());

    FieldReader wrong_name(text, "head\n");
    EXPECT_FALSE(wrong_name.get("y").ok());
    FieldReader wrong_header(text, "other\n");
    EXPECT_FALSE(wrong_header.get("x").ok());
    FieldReader narrow(text, "head\n");
    ASSERT_TRUE(narrow.get("x").ok());
    EXPECT_FALSE(narrow.get_int("n", 0, 100).ok());
}

} // namespace
} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#include "model/workflow_check.h"

#include "model/standards.h"
#include "util/utf8.h"

#include <optional>
#include <set>
#include <string>

namespace aarshjul {

namespace {

constexpr std::size_t kMaxIdBytes = 64;
constexpr std::size_t kMaxNameBytes = 200;

bool upper_or_digit(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool letter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool word(char c) {
    return letter(c) || (c >= '0' && c <= '9') || c == '_';
}

// Whether `text` is 1 to `max` bytes, its first byte passes `first` and every other `rest`.
template <class First, class Rest>
bool shaped(std::string_view text, std::size_t max, First first, Rest rest) {
    if (text.empty() || text.size() > max || !first(text.front()))
        return false;
    for (char c : text.substr(1))
        if (!rest(c))
            return false;
    return true;
}

bool valid_level(std::string_view level) {
    return level == "low" || level == "medium" || level == "high";
}

// RFC 5545 RRULE text: the characters the DSL lets through (rrule "...").
bool valid_rrule_text(std::string_view rrule) {
    for (char c : rrule)
        if (!(word(c) && c != '_') && c != '=' && c != ';' && c != ',' && c != ':' && c != '+' &&
            c != '-')
            return false;
    return true;
}

// 'value', with anything that is not UTF-8 replaced, for messages.
std::string shown(std::string_view value) {
    return "'" + to_valid_utf8(value) + "'";
}

const char* const kIdRule = "capitals, digits and '-' starting with a capital, at most 64 bytes";

// Collects the first problem of one definition.
class Checker {
public:
    explicit Checker(std::string prefix) : m_prefix(std::move(prefix)) {}

    void fail(std::string_view field, const std::string& what) {
        if (!m_error)
            m_error = make_error(ErrorKind::Invalid, m_prefix + what, std::string(field));
    }

    void id(std::string_view field, std::string_view value) {
        if (!valid_workflow_id(value))
            fail(field, std::string(field) + " must be " + kIdRule + " (got " + shown(value) + ")");
    }

    void text(std::string_view field, const LocalizedText& text) {
        if (text.da.empty() || text.en.empty())
            fail(field, std::string(field) + " needs both da and en");
    }

    void assignee(std::string_view field, const AssigneeRef& who, bool allow_body) {
        switch (who.kind) {
        case AssigneeRef::Kind::Role:
            if (!valid_role_name(who.id))
                fail(field, std::string(field) + ": " + shown(who.id) + " is not a role name");
            return;
        case AssigneeRef::Kind::Person:
            if (!valid_person_ref(who.id))
                fail(field, std::string(field) + ": " + shown(who.id) + " is not a person id");
            return;
        case AssigneeRef::Kind::Body:
            if (!allow_body)
                fail(field, std::string(field) + ": a committee can only receive escalations");
            else if (!valid_name(who.id))
                fail(field, std::string(field) + ": " + shown(who.id) + " is not a body id");
            return;
        }
    }

    void levels(std::string_view field, const std::vector<std::string>& values) {
        for (const auto& level : values)
            if (!valid_level(level))
                fail(field,
                     std::string(field) + ": " + shown(level) + " is not low, medium or high");
    }

    void rrule(std::string_view field, const Recurrence& recurrence) {
        if (!valid_rrule_text(recurrence.rrule))
            fail(field, std::string(field) + ": unexpected character in the RRULE " +
                            shown(recurrence.rrule));
    }

    Result<void> result(const std::string& file, int line) {
        if (!m_error)
            return {};
        m_error->file = file;
        m_error->line = line;
        return std::move(*m_error);
    }

private:
    std::string m_prefix;
    std::optional<Error> m_error;
};

void check_trigger(Checker& c, const Trigger& trigger) {
    if (!trigger.outcome.empty() && trigger.kind != Trigger::Kind::Completion)
        c.fail("schedule", "only on_completion filters on an outcome");
    switch (trigger.kind) {
    case Trigger::Kind::Calendar:
        if (!trigger.name.empty())
            c.fail("schedule", "a calendar schedule has no trigger name");
        return;
    case Trigger::Kind::Meetings:
        if (!valid_name(trigger.name))
            c.fail("schedule", "meetings: " + shown(trigger.name) + " is not a body id");
        return;
    case Trigger::Kind::Event:
        if (!valid_name(trigger.name))
            c.fail("schedule", "on_event: " + shown(trigger.name) + " is not an event type");
        return;
    case Trigger::Kind::Completion:
        c.id("on_completion", trigger.name);
        if (!trigger.outcome.empty() && !valid_outcome_id(trigger.outcome))
            c.fail("on_completion",
                   "on_completion: " + shown(trigger.outcome) + " is not an outcome id");
        return;
    }
}

void check_facts(Checker& c, const Trigger& trigger) {
    if (!trigger.facts.empty() && trigger.kind != Trigger::Kind::Event)
        c.fail("schedule", "only on_event filters on an event's facts");
    for (const auto* answers : {&trigger.facts.personal_data, &trigger.facts.significant}) {
        std::set<std::string_view> seen;
        for (const auto& answer : *answers)
            if (!valid_fact_answer(answer) || !seen.insert(answer).second)
                c.fail("on_event",
                       "on_event: " + shown(answer) + " is not yes, no or unknown, once each");
    }
}

// The Annex A controls and CIS safeguards a workflow names: each known, each once.
void check_standards(Checker& c, const WorkflowDef& w) {
    auto each = [&](std::string_view field, const std::vector<std::string>& ids, auto known,
                    const char* what) {
        std::set<std::string_view> seen;
        for (const auto& id : ids) {
            if (!known(id))
                c.fail(field, std::string(field) + ": " + shown(id) + " is not " + what);
            else if (!seen.insert(id).second)
                c.fail(field, std::string(field) + ": " + shown(id) + " is listed twice");
        }
    };
    each(
        "standards.iso27001", w.standards.iso27001,
        [](std::string_view id) { return find_annex_a(id) != nullptr; },
        "a control of ISO/IEC 27001:2022 Annex A (5.1-5.37, 6.1-6.8, 7.1-7.14, 8.1-8.34)");
    each("standards.cis", w.standards.cis, is_cis_safeguard,
         "a CIS Controls v8 safeguard (N.M, control 1-18, as in 17.1)");
}

void check_outcomes(Checker& c, const WorkflowDef& w) {
    std::set<std::string_view> seen;
    for (const auto& o : w.outcomes) {
        if (!valid_outcome_id(o.id))
            c.fail("outcomes.id", "outcomes: id must be lower-case letters, digits and '_' "
                                  "starting with a letter, at most 64 bytes (got " +
                                      shown(o.id) + ")");
        if (!seen.insert(o.id).second)
            c.fail("outcomes.id", "outcomes: " + shown(o.id) + " is declared twice");
        c.text("outcomes.label", o.label);
        if (o.action_plan) {
            if (o.action_plan->id != "PLAN")
                c.fail("outcomes.action_plan", "outcomes: an action plan's id is PLAN");
            c.text("outcomes.action_plan.title", o.action_plan->title);
            c.assignee("outcomes.action_plan.assignee", o.action_plan->assignee, false);
            if (o.action_plan->due.amount < 0 || o.action_plan->due.unit == Offset::Unit::Hours)
                c.fail("outcomes.action_plan.due",
                       "outcomes: an action plan is due days, business days or months after "
                       "the completion, not before it");
        }
    }
}

void check_lists(Checker& c, const WorkflowDef& w) {
    std::set<std::string_view> seen;
    for (const auto& dep : w.depends_on) {
        c.id("depends_on", dep);
        if (dep == w.id)
            c.fail("depends_on", "depends_on lists the workflow itself");
        if (!seen.insert(dep).second)
            c.fail("depends_on", "depends_on: " + shown(dep) + " is listed twice");
    }
    seen.clear();
    for (const auto& step : w.steps) {
        c.id("steps.id", step.id);
        if (!seen.insert(step.id).second)
            c.fail("steps.id", "steps: step id " + shown(step.id) + " is used twice");
        c.text("steps.title", step.title);
        if (!valid_name(step.body))
            c.fail("steps.body", "steps: " + shown(step.body) + " is not a body id");
        c.assignee("steps.assignee", step.assignee, false);
    }
    seen.clear();
    for (const auto& channel : w.channels) {
        if (!valid_channel_name(channel))
            c.fail("channels", "channels: " + shown(channel) + " is not a channel name");
        if (!seen.insert(channel).second)
            c.fail("channels", "channels: " + shown(channel) + " is listed twice");
    }
    int last = 0;
    for (const auto& rung : w.escalate) {
        if (rung.after_days_overdue <= last)
            c.fail("escalate", "escalate: after must increase from step to step");
        last = rung.after_days_overdue;
        c.assignee("escalate.to", rung.to, true);
    }
    if (w.horizon_check)
        c.assignee("horizon_check.assignee", w.horizon_check->assignee, false);
    seen.clear();
    for (const auto& [tier, recurrence] : w.schedule_by_tier) {
        if (!valid_level(tier) || !seen.insert(tier).second)
            c.fail("schedule_by_criticality", "schedule_by_criticality: " + shown(tier) +
                                                  " is not low, medium or high, "
                                                  "once each");
        c.rrule("schedule_by_criticality", recurrence);
    }
}

} // namespace

bool valid_workflow_id(std::string_view id) {
    auto capital = [](char c) { return c >= 'A' && c <= 'Z'; };
    return shaped(id, kMaxIdBytes, capital, [](char c) { return upper_or_digit(c) || c == '-'; });
}

bool valid_outcome_id(std::string_view id) {
    auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
    return shaped(id, kMaxIdBytes, lower,
                  [&](char c) { return lower(c) || (c >= '0' && c <= '9') || c == '_'; });
}

bool valid_role_name(std::string_view role) {
    return shaped(
        role, kMaxNameBytes, [](char c) { return letter(c) || c == '_'; }, word);
}

bool valid_person_ref(std::string_view person) {
    return shaped(person, kMaxNameBytes, word,
                  [](char c) { return word(c) || c == '.' || c == '@' || c == '-'; });
}

bool valid_name(std::string_view name) {
    return shaped(
        name, kMaxNameBytes, [](char c) { return letter(c) || c == '_'; },
        [](char c) { return word(c) || c == '-'; });
}

bool valid_channel_name(std::string_view channel) {
    return shaped(channel, kMaxNameBytes, word,
                  [](char c) { return word(c) || c == '.' || c == '-'; });
}

Result<void> check_workflow(const WorkflowDef& w) {
    if (!valid_workflow_id(w.id))
        return Error{"workflow: id must be " + std::string(kIdRule) + " (got " + shown(w.id) + ")",
                     w.file, w.line, ErrorKind::Invalid, "id"};
    Checker c("workflow " + w.id + ": ");
    c.text("title", w.title);
    if (w.source.empty())
        c.fail("source", "source must not be empty");
    c.assignee("assignee", w.assignee, false);
    c.levels("for_each.criticality", w.for_each.criticality);
    c.levels("for_each.tier", w.for_each.tiers);
    if (w.for_each.kind == ForEach::Kind::Sample &&
        (w.for_each.sample_size < 1 || w.for_each.sample_size > 1000))
        c.fail("for_each.size", "sample: size must be a whole number from 1 to 1000");
    check_trigger(c, w.trigger);
    check_facts(c, w.trigger);
    if (w.also) {
        if (w.also->kind != Trigger::Kind::Event)
            c.fail("also", "also must be an event trigger (on_event \"type\")");
        else if (w.trigger.kind != Trigger::Kind::Calendar &&
                 w.trigger.kind != Trigger::Kind::Meetings)
            c.fail("also", "also = on_event needs a calendar or meetings schedule beside it");
        check_trigger(c, *w.also);
        check_facts(c, *w.also);
    }
    c.rrule("schedule", w.schedule);
    if (!w.due_next_meeting.empty() && !valid_name(w.due_next_meeting))
        c.fail("due", "next_meeting: " + shown(w.due_next_meeting) + " is not a body id");
    check_lists(c, w);
    if (static_cast<std::size_t>(w.group) >= kWorkflowGroupNames.size())
        c.fail("group", "group is not one of the wheel's rings");
    check_outcomes(c, w);
    check_standards(c, w);
    return c.result(w.file, w.line);
}

Result<void> check_follow_up(const FollowUpSpec& f) {
    if (!valid_workflow_id(f.id))
        return make_error(
            ErrorKind::Invalid,
            "follow_up: id must be " + std::string(kIdRule) + " (got " + shown(f.id) + ")", "id");
    Checker c("follow_up " + f.id + ": ");
    c.text("title", f.title);
    c.assignee("assignee", f.assignee, false);
    if (f.due.amount < 0)
        c.fail("due", "due must not be negative");
    return c.result("", 0);
}

} // namespace aarshjul

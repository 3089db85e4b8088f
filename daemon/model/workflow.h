// SPDX-License-Identifier: MPL-2.0
#pragma once
// WorkflowDef: one control of the annual cycle, as plain data.
//
// Workflows are written in Lua (workflows/*.lua, DSL in lua/aarshjul/) and
// evaluated once, in the sandbox, into these structs. The scheduler works only
// with these; it never runs Lua on its hot path.

#include "model/event_facts.h"
#include "model/workflow_group.h"
#include "time/civil.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aarshjul {

struct LocalizedText {
    std::string da;
    std::string en;

    // The text in `language` ("da" or "en"), falling back to the other one.
    const std::string& in(std::string_view language) const {
        if (language == "en")
            return en.empty() ? da : en;
        return da.empty() ? en : da;
    }

    bool operator==(const LocalizedText&) const = default;
};

// Who does the work: everyone holding a role (resolved per system for the
// system roles), or one named person from the directory.
struct AssigneeRef {
    enum class Kind { Role, Person, Body }; // Body: escalations to a committee's channel
    Kind kind = Kind::Role;
    std::string id;

    bool operator==(const AssigneeRef&) const = default;
};

// A recurrence: an RFC 5545 RRULE expanded from a local anchor date.
struct Recurrence {
    std::string rrule;                    // "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1"
    LocalDate anchor;                     // DTSTART: the first possible occurrence
    std::optional<LocalDate> valid_until; // last possible occurrence (validity window)

    bool operator==(const Recurrence&) const = default;
};

// When reminders go out, in whole days relative to the due date.
struct ReminderLadder {
    std::vector<int> before_due_days; // e.g. {14, 3, 0}: 0 is the due day itself
    int overdue_every_days = 0;       // 0 = no repeated overdue reminders

    bool operator==(const ReminderLadder&) const = default;
};

// What a workflow iterates over: once, or once per registered system
// (optionally only systems of some criticalities).
struct ForEach {
    // Sample: each occurrence draws `sample_size` of the systems (a stikprøve),
    // reproducibly from `sample_seed` and the occurrence date.
    enum class Kind { Once, Systems, Processors, Sample };
    Kind kind = Kind::Once;
    std::vector<std::string> criticality; // Systems, Sample: empty = every system
    std::vector<std::string> tiers;       // Processors: empty = every processor
    int sample_size = 0;
    std::string sample_seed;

    bool operator==(const ForEach&) const = default;
};

// A span added to a trigger: days (optionally business days), hours, months.
// Hours are added on the UTC time line and never roll; days and months are
// calendar arithmetic on local dates (months clamp to the month's end).
struct Offset {
    enum class Unit { Days, BusinessDays, Hours, Months };
    Unit unit = Unit::Days;
    int amount = 0;

    bool is_hours() const { return unit == Unit::Hours; }

    bool operator==(const Offset&) const = default;
};

// What makes an occurrence: the calendar (schedule), each meeting of a body,
// an event being reported, or another workflow's task being completed.
struct Trigger {
    enum class Kind { Calendar, Meetings, Event, Completion };
    Kind kind = Kind::Calendar;
    std::string name; // Meetings: body id; Event: event type; Completion: workflow id
    // Completion: only completions with this outcome count ("" = every completion).
    std::string outcome;
    // Event: only events whose facts hold start an occurrence (empty = every event).
    FactCondition facts{};

    bool operator==(const Trigger&) const = default;
};

// Whether the next occurrence is fixed by the calendar, or counted from the
// last completion ("efter behov, dog mindst årligt": an ad-hoc completion
// resets the clock).
enum class Cadence { Calendar, FromCompletion };

// One rung of an escalation ladder: after N days overdue, notify `to` too.
struct EscalationStep {
    int after_days_overdue = 0;
    AssigneeRef to;

    bool operator==(const EscalationStep&) const = default;
};

// One step of an approval chain: each waits for the next meeting of its body
// after the previous step was completed.
struct ApprovalStep {
    std::string id; // "DIR", "OEU", "BR": becomes part of the task key
    LocalizedText title;
    std::string body; // the meeting body whose next meeting is the due date
    AssigneeRef assignee;

    bool operator==(const ApprovalStep&) const = default;
};

// Warn when a body's meeting calendar is booked less than `months` ahead.
struct HorizonCheck {
    int months = 6;
    AssigneeRef assignee;

    bool operator==(const HorizonCheck&) const = default;
};

// A task a Lua hook asks for (on_complete, on_overdue, on_event).
struct FollowUpSpec {
    std::string id; // unique among the follow-ups of one task: part of the key
    LocalizedText title;
    AssigneeRef assignee;
    Offset due; // from the moment the hook ran

    bool operator==(const FollowUpSpec&) const = default;
};

// What a completed control found, as the workflow declares it ("ok",
// "remarks", "deviation"). An outcome may start follow-up work: a deviation's
// action plan (S4's "handlingsplan"), a task of its own linked to the task
// that found it, due `action_plan->due` after the completion.
struct OutcomeDef {
    std::string id; // lower-case letters, digits and '_': "deviation"
    LocalizedText label;
    std::optional<FollowUpSpec> action_plan; // its id is always "PLAN"

    bool operator==(const OutcomeDef&) const = default;
};

// The controls of standards a workflow's tasks evidence, as its file names
// them (model/standards.h has the catalogues they are checked against).
struct StandardRefs {
    std::vector<std::string> iso27001{}; // ISO/IEC 27001:2022 Annex A controls: "5.24"
    std::vector<std::string> cis{};      // CIS Controls v8 safeguards: "17.1"

    bool empty() const { return iso27001.empty() && cis.empty(); }

    bool operator==(const StandardRefs&) const = default;
};

struct WorkflowDef {
    std::string id; // "RISK-SYS"; unique across the loaded set
    LocalizedText title;
    LocalizedText description;
    std::string source; // seed file and quote, or the law
    AssigneeRef assignee;
    ForEach for_each;
    Recurrence schedule;
    int due_days = 0; // due date = occurrence date + due_days
    ReminderLadder remind;

    // Semantics beyond the fixed calendar (ANNUAL-CYCLE.md §3).
    Trigger trigger; // default: the calendar `schedule`
    Offset due;      // from the occurrence; mirrors due_days for Days
    // Reminders for hour-based deadlines, in hours before the deadline; they
    // ignore quiet hours because such duties are urgent.
    std::vector<int> remind_before_due_hours;
    int overdue_every_hours = 0;
    std::string due_next_meeting;        // due at this body's next meeting after the occurrence
    bool roll_to_business_day = false;   // day-based due dates on closed days move forward
    bool roll_backward = false;          // ... or back to the business day before
    Cadence cadence = Cadence::Calendar; // FromCompletion: next = completion + `interval`
    Offset interval{Offset::Unit::Months, 12};
    std::vector<std::string> depends_on;  // workflows whose current task must be done first
    std::vector<ApprovalStep> steps;      // an approval chain instead of one task
    std::vector<EscalationStep> escalate; // see escalate_is_default
    bool escalate_is_default = true;      // true: no `escalate` given, use the configured ladder;
                                          // false with an empty ladder: never escalate
    bool remind_is_default = true;        // true: `remind` came from the configured default
    // Channels every notice of this workflow goes to, instead of each
    // recipient's own; empty = the recipient's (or the configured default).
    std::vector<std::string> channels;
    std::optional<HorizonCheck> horizon_check;
    // Per-criticality (systems) or per-tier (processors) cadences; an entity
    // whose criticality is not listed uses `schedule`.
    std::vector<std::pair<std::string, Recurrence>> schedule_by_tier;
    bool evidence_required = false; // completing (not waiving) needs an evidence link
    bool enabled = true;            // false: validated and listed, but creates no tasks
    bool has_on_complete = false;   // Lua hooks declared in the file
    bool has_on_overdue = false;
    bool has_on_event = false;
    WorkflowGroup group = WorkflowGroup::Other; // its ring on the wheel
    // Declared outcomes: completing (not waiving) one of the workflow's own
    // occurrences then needs one of them. Empty: completions carry none.
    std::vector<OutcomeDef> outcomes;
    // `also = on_event "business_change"`: beside the calendar, each reported
    // event of that type is an occurrence of its own (ISMS-REV: "én gang om
    // året" and "når de forretningsmæssige behov … ændres"). Its completion
    // resets a from_completion cadence: the planned occurrence it supersedes
    // is withdrawn and the next is counted from it.
    std::optional<Trigger> also{};

    // The trigger that events of `type` start, or null: `schedule = on_event`
    // or `also = on_event`.
    const Trigger* event_trigger(std::string_view type) const {
        if (trigger.kind == Trigger::Kind::Event && trigger.name == type)
            return &trigger;
        if (also && also->name == type)
            return &*also;
        return nullptr;
    }
    // The event type the workflow reacts to, or "" (at most one per workflow).
    const std::string& event_type() const {
        static const std::string none;
        if (trigger.kind == Trigger::Kind::Event)
            return trigger.name;
        return also ? also->name : none;
    }
    StandardRefs standards{}; // which Annex A controls (and CIS safeguards) it evidences

    // The outcome `id`, or null when the workflow declares none such.
    const OutcomeDef* find_outcome(std::string_view outcome) const {
        for (const auto& o : outcomes)
            if (o.id == outcome)
                return &o;
        return nullptr;
    }

    std::string file;         // the .lua file that defined it
    int line = 0;             // the line of its `workflow { ... }`
    std::string content_hash; // SHA-256 (hex) of the canonical definition

    bool operator==(const WorkflowDef&) const = default;
};

} // namespace aarshjul

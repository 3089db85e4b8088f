#pragma once
// WorkflowDef: one control of the annual cycle, as plain data.
//
// Workflows are written in Lua (workflows/*.lua, DSL in lua/aarshjul/) and
// evaluated once, in the sandbox, into these structs. The scheduler works only
// with these; it never runs Lua on its hot path.

#include "time/civil.h"

#include <optional>
#include <string>
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
};

// Who does the work: everyone holding a role (resolved per system for the
// system roles), or one named person from the directory.
struct AssigneeRef {
    enum class Kind { Role, Person };
    Kind kind = Kind::Role;
    std::string id;
};

// A recurrence: an RFC 5545 RRULE expanded from a local anchor date.
struct Recurrence {
    std::string rrule;                    // "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1"
    LocalDate anchor;                     // DTSTART: the first possible occurrence
    std::optional<LocalDate> valid_until; // last possible occurrence (validity window)
};

// When reminders go out, in whole days relative to the due date.
struct ReminderLadder {
    std::vector<int> before_due_days; // e.g. {14, 3, 0}: 0 is the due day itself
    int overdue_every_days = 0;       // 0 = no repeated overdue reminders
};

// What a workflow iterates over: once, or once per registered system
// (optionally only systems of some criticalities).
struct ForEach {
    enum class Kind { Once, Systems };
    Kind kind = Kind::Once;
    std::vector<std::string> criticality; // empty = every system
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

    std::string file;         // the .lua file that defined it
    int line = 0;             // the line of its `workflow { ... }`
    std::string content_hash; // SHA-256 (hex) of the canonical definition
};

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#pragma once
// EventFacts: what is known about a reported event (incident triage), and
// which facts an on_event workflow needs before its clock starts.
//
// Personal data affected and significance in the NIS 2 sense are each yes,
// no or unknown. An on_event workflow may start only when they hold
// (GDPR-33: personal data yes or unknown; NIS2-EW and NIS2-NOT: significant
// yes or unknown — unknown starts the clock, because a missed 24 hours
// cannot be undone). The systems, supplier and person the event names from
// the directory become the tasks' entities. Plain data; safe from any thread.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aarshjul {

// "yes" | "no" | "unknown"
bool valid_fact_answer(std::string_view answer);

struct EventFacts {
    std::string personal_data = "unknown"; // yes | no | unknown
    std::string significant = "unknown";   // yes | no | unknown
    std::vector<std::string> systems;      // directory system ids
    std::string supplier;                  // directory processor id, "" for none
    std::string person;                    // directory person id, "" for none

    bool operator==(const EventFacts&) const = default;
};

// A correction of an event's facts: the facts it names; the others keep
// their value.
struct EventFactsPatch {
    std::optional<std::string> personal_data{};
    std::optional<std::string> significant{};
    std::optional<std::vector<std::string>> systems{};
    std::optional<std::string> supplier{};
    std::optional<std::string> person{};

    bool empty() const {
        return !personal_data && !significant && !systems && !supplier && !person;
    }
    EventFacts applied_to(EventFacts facts) const;
};

// What an on_event trigger asks of the facts: each list the answers that
// start the clock; empty = any answer.
struct FactCondition {
    std::vector<std::string> personal_data;
    std::vector<std::string> significant;

    bool operator==(const FactCondition&) const = default;

    bool empty() const { return personal_data.empty() && significant.empty(); }
    bool holds(const EventFacts& facts) const;
    // "personal_data is yes or unknown" for the first condition `facts` fail; none when they hold.
    std::optional<std::string> why_not(const EventFacts& facts) const;
};

} // namespace aarshjul

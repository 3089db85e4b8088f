// SPDX-License-Identifier: MPL-2.0
#pragma once
// ReportedEvents: the events reported to the organisation (table `events`:
// an incident, a new system), which start the tasks of event workflows.
// Thread rules: those of the Store.

#include "model/event_facts.h"
#include "util/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aarshjul {

struct StoredEvent {
    std::int64_t id = 0;
    std::string type;
    std::string title;
    std::int64_t occurred_at = 0; // when the organisation became aware (unix seconds)
    std::string reported_by;
    std::string detail;
    std::int64_t created_at = 0;
    EventFacts facts{}; // triage: personal data, significance, systems, supplier, person
};

class ReportedEvents {
public:
    virtual ~ReportedEvents() = default;

    // Stores `event` (its id ignored) and returns its id.
    virtual Result<std::int64_t> add(const StoredEvent& event) = 0;
    virtual Result<std::optional<StoredEvent>> find(std::int64_t id) = 0;
    // Events of `type` recorded at or after `since`, in id order.
    virtual Result<std::vector<StoredEvent>> of_type_since(std::string_view type,
                                                           std::int64_t since) = 0;
    // Replaces the facts of event `id` (a triage correction); NotFound for an unknown id.
    virtual Result<void> update_facts(std::int64_t id, const EventFacts& facts) = 0;
};

} // namespace aarshjul

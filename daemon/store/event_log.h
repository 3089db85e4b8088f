// SPDX-License-Identifier: MPL-2.0
#pragma once
// EventLog: the append-only log of task events (table task_events). Each
// entry carries the hash its writer computed; the log stores and returns it
// and knows nothing of how it is made (the audit chain is audit/audit.h).
// Thread rules: those of the Store it belongs to.

#include "util/result.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace aarshjul {

struct EventLogEntry {
    std::int64_t id = 0;
    std::int64_t task_id = 0;
    std::int64_t at = 0; // unix seconds
    std::string kind;
    std::string actor;
    std::string detail;
    std::optional<std::string> hash; // none on rows from before hashes were kept
};

// The last entry: the one the next append follows.
struct EventLogHead {
    std::int64_t id = 0;
    std::optional<std::string> hash;
};

// The task an entry is about, for exports.
struct EventTask {
    std::string key;
    std::string workflow;
    std::string title;
};

class EventLog {
public:
    virtual ~EventLog() = default;

    // The last entry, if any. Inside a unit of work the head this store last
    // appended is returned without a read: nobody else can append meanwhile.
    virtual Result<std::optional<EventLogHead>> head() = 0;
    // Appends `entry` with the id and hash it carries.
    virtual Result<void> append(const EventLogEntry& entry) = 0;

    // Every entry in id order; `visit` returns false to stop.
    virtual Result<void> scan(const std::function<bool(const EventLogEntry&)>& visit) = 0;
    // The entries of [from, to] (unix seconds, inclusive) with their task, in id order.
    virtual Result<void>
    scan_between(std::int64_t from, std::int64_t to,
                 const std::function<void(const EventLogEntry&, const EventTask&)>& visit) = 0;
};

} // namespace aarshjul

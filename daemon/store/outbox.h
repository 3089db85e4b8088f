// SPDX-License-Identifier: MPL-2.0
#pragma once
// Outbox: the notices waiting for delivery (one row per notice, channel and
// recipient, unique by key). The engine enqueues in the transaction that
// decides a notice; the dispatcher claims the due rows and marks each sent,
// retried or failed. Thread rules: those of the Store it belongs to.

#include "util/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aarshjul {

struct OutboxNotice {
    std::string key; // unique; a second enqueue of the same key adds nothing
    std::optional<std::int64_t> task_id;
    std::string kind; // reminder, escalation, digest, signin, ...
    std::string channel;
    std::string recipient; // person id
    std::string subject;
    std::string body;
    std::optional<std::string> html_body;
    std::optional<std::string> facts_json = "{}";
    std::int64_t created_at = 0; // unix seconds; also the first attempt
};

// A pending row as the dispatcher sends it.
struct OutboxRow {
    std::int64_t id = 0;
    std::string key;
    std::string kind;
    std::string channel;
    std::string recipient;
    std::string subject;
    std::string body;
    std::string html_body; // empty: text only
    std::string facts_json = "{}";
    int attempts = 0; // before this one
};

class Outbox {
public:
    virtual ~Outbox() = default;

    // True when the row was added, false when its key was there already.
    virtual Result<bool> enqueue(const OutboxNotice& notice) = 0;
    // Queues `report` (its task taken from row `failed_id`): the coordinators
    // hear of a notice given up.
    virtual Result<void> enqueue_failure_report(std::int64_t failed_id,
                                                const OutboxNotice& report) = 0;

    // When the earliest pending row is due (unix seconds), if any.
    virtual Result<std::optional<std::int64_t>> next_attempt_at() = 0;
    // The pending rows due at `now`, earliest first.
    virtual Result<std::vector<OutboxRow>> due(std::int64_t now, int limit) = 0;

    // Moves the next attempt without counting one (a rate limit).
    virtual Result<void> postpone(std::int64_t id, std::int64_t at) = 0;
    // Counts an attempt before it starts, so one cut short by a crash shows.
    virtual Result<void> count_attempt(std::int64_t id) = 0;
    virtual Result<void> mark_sent(std::int64_t id, std::int64_t at) = 0;
    virtual Result<void> retry_at(std::int64_t id, std::int64_t at, const std::string& error) = 0;
    virtual Result<void> mark_failed(std::int64_t id, const std::string& error) = 0;
};

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#pragma once
// Audit trail: every task event (created, reminded, escalated, completed,
// waived, updated by a reload, ...) is one row of `task_events`, chained by
// hash so that changing, inserting or deleting a row is detectable.
//
//   hash(n) = hex SHA-256 of "aarshjul-audit-v1\n" + hash(n-1) + "\n" + id + "\n" +
//             task_id + "\n" + at + "\n" + kind + "\n" + actor + "\n" + detail
//
// with hash(0) = 64 zeros. The chain's head (the last hash) can be written into
// the committee's minutes; a later `audit verify` that reaches the same head
// proves that nothing before it changed. Rows written before the chain existed
// (schema < 5) have no hash and are reported as unchained, not as broken.

#include "clock/clock.h"
#include "store/event_log.h"
#include "util/result.h"

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

namespace aarshjul {

class Zone;

inline constexpr std::string_view kAuditGenesis =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct AuditEvent {
    std::int64_t id = 0;
    std::int64_t task_id = 0;
    std::int64_t at = 0; // unix seconds
    std::string kind;
    std::string actor;
    std::string detail;
};

std::string audit_hash(std::string_view previous, const AuditEvent& event);

// Appends one event to the chain (inside the caller's unit of work) and returns its id.
Result<std::int64_t> append_audit_event(EventLog& log, const AuditEvent& event);

struct AuditVerification {
    std::int64_t events = 0;    // rows checked
    std::int64_t unchained = 0; // rows from before the chain existed
    std::string head;           // the last hash (genesis when empty)
    // The first row whose stored hash is not what the chain says, if any.
    std::optional<std::int64_t> broken_at;
    std::string expected, found;
};

Result<AuditVerification> verify_audit_chain(EventLog& log);

// Writes the events of [from, to] (unix seconds, inclusive) as JSON lines with
// the task's key and workflow, the local time and each row's hash.
Result<std::int64_t> export_audit(EventLog& log, const Zone& zone, std::int64_t from,
                                  std::int64_t to, std::ostream& out);

} // namespace aarshjul

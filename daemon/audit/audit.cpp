// SPDX-License-Identifier: MPL-2.0
#include "audit/audit.h"

#include "time/zone.h"
#include "util/sha256.h"

#include <boost/json.hpp>

namespace aarshjul {

std::string audit_hash(std::string_view previous, const AuditEvent& e) {
    const std::string content = "aarshjul-audit-v1\n" + std::string(previous) + "\n" +
                                std::to_string(e.id) + "\n" + std::to_string(e.task_id) + "\n" +
                                std::to_string(e.at) + "\n" + e.kind + "\n" + e.actor + "\n" +
                                e.detail;
    return sha256_hex(content);
}

Result<std::int64_t> append_audit_event(EventLog& log, const AuditEvent& event) {
    AARSHJUL_TRY_ASSIGN(auto head, log.head());
    std::string previous(kAuditGenesis);
    std::int64_t id = 1;
    if (head) {
        id = head->id + 1;
        if (head->hash)
            previous = *head->hash;
    }
    AuditEvent row = event;
    row.id = id;
    AARSHJUL_TRY(log.append(
        {row.id, row.task_id, row.at, row.kind, row.actor, row.detail, audit_hash(previous, row)}));
    return id;
}

Result<AuditVerification> verify_audit_chain(EventLog& log) {
    AuditVerification v;
    std::string previous(kAuditGenesis);
    bool chained = false;
    bool broken = false;
    AARSHJUL_TRY(log.scan([&](const EventLogEntry& entry) {
        ++v.events;
        const AuditEvent e{entry.id,   entry.task_id, entry.at,
                           entry.kind, entry.actor,   entry.detail};
        if (!entry.hash) {
            // Before the chain existed; once it has started, a missing hash is a break.
            if (!chained) {
                ++v.unchained;
                return true;
            }
            v.broken_at = e.id;
            v.expected = audit_hash(previous, e);
            v.found = "(none)";
            broken = true;
            return false;
        }
        chained = true;
        const std::string expected = audit_hash(previous, e);
        if (*entry.hash != expected) {
            v.broken_at = e.id;
            v.expected = expected;
            v.found = *entry.hash;
            broken = true;
            return false;
        }
        previous = *entry.hash;
        return true;
    }));
    if (!broken)
        v.head = previous;
    return v;
}

Result<std::int64_t> export_audit(EventLog& log, const Zone& zone, std::int64_t from,
                                  std::int64_t to, std::ostream& out) {
    std::int64_t n = 0;
    AARSHJUL_TRY(log.scan_between(from, to, [&](const EventLogEntry& e, const EventTask& task) {
        boost::json::object line{
            {"id", e.id},
            {"task_id", e.task_id},
            {"task_key", task.key},
            {"workflow", task.workflow},
            {"title", task.title},
            {"at", zone.format_iso(from_unix(e.at))},
            {"kind", e.kind},
            {"actor", e.actor},
            {"detail", e.detail},
            {"hash", e.hash ? boost::json::value(*e.hash) : boost::json::value(nullptr)},
        };
        out << boost::json::serialize(line) << "\n";
        ++n;
    }));
    return n;
}

} // namespace aarshjul

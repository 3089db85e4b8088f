#include "audit/audit.h"

#include "store/statement.h"
#include "time/zone.h"
#include "util/sha256.h"

#include <boost/json.hpp>
#include <sqlite3.h>

namespace aarshjul {

std::string audit_hash(std::string_view previous, const AuditEvent& e) {
    const std::string content = "aarshjul-audit-v1\n" + std::string(previous) + "\n" +
                                std::to_string(e.id) + "\n" + std::to_string(e.task_id) + "\n" +
                                std::to_string(e.at) + "\n" + e.kind + "\n" + e.actor + "\n" +
                                e.detail;
    return sha256_hex(content);
}

Result<std::int64_t> append_audit_event(Database& db, const AuditEvent& event) {
    // Inside a write transaction the head this connection wrote last is still
    // the head (measured: re-reading it per event was 5 % of planning a year).
    const bool in_transaction = sqlite3_get_autocommit(db.handle()) == 0;
    auto& cached = db.chain_head();
    std::string previous(kAuditGenesis);
    std::int64_t id = 1;
    if (in_transaction && cached) {
        id = cached->id + 1;
        previous = cached->hash;
    } else {
        AARSHJUL_TRY_ASSIGN(auto last,
                            db.cached("SELECT id, hash FROM task_events ORDER BY id DESC LIMIT 1"));
        AARSHJUL_TRY_ASSIGN(bool has_last, last->step());
        if (has_last) {
            id = last->column_int64(0) + 1;
            if (!last->column_is_null(1))
                previous = last->column_text(1);
        }
    }
    AuditEvent row = event;
    row.id = id;
    std::string hash = audit_hash(previous, row);
    AARSHJUL_TRY_ASSIGN(auto insert,
                        db.cached("INSERT INTO task_events(id, task_id, at, kind, actor, detail, "
                                  "hash) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    insert->bind_all(row.id, row.task_id, row.at, row.kind, row.actor, row.detail, hash);
    if (auto inserted = insert->run(); !inserted.ok()) {
        cached.reset();
        return inserted.error();
    }
    if (in_transaction)
        cached = Database::ChainHead{id, std::move(hash)};
    return id;
}

Result<AuditVerification> verify_audit_chain(Database& db) {
    AARSHJUL_TRY_ASSIGN(auto st, db.prepare("SELECT id, task_id, at, kind, actor, detail, hash "
                                            "FROM task_events ORDER BY id"));
    AuditVerification v;
    std::string previous(kAuditGenesis);
    bool chained = false;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            break;
        ++v.events;
        AuditEvent e{st.column_int64(0), st.column_int64(1), st.column_int64(2),
                     st.column_text(3),  st.column_text(4),  st.column_text(5)};
        if (st.column_is_null(6)) {
            // Before the chain existed; once it has started, a missing hash is a break.
            if (!chained) {
                ++v.unchained;
                continue;
            }
            v.broken_at = e.id;
            v.expected = audit_hash(previous, e);
            v.found = "(none)";
            return v;
        }
        chained = true;
        const std::string expected = audit_hash(previous, e);
        const std::string found = st.column_text(6);
        if (found != expected) {
            v.broken_at = e.id;
            v.expected = expected;
            v.found = found;
            return v;
        }
        previous = found;
    }
    v.head = previous;
    return v;
}

Result<std::int64_t> export_audit(Database& db, const Zone& zone, std::int64_t from,
                                  std::int64_t to, std::ostream& out) {
    AARSHJUL_TRY_ASSIGN(
        auto st, db.prepare("SELECT e.id, e.task_id, e.at, e.kind, e.actor, e.detail, e.hash, "
                            "t.occurrence_key, t.workflow_id, t.title FROM task_events e JOIN "
                            "tasks t ON t.id = e.task_id WHERE e.at BETWEEN ?1 AND ?2 ORDER BY "
                            "e.id"));
    st.bind_all(from, to);
    std::int64_t n = 0;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            break;
        boost::json::object line{
            {"id", st.column_int64(0)},
            {"task_id", st.column_int64(1)},
            {"task_key", st.column_text(7)},
            {"workflow", st.column_text(8)},
            {"title", st.column_text(9)},
            {"at", zone.format_iso(from_unix(st.column_int64(2)))},
            {"kind", st.column_text(3)},
            {"actor", st.column_text(4)},
            {"detail", st.column_text(5)},
            {"hash", st.column_is_null(6) ? boost::json::value(nullptr)
                                          : boost::json::value(st.column_text(6))},
        };
        out << boost::json::serialize(line) << "\n";
        ++n;
    }
    return n;
}

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#include "store/sqlite/event_log.h"

#include "store/sqlite/database.h"

namespace aarshjul {

Result<std::optional<EventLogHead>> SqliteEventLog::head() {
    // While a write transaction is open no other connection can append.
    if (m_head && m_db.in_transaction() && m_head_serial == m_db.transaction_serial())
        return m_head;
    AARSHJUL_TRY_ASSIGN(auto last,
                        m_db.cached("SELECT id, hash FROM task_events ORDER BY id DESC LIMIT 1"));
    AARSHJUL_TRY_ASSIGN(bool has_last, last->step());
    if (!has_last)
        return std::optional<EventLogHead>{};
    return std::optional<EventLogHead>{
        EventLogHead{last->column_int64(0), last->column_optional_text(1)}};
}

Result<void> SqliteEventLog::append(const EventLogEntry& e) {
    AARSHJUL_TRY_ASSIGN(auto insert,
                        m_db.cached("INSERT INTO task_events(id, task_id, at, kind, actor, detail, "
                                    "hash) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    insert->bind_all(e.id, e.task_id, e.at, e.kind, e.actor, e.detail);
    insert->bind(7, e.hash);
    if (auto inserted = insert->run(); !inserted.ok()) {
        m_head.reset();
        return inserted.error();
    }
    if (m_db.in_transaction()) {
        m_head = EventLogHead{e.id, e.hash};
        m_head_serial = m_db.transaction_serial();
    } else {
        m_head.reset();
    }
    return {};
}

Result<void> SqliteEventLog::scan(const std::function<bool(const EventLogEntry&)>& visit) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("SELECT id, task_id, at, kind, actor, detail, hash "
                                              "FROM task_events ORDER BY id"));
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            break;
        const EventLogEntry e{st.column_int64(0),        st.column_int64(1), st.column_int64(2),
                              st.column_text(3),         st.column_text(4),  st.column_text(5),
                              st.column_optional_text(6)};
        if (!visit(e))
            break;
    }
    return {};
}

Result<void> SqliteEventLog::scan_between(
    std::int64_t from, std::int64_t to,
    const std::function<void(const EventLogEntry&, const EventTask&)>& visit) {
    AARSHJUL_TRY_ASSIGN(
        auto st, m_db.prepare("SELECT e.id, e.task_id, e.at, e.kind, e.actor, e.detail, e.hash, "
                              "t.occurrence_key, t.workflow_id, t.title FROM task_events e JOIN "
                              "tasks t ON t.id = e.task_id WHERE e.at BETWEEN ?1 AND ?2 ORDER BY "
                              "e.id"));
    st.bind_all(from, to);
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            break;
        const EventLogEntry e{st.column_int64(0),        st.column_int64(1), st.column_int64(2),
                              st.column_text(3),         st.column_text(4),  st.column_text(5),
                              st.column_optional_text(6)};
        visit(e, EventTask{st.column_text(7), st.column_text(8), st.column_text(9)});
    }
    return {};
}

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#include "store/sqlite/reported_events.h"

#include "store/sqlite/database.h"

namespace aarshjul {

namespace {

StoredEvent read_event(const Statement& st) {
    return StoredEvent{st.column_int64(0), st.column_text(1), st.column_text(2), st.column_int64(3),
                       st.column_text(4),  st.column_text(5), st.column_int64(6)};
}

} // namespace

Result<std::int64_t> SqliteReportedEvents::add(const StoredEvent& e) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("INSERT INTO events(type, title, occurred_at, "
                                              "reported_by, detail, created_at) VALUES(?1, "
                                              "?2, ?3, ?4, ?5, ?6)"));
    st.bind_all(e.type, e.title, e.occurred_at, e.reported_by, e.detail, e.created_at);
    AARSHJUL_TRY(st.run());
    return m_db.last_insert_rowid();
}

Result<std::optional<StoredEvent>> SqliteReportedEvents::find(std::int64_t id) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("SELECT id, type, title, occurred_at, reported_by, "
                                              "detail, created_at FROM events WHERE id = ?1"));
    st.bind(1, id);
    AARSHJUL_TRY_ASSIGN(bool row, st.step());
    if (!row)
        return std::optional<StoredEvent>{};
    return std::optional<StoredEvent>{read_event(st)};
}

Result<std::vector<StoredEvent>> SqliteReportedEvents::of_type_since(std::string_view type,
                                                                     std::int64_t since) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("SELECT id, type, title, occurred_at, reported_by, "
                                              "detail, created_at FROM events WHERE type = ?1 "
                                              "AND created_at >= ?2 ORDER BY id"));
    st.bind_all(type, since);
    std::vector<StoredEvent> out;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            break;
        out.push_back(read_event(st));
    }
    return out;
}

} // namespace aarshjul

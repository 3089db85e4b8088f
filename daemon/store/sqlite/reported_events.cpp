// SPDX-License-Identifier: MPL-2.0
#include "store/sqlite/reported_events.h"

#include "store/sqlite/database.h"

namespace aarshjul {

namespace {

constexpr const char* kColumns = "id, type, title, occurred_at, reported_by, detail, created_at, "
                                 "personal_data, significant, systems, supplier, person";

// Systems are kept as "a,b,c": directory ids hold no comma.
std::string join(const std::vector<std::string>& ids) {
    std::string out;
    for (const auto& id : ids)
        out += (out.empty() ? "" : ",") + id;
    return out;
}

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto comma = text.find(',', start);
        out.push_back(text.substr(start, comma - start));
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return out;
}

StoredEvent read_event(const Statement& st) {
    StoredEvent e{st.column_int64(0), st.column_text(1), st.column_text(2), st.column_int64(3),
                  st.column_text(4),  st.column_text(5), st.column_int64(6)};
    e.facts.personal_data = st.column_text(7);
    e.facts.significant = st.column_text(8);
    e.facts.systems = split(st.column_text(9));
    e.facts.supplier = st.column_text(10);
    e.facts.person = st.column_text(11);
    return e;
}

} // namespace

Result<std::int64_t> SqliteReportedEvents::add(const StoredEvent& e) {
    AARSHJUL_TRY_ASSIGN(auto st,
                        m_db.prepare("INSERT INTO events(type, title, occurred_at, reported_by, "
                                     "detail, created_at, personal_data, significant, systems, "
                                     "supplier, person) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                                     "?9, ?10, ?11)"));
    st.bind_all(e.type, e.title, e.occurred_at, e.reported_by, e.detail, e.created_at,
                e.facts.personal_data, e.facts.significant, join(e.facts.systems),
                e.facts.supplier, e.facts.person);
    AARSHJUL_TRY(st.run());
    return m_db.last_insert_rowid();
}

Result<std::optional<StoredEvent>> SqliteReportedEvents::find(std::int64_t id) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare(std::string("SELECT ") + kColumns +
                                              " FROM events WHERE id = ?1"));
    st.bind(1, id);
    AARSHJUL_TRY_ASSIGN(bool row, st.step());
    if (!row)
        return std::optional<StoredEvent>{};
    return std::optional<StoredEvent>{read_event(st)};
}

Result<std::vector<StoredEvent>> SqliteReportedEvents::of_type_since(std::string_view type,
                                                                     std::int64_t since) {
    AARSHJUL_TRY_ASSIGN(auto st,
                        m_db.prepare(std::string("SELECT ") + kColumns +
                                     " FROM events WHERE type = ?1 AND created_at >= ?2 ORDER BY id"));
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

Result<void> SqliteReportedEvents::update_facts(std::int64_t id, const EventFacts& facts) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("UPDATE events SET personal_data = ?2, significant "
                                              "= ?3, systems = ?4, supplier = ?5, person = ?6 "
                                              "WHERE id = ?1"));
    st.bind_all(id, facts.personal_data, facts.significant, join(facts.systems), facts.supplier,
                facts.person);
    AARSHJUL_TRY(st.run());
    if (m_db.changes() == 0)
        return make_error(ErrorKind::NotFound, "no event " + std::to_string(id));
    return {};
}

} // namespace aarshjul

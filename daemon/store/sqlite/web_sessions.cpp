// SPDX-License-Identifier: MPL-2.0
#include "store/sqlite/web_sessions.h"

#include "store/sqlite/database.h"
#include "store/sqlite/statement.h"

#include <sqlite3.h>

namespace aarshjul {

Result<std::int64_t> SqliteWebSessions::insert_session(const std::string& cookie_sha256,
                                                       const SessionRow& session,
                                                       const std::string& remote) {
    AARSHJUL_TRY_ASSIGN(auto st,
                        m_db.prepare("INSERT INTO web_sessions(cookie_sha256, person, role, csrf, "
                                     "via, remote, created_at, last_seen_at) "
                                     "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)"));
    st.bind_all(cookie_sha256, session.person, session.role, session.csrf, session.via, remote,
                session.created_at);
    AARSHJUL_TRY(st.run());
    return static_cast<std::int64_t>(sqlite3_last_insert_rowid(m_db.handle()));
}

Result<std::optional<SessionRow>>
SqliteWebSessions::find_session(const std::string& cookie_sha256) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.cached("SELECT id, person, role, csrf, via, created_at, "
                                             "last_seen_at, ended_at FROM web_sessions WHERE "
                                             "cookie_sha256 = ?1"));
    st->bind_all(cookie_sha256);
    AARSHJUL_TRY_ASSIGN(bool row, st->step());
    if (!row)
        return std::optional<SessionRow>{};
    SessionRow s;
    s.id = st->column_int64(0);
    s.person = st->column_text(1);
    s.role = st->column_text(2);
    s.csrf = st->column_text(3);
    s.via = st->column_text(4);
    s.created_at = st->column_int64(5);
    s.last_seen_at = st->column_int64(6);
    if (!st->column_is_null(7))
        s.ended_at = st->column_int64(7);
    return std::optional<SessionRow>{std::move(s)};
}

Result<void> SqliteWebSessions::touch_session(std::int64_t id, std::int64_t now) {
    AARSHJUL_TRY_ASSIGN(auto st,
                        m_db.cached("UPDATE web_sessions SET last_seen_at = ?2 WHERE id = ?1"));
    st->bind_all(id, now);
    return st->run();
}

Result<void> SqliteWebSessions::end_session(std::int64_t id, std::int64_t now,
                                            const std::string& by) {
    AARSHJUL_TRY_ASSIGN(auto st,
                        m_db.prepare("UPDATE web_sessions SET ended_at = ?2, ended_by = ?3 "
                                     "WHERE id = ?1 AND ended_at IS NULL"));
    st.bind_all(id, now, by);
    return st.run();
}

Result<void> SqliteWebSessions::insert_signin_link(const std::string& token_sha256,
                                                   const std::string& person,
                                                   const std::string& purpose, std::int64_t now,
                                                   std::int64_t expires_at) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("INSERT INTO signin_links(token_sha256, person, "
                                              "purpose, created_at, expires_at) "
                                              "VALUES(?1, ?2, ?3, ?4, ?5)"));
    st.bind_all(token_sha256, person, purpose, now, expires_at);
    return st.run();
}

Result<std::optional<SigninLink>>
SqliteWebSessions::find_usable_signin_link(const std::string& token_sha256, std::int64_t now) {
    AARSHJUL_TRY_ASSIGN(auto st,
                        m_db.prepare("SELECT person, purpose, expires_at FROM signin_links "
                                     "WHERE token_sha256 = ?1 AND used_at IS NULL AND "
                                     "expires_at >= ?2"));
    st.bind_all(token_sha256, now);
    AARSHJUL_TRY_ASSIGN(bool row, st.step());
    if (!row)
        return std::optional<SigninLink>{};
    return std::optional<SigninLink>{
        SigninLink{st.column_text(0), st.column_text(1), st.column_int64(2)}};
}

Result<std::optional<SigninLink>>
SqliteWebSessions::consume_signin_link(const std::string& token_sha256, std::int64_t now) {
    AARSHJUL_TRY_ASSIGN(auto st,
                        m_db.prepare("UPDATE signin_links SET used_at = ?2 WHERE token_sha256 = ?1 "
                                     "AND used_at IS NULL AND expires_at >= ?2 "
                                     "RETURNING person, purpose, expires_at"));
    st.bind_all(token_sha256, now);
    AARSHJUL_TRY_ASSIGN(bool row, st.step());
    if (!row)
        return std::optional<SigninLink>{};
    SigninLink link{st.column_text(0), st.column_text(1), st.column_int64(2)};
    // Finish the statement so the update is complete before the caller goes on.
    AARSHJUL_TRY_ASSIGN(bool more, st.step());
    (void)more;
    return std::optional<SigninLink>{std::move(link)};
}

Result<void> SqliteWebSessions::prune(std::int64_t now) {
    constexpr std::int64_t kDay = 24 * 3600;
    AARSHJUL_TRY_ASSIGN(auto links, m_db.prepare("DELETE FROM signin_links WHERE expires_at < ?1"));
    links.bind_all(now - kDay);
    AARSHJUL_TRY(links.run());
    AARSHJUL_TRY_ASSIGN(auto sessions,
                        m_db.prepare("DELETE FROM web_sessions WHERE last_seen_at < ?1"));
    sessions.bind_all(now - 90 * kDay);
    return sessions.run();
}

} // namespace aarshjul

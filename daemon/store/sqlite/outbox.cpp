// SPDX-License-Identifier: MPL-2.0
#include "store/sqlite/outbox.h"

#include "store/sqlite/database.h"

namespace aarshjul {

Result<bool> SqliteOutbox::enqueue(const OutboxNotice& n) {
    AARSHJUL_TRY_ASSIGN(auto st,
                        m_db.cached("INSERT INTO outbox(notice_key, task_id, kind, channel, "
                                    "recipient, subject, body, html_body, created_at, "
                                    "next_attempt_at, facts) "
                                    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10) "
                                    "ON CONFLICT(notice_key) DO NOTHING"));
    st->bind(1, n.key).bind(2, n.task_id).bind(3, n.kind).bind(4, n.channel);
    st->bind(5, n.recipient).bind(6, n.subject).bind(7, n.body).bind(8, n.html_body);
    st->bind(9, n.created_at).bind(10, n.facts_json);
    AARSHJUL_TRY(st->run());
    return m_db.changes() > 0;
}

Result<void> SqliteOutbox::enqueue_failure_report(std::int64_t failed_id, const OutboxNotice& n) {
    AARSHJUL_TRY_ASSIGN(auto st,
                        m_db.cached("INSERT INTO outbox(notice_key, task_id, kind, channel, "
                                    "recipient, subject, body, created_at, next_attempt_at) "
                                    "SELECT ?1, task_id, 'failure', ?2, ?3, ?4, ?5, ?6, ?6 FROM "
                                    "outbox WHERE id = ?7 ON CONFLICT(notice_key) DO NOTHING"));
    st->bind_all(n.key, n.channel, n.recipient, n.subject, n.body, n.created_at, failed_id);
    return st->run();
}

Result<std::optional<std::int64_t>> SqliteOutbox::next_attempt_at() {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.cached("SELECT MIN(next_attempt_at) FROM outbox WHERE "
                                             "state = 'pending'"));
    AARSHJUL_TRY_ASSIGN(bool row, st->step());
    if (!row || st->column_is_null(0))
        return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>{st->column_int64(0)};
}

Result<std::vector<OutboxRow>> SqliteOutbox::due(std::int64_t now, int limit) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.cached("SELECT id, notice_key, kind, channel, recipient, "
                                             "subject, body, attempts, COALESCE(facts, '{}'), "
                                             "COALESCE(html_body, '') FROM "
                                             "outbox WHERE state = "
                                             "'pending' AND next_attempt_at <= ?1 ORDER BY "
                                             "next_attempt_at, id LIMIT ?2"));
    st->bind_all(now, limit);
    std::vector<OutboxRow> rows;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st->step());
        if (!row)
            break;
        OutboxRow r;
        r.id = st->column_int64(0);
        r.key = st->column_text(1);
        r.kind = st->column_text(2);
        r.channel = st->column_text(3);
        r.recipient = st->column_text(4);
        r.subject = st->column_text(5);
        r.body = st->column_text(6);
        r.attempts = static_cast<int>(st->column_int64(7));
        r.facts_json = st->column_text(8);
        r.html_body = st->column_text(9);
        rows.push_back(std::move(r));
    }
    return rows;
}

Result<void> SqliteOutbox::postpone(std::int64_t id, std::int64_t at) {
    AARSHJUL_TRY_ASSIGN(auto st,
                        m_db.cached("UPDATE outbox SET next_attempt_at = ?2 WHERE id = ?1"));
    st->bind_all(id, at);
    return st->run();
}

Result<void> SqliteOutbox::count_attempt(std::int64_t id) {
    AARSHJUL_TRY_ASSIGN(auto st,
                        m_db.cached("UPDATE outbox SET attempts = attempts + 1 WHERE id = ?1"));
    st->bind_all(id);
    return st->run();
}

Result<void> SqliteOutbox::mark_sent(std::int64_t id, std::int64_t at) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.cached("UPDATE outbox SET state = 'sent', sent_at = ?2, "
                                             "last_error = NULL WHERE id = ?1"));
    st->bind_all(id, at);
    return st->run();
}

Result<void> SqliteOutbox::retry_at(std::int64_t id, std::int64_t at, const std::string& error) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.cached("UPDATE outbox SET next_attempt_at = ?2, "
                                             "last_error = ?3 WHERE id = ?1"));
    st->bind_all(id, at, error);
    return st->run();
}

Result<void> SqliteOutbox::mark_failed(std::int64_t id, const std::string& error) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.cached("UPDATE outbox SET state = 'failed', "
                                             "last_error = ?2 WHERE id = ?1"));
    st->bind_all(id, error);
    return st->run();
}

} // namespace aarshjul

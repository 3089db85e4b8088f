#include "notify/dispatcher.h"

#include "store/transaction.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

namespace aarshjul {

Dispatcher::Dispatcher(Database& db, const Clock& clock, DispatchSettings settings)
    : m_db(db), m_clock(clock), m_settings(settings) {}

void Dispatcher::add(std::unique_ptr<Notifier> notifier) {
    std::string name(notifier->name());
    m_notifiers[name] = std::move(notifier);
}

Result<std::optional<Instant>> Dispatcher::next_attempt() {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("SELECT MIN(next_attempt_at) FROM outbox WHERE "
                                              "state = 'pending'"));
    AARSHJUL_TRY_ASSIGN(bool row, st.step());
    if (!row || st.column_is_null(0))
        return std::optional<Instant>{};
    return std::optional<Instant>{from_unix(st.column_int64(0))};
}

Result<DispatchStats> Dispatcher::dispatch() {
    DispatchStats stats;
    const Instant now = m_clock.now();
    std::vector<Notice> batch;
    std::vector<int> attempts;
    {
        AARSHJUL_TRY_ASSIGN(auto st,
                            m_db.prepare("SELECT id, notice_key, kind, channel, recipient, "
                                         "subject, body, attempts FROM outbox WHERE state = "
                                         "'pending' AND next_attempt_at <= ?1 ORDER BY "
                                         "next_attempt_at, id LIMIT ?2"));
        st.bind_all(to_unix(now), m_settings.batch);
        for (;;) {
            AARSHJUL_TRY_ASSIGN(bool row, st.step());
            if (!row)
                break;
            Notice n;
            n.outbox_id = st.column_int64(0);
            n.key = st.column_text(1);
            n.kind = st.column_text(2);
            n.channel = st.column_text(3);
            n.recipient = st.column_text(4);
            n.subject = st.column_text(5);
            n.body = st.column_text(6);
            if (m_directory)
                if (const Person* p = m_directory->find_person(n.recipient)) {
                    n.name = p->name;
                    n.address = p->email;
                }
            batch.push_back(std::move(n));
            attempts.push_back(static_cast<int>(st.column_int64(7)));
        }
    }

    // Full-jitter exponential back-off (AWS architecture blog): sleep a random
    // time in [0, min(cap, base * 2^attempt)].
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    for (size_t i = 0; i < batch.size(); ++i) {
        const Notice& n = batch[i];
        SendResult result;
        auto it = m_notifiers.find(n.channel);
        if (it == m_notifiers.end())
            result = {SendOutcome::PermanentFailure, "no notifier for channel '" + n.channel + "'"};
        else
            result = it->second->send(n);

        const int attempt = attempts[i] + 1;
        AARSHJUL_TRY_ASSIGN(auto tx, Transaction::begin(m_db));
        if (result.outcome == SendOutcome::Sent) {
            AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("UPDATE outbox SET state = 'sent', attempts "
                                                      "= ?2, sent_at = ?3, last_error = NULL "
                                                      "WHERE id = ?1"));
            st.bind_all(n.outbox_id, attempt, to_unix(m_clock.now()));
            AARSHJUL_TRY(st.run());
            ++stats.sent;
        } else if (result.outcome == SendOutcome::TemporaryFailure &&
                   attempt < m_settings.max_attempts) {
            auto cap = std::min<std::int64_t>(m_settings.max_backoff.count(),
                                              m_settings.base_backoff.count()
                                                  << std::min(attempt - 1, 20));
            std::uniform_int_distribution<std::int64_t> jitter(0, std::max<std::int64_t>(1, cap));
            AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("UPDATE outbox SET attempts = ?2, "
                                                      "next_attempt_at = ?3, last_error = ?4 "
                                                      "WHERE id = ?1"));
            st.bind_all(n.outbox_id, attempt, to_unix(now) + jitter(rng), result.error);
            AARSHJUL_TRY(st.run());
            spdlog::warn("notice {} via {}: {} (attempt {}, will retry)", n.key, n.channel,
                         result.error, attempt);
            ++stats.retried;
        } else {
            AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("UPDATE outbox SET state = 'failed', "
                                                      "attempts = ?2, last_error = ?3 WHERE id "
                                                      "= ?1"));
            st.bind_all(n.outbox_id, attempt, result.error);
            AARSHJUL_TRY(st.run());
            spdlog::error("notice {} via {} failed for good: {}", n.key, n.channel, result.error);
            ++stats.failed;
        }
        AARSHJUL_TRY(tx.commit());
    }
    return stats;
}

} // namespace aarshjul

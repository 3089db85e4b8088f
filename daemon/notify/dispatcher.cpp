#include "notify/dispatcher.h"

#include "store/transaction.h"

#include <algorithm>
#include <random>
#include <spdlog/spdlog.h>

namespace aarshjul {

Dispatcher::Dispatcher(Database& db, const Clock& clock, DispatchSettings settings)
    : m_db(db), m_clock(clock), m_settings(settings) {}

void Dispatcher::add(std::unique_ptr<Notifier> notifier) {
    std::string name(notifier->name());
    m_notifiers[name] = std::move(notifier);
}

bool Dispatcher::rate_limited(const std::string& channel, Instant now) {
    auto limit = m_settings.rate_per_minute.find(channel);
    if (limit == m_settings.rate_per_minute.end() || limit->second <= 0)
        return false;
    auto& recent = m_recent[channel];
    while (!recent.empty() && recent.front() <= now - std::chrono::minutes{1})
        recent.pop_front();
    if (static_cast<int>(recent.size()) >= limit->second)
        return true;
    recent.push_back(now);
    return false;
}

Result<void> Dispatcher::report_failure(const Notice& failed, const std::string& error) {
    // A failure notice that itself fails is not reported again (no loops).
    if (failed.kind == "failure" || !m_directory)
        return {};
    AARSHJUL_TRY_ASSIGN(auto st,
                        m_db.prepare("INSERT INTO outbox(notice_key, task_id, kind, channel, "
                                     "recipient, subject, body, created_at, next_attempt_at) "
                                     "SELECT ?1, task_id, 'failure', ?2, ?3, ?4, ?5, ?6, ?6 FROM "
                                     "outbox WHERE id = ?7 ON CONFLICT(notice_key) DO NOTHING"));
    const auto now = to_unix(m_clock.now());
    for (const Person* coordinator : m_directory->people_with_role("coordinator")) {
        const std::string channel = m_settings.failure_channel;
        st.reset();
        st.bind_all("failure|" + failed.key + "#" + channel + "#" + coordinator->id, channel,
                    coordinator->id, "Levering fejlede: " + failed.subject,
                    "En besked kunne ikke leveres og er opgivet.\n\nKanal: " + failed.channel +
                        "\nModtager: " + failed.recipient + " <" + failed.address +
                        ">\nNøgle: " + failed.key + "\nFejl: " + error +
                        "\n\nA notice could not be delivered and was given up.\n",
                    now, failed.outbox_id);
        AARSHJUL_TRY(st.run());
    }
    return {};
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
                                         "subject, body, attempts, COALESCE(facts, '{}'), "
                                         "COALESCE(html_body, '') FROM "
                                         "outbox WHERE state = "
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
            n.facts = st.column_text(8);
            n.html_body = st.column_text(9);
            if (m_directory) {
                if (const Person* p = m_directory->find_person(n.recipient)) {
                    n.name = p->name;
                    n.address = p->email;
                } else if (const Body* body = body_recipient(*m_directory, n.recipient)) {
                    n.name = body->name; // a committee's channel: the address is the channel's
                }
            }
            batch.push_back(std::move(n));
            attempts.push_back(static_cast<int>(st.column_int64(7)));
        }
    }

    // Full-jitter exponential back-off (AWS architecture blog): sleep a random
    // time in [0, min(cap, base * 2^attempt)].
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    for (size_t i = 0; i < batch.size() && !m_stop_requested.load(); ++i) {
        const Notice& n = batch[i];
        if (rate_limited(n.channel, now)) {
            // Over the channel's rate: try again shortly, without counting an attempt.
            const auto limit = m_settings.rate_per_minute[n.channel];
            AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("UPDATE outbox SET next_attempt_at = ?2 "
                                                      "WHERE id = ?1"));
            st.bind_all(n.outbox_id, to_unix(now) + std::max<std::int64_t>(1, 60 / limit));
            AARSHJUL_TRY(st.run());
            continue;
        }
        // The attempt is counted, and committed, before it starts: a crash in
        // the middle of a send still shows in `attempts`. A row whose attempt
        // was cut short is still sent again (at-least-once), and its attempts
        // count towards max_attempts and the back-off.
        {
            AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("UPDATE outbox SET attempts = attempts + 1 "
                                                      "WHERE id = ?1"));
            st.bind_all(n.outbox_id);
            AARSHJUL_TRY(st.run());
        }
        const int attempt = attempts[i] + 1;
        SendResult result;
        auto it = m_notifiers.find(n.channel);
        if (it == m_notifiers.end())
            result = {SendOutcome::PermanentFailure, "no notifier for channel '" + n.channel + "'"};
        else
            result = it->second->send(n);

        // `attempt` is already in the row; the outcome only sets the state.
        AARSHJUL_TRY_ASSIGN(auto tx, Transaction::begin(m_db));
        if (result.outcome == SendOutcome::Sent) {
            AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("UPDATE outbox SET state = 'sent', "
                                                      "sent_at = ?2, last_error = NULL "
                                                      "WHERE id = ?1"));
            st.bind_all(n.outbox_id, to_unix(m_clock.now()));
            AARSHJUL_TRY(st.run());
            ++stats.sent;
        } else if (result.outcome == SendOutcome::TemporaryFailure &&
                   attempt < m_settings.max_attempts) {
            auto cap = std::min<std::int64_t>(m_settings.max_backoff.count(),
                                              m_settings.base_backoff.count()
                                                  << std::min(attempt - 1, 20));
            std::uniform_int_distribution<std::int64_t> jitter(0, std::max<std::int64_t>(1, cap));
            AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("UPDATE outbox SET next_attempt_at = ?2, "
                                                      "last_error = ?3 WHERE id = ?1"));
            const std::int64_t wait =
                result.retry_after.count() > 0 ? result.retry_after.count() : jitter(rng);
            st.bind_all(n.outbox_id, to_unix(now) + wait, result.error);
            AARSHJUL_TRY(st.run());
            spdlog::warn("notice {} via {}: {} (attempt {}, will retry)", n.key, n.channel,
                         result.error, attempt);
            ++stats.retried;
        } else {
            AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("UPDATE outbox SET state = 'failed', "
                                                      "last_error = ?2 WHERE id = ?1"));
            st.bind_all(n.outbox_id, result.error);
            AARSHJUL_TRY(st.run());
            spdlog::error("notice {} via {} failed for good: {}", n.key, n.channel, result.error);
            AARSHJUL_TRY(report_failure(n, result.error));
            ++stats.failed;
        }
        AARSHJUL_TRY(tx.commit());
    }
    return stats;
}

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#include "notify/dispatcher.h"

#include "store/outbox.h"

#include <algorithm>
#include <random>
#include <spdlog/spdlog.h>

namespace aarshjul {

Dispatcher::Dispatcher(Store& store, const Clock& clock, DispatchSettings settings)
    : m_store(store), m_clock(clock), m_settings(std::move(settings)) {}

Dispatcher::Dispatcher(std::unique_ptr<Store> store, const Clock& clock, DispatchSettings settings)
    : m_own_store(std::move(store)), m_store(*m_own_store), m_clock(clock),
      m_settings(std::move(settings)) {}

Dispatcher::~Dispatcher() = default;

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
    const auto now = to_unix(m_clock.now());
    for (const Person* coordinator : m_directory->people_with_role("coordinator")) {
        const std::string channel = m_settings.failure_channel;
        OutboxNotice report;
        report.key = "failure|" + failed.key + "#" + channel + "#" + coordinator->id;
        report.channel = channel;
        report.recipient = coordinator->id;
        report.subject = "Levering fejlede: " + failed.subject;
        report.body = "En besked kunne ikke leveres og er opgivet.\n\nKanal: " + failed.channel +
                      "\nModtager: " + failed.recipient + " <" + failed.address +
                      ">\nNøgle: " + failed.key + "\nFejl: " + error +
                      "\n\nA notice could not be delivered and was given up.\n";
        report.created_at = now;
        AARSHJUL_TRY(m_store.outbox().enqueue_failure_report(failed.outbox_id, report));
    }
    return {};
}

Result<std::optional<Instant>> Dispatcher::next_attempt() {
    AARSHJUL_TRY_ASSIGN(auto at, m_store.outbox().next_attempt_at());
    if (!at)
        return std::optional<Instant>{};
    return std::optional<Instant>{from_unix(*at)};
}

Result<DispatchStats> Dispatcher::dispatch() {
    DispatchStats stats;
    const Instant now = m_clock.now();
    std::vector<Notice> batch;
    std::vector<int> attempts;
    {
        AARSHJUL_TRY_ASSIGN(auto rows, m_store.outbox().due(to_unix(now), m_settings.batch));
        for (auto& row : rows) {
            Notice n;
            n.outbox_id = row.id;
            n.key = std::move(row.key);
            n.kind = std::move(row.kind);
            n.channel = std::move(row.channel);
            n.recipient = std::move(row.recipient);
            n.subject = std::move(row.subject);
            n.body = std::move(row.body);
            n.facts = std::move(row.facts_json);
            n.html_body = std::move(row.html_body);
            if (m_directory) {
                if (const Person* p = m_directory->find_person(n.recipient)) {
                    n.name = p->name;
                    n.address = p->email;
                } else if (const Body* body = body_recipient(*m_directory, n.recipient)) {
                    n.name = body->name; // a committee's channel: the address is the channel's
                }
            }
            batch.push_back(std::move(n));
            attempts.push_back(row.attempts);
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
            AARSHJUL_TRY(m_store.outbox().postpone(
                n.outbox_id, to_unix(now) + std::max<std::int64_t>(1, 60 / limit)));
            continue;
        }
        // The attempt is counted, and committed, before it starts: a crash in
        // the middle of a send still shows in `attempts`. A row whose attempt
        // was cut short is still sent again (at-least-once), and its attempts
        // count towards max_attempts and the back-off.
        AARSHJUL_TRY(m_store.outbox().count_attempt(n.outbox_id));
        const int attempt = attempts[i] + 1;
        SendResult result;
        auto it = m_notifiers.find(n.channel);
        if (it == m_notifiers.end())
            result = {SendOutcome::PermanentFailure, "no notifier for channel '" + n.channel + "'"};
        else
            result = it->second->send(n);

        // `attempt` is already in the row; the outcome only sets the state.
        AARSHJUL_TRY_ASSIGN(auto work, m_store.begin_write());
        if (result.outcome == SendOutcome::Sent) {
            AARSHJUL_TRY(m_store.outbox().mark_sent(n.outbox_id, to_unix(m_clock.now())));
            ++stats.sent;
        } else if (result.outcome == SendOutcome::TemporaryFailure &&
                   attempt < m_settings.max_attempts) {
            auto cap = std::min<std::int64_t>(m_settings.max_backoff.count(),
                                              m_settings.base_backoff.count()
                                                  << std::min(attempt - 1, 20));
            std::uniform_int_distribution<std::int64_t> jitter(0, std::max<std::int64_t>(1, cap));
            const std::int64_t wait =
                result.retry_after.count() > 0 ? result.retry_after.count() : jitter(rng);
            AARSHJUL_TRY(m_store.outbox().retry_at(n.outbox_id, to_unix(now) + wait, result.error));
            spdlog::warn("notice {} via {}: {} (attempt {}, will retry)", n.key, n.channel,
                         result.error, attempt);
            ++stats.retried;
        } else {
            AARSHJUL_TRY(m_store.outbox().mark_failed(n.outbox_id, result.error));
            spdlog::error("notice {} via {} failed for good: {}", n.key, n.channel, result.error);
            AARSHJUL_TRY(report_failure(n, result.error));
            ++stats.failed;
        }
        AARSHJUL_TRY(work->commit());
    }
    return stats;
}

} // namespace aarshjul

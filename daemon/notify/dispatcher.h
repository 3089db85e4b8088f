// SPDX-License-Identifier: MPL-2.0
#pragma once
// Dispatcher: delivers pending outbox rows through the notifiers.
//
// At-least-once: a row is marked sent only after its notifier reported
// success, so a crash between the two sends it again with the same key (the
// Message-ID / webhook-id receivers use to drop duplicates). An attempt is
// counted in `attempts` (committed) before the send starts, so a try cut
// short by a crash shows there and counts towards max_attempts. Temporary
// failures are retried with exponential back-off and full jitter (or after the
// receiver's Retry-After); permanent ones, or exhausted attempts, mark the row
// failed and queue a notice to the coordinators on the failure channel. Each
// channel may have a rate limit. Thread rules: one dispatcher per database
// connection, used from one thread (the dispatch worker).

#include "clock/clock.h"
#include "model/directory.h"
#include "notify/notifier.h"
#include "store/store.h"

#include <atomic>
#include <deque>
#include <map>
#include <memory>

namespace aarshjul {

struct DispatchStats {
    int sent = 0;
    int retried = 0;
    int failed = 0;
};

struct DispatchSettings {
    int max_attempts = 8;
    std::chrono::seconds base_backoff{60};
    std::chrono::seconds max_backoff{6 * 3600};
    int batch = 100;
    std::string failure_channel = "log";
    std::map<std::string, int> rate_per_minute; // channel -> sends per minute (0 = unlimited)
};

class Dispatcher {
public:
    Dispatcher(Store& store, const Clock& clock, DispatchSettings settings = {});
    // Owns `store` (the service's dispatch thread, tests).
    Dispatcher(std::unique_ptr<Store> store, const Clock& clock, DispatchSettings settings = {});
    ~Dispatcher();

    // Adds a notifier under its name (the channel it serves).
    void add(std::unique_ptr<Notifier> notifier);
    void set_directory(std::shared_ptr<const Directory> directory) {
        m_directory = std::move(directory);
    }

    // Sends every pending row whose next attempt is due now.
    Result<DispatchStats> dispatch();
    // Makes a running dispatch() return after the notice in flight (any thread):
    // a stopping daemon finishes what it is sending and leaves the rest pending.
    void request_stop() { m_stop_requested.store(true); }
    // When the earliest pending row is due, if any.
    Result<std::optional<Instant>> next_attempt();

private:
    Result<void> report_failure(const Notice& failed, const std::string& error);
    bool rate_limited(const std::string& channel, Instant now);

    std::unique_ptr<Store> m_own_store; // when the dispatcher owns its store
    Store& m_store;
    const Clock& m_clock;
    DispatchSettings m_settings;
    std::map<std::string, std::unique_ptr<Notifier>, std::less<>> m_notifiers;
    std::map<std::string, std::deque<Instant>> m_recent; // per channel: sends in the last minute
    std::shared_ptr<const Directory> m_directory;
    std::atomic<bool> m_stop_requested{false};
};

} // namespace aarshjul

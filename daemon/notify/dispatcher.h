#pragma once
// Dispatcher: delivers pending outbox rows through the notifiers.
//
// At-least-once: a row is marked sent only after its notifier reported
// success, so a crash between the two sends it again with the same key.
// Temporary failures are retried with exponential back-off; permanent ones
// (or exhausted attempts) mark the row failed. Thread rules: one dispatcher per
// database connection, on one thread.

#include "clock/clock.h"
#include "model/directory.h"
#include "notify/notifier.h"
#include "store/database.h"

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
};

class Dispatcher {
public:
    Dispatcher(Database& db, const Clock& clock, DispatchSettings settings = {});

    void add(std::unique_ptr<Notifier> notifier);
    void set_directory(std::shared_ptr<const Directory> directory) { m_directory = std::move(directory); }

    // Sends every pending row whose next attempt is due now.
    Result<DispatchStats> dispatch();
    // When the earliest pending row is due, if any.
    Result<std::optional<Instant>> next_attempt();

private:
    Database& m_db;
    const Clock& m_clock;
    DispatchSettings m_settings;
    std::map<std::string, std::unique_ptr<Notifier>, std::less<>> m_notifiers;
    std::shared_ptr<const Directory> m_directory;
};

} // namespace aarshjul

#include "service/service.h"

#include "notify/dispatcher.h"
#include "notify/log_notifier.h"
#include "store/migrations.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/spdlog.h>

#include <csignal>

namespace aarshjul {

namespace {

namespace asio = boost::asio;

// The longest the loop sleeps without looking at the wall clock again.
constexpr std::chrono::seconds kMaxSleep{30};

class Scheduler {
public:
    Scheduler(asio::io_context& io, const ServiceOptions& options, Setup setup, Database& db,
              const Clock& clock)
        : m_io(io), m_options(options), m_setup(std::move(setup)), m_clock(clock),
          m_engine(db, clock, engine_settings(m_setup)), m_dispatcher(db, clock), m_timer(io),
          m_signals(io, SIGINT, SIGTERM, SIGHUP) {
        m_dispatcher.add(std::make_unique<LogNotifier>());
        m_engine.set_hook_runner(hook_runner(m_setup));
    }

    Result<void> start() {
        AARSHJUL_TRY(install(m_setup));
        wait_for_signal();
        wake();
        return {};
    }

private:
    Result<void> install(const Setup& setup) {
        m_dispatcher.set_directory(std::shared_ptr<const Directory>(
            setup.definitions, &setup.definitions->directory));
        AARSHJUL_TRY(m_engine.install(setup.definitions));
        AARSHJUL_TRY_ASSIGN(auto stats, m_engine.materialise());
        m_materialised_on = m_setup.zone.local_date(m_clock.now());
        spdlog::info("{} workflows loaded; tasks: {} created, {} updated, {} cancelled, {} "
                     "unchanged",
                     setup.definitions->workflows.size(), stats.created, stats.updated,
                     stats.cancelled, stats.unchanged);
        return {};
    }

    void wait_for_signal() {
        m_signals.async_wait([this](const boost::system::error_code& ec, int signal) {
            if (ec)
                return;
            if (signal == SIGHUP) {
                reload();
                wait_for_signal();
                return;
            }
            spdlog::info("signal {}: stopping", signal);
            m_timer.cancel();
            m_io.stop();
        });
    }

    void reload() {
        spdlog::info("SIGHUP: reloading configuration and workflows");
        auto report = load_setup(m_options.setup);
        if (!report.setup) {
            for (const auto& e : report.errors)
                spdlog::error("{}", e.to_string());
            spdlog::error("reload refused: {} error(s); the running workflows stay",
                          report.errors.size());
            return;
        }
        auto installed = install(*report.setup);
        if (!installed.ok()) {
            spdlog::error("reload failed: {}", installed.error().to_string());
            return;
        }
        m_setup.definitions = report.setup->definitions;
        wake();
    }

    void wake() {
        auto step = run_once();
        if (!step.ok())
            spdlog::error("scheduler: {}", step.error().to_string());
        arm();
    }

    Result<void> run_once() {
        const LocalDate today = m_setup.zone.local_date(m_clock.now());
        if (today != m_materialised_on) {
            // A new day moves the horizon: materialise the occurrences it brings.
            AARSHJUL_TRY(m_engine.materialise());
            m_materialised_on = today;
        }
        AARSHJUL_TRY_ASSIGN(auto ticked, m_engine.tick());
        if (ticked.transitions || ticked.reminders)
            spdlog::info("tick: {} state changes, {} reminders queued", ticked.transitions,
                         ticked.reminders);
        AARSHJUL_TRY_ASSIGN(auto sent, m_dispatcher.dispatch());
        if (sent.sent || sent.retried || sent.failed)
            spdlog::info("outbox: {} sent, {} to retry, {} failed", sent.sent, sent.retried,
                         sent.failed);
        return {};
    }

    void arm() {
        const Instant now = m_clock.now();
        std::optional<Instant> next;
        if (auto n = m_engine.next_wakeup(); n.ok())
            next = *n;
        if (auto d = m_dispatcher.next_attempt(); d.ok() && *d && (!next || **d < *next))
            next = *d;
        if (next != m_logged_next) {
            if (next)
                spdlog::info("next wake-up at {}", m_setup.zone.format_iso(*next));
            else
                spdlog::info("nothing scheduled; checking again in {} s", kMaxSleep.count());
            m_logged_next = next;
        }
        auto sleep = kMaxSleep;
        if (next)
            sleep = std::clamp<std::chrono::seconds>(*next - now, std::chrono::seconds{0},
                                                     kMaxSleep);
        m_timer.expires_after(sleep);
        m_timer.async_wait([this](const boost::system::error_code& ec) {
            if (!ec)
                wake();
        });
    }

    asio::io_context& m_io;
    const ServiceOptions& m_options;
    Setup m_setup;
    const Clock& m_clock;
    Engine m_engine;
    Dispatcher m_dispatcher;
    asio::steady_timer m_timer;
    asio::signal_set m_signals;
    LocalDate m_materialised_on{};
    std::optional<Instant> m_logged_next;
};

} // namespace

int run_service(const ServiceOptions& options, Setup setup, const Clock& clock) {
    auto db = open_store(setup.config.database);
    if (!db.ok()) {
        spdlog::critical("{}", db.error().to_string());
        return 1;
    }
    spdlog::info("aarshjul {} serving {} (database {}, zone {})", AARSHJUL_VERSION,
                 setup.config.organisation, setup.config.database.string(), setup.zone.name());
    asio::io_context io;
    Scheduler scheduler(io, options, std::move(setup), *db, clock);
    if (auto started = scheduler.start(); !started.ok()) {
        spdlog::critical("{}", started.error().to_string());
        return 1;
    }
    io.run();
    spdlog::info("stopped");
    return 0;
}

} // namespace aarshjul

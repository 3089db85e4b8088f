// SPDX-License-Identifier: MPL-2.0
#include "service/service.h"

#include "auth/action_link.h"
#include "http/api.h"
#include "http/context.h"
#include "http/handlers.h"
#include "http/router.h"
#include "http/server.h"
#include "notify/channels.h"
#include "notify/dispatcher.h"
#include "service/hook_executor.h"
#include "service/reloader.h"
#include "service/systemd_notify.h"
#include "store/api_tokens.h"
#include "store/instance_lock.h"
#include "store/open_store.h"
#include "store/secrets.h"
#include "store/web_sessions.h"
#include "util/error_kind.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <condition_variable>
#include <csignal>
#include <malloc.h>
#include <mutex>
#include <optional>
#include <spdlog/spdlog.h>
#include <thread>

namespace aarshjul {

namespace {

namespace asio = boost::asio;

// The longest the loop sleeps without looking at the wall clock again.
constexpr std::chrono::seconds kMaxSleep{30};

// Delivers the outbox on its own thread and store connection, so a slow
// mail server never stalls the event loop. Woken after every tick; otherwise
// sleeps until the next retry is due (at most kMaxSleep).
class DispatchWorker {
public:
    DispatchWorker(std::unique_ptr<Store> store, const Clock& clock, DispatchSettings settings,
                   std::vector<std::unique_ptr<Notifier>> notifiers)
        : m_dispatcher(std::move(store), clock, std::move(settings)), m_clock(clock) {
        for (auto& n : notifiers)
            m_dispatcher.add(std::move(n));
    }
    ~DispatchWorker() { stop(); }

    void start() {
        m_thread = std::thread([this] { run(); });
    }

    void set_directory(std::shared_ptr<const Directory> directory) {
        std::lock_guard lock(m_mutex);
        m_directory = std::move(directory);
        m_wake = true;
        m_cv.notify_one();
    }

    void wake() {
        std::lock_guard lock(m_mutex);
        m_wake = true;
        m_cv.notify_one();
    }

    // Lets an in-flight delivery finish (bounded by the plugins' timeouts), then joins.
    void stop() {
        m_dispatcher.request_stop(); // after the notice in flight; the rest stays pending
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
            m_cv.notify_one();
        }
        if (m_thread.joinable())
            m_thread.join();
    }

private:
    void run() {
        for (;;) {
            {
                std::lock_guard lock(m_mutex);
                if (m_stop)
                    return;
                if (m_directory)
                    m_dispatcher.set_directory(std::exchange(m_directory, nullptr));
            }
            auto sent = m_dispatcher.dispatch();
            if (!sent.ok())
                spdlog::error("outbox: {}", sent.error().to_string());
            else if (sent->sent || sent->retried || sent->failed)
                spdlog::info("outbox: {} sent, {} to retry, {} failed", sent->sent, sent->retried,
                             sent->failed);
            auto sleep = kMaxSleep;
            auto next = m_dispatcher.next_attempt();
            ignore_error(next, "the outbox is looked at again within the longest sleep");
            if (next.ok() && *next)
                sleep = std::clamp<std::chrono::seconds>(**next - m_clock.now(),
                                                         std::chrono::seconds{0}, kMaxSleep);
            std::unique_lock lock(m_mutex);
            m_cv.wait_for(lock, sleep, [this] { return m_stop || m_wake; });
            m_wake = false;
        }
    }

    Dispatcher m_dispatcher; // owns the worker's store
    const Clock& m_clock;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_stop = false;
    bool m_wake = false;
    std::shared_ptr<const Directory> m_directory;
    std::thread m_thread;
};

class Scheduler {
public:
    Scheduler(asio::io_context& io, const ServiceOptions& options, Setup setup, Store& store,
              const Clock& clock, DispatchWorker& worker)
        : m_io(io), m_setup(std::move(setup)), m_clock(clock),
          m_engine(store, clock, engine_settings(m_setup)), m_worker(worker), m_timer(io),
          m_signals(io, SIGINT, SIGTERM, SIGHUP),
          m_api(m_engine, clock, m_setup.zone, http::token_auth(m_setup.config)),
          m_hooks(io, hook_runner(m_setup), m_setup.config.hook_workers,
                  [this](HookJob job, Result<std::vector<FollowUpSpec>> outcome) {
                      finish_hook(std::move(job), std::move(outcome));
                  }),
          m_reloader(io, options.setup,
                     [this](Setup loaded) { return install_reloaded(std::move(loaded)); }) {}

    Result<void> start() {
        AARSHJUL_TRY(install(m_setup));
        AARSHJUL_TRY(recover_hooks());
        start_http();
        wait_for_signal();
        start_watchdog();
        wake();
        return {};
    }

private:
    // The HTTP API on the loop's thread: its handlers use the engine directly.
    // A port that cannot be bound is logged; the scheduler runs on without the API.
    void start_http() {
        m_api.organisation = m_setup.config.organisation;
        m_api.definitions = m_setup.definitions;
        // Tokens of `aarshjul token add`, looked up on the loop's own connection.
        m_api.auth.use_store(&m_api.store.api_tokens());
        if (auto key = load_or_create_link_key(m_api.store.secrets()); key.ok())
            m_api.links.emplace(std::move(*key), m_setup.config.public_url);
        else
            spdlog::error("http: one-click links are off: {}", key.error().to_string());
        m_api.reload = [this](std::function<void(ReloadOutcome)> done) {
            m_reloader.start([this, done = std::move(done)](ReloadOutcome outcome) {
                done(std::move(outcome));
                after_reload();
            });
        };
        m_api.changed = [this] { asio::post(m_io, [this] { wake(); }); };
        m_api.outbox_added = [this] { m_worker.wake(); };
        m_api.default_channels = m_setup.config.default_channels;
        m_api.link_valid_days = m_setup.config.link_valid_days;
        m_api.wheel_first_month = static_cast<unsigned>(m_setup.config.wheel_first_month);
        m_api.web = http::WebAuth(http::web_settings(m_setup.config));
        m_server = std::make_unique<http::Server>(
            m_io, http::server_limits(m_setup.config),
            [this](http::Request request) { return http::handle(std::move(request), m_api); });
        m_api.connection_stats = [this] { return m_server->stats(); };
        auto port = m_server->listen(m_setup.config.listen);
        if (!port.ok()) {
            spdlog::error("{}; the API is off, the scheduler runs on", port.error().to_string());
            m_api.connection_stats = nullptr;
            m_server.reset();
            return;
        }
        spdlog::info("http: listening on {} (port {}), {} token(s)", m_setup.config.listen, *port,
                     m_setup.config.http_tokens.size());
        offer_first_start(*port);
    }

    // While nobody could sign in as admin (no admin token, no admin in the
    // directory to sign in by mail or single sign-on), a single-use link for
    // this machine leads the first user to the status page as admin, the way
    // Jupyter prints its ?token=.
    void offer_first_start(int port) {
        if (http::admin_can_sign_in(m_setup.config, m_setup.definitions->directory,
                                    m_api.store.api_tokens(), m_clock.now()))
            return;
        auto link = http::make_first_start_link(
            m_api,
            "http://" + http::loopback_host(m_setup.config.listen) + ":" + std::to_string(port));
        if (!link.ok()) {
            spdlog::error("http: no first-start link: {}", link.error().to_string());
            return;
        }
        spdlog::info("first sign-in (admin, once): {}", *link);
    }

    Result<void> install(const Setup& setup) {
        m_worker.set_directory(
            std::shared_ptr<const Directory>(setup.definitions, &setup.definitions->directory));
        AARSHJUL_TRY(m_engine.install(setup.definitions));
        AARSHJUL_TRY_ASSIGN(auto stats, m_engine.materialise());
        m_last_install = stats;
        m_materialised_on = m_setup.zone.local_date(m_clock.now());
        // Loading a national directory parses a 40 MB TOML document and frees
        // it again; glibc keeps the freed pages (measured: 546 MB resident
        // after start-up, 222 MB once returned), so hand them back now.
        malloc_trim(0);
        spdlog::info("{} workflows loaded; tasks: {} created, {} updated, {} cancelled, {} "
                     "unchanged",
                     setup.definitions->workflows.size(), stats.created, stats.updated,
                     stats.cancelled, stats.unchanged);
        return {};
    }

    // WATCHDOG=1 from the loop itself: if the loop stalls, systemd restarts us.
    void start_watchdog() {
        const auto interval = systemd::watchdog_interval();
        if (!interval)
            return;
        systemd::watchdog();
        m_watchdog.expires_after(*interval);
        m_watchdog.async_wait([this](const boost::system::error_code& ec) {
            if (!ec)
                start_watchdog();
        });
    }

    void wait_for_signal() {
        m_signals.async_wait([this](const boost::system::error_code& ec, int signal) {
            if (ec)
                return;
            if (signal == SIGHUP) {
                reload_on_signal();
                wait_for_signal();
                return;
            }
            spdlog::info("signal {}: stopping", signal);
            systemd::stopping();
            m_timer.cancel();
            m_watchdog.cancel();
            if (!m_server || m_stopping) {
                m_io.stop();
                return;
            }
            // Stop accepting, close idle connections, give in-flight requests a bound;
            // a second signal stops at once.
            m_stopping = true;
            m_server->stop(std::chrono::seconds{m_setup.config.http_shutdown_grace},
                           [this] { m_io.stop(); });
            wait_for_signal();
        });
    }

    // With a set the Reloader loaded off the loop: installs it here, on the
    // loop's thread (the engine's connection), unless the daemon is stopping.
    // SIGHUP and POST /api/v1/workflows/reload.
    ReloadOutcome install_reloaded(Setup loaded) {
        ReloadOutcome outcome;
        if (m_stopping) {
            outcome.verdict = ReloadVerdict::Stopping;
            outcome.errors.push_back("the daemon is stopping; the reload was not installed");
            return outcome;
        }
        if (auto installed = install(loaded); !installed.ok()) {
            spdlog::error("reload failed: {}", installed.error().to_string());
            outcome.verdict = ReloadVerdict::Refused;
            outcome.errors.push_back(installed.error().to_string());
            return outcome;
        }
        m_setup.definitions = loaded.definitions;
        m_api.definitions = m_setup.definitions;
        outcome.workflows = static_cast<int>(m_setup.definitions->workflows.size());
        outcome.stats = m_last_install;
        wake();
        return outcome;
    }

    // SIGHUP: RELOADING=1, the reload off the loop, then READY=1 with its outcome.
    // A SIGHUP while a reload runs is not lost: the files may have changed after
    // that reload read them, so one more follows it.
    void reload_on_signal() {
        if (m_stopping)
            return;
        if (m_reloader.running()) {
            spdlog::info("SIGHUP: a reload is running; another one follows it");
            m_hup_pending = true;
            return;
        }
        spdlog::info("SIGHUP: reloading configuration and workflows");
        systemd::reloading();
        m_reloader.start([this](ReloadOutcome outcome) {
            systemd::ready(outcome.verdict == ReloadVerdict::Installed
                               ? std::to_string(outcome.workflows) + " workflows (reloaded)"
                               : "reload refused; the running workflows stay");
            after_reload();
        });
    }

    void after_reload() {
        if (std::exchange(m_hup_pending, false))
            reload_on_signal();
    }

    void wake() {
        if (m_stopping)
            return;
        auto step = run_once();
        if (!step.ok())
            spdlog::error("scheduler: {}", step.error().to_string());
        arm();
        pump_hooks();
    }

    // Hooks a crash left running go back to the queue (or are given up).
    Result<void> recover_hooks() {
        AARSHJUL_TRY_ASSIGN(auto recovered,
                            m_engine.recover_hooks(m_setup.config.hook_max_attempts));
        if (!recovered.requeued.empty() || !recovered.given_up.empty())
            spdlog::warn("hooks: {} left running by the last stop queued again, {} given up",
                         recovered.requeued.size(), recovered.given_up.size());
        return {};
    }

    // Hands queued hooks to the executor, as many as it has free workers; the
    // rest wait in the queue (claimed only when a worker is free, so a crash
    // counts an attempt only for hooks that were running).
    void pump_hooks() {
        if (m_stopping)
            return;
        const int free = m_hooks.free_slots();
        if (free <= 0)
            return;
        auto jobs = m_engine.claim_hooks(free);
        if (!jobs.ok()) {
            spdlog::error("hooks: {}", jobs.error().to_string());
            return;
        }
        for (auto& job : *jobs)
            m_hooks.submit(std::move(job));
    }

    // On the loop, after a hook ran off it: its outcome in a short write.
    void finish_hook(HookJob job, Result<std::vector<FollowUpSpec>> outcome) {
        auto finished = m_engine.finish_hook(job.run, outcome);
        if (!finished.ok()) {
            // The row stays running; the next start queues it again.
            spdlog::error("hooks: {} of task {}: {}", job.run.hook, job.run.task_id,
                          finished.error().to_string());
        } else if (finished->follow_ups_created > 0) {
            spdlog::info("hooks: {} of task {} created {} follow-up task(s)", job.run.hook,
                         job.run.task_id, finished->follow_ups_created);
            wake(); // the follow-ups may be due sooner than the armed timer
            return;
        }
        pump_hooks();
    }

    Result<void> run_once() {
        const LocalDate today = m_setup.zone.local_date(m_clock.now());
        if (today != m_materialised_on) {
            // A new day moves the horizon: materialise the occurrences it brings.
            AARSHJUL_TRY(m_engine.materialise());
            m_materialised_on = today;
            AARSHJUL_TRY(m_api.store.web_sessions().prune(to_unix(m_clock.now())));
        }
        AARSHJUL_TRY_ASSIGN(auto ticked, m_engine.tick());
        m_api.last_tick = m_clock.now();
        if (ticked.transitions || ticked.reminders || ticked.hooks_queued)
            spdlog::info("tick: {} state changes, {} reminders queued, {} hooks queued",
                         ticked.transitions, ticked.reminders, ticked.hooks_queued);
        if (ticked.reminders || ticked.escalations)
            m_worker.wake();
        return {};
    }

    void arm() {
        const Instant now = m_clock.now();
        std::optional<Instant> next;
        auto n = m_engine.next_wakeup();
        ignore_error(n, "the scheduler wakes again within the longest sleep");
        if (n.ok())
            next = *n;
        if (next != m_logged_next) {
            if (next)
                spdlog::info("next wake-up at {}", m_setup.zone.format_iso(*next));
            else
                spdlog::info("nothing scheduled; checking again in {} s", kMaxSleep.count());
            m_logged_next = next;
        }
        auto sleep = kMaxSleep;
        if (next)
            sleep =
                std::clamp<std::chrono::seconds>(*next - now, std::chrono::seconds{0}, kMaxSleep);
        m_timer.expires_after(sleep);
        m_timer.async_wait([this](const boost::system::error_code& ec) {
            if (!ec)
                wake();
        });
    }

    asio::io_context& m_io;
    Setup m_setup;
    const Clock& m_clock;
    Engine m_engine;
    DispatchWorker& m_worker;
    asio::steady_timer m_timer;
    asio::steady_timer m_watchdog{m_io};
    asio::signal_set m_signals;
    LocalDate m_materialised_on{};
    std::optional<Instant> m_logged_next;
    MaterialiseStats m_last_install;
    http::Context m_api;
    std::unique_ptr<http::Server> m_server;
    bool m_stopping = false;
    bool m_hup_pending = false;
    // Destroyed before the engine and the loop's state: joins the hooks running.
    HookExecutor m_hooks;
    // Last: destroyed first, joining a running evaluation before the rest goes.
    Reloader m_reloader;
};

} // namespace

int run_service(const ServiceOptions& options, Setup setup, const Clock& clock) {
    // One scheduler per database, held until the process ends: a second one
    // would send every notice again.
    std::optional<InstanceLock> instance;
    if (setup.config.database != ":memory:") {
        auto lock =
            InstanceLock::acquire(setup.config.database, setup.zone.format_iso(clock.now()));
        if (!lock.ok()) {
            spdlog::critical("{}", lock.error().to_string());
            return 1;
        }
        instance.emplace(std::move(lock).value());
    }
    auto store = open_store(store_settings(setup.config));
    if (!store.ok()) {
        spdlog::critical("{}", store.error().to_string());
        return 1;
    }
    spdlog::info("aarshjul {} serving {} (database {}, zone {})", AARSHJUL_VERSION,
                 setup.config.organisation, setup.config.database.string(), setup.zone.name());
    auto notifiers = make_notifiers(setup.config);
    if (!notifiers.ok()) {
        spdlog::critical("{}", notifiers.error().to_string());
        return 1;
    }
    // The dispatch thread's own connection (a Store is used by one thread at a time).
    auto dispatch_store = open_store(store_settings(setup.config));
    if (!dispatch_store.ok()) {
        spdlog::critical("{}", dispatch_store.error().to_string());
        return 1;
    }
    DispatchWorker worker(std::move(dispatch_store).value(), clock, dispatch_settings(setup.config),
                          std::move(notifiers).value());
    // The worker resolves recipients' addresses from the directory: give it
    // one before its first delivery.
    worker.set_directory(
        std::shared_ptr<const Directory>(setup.definitions, &setup.definitions->directory));
    asio::io_context io;
    const std::size_t workflow_count = setup.definitions->workflows.size();
    Scheduler scheduler(io, options, std::move(setup), **store, clock, worker);
    if (auto started = scheduler.start(); !started.ok()) {
        spdlog::critical("{}", started.error().to_string());
        return 1;
    }
    worker.start();
    systemd::ready("serving " + std::to_string(workflow_count) + " workflows");
    io.run();
    // In-flight deliveries finish (bounded by the plugins' timeouts); undelivered
    // rows stay pending in the outbox for the next start.
    worker.stop();
    spdlog::info("stopped");
    return 0;
}

} // namespace aarshjul

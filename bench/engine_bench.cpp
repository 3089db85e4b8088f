// SPDX-License-Identifier: MPL-2.0
// Measures the engine on a real SQLite file: planning (materialise) rate, and
// the cost of one scheduler wake-up (tick) with nothing due and with a few
// due. Prints `key=value` lines that bench/run.sh turns into RESULTS.md.
// Speed is measured here, never asserted in unit tests.
//
//   build/bench/bench_engine CONFIG DB [--tasks N] [--years-back Y]
//
// The database is built relative to the wall clock so that `aarshjul serve`
// can be started on it afterwards: the engine is installed Y years before
// today and materialises; each year passes (virtual time), the tasks whose due
// date has gone by are completed, and the engine materialises again, until
// today. With --tasks N the passes stop adding years once N tasks are stored.
#include "app/setup.h"
#include "clock/clock.h"
#include "engine/engine.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store.h"
#include "worker/worker_main.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using namespace aarshjul;
using Seconds = std::chrono::duration<double>;

double now_s() {
    return std::chrono::duration_cast<Seconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

std::int64_t scalar(Database& db, const std::string& sql) {
    auto st = db.prepare(sql);
    if (!st.ok() || !st->step().ok())
        return -1;
    return st->column_int64(0);
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

int fail(const std::string& what, const Error& e) {
    std::fprintf(stderr, "bench_engine: %s: %s\n", what.c_str(), e.to_string().c_str());
    return 1;
}

} // namespace

int main(int argc, char** argv) {
    // Workflow hooks run in Lua workers started through /proc/self/exe: this binary.
    aarshjul::worker::run_worker_if_asked(argc, argv);
    if (argc < 3) {
        std::fprintf(stderr, "usage: bench_engine CONFIG DB [--years-back Y]\n");
        return 2;
    }
    int years_back = 0;
    for (int i = 3; i + 1 < argc; i += 2)
        if (std::string(argv[i]) == "--years-back")
            years_back = std::atoi(argv[i + 1]);

    auto report = load_setup({argv[1], std::nullopt});
    if (!report.setup) {
        for (const auto& e : report.errors)
            std::fprintf(stderr, "%s\n", e.to_string().c_str());
        return 2;
    }
    auto& setup = *report.setup;
    std::remove(argv[2]);
    auto db = open_database(argv[2]);
    if (!db.ok())
        return fail("open", db.error());

    const Instant today = SystemClock{}.now();
    const auto year = std::chrono::seconds{365 * 86400};
    FakeClock clock(today - years_back * year);
    Engine engine(std::make_unique<SqliteStore>(*db), clock, engine_settings(setup));
    engine.set_hook_runner(hook_runner(setup));
    if (auto r = engine.install(setup.definitions); !r.ok())
        return fail("install", r.error());

    // Planning: each pass materialises the horizon at the clock's today.
    long created = 0;
    double plan_seconds = 0;
    double first_pass_seconds = 0;
    long first_pass_created = 0;
    for (int pass = 0; pass <= years_back; ++pass) {
        const double t0 = now_s();
        auto stats = engine.materialise();
        const double dt = now_s() - t0;
        if (!stats.ok())
            return fail("materialise", stats.error());
        created += stats->created;
        plan_seconds += dt;
        if (pass == 0) {
            first_pass_seconds = dt;
            first_pass_created = stats->created;
        }
        std::printf("pass%d_created=%d\npass%d_seconds=%.3f\n", pass, stats->created, pass, dt);
        if (pass == years_back)
            break;
        clock.advance(year);
        // A year went by and people did their work: the tasks due before the
        // new today are done (history, as a running service stores it).
        const auto cut = setup.zone.local_date(clock.now());
        if (auto r = db->exec("UPDATE tasks SET state = 'done', completed_by = 'bench', "
                              "completed_at = " +
                              std::to_string(to_unix(clock.now())) +
                              ", next_action_at = NULL WHERE state NOT IN ('done','waived',"
                              "'cancelled') AND due_date < '" +
                              format_local_date(cut) + "'");
            !r.ok())
            return fail("complete", r.error());
    }
    clock.set(today);
    const long stored = scalar(*db, "SELECT COUNT(*) FROM tasks");
    std::printf("tasks_created=%ld\nplan_seconds=%.3f\nplan_tasks_per_s=%.0f\n", created,
                plan_seconds, created / plan_seconds);
    std::printf("first_pass_created=%ld\nfirst_pass_seconds=%.3f\n", first_pass_created,
                first_pass_seconds);
    std::printf("tasks_stored=%ld\n", stored);

    // Bring the store up to today, as the daemon's first tick would.
    {
        const double t0 = now_s();
        auto t = engine.tick();
        if (!t.ok())
            return fail("tick", t.error());
        std::printf("catch_up_tick_seconds=%.3f\ncatch_up_tick_transitions=%d\n"
                    "catch_up_tick_reminders=%d\n",
                    now_s() - t0, t->transitions, t->reminders);
    }
    if (auto r = db->exec("DELETE FROM outbox"); !r.ok()) // the bench sends nothing
        return fail("outbox", r.error());

    // A wake-up with nothing due: the scheduler's steady state.
    std::vector<double> idle;
    for (int i = 0; i < 2000; ++i) {
        const double t0 = now_s();
        auto t = engine.tick();
        auto next = engine.next_wakeup();
        idle.push_back(now_s() - t0);
        if (!t.ok() || !next.ok() || t->transitions + t->reminders != 0) {
            std::fprintf(stderr, "bench_engine: idle tick did work\n");
            return 1;
        }
    }
    std::printf("tick_idle_us=%.1f\n", median(idle) * 1e6);

    // Wake-ups with a few actions due, the same few at every size: five
    // scheduled tasks are made due now (their next action moved to now) and
    // one wake-up handles them; 25 times, five other tasks each time.
    std::vector<double> few;
    std::vector<int> few_actions;
    const std::string now_s_text = std::to_string(to_unix(clock.now()));
    for (int i = 0; i < 25; ++i) {
        if (auto r = db->exec("UPDATE tasks SET next_action_at = " + now_s_text +
                              " WHERE id IN (SELECT id FROM tasks WHERE state = 'scheduled' AND "
                              "next_action_at > " +
                              now_s_text + " ORDER BY id LIMIT 5)");
            !r.ok())
            return fail("make due", r.error());
        const double t0 = now_s();
        auto t = engine.tick();
        auto after = engine.next_wakeup();
        const double dt = now_s() - t0;
        if (!t.ok() || !after.ok())
            return fail("tick", t.ok() ? after.error() : t.error());
        few.push_back(dt);
        few_actions.push_back(t->transitions + t->reminders + t->escalations);
    }
    (void)db->exec("DELETE FROM outbox");
    std::printf("tick_few_us=%.1f\ntick_few_samples=%zu\ntick_few_median_actions=%d\n",
                median(few) * 1e6, few.size(),
                few_actions.empty()
                    ? 0
                    : static_cast<int>(median({few_actions.begin(), few_actions.end()})));
    return 0;
}

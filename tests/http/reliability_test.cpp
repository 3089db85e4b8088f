// SPDX-License-Identifier: MPL-2.0
// Reliability of the running daemon (`aarshjul serve` as a process): 1,000
// slow connections; 500 from one address, and slow clients of many addresses
// filling every slot, while /healthz answers; and a corpus of hostile workflows loaded through the
// reload API, each stopped by the sandbox while /healthz keeps answering; and
// a hundred runaway hooks run by the Lua worker off the event loop.
#include "http/auth.h"
#include "store/sqlite/database.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/raw_socket.h"
#include "support/temp_dir.h"
#include "util/sha256.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <date/date.h>
#include <fstream>
#include <gtest/gtest.h>
#include <memory>
#include <regex>
#include <sys/resource.h>
#include <thread>

namespace aarshjul::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const std::string kToken = "reliability-admin-token";

// The daemon on port 0 with an admin token and the given [http] limits.
struct Daemon {
    TempDir dir;
    std::unique_ptr<Process> process;
    std::uint16_t port = 0;

    explicit Daemon(const std::string& http_extra) {
        const fs::path src = AARSHJUL_SOURCE_DIR;
        testing::copy_basic_workflows(dir.path() / "workflows");
        const auto config = dir.write(
            "aarshjul.toml",
            "[organisation]\nname = \"Testkommune\"\n"
            "[paths]\ndatabase = \"state/aarshjul.db\"\nworkflows = \"workflows\"\nlua = \"" +
                (src / "lua").string() + "\"\ndirectory = \"" +
                (src / "config" / "directory.toml").string() +
                "\"\n[http]\nlisten = \"127.0.0.1:0\"\n" + http_extra +
                "\n[[http.tokens]]\nname = \"ops\"\nrole = \"admin\"\nperson = \"anna.jensen\"\n"
                "sha256 = \"" +
                sha256_hex(kToken) + "\"\n");
        process = std::make_unique<Process>(std::vector<std::string>{aarshjul_binary().string(),
                                                                     "--config", config.string(),
                                                                     "serve"},
                                            dir.path() / "serve.log");
        if (!process->wait_for_log("http: listening on", 30s))
            return;
        std::smatch match;
        const std::string log = process->log();
        if (std::regex_search(log, match, std::regex(R"(\(port (\d+)\))")))
            port = static_cast<std::uint16_t>(std::stoi(match[1]));
    }
    ~Daemon() {
        process->signal(SIGTERM);
        process->wait(30s);
    }
};

// Lets this process (and the daemon it starts) hold `needed` descriptors.
void raise_descriptor_limit(rlim_t needed) {
    rlimit limit{};
    ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &limit), 0);
    limit.rlim_cur = std::max<rlim_t>(limit.rlim_cur, std::min<rlim_t>(limit.rlim_max, 4096));
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &limit), 0);
    ASSERT_GE(limit.rlim_cur, needed) << "the test needs " << needed << " file descriptors";
}

// `n` connections from `source` that each send half a request line and stop.
std::vector<std::unique_ptr<RawSocket>> stall(std::uint16_t port, int n,
                                              const std::string& source) {
    std::vector<std::unique_ptr<RawSocket>> slow;
    for (int i = 0; i < n; ++i) {
        auto socket = std::make_unique<RawSocket>(port, source);
        if (!socket->connected())
            continue;
        socket->send("GET /healthz HT");
        slow.push_back(std::move(socket));
    }
    return slow;
}

// The latency target of a /healthz probe under attack. It is asserted only
// under `make reliability` (scripts/reliability.sh sets AARSHJUL_RELIABILITY):
// speed targets live there, never in the normal suite, which runs these tests
// on a loaded machine and under sanitizers; there the worst figure is printed.
constexpr auto kProbeTarget = 50ms;

bool latency_targets_apply() {
    return std::getenv("AARSHJUL_RELIABILITY") != nullptr;
}

// Probes /healthz `n` times over about `n` x 60 ms, from `sources` in turn:
// each must answer 200 (and meet kProbeTarget, see above). Returns the worst.
std::chrono::microseconds probe_healthz(std::uint16_t port, const std::vector<std::string>& sources,
                                        int n) {
    std::chrono::microseconds worst{0};
    for (int i = 0; i < n; ++i) {
        const std::string& source = sources[static_cast<std::size_t>(i) % sources.size()];
        const TimedReply reply = timed_get(port, "/healthz", source);
        EXPECT_EQ(reply.status, 200) << "probe " << i << " from " << source << ": " << reply.bytes;
        if (latency_targets_apply()) {
            EXPECT_LE(reply.took, kProbeTarget) << "probe " << i << " from " << source;
        }
        worst = std::max(worst, reply.took);
        std::this_thread::sleep_for(60ms);
    }
    return worst;
}

void report_worst(const char* what, std::chrono::microseconds worst) {
    ::testing::Test::RecordProperty(std::string("healthz_worst_us_") + what,
                                    static_cast<int>(worst.count()));
    std::printf("[reliability] worst /healthz latency, %s: %.1f ms (target %lld ms%s)\n", what,
                static_cast<double>(worst.count()) / 1000.0,
                static_cast<long long>(kProbeTarget.count()),
                latency_targets_apply() ? ", asserted" : ", asserted under make reliability");
}

// 1,000 clients each send half a request line and stop: the server sheds
// those over its caps at once, closes the rest at the header deadline, keeps
// answering /healthz throughout, and serves normally once they are gone.
TEST(ReliabilityHttp, ThousandSlowConnectionsAreShedAndClosed) {
    raise_descriptor_limit(1100);
    Daemon daemon("header_timeout = 2\n");
    ASSERT_NE(daemon.port, 0) << daemon.process->log();
    auto slow = stall(daemon.port, 1000, "127.0.0.1");
    EXPECT_EQ(slow.size(), 1000u);
    // While they dawdle the daemon answers.
    const auto during = http_request(daemon.port, "GET", "/healthz");
    EXPECT_EQ(during.status, 200) << during.error;

    const auto deadline = Clock::now() + 30s;
    std::size_t closed = 0;
    std::vector<bool> done(slow.size(), false);
    while (closed < slow.size() && Clock::now() < deadline) {
        for (std::size_t i = 0; i < slow.size(); ++i)
            if (!done[i] && slow[i]->peer_closed()) {
                done[i] = true;
                ++closed;
            }
        std::this_thread::sleep_for(50ms);
    }
    slow.clear();
    EXPECT_EQ(closed, done.size()) << "slow connections the server never closed";
    EXPECT_TRUE(daemon.process->running());
    EXPECT_EQ(http_request(daemon.port, "GET", "/healthz").status, 200) << daemon.process->log();
}

// 500 slow connections from one address (100 in the normal suite, which runs
// under sanitizers on a loaded machine: 500 there only measure how slowly
// ASan accepts), and another slow one from it every 2 ms while probing: that
// address's cap (16) and the probe pool shed them, and /healthz answers 200
// every time, from that address and from another, each within 50 ms under
// `make reliability`.
TEST(ReliabilityHttp, SlowConnectionsFromOneAddressLeaveHealthzAnswering) {
    raise_descriptor_limit(1100);
    const int count = latency_targets_apply() ? 500 : 100;
    Daemon daemon("");
    ASSERT_NE(daemon.port, 0) << daemon.process->log();
    auto slow = stall(daemon.port, count, "127.0.0.1");
    EXPECT_EQ(slow.size(), static_cast<std::size_t>(count));
    std::atomic<bool> probing{true};
    std::thread churn([&] {
        // A ring of 100: each new one replaces the oldest, so descriptors stay bounded.
        std::vector<std::unique_ptr<RawSocket>> ring(100);
        for (std::size_t i = 0; probing.load(); ++i) {
            auto one = stall(daemon.port, 1, "127.0.0.1");
            if (!one.empty())
                ring[i % ring.size()] = std::move(one.front());
            std::this_thread::sleep_for(2ms);
        }
    });
    const auto worst = probe_healthz(daemon.port, {"127.0.0.1", "127.0.0.2"}, 50);
    probing = false;
    churn.join();
    report_worst(count == 500 ? "500 slow connections from one address"
                              : "100 slow connections from one address",
                 worst);
    EXPECT_TRUE(daemon.process->running());
}

// Slow clients of eight addresses (40 each) hold every slot (64): /healthz
// answers 200 every time, within 50 ms, from one of them and from addresses
// holding none.
TEST(ReliabilityHttp, SlowConnectionsOfManyAddressesFillingTheServerLeaveHealthzAnswering) {
    raise_descriptor_limit(1100);
    Daemon daemon("");
    ASSERT_NE(daemon.port, 0) << daemon.process->log();
    std::vector<std::unique_ptr<RawSocket>> slow;
    for (int round = 0; round < 40; ++round)
        for (int host = 2; host <= 9; ++host) {
            auto one = stall(daemon.port, 1, "127.0.0." + std::to_string(host));
            ASSERT_EQ(one.size(), 1u) << "127.0.0." << host;
            slow.push_back(std::move(one.front()));
        }
    const auto metrics = http_request(daemon.port, "GET", "/metrics");
    EXPECT_NE(metrics.body.find("aarshjul_http_connections 64\n"), std::string::npos)
        << metrics.body;
    const auto worst = probe_healthz(daemon.port, {"127.0.0.1", "127.0.0.2", "127.0.0.10"}, 50);
    report_worst("every slot held by slow clients of 8 addresses", worst);
    EXPECT_TRUE(daemon.process->running());
}

struct HostileCase {
    const char* name;
    const char* lua;
    bool runaway = false; // runs until the sandbox's instruction or wall-clock budget stops it
};

// How often the daemon has logged `text`.
int log_count(const Process& process, const std::string& text) {
    const std::string log = process.log();
    int n = 0;
    for (auto at = log.find(text); at != std::string::npos; at = log.find(text, at + 1))
        ++n;
    return n;
}

// The resident memory of process `pid`, in kB (VmRSS).
long long resident_kb(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stoll(line.substr(6));
    return -1;
}

// A reload of a file making 30,000 workflow {} calls fills the Lua worker, not
// the daemon: the daemon's resident memory is the same before and after (it
// was 320 MB after when Lua ran in the daemon), and the reload is refused.
TEST(ReliabilityHttp, ThirtyThousandDefinitionsLeaveTheDaemonsMemoryAlone) {
    Daemon daemon("");
    ASSERT_NE(daemon.port, 0) << daemon.process->log();
    const std::vector<std::string> auth{"Authorization: Bearer " + kToken,
                                        "Content-Type: application/json"};
    // One clean reload first, so the daemon's allocator has seen a reload's peak.
    ASSERT_EQ(http_request(daemon.port, "POST", "/api/v1/workflows/reload", "{}", auth).status,
              200);
    const long long before = resident_kb(daemon.process->pid());
    std::ofstream(daemon.dir.path() / "workflows" / "zz-many.lua")
        << "for i = 1, 30000 do workflow { id = 'MANY-' .. i, title = { da = 'Mange', en = "
           "'Many' }, description = { da = string.rep('d', 200), en = string.rep('e', 200) }, "
           "source = 'test', assignee = role 'coordinator', schedule = yearly { month = 3, day "
           "= 1 } } end\n";
    const auto reload = http_request(daemon.port, "POST", "/api/v1/workflows/reload", "{}", auth);
    const long long after = resident_kb(daemon.process->pid());
    EXPECT_EQ(reload.status, 422) << reload.body;
    EXPECT_TRUE(daemon.process->running());
    std::printf(
        "[reliability] 30,000 workflow {} calls: daemon resident %lld -> %lld kB (%+lld kB)\n",
        before, after, after - before);
    RecordProperty("thirty_thousand_definitions_rss_growth_kb", static_cast<int>(after - before));
    EXPECT_LT(after - before, 16 * 1024);
}

// Each hostile workflow file is refused by the reload API with the sandbox's
// error, within the sandbox's wall-clock budget (2 s) plus slack, and /healthz
// answers throughout. The reload is evaluated off the event loop: for the
// files that run until a budget stops them, /healthz requests sent after the
// daemon began the reload are answered before the reload's own reply.
TEST(ReliabilityHttp, HostileLuaIsStoppedWhileHealthzAnswers) {
    const HostileCase corpus[] = {
        {"os-execute", "os.execute('touch /tmp/aarshjul-pwned')"},
        {"io-open", "local f = io.open('/etc/passwd') return f:read('a')"},
        {"require-escape", "require('../../../../etc/passwd')"},
        {"loadlib", "package.loadlib('/lib/x86_64-linux-gnu/libc.so.6', 'system')('id')"},
        {"bytecode", "load(string.dump(function() end))()"},
        {"debug", "debug.sethook() debug.getregistry()"},
        {"metatable-string", "getmetatable('').__index = nil"},
        {"runaway", "while true do end", true},
        {"runaway-pcall", "for i = 1, 1e9 do pcall(function() while true do end end) end", true},
        {"runaway-xpcall",
         "xpcall(function() while true do end end, function() while true do end end)", true},
        {"runaway-coroutine",
         "local co = coroutine.wrap(function() while true do coroutine.yield() end end)\n"
         "while true do co() end",
         true},
        {"coroutine-in-pcall",
         "pcall(coroutine.wrap(function() while true do end end)) while true do end", true},
        {"rep-2^31", "local s = string.rep('x', 2^31) return #s"},
        {"rep-concat", "local s = 'x' for i = 1, 40 do s = s .. s end"},
        {"memory-bomb", "local t = {} for i = 1, 1e9 do t[i] = {i, i, i} end"},
        {"pattern", "return string.find(string.rep('a', 4000), string.rep('a*', 60) .. 'b')", true},
        // The stock string library: one C call the count hook cannot interrupt,
        // ended by the daemon killing the Lua worker at the deadline.
        {"pattern-1e6", "return string.rep('a', 1e6):find('.-.-.-.-.-.-.-.-b')", true},
        {"c-heavy-loop",
         "while true do local s = string.rep('x', 16 * 1024 * 1024) local u = string.upper(s) end",
         true},
        {"error-object",
         "error(setmetatable({}, {__tostring = function() while true do end end}))"},
        {"deep-recursion", "local function f() return 1 + f() end f()"},
    };
    Daemon daemon("");
    ASSERT_NE(daemon.port, 0) << daemon.process->log();
    const std::vector<std::string> auth{"Authorization: Bearer " + kToken,
                                        "Content-Type: application/json"};
    const std::string started = "reload: reading the configuration";
    int reloads = 0;
    std::atomic<long long> worst_health{0}; // ms; reported, not a target
    for (const auto& c : corpus) {
        SCOPED_TRACE(c.name);
        const fs::path file = daemon.dir.path() / "workflows" / "zz-hostile.lua";
        std::ofstream(file) << c.lua << "\n";
        std::atomic<bool> reloading{true};
        std::atomic<int> health_failures{0};
        // /healthz replies to requests sent after the daemon logged this reload's start.
        std::atomic<int> answered_during{0};
        std::thread prober([&, expected = reloads + 1] {
            while (reloading.load()) {
                const bool begun = log_count(*daemon.process, started) >= expected;
                const auto t0 = Clock::now();
                const auto reply = http_request(daemon.port, "GET", "/healthz");
                const auto ms =
                    std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
                worst_health = std::max<long long>(worst_health.load(), ms.count());
                if (reply.status != 200)
                    ++health_failures;
                else if (begun && reloading.load())
                    ++answered_during;
                std::this_thread::sleep_for(5ms);
            }
        });
        const auto t0 = Clock::now();
        const auto reload =
            http_request(daemon.port, "POST", "/api/v1/workflows/reload", "{}", auth);
        const auto took = Clock::now() - t0;
        reloading = false;
        prober.join();
        ++reloads;
        EXPECT_EQ(reload.status, 422) << reload.body;
        EXPECT_LT(took, 5s) << "the sandbox's 2 s budget was not enforced";
        if (c.runaway) {
            // The 2 s deadline holds within 10 %, however the time is spent.
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
            std::printf("[reliability] hostile reload '%s' refused after %lld ms\n", c.name,
                        static_cast<long long>(ms));
            if (latency_targets_apply()) {
                EXPECT_LE(ms, 2200 + 300) << "deadline 2000 ms + 10 %, + 300 ms for the reload";
            }
        }
        EXPECT_EQ(health_failures.load(), 0);
        if (c.runaway) {
            EXPECT_GE(answered_during.load(), 2)
                << "/healthz was not answered while the reload was evaluated";
        }
        EXPECT_TRUE(daemon.process->running());
        fs::remove(file);
    }
    EXPECT_FALSE(fs::exists("/tmp/aarshjul-pwned"));
    // The running workflows stayed; a clean reload works.
    EXPECT_EQ(http_request(daemon.port, "POST", "/api/v1/workflows/reload", "{}", auth).status,
              200);
    RecordProperty("healthz_worst_ms_during_hostile_reload", static_cast<int>(worst_health.load()));
    std::printf("[reliability] worst /healthz latency during a hostile reload: %lld ms\n",
                worst_health.load());
}

// The first column of `sql`'s first row in the daemon's database, read on a
// connection of the test's own (WAL: the daemon keeps writing meanwhile).
std::int64_t query_count(const fs::path& database, const std::string& sql) {
    auto db = Database::open(database);
    if (!db.ok())
        return -1;
    auto st = db->prepare(sql);
    if (!st.ok())
        return -1;
    auto row = st->step();
    return row.ok() && *row ? st->column_int64(0) : -1;
}

// An ISO 8601 instant `ago` before now, as the events API takes it.
std::string iso_ago(std::chrono::seconds ago) {
    return date::format("%FT%T+00:00", std::chrono::floor<std::chrono::seconds>(
                                           std::chrono::system_clock::now() - ago));
}

// N tasks (one per system) whose on_overdue hook loops forever go overdue in
// one tick: the hooks are queued in that tick's transaction and run by the
// Lua worker off the event loop, two at a time, each killed at its deadline
// ([hooks] timeout_ms = 200). /healthz answers throughout (within 50 ms under
// `make reliability`), every hook is recorded as failed with its error, and
// the next tick proceeds while they run: another event's task goes overdue.
// The normal suite runs 20 tasks, `make reliability` 100.
TEST(ReliabilityHttp, RunawayOverdueHooksLeaveHealthzAndTheTickAlone) {
    const int tasks = latency_targets_apply() ? 100 : 20;
    TempDir dir;
    const fs::path src = AARSHJUL_SOURCE_DIR;
    std::string directory = "[[person]]\nid = \"anna.jensen\"\nname = \"Anna Jensen\"\n"
                            "email = \"anna@example.test\"\nroles = [\"coordinator\"]\n";
    for (int i = 0; i < tasks; ++i)
        directory += "[[system]]\nid = \"sys-" + std::to_string(i) + "\"\nname = \"System " +
                     std::to_string(i) +
                     "\"\nowner = \"anna.jensen\"\nresponsible = \"anna.jensen\"\n"
                     "criticality = \"high\"\n";
    dir.write("directory.toml", directory);
    const std::string common =
        "  description = { da = \"Test\", en = \"Test\" },\n  source = \"test\",\n"
        "  assignee = role \"coordinator\",\n  due = hours(1),\n  escalate = {},\n";
    dir.write("workflows/drill.lua",
              "workflow {\n  id = \"DRILL\",\n  title = { da = \"Øvelse\", en = \"Drill\" },\n" +
                  common +
                  "  for_each = systems {},\n  schedule = on_event \"drill\",\n"
                  "  on_overdue = function(task) while true do end end,\n}\n"
                  "workflow {\n  id = \"PLAIN\",\n  title = { da = \"Almindelig\", en = \"Plain\" "
                  "},\n" +
                  common + "  schedule = on_event \"plain\",\n}\n");
    const auto config = dir.write(
        "aarshjul.toml",
        "[organisation]\nname = \"Testkommune\"\n"
        "[paths]\ndatabase = \"state/aarshjul.db\"\nworkflows = \"workflows\"\nlua = \"" +
            (src / "lua").string() + "\"\ndirectory = \"" +
            (dir.path() / "directory.toml").string() +
            "\"\n[hooks]\ntimeout_ms = 200\nworkers = 2\n"
            "[http]\nlisten = \"127.0.0.1:0\"\n"
            "[[http.tokens]]\nname = \"ops\"\nrole = \"admin\"\nperson = \"anna.jensen\"\n"
            "sha256 = \"" +
            sha256_hex(kToken) + "\"\n");
    Process daemon({aarshjul_binary().string(), "--config", config.string(), "serve"},
                   dir.path() / "serve.log");
    ASSERT_TRUE(daemon.wait_for_log("http: listening on", 30s)) << daemon.log();
    std::smatch match;
    const std::string log = daemon.log();
    ASSERT_TRUE(std::regex_search(log, match, std::regex(R"(\(port (\d+)\))"))) << log;
    const auto port = static_cast<std::uint16_t>(std::stoi(match[1]));
    const fs::path database = dir.path() / "state" / "aarshjul.db";
    const std::vector<std::string> auth{"Authorization: Bearer " + kToken,
                                        "Content-Type: application/json"};

    std::atomic<bool> probing{true};
    std::atomic<int> probes{0};
    std::atomic<int> probe_failures{0};
    std::atomic<long long> worst_us{0};
    std::thread prober([&] {
        while (probing.load()) {
            const TimedReply reply = timed_get(port, "/healthz");
            ++probes;
            if (reply.status != 200)
                ++probe_failures;
            if (latency_targets_apply()) {
                EXPECT_LE(reply.took, kProbeTarget) << "probe " << probes.load();
            }
            worst_us = std::max<long long>(worst_us.load(), reply.took.count());
            std::this_thread::sleep_for(20ms);
        }
    });

    // Aware two hours ago, due one hour after: every task is overdue at the tick after it.
    const auto t0 = Clock::now();
    // A per-system duty starts for the systems the event names: all of them.
    std::string systems;
    for (int i = 0; i < tasks; ++i)
        systems += (i ? ",\"sys-" : "\"sys-") + std::to_string(i) + "\"";
    const auto drill = http_request(port, "POST", "/api/v1/events",
                                    R"({"type": "drill", "title": "Runaway", "at": ")" +
                                        iso_ago(2h) + R"(", "systems": [)" + systems + "]}",
                                    auth);
    EXPECT_EQ(drill.status, 201) << drill.body;
    const auto hooks_queued = [&] {
        return query_count(database, "SELECT COUNT(*) FROM hook_runs WHERE hook = 'on_overdue'");
    };
    for (auto until = Clock::now() + 20s; hooks_queued() < tasks && Clock::now() < until;)
        std::this_thread::sleep_for(50ms);
    EXPECT_EQ(hooks_queued(), tasks) << daemon.log();

    // The next tick proceeds while the hooks run.
    const auto plain = http_request(
        port, "POST", "/api/v1/events",
        R"({"type": "plain", "title": "Plain", "at": ")" + iso_ago(2h) + R"("})", auth);
    EXPECT_EQ(plain.status, 201) << plain.body;
    const auto plain_overdue = [&] {
        return query_count(database, "SELECT COUNT(*) FROM tasks WHERE workflow_id = 'PLAIN' AND "
                                     "state = 'overdue'");
    };
    for (auto until = Clock::now() + 10s; plain_overdue() < 1 && Clock::now() < until;)
        std::this_thread::sleep_for(20ms);
    EXPECT_EQ(plain_overdue(), 1) << "the tick after the runaway hooks did not proceed";
    const auto hooks_open_then = query_count(
        database, "SELECT COUNT(*) FROM hook_runs WHERE state = 'pending' OR state = 'running'");

    const auto failed = [&] {
        return query_count(database, "SELECT COUNT(*) FROM hook_runs WHERE state = 'failed' AND "
                                     "error LIKE '%drill.lua%'");
    };
    for (auto until = Clock::now() + 120s; failed() < tasks && Clock::now() < until;)
        std::this_thread::sleep_for(100ms);
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
    probing = false;
    prober.join();

    EXPECT_EQ(failed(), tasks) << daemon.log();
    EXPECT_EQ(query_count(database, "SELECT COUNT(*) FROM task_events WHERE kind = 'hook_failed'"),
              tasks);
    EXPECT_EQ(query_count(database, "SELECT COUNT(*) FROM tasks WHERE workflow_id = 'DRILL' AND "
                                    "state = 'overdue' AND hook_error LIKE 'on_overdue: %'"),
              tasks);
    EXPECT_EQ(probe_failures.load(), 0);
    EXPECT_GT(probes.load(), 10);
    EXPECT_TRUE(daemon.running());
    report_worst("runaway on_overdue hooks",
                 std::chrono::microseconds{static_cast<long long>(worst_us.load())});
    std::printf("[reliability] %d runaway hooks failed in %lld ms (%lld still queued when the "
                "next tick had run), %d /healthz probes\n",
                tasks, static_cast<long long>(took.count()),
                static_cast<long long>(hooks_open_then), probes.load());
    if (HasFailure())
        std::printf("%s\n", daemon.log().c_str());
    daemon.signal(SIGTERM);
    daemon.wait(30s);
}

} // namespace
} // namespace aarshjul::testing

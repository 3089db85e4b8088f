// SPDX-License-Identifier: MPL-2.0
// At-least-once delivery survives kill -9: the daemon is killed at random
// points while it sends reminders to a real SMTP server (aiosmtpd on
// loopback), 20 times (AARSHJUL_CRASH_ROUNDS: `make reliability` runs 200),
// then restarted; the database passes integrity_check after every kill, every
// notice arrives, and a notice that arrives twice carries the same Message-ID.
// A second `serve` during a slow dispatch exits naming the first and sends nothing twice.
#include "plugins/server_process.h"
#include "store/sqlite/database.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "time/zone.h"

#include <boost/json.hpp>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <random>
#include <set>
#include <thread>

namespace aarshjul {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// The number of kill rounds: 20 in the normal suite, more by hand or in
// `make reliability`.
int crash_rounds() {
    const char* env = std::getenv("AARSHJUL_CRASH_ROUNDS");
    const int rounds = env ? std::atoi(env) : 0;
    return rounds > 0 ? rounds : 20;
}

std::string integrity(const fs::path& db_file) {
    auto db = Database::open(db_file);
    if (!db.ok())
        return db.error().to_string();
    auto st = db->prepare("PRAGMA integrity_check");
    if (!st.ok() || !st->step().ok())
        return "integrity_check did not run";
    return st->column_text(0);
}

// The first column of the first row of `sql` as a number, or -1.
int query_int(const fs::path& db_file, const std::string& sql) {
    auto db = Database::open(db_file);
    if (!db.ok())
        return -1;
    auto st = db->prepare(sql);
    if (!st.ok() || !st->step().ok())
        return -1;
    return static_cast<int>(st->column_int64(0));
}

int pending_rows(const fs::path& db_file) {
    return query_int(db_file, "SELECT COUNT(*) FROM outbox WHERE state = 'pending'");
}

// A daemon configuration whose one workflow sends a reminder per system of the
// sample municipality today, through a real SMTP server.
struct DeliveryFixture : ::testing::Test {
    testing::TempDir dir;
    fs::path outdir;
    std::unique_ptr<testing::ServerProcess> smtp;
    std::vector<std::string> argv;

    void start(std::vector<std::string> smtp_extra = {}) {
        const fs::path src = AARSHJUL_SOURCE_DIR;
        outdir = dir.path() / "mail";
        fs::create_directories(outdir);
        std::string error;
        std::vector<std::string> smtp_argv = {testing::python3(),
                                              (src / "tests/data/plugins/smtp_capture.py").string(),
                                              "--outdir", outdir.string()};
        smtp_argv.insert(smtp_argv.end(), smtp_extra.begin(), smtp_extra.end());
        smtp = testing::ServerProcess::start(smtp_argv, error);
        ASSERT_TRUE(smtp) << error;

        auto zone = Zone::locate("Europe/Copenhagen");
        ASSERT_TRUE(zone.ok());
        const std::string today = format_local_date(zone->local_date(
            std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now())));
        dir.write("workflows/crash.lua", "workflow {\n  id = \"CRASH\",\n"
                                         "  title = { da = \"Prøve\", en = \"Trial\" },\n"
                                         "  source = \"test\",\n  for_each = systems {},\n"
                                         "  assignee = role \"system_responsible\",\n"
                                         "  schedule = once \"" +
                                             today +
                                             "\",\n  remind = { before_due = { 0 } },\n}\n");
        const auto config = dir.write(
            "aarshjul.toml",
            "[organisation]\nname = \"Testkommune\"\n[paths]\ndatabase = \"state/aarshjul.db\"\n"
            "workflows = \"workflows\"\nlua = \"" +
                (src / "lua").string() + "\"\ndirectory = \"" +
                (src / "config/directory.toml").string() +
                "\"\n[http]\nlisten = \"127.0.0.1:0\"\n[schedule]\nreminder_hour = 0\n"
                "[reminders]\ndigest = false\n"
                "[notify]\nchannels = [\"mail\"]\nretry_base_seconds = 1\n"
                "[channel.mail]\nplugin = \"smtp\"\nhost = \"127.0.0.1\"\nport = " +
                std::to_string(smtp->port()) +
                "\ntls = \"none\"\nfrom = \"aarshjul@eksempel.dk\"\ndomain = \"eksempel.dk\"\n");
        argv = {testing::aarshjul_binary().string(), "--config", config.string(), "serve"};
    }

    fs::path db_file() const { return dir.path() / "state/aarshjul.db"; }

    // Runs the daemon until the outbox is empty, then stops it with SIGTERM.
    void drain(const std::string& log_name) {
        testing::Process daemon(argv, dir.path() / log_name);
        const auto deadline = std::chrono::steady_clock::now() + 90s;
        while (std::chrono::steady_clock::now() < deadline &&
               (pending_rows(db_file()) != 0 || !daemon.wait_for_log("next wake-up", 1ms)))
            std::this_thread::sleep_for(100ms);
        daemon.signal(SIGTERM);
        EXPECT_EQ(daemon.wait(30s), 0) << daemon.log();
    }

    // Every row was sent; every notice arrived; a duplicate reused its Message-ID.
    void expect_all_delivered() {
        ASSERT_EQ(pending_rows(db_file()), 0);
        auto db = Database::open(db_file());
        ASSERT_TRUE(db.ok());
        auto rows = db->prepare("SELECT COUNT(*), SUM(state = 'sent') FROM outbox");
        ASSERT_TRUE(rows.ok() && rows->step().ok());
        const int expected = static_cast<int>(rows->column_int64(0));
        EXPECT_EQ(rows->column_int64(1), expected);
        auto failed =
            db->prepare("SELECT notice_key, channel, last_error FROM outbox WHERE state <> 'sent'");
        ASSERT_TRUE(failed.ok());
        for (auto row = failed->step(); row.ok() && *row; row = failed->step())
            ADD_FAILURE() << failed->column_text(0) << " via " << failed->column_text(1) << ": "
                          << failed->column_optional_text(2).value_or("");
        EXPECT_GE(expected, 40); // one per system of the sample municipality

        std::map<std::string, int> by_message_id;
        int messages = 0;
        for (const auto& entry : fs::directory_iterator(outdir)) {
            if (entry.path().extension() != ".json")
                continue;
            auto summary = boost::json::parse(testing::read_file(entry.path())).as_object();
            ++by_message_id[std::string(summary.at("message_id").as_string())];
            ++messages;
        }
        EXPECT_EQ(static_cast<int>(by_message_id.size()), expected);
        EXPECT_GE(messages, expected);
    }
};

TEST_F(DeliveryFixture, KillNineDuringDispatchLosesNothing) {
    start();
    std::mt19937 rng(12345);
    std::uniform_int_distribution<int> pause_ms(20, 400);
    const int rounds = crash_rounds();
    for (int round = 0; round < rounds; ++round) {
        testing::Process daemon(argv, dir.path() / ("serve-" + std::to_string(round) + ".log"));
        std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(rng)));
        daemon.signal(SIGKILL);
        ASSERT_EQ(daemon.wait(10s), 128 + SIGKILL);
        if (fs::exists(db_file())) {
            ASSERT_EQ(integrity(db_file()), "ok") << "after kill " << round;
        }
    }

    drain("serve-final.log");
    expect_all_delivered();
}

// kill -9 while the mail server holds a message: the row in flight stays
// pending with the attempt already in `attempts` and no error (the attempt
// never came back), and no other row shows an attempt.
TEST_F(DeliveryFixture, KillNineDuringAnAttemptCountsTheAttempt) {
    start({"--delay", "60"}); // longer than the test: the first DATA never finishes
    const std::string in_flight = "SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND "
                                  "attempts = 1 AND last_error IS NULL";
    {
        testing::Process daemon(argv, dir.path() / "serve-slow.log");
        const auto deadline = std::chrono::steady_clock::now() + 20s;
        while (std::chrono::steady_clock::now() < deadline && query_int(db_file(), in_flight) != 1)
            std::this_thread::sleep_for(50ms);
        ASSERT_EQ(query_int(db_file(), in_flight), 1) << daemon.log();
        daemon.signal(SIGKILL);
        ASSERT_EQ(daemon.wait(10s), 128 + SIGKILL);
    }
    EXPECT_FALSE(fs::exists(outdir / "1.json")) << "the attempt finished before the kill";
    EXPECT_EQ(query_int(db_file(), in_flight), 1);
    EXPECT_EQ(query_int(db_file(), "SELECT SUM(attempts) FROM outbox"), 1);
    EXPECT_EQ(query_int(db_file(), "SELECT COUNT(*) FROM outbox WHERE state <> 'pending'"), 0);
}

// SIGTERM while a slow mail server is taking messages: the daemon finishes the
// delivery in flight and exits 0 within its bound; what was not sent stays
// pending and goes out after the next start. Nothing is lost.
TEST_F(DeliveryFixture, SigtermDuringDispatchLosesNothing) {
    start({"--delay", "0.2"});
    {
        testing::Process daemon(argv, dir.path() / "serve-term.log");
        // Wait for the first delivered message, then stop mid-stream.
        const auto deadline = std::chrono::steady_clock::now() + 30s;
        while (std::chrono::steady_clock::now() < deadline && !fs::exists(outdir / "1.json"))
            std::this_thread::sleep_for(20ms);
        ASSERT_TRUE(fs::exists(outdir / "1.json")) << daemon.log();
        daemon.signal(SIGTERM);
        EXPECT_EQ(daemon.wait(30s), 0) << daemon.log();
        EXPECT_NE(daemon.log().find("stopped"), std::string::npos) << daemon.log();
    }
    EXPECT_GT(pending_rows(db_file()), 0) << "the stop came too late to leave work in flight";
    drain("serve-after.log");
    expect_all_delivered();
}

// Two daemons on one database during a slow dispatch: the second `serve`
// (a double start, or the unit plus a manual run) exits non-zero naming the
// first while the first is sending, and every notice arrives exactly once.
// Before the lock, the same start sent about 3,170 mails for 2,000 notices.
TEST_F(DeliveryFixture, SecondServeDuringASlowDispatchSendsNothingTwice) {
    start({"--delay", "0.1"});
    testing::Process first(argv, dir.path() / "serve-first.log");
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (std::chrono::steady_clock::now() < deadline && !fs::exists(outdir / "1.json"))
        std::this_thread::sleep_for(20ms);
    ASSERT_TRUE(fs::exists(outdir / "1.json")) << first.log();

    const std::string holder = "is in use by aarshjul pid " + std::to_string(first.pid());
    for (int attempt = 0; attempt < 3; ++attempt) {
        testing::Process second(argv,
                                dir.path() / ("serve-second-" + std::to_string(attempt) + ".log"));
        const int code = second.wait(10s);
        EXPECT_NE(code, -1) << "the second serve is still running\n" << second.log();
        EXPECT_NE(code, 0) << second.log();
        EXPECT_NE(second.log().find(holder), std::string::npos) << second.log();
    }
    ASSERT_GT(pending_rows(db_file()), 0) << "the dispatch ended before the second start";

    while (std::chrono::steady_clock::now() < deadline + 60s && pending_rows(db_file()) != 0)
        std::this_thread::sleep_for(100ms);
    first.signal(SIGTERM);
    EXPECT_EQ(first.wait(30s), 0) << first.log();
    expect_all_delivered();

    // Exactly once: as many messages as rows, each row's attempt counted once.
    int messages = 0;
    for (const auto& entry : fs::directory_iterator(outdir))
        messages += entry.path().extension() == ".json";
    const int rows = query_int(db_file(), "SELECT COUNT(*) FROM outbox");
    EXPECT_EQ(messages, rows);
    EXPECT_EQ(query_int(db_file(), "SELECT SUM(attempts) FROM outbox"), rows);
}

} // namespace
} // namespace aarshjul

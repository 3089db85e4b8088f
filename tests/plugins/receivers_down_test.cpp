// SPDX-License-Identifier: MPL-2.0
// Reliability: the SMTP server and the webhook receiver are down when the
// daemon starts sending; they come up a few seconds later and every notice
// is then delivered on both channels, each exactly under its own id.
#include "plugins/server_process.h"
#include "store/sqlite/database.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "time/zone.h"

#include <boost/json.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <set>
#include <thread>

namespace aarshjul {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::int64_t count(const fs::path& db_file, const std::string& sql) {
    auto db = Database::open(db_file);
    if (!db.ok())
        return -1;
    auto st = db->prepare(sql);
    if (!st.ok() || !st->step().ok())
        return -1;
    return st->column_int64(0);
}

// Both receivers are down at first: the rows are retried (not failed), and
// once the receivers are up every row is sent and every notice arrives.
TEST(ReliabilityReceivers, DownThenUpEverythingDelivered) {
    testing::TempDir dir;
    const fs::path src = AARSHJUL_SOURCE_DIR;
    const int smtp_port = testing::unused_port();
    const int hook_port = testing::unused_port();
    auto zone = Zone::locate("Europe/Copenhagen");
    ASSERT_TRUE(zone.ok());
    const std::string today = format_local_date(zone->local_date(
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now())));
    dir.write("workflows/down.lua", "workflow {\n  id = \"DOWN\",\n"
                                    "  title = { da = \"Prøve\", en = \"Trial\" },\n"
                                    "  source = \"test\",\n  for_each = systems {},\n"
                                    "  assignee = role \"system_responsible\",\n"
                                    "  schedule = once \"" +
                                        today + "\",\n  remind = { before_due = { 0 } },\n}\n");
    const auto config = dir.write(
        "aarshjul.toml",
        "[organisation]\nname = \"Testkommune\"\n[paths]\ndatabase = \"state/aarshjul.db\"\n"
        "workflows = \"workflows\"\nlua = \"" +
            (src / "lua").string() + "\"\ndirectory = \"" +
            (src / "config/directory.toml").string() +
            "\"\n[http]\nlisten = \"127.0.0.1:0\"\n[schedule]\nreminder_hour = 0\n"
            "[reminders]\ndigest = false\n"
            "[notify]\nchannels = [\"mail\", \"hook\"]\nretry_base_seconds = 1\n"
            "max_attempts = 30\n"
            "[channel.mail]\nplugin = \"smtp\"\nhost = \"127.0.0.1\"\nport = " +
            std::to_string(smtp_port) +
            "\ntls = \"none\"\nfrom = \"aarshjul@eksempel.dk\"\ndomain = \"eksempel.dk\"\n"
            "[channel.hook]\nplugin = \"webhook\"\nurl = \"http://127.0.0.1:" +
            std::to_string(hook_port) +
            "/hook\"\nformat = \"generic\"\n"
            "secrets = [\"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\"]\n");
    const fs::path db_file = dir.path() / "state/aarshjul.db";
    testing::Process daemon(
        {testing::aarshjul_binary().string(), "--config", config.string(), "serve"},
        dir.path() / "serve.log");

    // Wait until both channels have failed at least once while nothing listens.
    auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline &&
           count(db_file, "SELECT COUNT(DISTINCT channel) FROM outbox WHERE attempts > 0 AND "
                          "state = 'pending'") < 2)
        std::this_thread::sleep_for(100ms);
    ASSERT_EQ(count(db_file, "SELECT COUNT(DISTINCT channel) FROM outbox WHERE attempts > 0"), 2)
        << daemon.log();
    std::this_thread::sleep_for(2s);
    EXPECT_EQ(count(db_file, "SELECT COUNT(*) FROM outbox WHERE state = 'sent'"), 0);

    const fs::path outdir = dir.path() / "mail";
    fs::create_directories(outdir);
    const fs::path hook_log = dir.path() / "hooks.jsonl";
    std::string error;
    auto smtp = testing::ServerProcess::start(
        {testing::python3(), (src / "tests/data/plugins/smtp_capture.py").string(), "--outdir",
         outdir.string(), "--port", std::to_string(smtp_port)},
        error);
    ASSERT_TRUE(smtp) << error;
    auto hook = testing::ServerProcess::start(
        {testing::python3(), (src / "tests/data/plugins/webhook_receiver.py").string(), "--log",
         hook_log.string(), "--port", std::to_string(hook_port)},
        error);
    ASSERT_TRUE(hook) << error;

    deadline = std::chrono::steady_clock::now() + 150s;
    while (std::chrono::steady_clock::now() < deadline &&
           count(db_file, "SELECT COUNT(*) FROM outbox WHERE state = 'pending'") != 0)
        std::this_thread::sleep_for(200ms);
    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait(30s), 0) << daemon.log();

    const auto total = count(db_file, "SELECT COUNT(*) FROM outbox");
    EXPECT_GE(total, 2 * 40); // one per system of the sample municipality, per channel
    EXPECT_EQ(count(db_file, "SELECT COUNT(*) FROM outbox WHERE state = 'sent'"), total);
    std::set<std::string> mail_ids;
    for (const auto& entry : fs::directory_iterator(outdir))
        if (entry.path().extension() == ".json")
            mail_ids.insert(std::string(
                boost::json::parse(testing::read_file(entry.path())).at("message_id").as_string()));
    std::set<std::string> hook_ids;
    std::ifstream in(hook_log);
    for (std::string line; std::getline(in, line);)
        hook_ids.insert(
            std::string(boost::json::parse(line).at("headers").at("webhook-id").as_string()));
    EXPECT_EQ(static_cast<std::int64_t>(mail_ids.size()),
              count(db_file, "SELECT COUNT(*) FROM outbox WHERE channel = 'mail'"));
    EXPECT_EQ(static_cast<std::int64_t>(hook_ids.size()),
              count(db_file, "SELECT COUNT(*) FROM outbox WHERE channel = 'hook'"));
}

} // namespace
} // namespace aarshjul

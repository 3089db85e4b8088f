// SPDX-License-Identifier: MPL-2.0
#include "http/auth.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "util/sha256.h"

#include <boost/json.hpp>
#include <csignal>
#include <gtest/gtest.h>
#include <regex>

namespace aarshjul::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// `aarshjul serve` with an [http] section on port 0: the API answers, a
// completion through it is picked up by the scheduler, and SIGTERM stops the
// daemon cleanly.
TEST(Daemon, ServesTheApiAndStopsOnSigterm) {
    TempDir dir;
    const fs::path src = AARSHJUL_SOURCE_DIR;
    testing::copy_basic_workflows(dir.path() / "workflows");
    const std::string token = "daemon-admin-token";
    const auto config = dir.write(
        "aarshjul.toml",
        "[organisation]\nname = \"Testkommune\"\n"
        "[paths]\ndatabase = \"state/aarshjul.db\"\nworkflows = \"workflows\"\nlua = \"" +
            (src / "lua").string() + "\"\ndirectory = \"" +
            (src / "config" / "directory.toml").string() +
            "\"\n[http]\nlisten = \"127.0.0.1:0\"\n"
            "[[http.tokens]]\nname = \"ops\"\nrole = \"admin\"\nperson = \"anna.jensen\"\n"
            "sha256 = \"" +
            sha256_hex(token) + "\"\n");
    Process daemon({aarshjul_binary().string(), "--config", config.string(), "serve"},
                   dir.path() / "serve.log");
    ASSERT_TRUE(daemon.wait_for_log("http: listening on", 30s)) << daemon.log();
    std::smatch match;
    const std::string log = daemon.log();
    ASSERT_TRUE(std::regex_search(log, match, std::regex(R"(\(port (\d+)\))"))) << log;
    const auto port = static_cast<std::uint16_t>(std::stoi(match[1]));

    EXPECT_EQ(http_request(port, "GET", "/healthz").status, 200);
    const std::vector<std::string> auth{"Authorization: Bearer " + token,
                                        "Content-Type: application/json"};
    auto tasks = http_request(port, "GET", "/api/v1/tasks?workflow=ISU-QSTAT&limit=1", {}, auth);
    ASSERT_EQ(tasks.status, 200) << tasks.body;
    const auto id = boost::json::parse(tasks.body).at("tasks").as_array().at(0).at("id").as_int64();
    auto done = http_request(port, "POST", "/api/v1/tasks/" + std::to_string(id) + "/complete",
                             R"({"note":"via the daemon"})", auth);
    ASSERT_EQ(done.status, 200) << done.body;
    auto reload = http_request(port, "POST", "/api/v1/workflows/reload", "{}", auth);
    EXPECT_EQ(reload.status, 200) << reload.body;
    auto metrics = http_request(port, "GET", "/metrics");
    EXPECT_NE(metrics.body.find("aarshjul_tasks{workflow=\"ISU-QSTAT\",state=\"done\"} 1"),
              std::string::npos)
        << metrics.body;
    EXPECT_EQ(metrics.body.find("aarshjul_last_tick_timestamp_seconds 0\n"), std::string::npos);

    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait(15s), 0) << daemon.log();
    EXPECT_NE(daemon.log().find("stopped"), std::string::npos) << daemon.log();
    EXPECT_EQ(http_request(port, "GET", "/healthz").status, 0);
}

} // namespace
} // namespace aarshjul::testing

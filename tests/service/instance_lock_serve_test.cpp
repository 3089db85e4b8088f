// SPDX-License-Identifier: MPL-2.0
// One scheduler per database: a second `serve` on the same database exits
// non-zero at once naming the first (on the same port and on another), the
// first keeps running, and `backup` still works beside it.
#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

#include <csignal>
#include <filesystem>
#include <gtest/gtest.h>

namespace aarshjul {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// The port the daemon logged ("... (port 41234), ..."), or 0.
std::uint16_t logged_port(const std::string& log) {
    const std::string marker = "(port ";
    const auto at = log.find(marker);
    if (at == std::string::npos)
        return 0;
    return static_cast<std::uint16_t>(std::stoi(log.substr(at + marker.size())));
}

struct OneSchedulerPerDatabase : ::testing::Test {
    testing::TempDir dir;

    void SetUp() override { testing::copy_basic_workflows(dir.path() / "workflows"); }

    // A configuration named `name` on the shared database, listening on `listen`.
    fs::path config(const std::string& name, const std::string& listen) {
        const fs::path src = AARSHJUL_SOURCE_DIR;
        return dir.write(name, "[organisation]\nname = \"Testkommune\"\n"
                               "[paths]\ndatabase = \"state/aarshjul.db\"\n"
                               "workflows = \"workflows\"\nlua = \"" +
                                   (src / "lua").string() + "\"\ndirectory = \"" +
                                   (src / "config" / "directory.toml").string() +
                                   "\"\n[http]\nlisten = \"" + listen + "\"\n");
    }

    testing::Process run(const fs::path& config, std::vector<std::string> command,
                         const std::string& log) {
        std::vector<std::string> argv = {testing::aarshjul_binary().string(), "--config",
                                         config.string()};
        argv.insert(argv.end(), command.begin(), command.end());
        return testing::Process(argv, dir.path() / log);
    }
};

// A second serve, on the first one's port and on a free one, exits non-zero
// within seconds naming the first's pid; the first keeps answering, and
// `backup` (a command that writes beside the daemon) still works.
TEST_F(OneSchedulerPerDatabase, SecondServeExitsNamingTheFirst) {
    auto first = run(config("first.toml", "127.0.0.1:0"), {"serve"}, "first.log");
    ASSERT_TRUE(first.wait_for_log("next wake-up at", 30s)) << first.log();
    const std::uint16_t port = logged_port(first.log());
    ASSERT_NE(port, 0) << first.log();
    const std::string holder = "is in use by aarshjul pid " + std::to_string(first.pid()) + " on ";

    const std::pair<const char*, std::string> seconds[] = {
        {"same port", "127.0.0.1:" + std::to_string(port)},
        {"another port", "127.0.0.1:0"},
    };
    for (const auto& [what, listen] : seconds) {
        auto second = run(config(std::string("second-") + what + ".toml", listen), {"serve"},
                          std::string("second-") + what + ".log");
        const int code = second.wait(10s);
        EXPECT_NE(code, -1) << what << ": still running\n" << second.log();
        EXPECT_NE(code, 0) << what << "\n" << second.log();
        EXPECT_NE(second.log().find(holder), std::string::npos) << what << "\n" << second.log();
        EXPECT_NE(second.log().find(" since "), std::string::npos) << what << "\n" << second.log();
        EXPECT_EQ(second.log().find("next wake-up"), std::string::npos) << what;
    }

    EXPECT_TRUE(first.running());
    EXPECT_EQ(testing::http_request(port, "GET", "/healthz").status, 200);
    auto backup = run(config("backup.toml", "127.0.0.1:0"),
                      {"backup", (dir.path() / "copy.db").string()}, "backup.log");
    EXPECT_EQ(backup.wait(30s), 0) << backup.log();
    EXPECT_TRUE(fs::exists(dir.path() / "copy.db"));

    first.signal(SIGTERM);
    EXPECT_EQ(first.wait(10s), 0) << first.log();
}

} // namespace
} // namespace aarshjul

#include "support/process.h"
#include "support/temp_dir.h"

#include <csignal>
#include <filesystem>
#include <gtest/gtest.h>

namespace aarshjul {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A configuration in a temp folder using a copy of the shipped workflows.
struct ServeFixture : ::testing::Test {
    testing::TempDir dir;
    fs::path config;

    void SetUp() override {
        const fs::path src = AARSHJUL_SOURCE_DIR;
        fs::copy(src / "tests" / "data" / "workflows" / "basic", dir.path() / "workflows",
                 fs::copy_options::recursive);
        config =
            dir.write("aarshjul.toml", "[organisation]\nname = \"Testkommune\"\n"
                                       "[paths]\ndatabase = \"state/aarshjul.db\"\n"
                                       "workflows = \"workflows\"\n"
                                       "lua = \"" +
                                           (src / "lua").string() +
                                           "\"\n"
                                           "directory = \"" +
                                           (src / "config" / "directory.toml").string() + "\"\n");
    }

    testing::Process serve() {
        return testing::Process(
            {testing::aarshjul_binary().string(), "--config", config.string(), "serve"},
            dir.path() / "serve.log");
    }
};

// The daemon starts, materialises the shipped workflows, logs its next wake-up and stops cleanly on
// SIGTERM.
TEST_F(ServeFixture, StartsLogsNextWakeupAndStopsOnSigterm) {
    auto daemon = serve();
    ASSERT_TRUE(daemon.wait_for_log("next wake-up at", 20s)) << daemon.log();
    EXPECT_NE(daemon.log().find("8 workflows loaded"), std::string::npos) << daemon.log();
    EXPECT_TRUE(fs::exists(dir.path() / "state" / "aarshjul.db"));
    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait(10s), 0) << daemon.log();
}

// SIGHUP with a broken workflow is refused with file:line and the daemon keeps running.
TEST_F(ServeFixture, ReloadWithABrokenWorkflowKeepsTheRunningSet) {
    auto daemon = serve();
    ASSERT_TRUE(daemon.wait_for_log("next wake-up at", 20s)) << daemon.log();
    auto broken = dir.write("workflows/broken.lua", "workflow {\n  id = \"BROKEN\",\n  oops\n}\n");
    daemon.signal(SIGHUP);
    ASSERT_TRUE(daemon.wait_for_log("reload refused", 20s)) << daemon.log();
    EXPECT_NE(daemon.log().find(broken.string() + ":"), std::string::npos) << daemon.log();
    EXPECT_TRUE(daemon.running());

    fs::remove(broken);
    daemon.signal(SIGHUP);
    ASSERT_TRUE(daemon.wait_for_log("0 created, 0 updated, 0 cancelled", 20s)) << daemon.log();
    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait(10s), 0) << daemon.log();
}

} // namespace
} // namespace aarshjul

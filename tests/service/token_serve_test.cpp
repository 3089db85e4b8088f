// SPDX-License-Identifier: MPL-2.0
// `aarshjul token` beside a running daemon (a real process on port 0): it
// accepts a token added while it runs and refuses it once revoked, without a
// reload, and a stored admin token counts when it decides on a first-start link.
#include "cli/cli.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/temp_dir.h"

#include <csignal>
#include <filesystem>
#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <sstream>

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

// A configuration in `dir` whose API listens on a free port.
fs::path write_config(const testing::TempDir& dir) {
    const fs::path src = AARSHJUL_SOURCE_DIR;
    testing::copy_basic_workflows(dir.path() / "workflows");
    return dir.write("aarshjul.toml",
                     "[organisation]\nname = \"Testkommune\"\n"
                     "[paths]\ndatabase = \"state/aarshjul.db\"\nworkflows = \"workflows\"\n"
                     "lua = \"" +
                         (src / "lua").string() + "\"\ndirectory = \"" +
                         (src / "config" / "directory.toml").string() +
                         "\"\n[http]\nlisten = \"127.0.0.1:0\"\n");
}

// Runs the command line in this process with `config`; its stdout.
std::string command(std::vector<std::string> args, const fs::path& config) {
    args.insert(args.end(), {"--config", config.string(), "--log-level", "warn"});
    std::ostringstream out, err;
    const int code = cli::run(args, out, err);
    // cli::run leaves the logger on `err`, which ends here.
    spdlog::set_default_logger(
        std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>()));
    EXPECT_EQ(code, 0) << err.str();
    return out.str();
}

testing::Process serve(const testing::TempDir& dir, const fs::path& config) {
    return testing::Process(
        {testing::aarshjul_binary().string(), "--config", config.string(), "serve"},
        dir.path() / "serve.log");
}

// A token added with the CLI works against the running daemon at once, and
// is refused with 401 from the request after `token revoke`. With no admin
// token anywhere the daemon offers the first-start link.
TEST(TokenBesideTheDaemon, AddedAndRevokedWhileItRuns) {
    testing::TempDir dir;
    const auto config = write_config(dir);
    auto daemon = serve(dir, config);
    ASSERT_TRUE(daemon.wait_for_log("next wake-up at", 20s)) << daemon.log();
    EXPECT_NE(daemon.log().find("first sign-in (admin, once)"), std::string::npos) << daemon.log();
    const std::uint16_t port = logged_port(daemon.log());
    ASSERT_NE(port, 0) << daemon.log();
    const auto status = [&](const std::string& token) {
        return testing::http_request(port, "GET", "/api/v1/status", {},
                                     {"Authorization: Bearer " + token})
            .status;
    };

    std::string token = command({"token", "add", "committee", "--role", "viewer"}, config);
    ASSERT_FALSE(token.empty());
    token.pop_back(); // the newline
    EXPECT_EQ(status(token), 200) << daemon.log();
    command({"token", "revoke", "committee"}, config);
    EXPECT_EQ(status(token), 401);

    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait(10s), 0) << daemon.log();
}

// An active admin token in the database means an admin can sign in: the
// daemon offers no first-start link.
TEST(TokenBesideTheDaemon, StoredAdminTokenMeansNoFirstStartLink) {
    testing::TempDir dir;
    const auto config = write_config(dir);
    command({"token", "add", "ops", "--role", "admin"}, config);
    auto daemon = serve(dir, config);
    ASSERT_TRUE(daemon.wait_for_log("next wake-up at", 20s)) << daemon.log();
    EXPECT_EQ(daemon.log().find("first sign-in"), std::string::npos) << daemon.log();
    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait(10s), 0) << daemon.log();
}

} // namespace
} // namespace aarshjul

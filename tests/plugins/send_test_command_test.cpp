// SPDX-License-Identifier: MPL-2.0
// `aarshjul send-test` through the configured smtp channel to a real SMTP
// server on loopback: the message arrives; a server that is down is a clear
// failure with a non-zero exit.
#include "cli/cli.h"
#include "plugins/server_process.h"
#include "support/temp_dir.h"

#include <boost/json.hpp>
#include <filesystem>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sstream>

namespace aarshjul {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

struct SendTestCommand : ::testing::Test {
    testing::TempDir dir;

    std::string config(int port) {
        const fs::path src = AARSHJUL_SOURCE_DIR;
        return dir
            .write("aarshjul.toml",
                   "[organisation]\nname = \"Testkommune\"\n[paths]\n"
                   "database = \"state/aarshjul.db\"\nworkflows = \"" +
                       (src / "workflows" / "common").string() + "\"\nlua = \"" +
                       (src / "lua").string() + "\"\ndirectory = \"" +
                       (src / "config" / "directory.toml").string() +
                       "\"\n\n[channel.mail]\nplugin = \"smtp\"\nhost = \"127.0.0.1\"\n"
                       "port = " +
                       std::to_string(port) +
                       "\ntls = \"none\"\ntimeout_seconds = 5\n"
                       "from = \"aarshjul@testkommune.dk\"\nfrom_name = \"Årshjulet\"\n")
            .string();
    }

    int run(const std::string& cfg, std::string& err) {
        std::ostringstream out, errors;
        int code = cli::run({"--config", cfg, "--log-level", "warn", "send-test", "--channel",
                             "mail", "--to", "anna.jensen@eksempel.dk"},
                            out, errors);
        err = errors.str();
        return code;
    }
};

TEST_F(SendTestCommand, DeliversARealMessage) {
    fs::create_directories(dir.path() / "mail");
    std::string error;
    auto server = testing::ServerProcess::start(
        {testing::python3(),
         (fs::path(AARSHJUL_SOURCE_DIR) / "tests/data/plugins/smtp_capture.py").string(),
         "--outdir", (dir.path() / "mail").string()},
        error);
    ASSERT_TRUE(server) << error;

    std::string err;
    ASSERT_EQ(run(config(server->port()), err), 0) << err;
    const auto captured = dir.path() / "mail" / "1.json";
    ASSERT_TRUE(fs::exists(captured));
    auto mail = boost::json::parse(testing::read_file(captured)).as_object();
    EXPECT_EQ(mail["rcpt_tos"].as_array().at(0).as_string(), "anna.jensen@eksempel.dk");
    EXPECT_EQ(mail["mail_from"].as_string(), "aarshjul@testkommune.dk");
    EXPECT_THAT(std::string(mail["subject"].as_string()), HasSubstr("Testkommune"));
}

TEST_F(SendTestCommand, ServerDownIsAClearFailure) {
    std::string err;
    EXPECT_NE(run(config(testing::unused_port()), err), 0);
    EXPECT_THAT(err, HasSubstr("send-test: mail to anna.jensen@eksempel.dk failed (temporary)"));
}

} // namespace
} // namespace aarshjul

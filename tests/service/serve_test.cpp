// SPDX-License-Identifier: MPL-2.0
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
        testing::copy_basic_workflows(dir.path() / "workflows");
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

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

namespace aarshjul {
namespace {

// A datagram socket standing in for systemd's notify socket.
class NotifySocket {
public:
    explicit NotifySocket(const fs::path& path) : m_path(path) {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path.c_str());
        m_bound = ::bind(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
        timeval timeout{0, 200 * 1000};
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    }
    ~NotifySocket() { ::close(m_fd); }
    bool bound() const { return m_bound; }

    // Collects messages until one contains `text` or `timeout` passes.
    bool wait_for(const std::string& text, std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            if (m_seen.find(text) != std::string::npos)
                return true;
            char buffer[4096];
            const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
            if (n > 0)
                m_seen.append(buffer, static_cast<std::size_t>(n)).append("\n");
        }
        return m_seen.find(text) != std::string::npos;
    }
    int count(const std::string& text) const {
        int n = 0;
        for (auto at = m_seen.find(text); at != std::string::npos; at = m_seen.find(text, at + 1))
            ++n;
        return n;
    }
    const std::string& seen() const { return m_seen; }

private:
    fs::path m_path;
    int m_fd = -1;
    bool m_bound = false;
    std::string m_seen;
};

// Under systemd (Type=notify): READY once serving, WATCHDOG=1 from the loop,
// RELOADING then READY around SIGHUP, STOPPING on SIGTERM.
TEST_F(ServeFixture, SpeaksSystemdsNotifyProtocol) {
    NotifySocket notify(dir.path() / "notify.sock");
    ASSERT_TRUE(notify.bound());
    ::setenv("NOTIFY_SOCKET", (dir.path() / "notify.sock").c_str(), 1);
    ::setenv("WATCHDOG_USEC", "400000", 1); // a keep-alive every 200 ms
    auto daemon = serve();
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");

    ASSERT_TRUE(notify.wait_for("READY=1", 20s)) << notify.seen() << daemon.log();
    EXPECT_NE(notify.seen().find("STATUS=serving 8 workflows"), std::string::npos) << notify.seen();
    ASSERT_TRUE(notify.wait_for("WATCHDOG=1", 5s)) << notify.seen();
    const auto until = std::chrono::steady_clock::now() + 1s;
    while (std::chrono::steady_clock::now() < until)
        notify.wait_for("never", 100ms);
    EXPECT_GE(notify.count("WATCHDOG=1"), 3) << notify.seen();

    daemon.signal(SIGHUP);
    ASSERT_TRUE(notify.wait_for("RELOADING=1", 10s)) << notify.seen();
    ASSERT_TRUE(notify.wait_for("(reloaded)", 10s)) << notify.seen();
    daemon.signal(SIGTERM);
    ASSERT_TRUE(notify.wait_for("STOPPING=1", 10s)) << notify.seen();
    EXPECT_EQ(daemon.wait(10s), 0) << daemon.log();
}

// A SIGHUP that arrives while a reload is being evaluated is not lost: a
// second reload follows the first, each bracketed by RELOADING=1 and READY=1
// (here both refuse the runaway file), and the daemon stops cleanly after.
TEST_F(ServeFixture, SighupDuringAReloadIsFollowedByAnother) {
    NotifySocket notify(dir.path() / "notify.sock");
    ASSERT_TRUE(notify.bound());
    ::setenv("NOTIFY_SOCKET", (dir.path() / "notify.sock").c_str(), 1);
    auto daemon = serve();
    ::unsetenv("NOTIFY_SOCKET");
    ASSERT_TRUE(notify.wait_for("READY=1", 20s)) << notify.seen() << daemon.log();

    dir.write("workflows/zz-runaway.lua", "while true do end\n");
    daemon.signal(SIGHUP);
    ASSERT_TRUE(daemon.wait_for_log("reload: reading", 10s)) << daemon.log();
    daemon.signal(SIGHUP);
    ASSERT_TRUE(daemon.wait_for_log("another one follows it", 10s)) << daemon.log();
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (notify.count("reload refused") < 2 && std::chrono::steady_clock::now() < deadline)
        notify.wait_for("never", 100ms);
    EXPECT_EQ(notify.count("RELOADING=1"), 2) << notify.seen();
    EXPECT_EQ(notify.count("reload refused; the running workflows stay"), 2) << notify.seen();
    EXPECT_TRUE(daemon.running());
    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait(10s), 0) << daemon.log();
}

// SIGTERM while a reload is being evaluated: the daemon stops cleanly (the
// worker is joined once the sandbox has stopped the file).
TEST_F(ServeFixture, SigtermDuringAReloadStopsCleanly) {
    auto daemon = serve();
    ASSERT_TRUE(daemon.wait_for_log("next wake-up at", 20s)) << daemon.log();
    dir.write("workflows/zz-runaway.lua", "while true do end\n");
    daemon.signal(SIGHUP);
    ASSERT_TRUE(daemon.wait_for_log("reload: reading", 10s)) << daemon.log();
    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait(15s), 0) << daemon.log();
    EXPECT_NE(daemon.log().find("stopped"), std::string::npos) << daemon.log();
}

} // namespace
} // namespace aarshjul

namespace aarshjul {
namespace {

// The daemon logs each old DSL spelling at warn when it loads the workflows,
// at start and on every reload, and runs all the same.
TEST_F(ServeFixture, LogsOldSpellingsAtWarn) {
    auto old = dir.write("workflows/old.lua", R"(-- before units
workflow {
  id = "OLD-SPELLING",
  title = { da = "Gammel", en = "Old" },
  source = "test",
  assignee = role "coordinator",
  schedule = yearly { month = 5, day = 1 },
  escalate = { { after = 7, to = role "coordinator" } },
}
)");
    const char* inherited = std::getenv("JOURNAL_STREAM");
    const std::string saved = inherited ? inherited : "";
    ::setenv("JOURNAL_STREAM", "8:12345", 1);
    auto daemon = serve();
    if (inherited)
        ::setenv("JOURNAL_STREAM", saved.c_str(), 1);
    else
        ::unsetenv("JOURNAL_STREAM");
    ASSERT_TRUE(daemon.wait_for_log("next wake-up at", 20s)) << daemon.log();
    EXPECT_NE(daemon.log().find("\n<6>9 workflows loaded"), std::string::npos) << daemon.log();
    daemon.signal(SIGHUP);
    ASSERT_TRUE(daemon.wait_for_log("tasks: 0 created, 0 updated, 0 cancelled", 20s))
        << daemon.log();
    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait(10s), 0) << daemon.log();
    const std::string log = daemon.log();
    const std::string warning = "<4>" + old.string() +
                                ":2: workflow OLD-SPELLING: escalate[1].after = 7 is in days "
                                "without saying so; write after = days(7)\n";
    auto count = [&](const std::string& text) {
        std::size_t n = 0;
        for (auto at = log.find(text); at != std::string::npos; at = log.find(text, at + 1))
            ++n;
        return n;
    };
    EXPECT_EQ(count(warning), 2u) << log; // at start and on the reload
    EXPECT_EQ(count("<4>"), 2u) << log;   // and nothing else warns
}

// Under systemd (JOURNAL_STREAM set) each line is "<priority>message" for
// journald; on a terminal or file it carries a timestamp and the level.
TEST_F(ServeFixture, LogsForJournaldUnderSystemd) {
    // The test runner itself may run under systemd: restore its setting afterwards.
    const char* inherited = std::getenv("JOURNAL_STREAM");
    const std::string saved = inherited ? inherited : "";
    ::setenv("JOURNAL_STREAM", "8:12345", 1);
    auto daemon = serve();
    ::unsetenv("JOURNAL_STREAM");
    ASSERT_TRUE(daemon.wait_for_log("next wake-up at", 20s)) << daemon.log();
    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait(10s), 0) << daemon.log();
    const std::string log = daemon.log();
    EXPECT_EQ(log.rfind("<6>aarshjul ", 0), 0u) << log;
    EXPECT_NE(log.find("\n<6>8 workflows loaded"), std::string::npos) << log;

    auto plain = serve();
    ASSERT_TRUE(plain.wait_for_log("next wake-up at", 20s)) << plain.log();
    plain.signal(SIGTERM);
    EXPECT_EQ(plain.wait(10s), 0);
    EXPECT_NE(plain.log().find(" info aarshjul "), std::string::npos) << plain.log();
    EXPECT_EQ(plain.log().find("<6>"), std::string::npos) << plain.log();
    if (inherited)
        ::setenv("JOURNAL_STREAM", saved.c_str(), 1);
}

} // namespace
} // namespace aarshjul

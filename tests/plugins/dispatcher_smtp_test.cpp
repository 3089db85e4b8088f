// SPDX-License-Identifier: MPL-2.0
// The dispatcher over the real smtp plugin and a real SMTP server on loopback:
// a permanent 550 marks the row failed and tells the coordinators; a server
// that is down and then comes up gets every message, none lost.
#include "notify/dispatcher.h"
#include "notify/plugin_loader.h"
#include "plugins/server_process.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store.h"
#include "support/engine_fixture.h"
#include "support/temp_dir.h"

#include <filesystem>
#include <gtest/gtest.h>

namespace aarshjul {
namespace {

namespace fs = std::filesystem;

struct DispatcherSmtp : ::testing::Test {
    testing::TempDir dir;
    Database db = testing::memory_store();
    FakeClock clock{testing::copenhagen("2027-03-01T08:00:00")};
    std::shared_ptr<Directory> directory = std::make_shared<Directory>(testing::small_directory());

    std::unique_ptr<testing::ServerProcess> start_smtp(std::vector<std::string> extra = {}) {
        const fs::path src = AARSHJUL_SOURCE_DIR;
        std::vector<std::string> argv = {testing::python3(),
                                         (src / "tests/data/plugins/smtp_capture.py").string(),
                                         "--outdir", (dir.path() / "mail").string()};
        argv.insert(argv.end(), extra.begin(), extra.end());
        fs::create_directories(dir.path() / "mail");
        std::string error;
        auto server = testing::ServerProcess::start(argv, error);
        EXPECT_TRUE(server) << error;
        return server;
    }

    std::unique_ptr<Notifier> smtp(int port) {
        auto n = load_plugin(fs::path(AARSHJUL_BINARY_DIR) / "plugins/aarshjul-smtp.so",
                             {{"channel", "mail"},
                              {"host", "127.0.0.1"},
                              {"port", std::to_string(port)},
                              {"tls", "none"},
                              {"timeout_seconds", "5"},
                              {"from", "aarshjul@eksempel.dk"}});
        EXPECT_TRUE(n.ok()) << n.error().to_string();
        return n.ok() ? std::move(n).value() : nullptr;
    }

    void enqueue(const std::string& key, const std::string& recipient) {
        auto st = db.prepare("INSERT INTO outbox(notice_key, kind, channel, recipient, subject, "
                             "body, created_at, next_attempt_at) VALUES(?1, 'reminder', 'mail', "
                             "?2, 'Påmindelse', 'Husk det', ?3, ?3)");
        ASSERT_TRUE(st.ok());
        st->bind_all(key, recipient, to_unix(clock.now()));
        ASSERT_TRUE(st->run().ok());
    }

    std::string state_of(const std::string& key) {
        auto st = db.prepare("SELECT state FROM outbox WHERE notice_key = ?1");
        EXPECT_TRUE(st.ok());
        st->bind_all(key);
        auto row = st->step();
        EXPECT_TRUE(row.ok() && *row);
        return st->column_text(0);
    }

    int delivered() {
        int n = 0;
        for (const auto& e : fs::directory_iterator(dir.path() / "mail"))
            n += e.path().extension() == ".json";
        return n;
    }
};

// A 550 for one recipient fails that row for good and queues a failure notice to the
// coordinator on the failure channel; the other recipient's mail still goes out.
TEST_F(DispatcherSmtp, PermanentRejectionIsFailedAndReported) {
    auto server = start_smtp({"--reject", "bo@example.dk"});
    ASSERT_TRUE(server);
    Dispatcher dispatcher(std::make_unique<SqliteStore>(db), clock);
    dispatcher.add(smtp(server->port()));
    dispatcher.set_directory(directory);
    enqueue("T|a|2027-03-01#due@2027-03-01#mail#bo", "bo");
    enqueue("T|b|2027-03-01#due@2027-03-01#mail#carla", "carla");
    auto stats = dispatcher.dispatch();
    ASSERT_TRUE(stats.ok()) << stats.error().to_string();
    EXPECT_EQ(stats->sent, 1);
    EXPECT_EQ(stats->failed, 1);
    EXPECT_EQ(state_of("T|a|2027-03-01#due@2027-03-01#mail#bo"), "failed");
    EXPECT_EQ(state_of("T|b|2027-03-01#due@2027-03-01#mail#carla"), "sent");
    // anna is the coordinator of the test directory.
    EXPECT_EQ(state_of("failure|T|a|2027-03-01#due@2027-03-01#mail#bo#log#anna"), "pending");
    EXPECT_EQ(delivered(), 1);
}

// With the server down every row is retried later; once it is up, all arrive.
TEST_F(DispatcherSmtp, ServerDownThenUpDeliversEverything) {
    const int port = testing::unused_port();
    DispatchSettings settings;
    settings.base_backoff = std::chrono::seconds{60};
    Dispatcher down(std::make_unique<SqliteStore>(db), clock, settings);
    down.add(smtp(port));
    down.set_directory(directory);
    for (int i = 0; i < 5; ++i)
        enqueue("T|" + std::to_string(i) + "|2027-03-01#due#mail#carla", "carla");
    auto first = down.dispatch();
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(first->retried, 5);
    EXPECT_EQ(first->sent, 0);

    // An hour later the mail server is back (the channel now reaches it).
    clock.advance(std::chrono::hours{1});
    auto server = start_smtp();
    ASSERT_TRUE(server);
    Dispatcher up(std::make_unique<SqliteStore>(db), clock, settings);
    up.add(smtp(server->port()));
    up.set_directory(directory);
    auto second = up.dispatch();
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(second->sent, 5);
    EXPECT_EQ(delivered(), 5);
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(state_of("T|" + std::to_string(i) + "|2027-03-01#due#mail#carla"), "sent");
}

} // namespace
} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
// Dispatcher and `attempts`: an attempt is counted when it starts, once, and
// max_attempts and the back-off count the same attempts.
#include "notify/dispatcher.h"
#include "store/sqlite/sqlite_store.h"
#include "support/engine_fixture.h"

#include <functional>
#include <gtest/gtest.h>

namespace aarshjul {
namespace {

// A notifier whose answer the test chooses; it records what the row said
// while the send was in progress.
class ScriptedNotifier : public Notifier {
public:
    ScriptedNotifier(Database& db, SendOutcome outcome) : m_db(db), m_outcome(outcome) {}
    std::string_view name() const override { return "mail"; }
    SendResult send(const Notice& notice) override {
        auto st = m_db.prepare("SELECT attempts FROM outbox WHERE id = ?1");
        EXPECT_TRUE(st.ok());
        st->bind_all(notice.outbox_id);
        auto row = st->step();
        EXPECT_TRUE(row.ok() && *row);
        attempts_seen.push_back(static_cast<int>(st->column_int64(0)));
        if (m_outcome == SendOutcome::Sent)
            return {};
        return {m_outcome, "451 try later"};
    }
    std::vector<int> attempts_seen; // the row's attempts during each send

private:
    Database& m_db;
    SendOutcome m_outcome;
};

struct DispatcherAttempts : ::testing::Test {
    Database db = testing::memory_store();
    FakeClock clock{testing::copenhagen("2027-03-01T08:00:00")};

    void enqueue() {
        auto st = db.prepare("INSERT INTO outbox(notice_key, kind, channel, recipient, subject, "
                             "body, created_at, next_attempt_at) VALUES('T|a#mail#carla', "
                             "'reminder', 'mail', 'carla', 'Påmindelse', 'Husk det', ?1, ?1)");
        ASSERT_TRUE(st.ok());
        st->bind_all(to_unix(clock.now()));
        ASSERT_TRUE(st->run().ok());
    }

    std::pair<std::string, int> row() {
        auto st = db.prepare("SELECT state, attempts FROM outbox WHERE notice_key = "
                             "'T|a#mail#carla'");
        EXPECT_TRUE(st.ok());
        auto found = st->step();
        EXPECT_TRUE(found.ok() && *found);
        return {st->column_text(0), static_cast<int>(st->column_int64(1))};
    }
};

// The row's attempts already includes the attempt while the notifier sends,
// and a successful send does not count it a second time.
TEST_F(DispatcherAttempts, CountedBeforeTheSendAndOnce) {
    enqueue();
    Dispatcher dispatcher(std::make_unique<SqliteStore>(db), clock);
    auto notifier = std::make_unique<ScriptedNotifier>(db, SendOutcome::Sent);
    auto* seen = notifier.get();
    dispatcher.add(std::move(notifier));
    auto stats = dispatcher.dispatch();
    ASSERT_TRUE(stats.ok()) << stats.error().to_string();
    EXPECT_EQ(stats->sent, 1);
    EXPECT_EQ(seen->attempts_seen, std::vector<int>{1});
    EXPECT_EQ(row(), std::make_pair(std::string("sent"), 1));
}

// Temporary failures count one attempt each, and the row fails for good at
// exactly max_attempts, not one earlier or later.
TEST_F(DispatcherAttempts, TemporaryFailuresStopAtMaxAttempts) {
    enqueue();
    DispatchSettings settings;
    settings.max_attempts = 3;
    settings.base_backoff = std::chrono::seconds{1};
    Dispatcher dispatcher(std::make_unique<SqliteStore>(db), clock, settings);
    auto notifier = std::make_unique<ScriptedNotifier>(db, SendOutcome::TemporaryFailure);
    auto* seen = notifier.get();
    dispatcher.add(std::move(notifier));
    for (int round = 1; round <= 5; ++round) {
        auto stats = dispatcher.dispatch();
        ASSERT_TRUE(stats.ok()) << stats.error().to_string();
        EXPECT_EQ(row().second, std::min(round, 3)) << "round " << round;
        clock.advance(std::chrono::hours{1}); // past any back-off
    }
    EXPECT_EQ(seen->attempts_seen, (std::vector<int>{1, 2, 3}));
    EXPECT_EQ(row(), std::make_pair(std::string("failed"), 3));
}

// A row whose earlier attempt was cut short (attempts already 1, still
// pending) is sent again and the new attempt is counted on top.
TEST_F(DispatcherAttempts, AnAttemptCutShortIsCountedOnTop) {
    enqueue();
    ASSERT_TRUE(db.prepare("UPDATE outbox SET attempts = 1").value().run().ok());
    Dispatcher dispatcher(std::make_unique<SqliteStore>(db), clock);
    auto notifier = std::make_unique<ScriptedNotifier>(db, SendOutcome::Sent);
    auto* seen = notifier.get();
    dispatcher.add(std::move(notifier));
    ASSERT_TRUE(dispatcher.dispatch().ok());
    EXPECT_EQ(seen->attempts_seen, std::vector<int>{2});
    EXPECT_EQ(row(), std::make_pair(std::string("sent"), 2));
}

} // namespace
} // namespace aarshjul

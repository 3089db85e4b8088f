// SPDX-License-Identifier: MPL-2.0
// The hook queue (store/hook_queue.h) on SQLite: claims in order with an
// attempt counted, arguments kept exactly, outcomes recorded, and rows a
// crash left running recovered or given up.
#include "store/sqlite/database.h"
#include "store/sqlite/hook_queue.h"
#include "support/engine_fixture.h"

#include <gtest/gtest.h>

namespace aarshjul {
namespace {

struct HookQueueTest : ::testing::Test {
    Database db = testing::memory_store();
    SqliteHookQueue queue{db};

    void SetUp() override {
        // Rows of a queue alone: no tasks to point at.
        ASSERT_TRUE(db.exec("PRAGMA foreign_keys = OFF").ok());
    }

    std::int64_t add(std::int64_t task, std::string hook = "on_overdue",
                     std::map<std::string, std::string> args = {}) {
        auto id = queue.enqueue(
            {task, std::nullopt, "Q", std::move(hook), std::move(args), "Q||2027-01-01", 100});
        EXPECT_TRUE(id.ok()) << id.error().to_string();
        return id.ok() ? *id : 0;
    }
};

// Pending rows are claimed oldest first, at most `limit`, each now running
// with one attempt; a claimed row is not claimed again.
TEST_F(HookQueueTest, ClaimsPendingRowsInOrderCountingAnAttempt) {
    const auto a = add(1), b = add(2), c = add(3);
    auto first = queue.claim(2);
    ASSERT_TRUE(first.ok()) << first.error().to_string();
    ASSERT_EQ(first->size(), 2u);
    EXPECT_EQ((*first)[0].id, a);
    EXPECT_EQ((*first)[1].id, b);
    EXPECT_EQ((*first)[0].state, HookRunState::Running);
    EXPECT_EQ((*first)[0].attempts, 1);
    auto second = queue.claim(5);
    ASSERT_TRUE(second.ok());
    ASSERT_EQ(second->size(), 1u);
    EXPECT_EQ(second->front().id, c);
    EXPECT_TRUE(queue.claim(5)->empty());
    EXPECT_EQ(*queue.count(HookRunState::Running), 3);
}

// The arguments come back as they went in, quotes, newlines and æøå included.
TEST_F(HookQueueTest, KeepsTheArgumentsExactly) {
    const std::map<std::string, std::string> args{
        {"title", "Risikovurdering \"ØKO\"\nlinje 2"}, {"note", ""}, {"due", "2027-01-22"}};
    const auto id = add(7, "on_complete", args);
    auto row = queue.find(id);
    ASSERT_TRUE(row.ok() && *row);
    EXPECT_EQ((*row)->args, args);
    EXPECT_EQ((*row)->hook, "on_complete");
    EXPECT_EQ((*row)->task_id, 7);
    EXPECT_EQ((*row)->parent_key, "Q||2027-01-01");
    EXPECT_EQ((*row)->created_at, 100);
}

// Done and failed rows keep their outcome, error and finish time.
TEST_F(HookQueueTest, RecordsTheOutcome) {
    const auto ok = add(1), bad = add(2);
    ASSERT_TRUE(queue.claim(2).ok());
    ASSERT_TRUE(queue.mark_done(ok, 200).ok());
    ASSERT_TRUE(queue.mark_failed(bad, "q.lua:3: boom", 201).ok());
    auto done = *queue.find(ok);
    auto failed = *queue.find(bad);
    EXPECT_EQ(done->state, HookRunState::Done);
    EXPECT_EQ(done->finished_at, 200);
    EXPECT_EQ(failed->state, HookRunState::Failed);
    EXPECT_EQ(failed->error, "q.lua:3: boom");
    EXPECT_EQ(failed->finished_at, 201);
    EXPECT_EQ(*queue.count(HookRunState::Pending), 0);
}

// Rows left running go back to pending until their attempts reach the
// maximum; then they fail with an error saying why. Pending rows stay.
TEST_F(HookQueueTest, RecoversRowsLeftRunning) {
    const auto once = add(1), waiting = add(2);
    ASSERT_TRUE(queue.claim(1).ok()); // `once`: attempt 1
    auto recovered = queue.recover(2, 300);
    ASSERT_TRUE(recovered.ok());
    EXPECT_EQ(recovered->requeued, std::vector<std::int64_t>{once});
    EXPECT_TRUE(recovered->given_up.empty());
    EXPECT_EQ((*queue.find(waiting))->state, HookRunState::Pending);
    ASSERT_EQ(queue.claim(1)->front().attempts, 2);
    recovered = queue.recover(2, 400);
    ASSERT_TRUE(recovered.ok());
    EXPECT_TRUE(recovered->requeued.empty());
    ASSERT_EQ(recovered->given_up.size(), 1u);
    auto row = *queue.find(once);
    EXPECT_EQ(row->state, HookRunState::Failed);
    EXPECT_EQ(row->error, "gave up after 2 attempts: the daemon stopped while the hook ran each "
                          "time");
    EXPECT_EQ(row->finished_at, 400);
}

} // namespace
} // namespace aarshjul

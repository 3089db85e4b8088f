// SPDX-License-Identifier: MPL-2.0
// InstanceLock: one holder per database, named to whoever else tries.
#include "store/instance_lock.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <optional>
#include <unistd.h>

namespace aarshjul {
namespace {

// While one lock is held a second on the same database is Busy and names the
// holder's pid, host and start; once the first is released it can be taken.
TEST(InstanceLock, SecondIsRefusedNamingTheHolderUntilTheFirstIsReleased) {
    testing::TempDir dir;
    const auto database = dir.path() / "state" / "aarshjul.db";
    std::optional<InstanceLock> first;
    {
        auto taken = InstanceLock::acquire(database, "2026-12-01T10:02:11+01:00");
        ASSERT_TRUE(taken.ok()) << taken.error().to_string();
        first.emplace(std::move(taken).value());
    }
    EXPECT_TRUE(std::filesystem::exists(dir.path() / "state" / "aarshjul.db.lock"));

    auto second = InstanceLock::acquire(database, "later");
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().kind, ErrorKind::Busy);
    const std::string message = second.error().message;
    EXPECT_NE(message.find("database " + database.string() + " is in use by aarshjul pid " +
                           std::to_string(::getpid()) + " on "),
              std::string::npos)
        << message;
    EXPECT_NE(message.find(" since 2026-12-01T10:02:11+01:00"), std::string::npos) << message;

    first.reset();
    auto third = InstanceLock::acquire(database, "now");
    EXPECT_TRUE(third.ok()) << third.error().to_string();
}

// Another database in the same folder has its own lock.
TEST(InstanceLock, OtherDatabasesAreIndependent) {
    testing::TempDir dir;
    auto a = InstanceLock::acquire(dir.path() / "a.db", "now");
    auto b = InstanceLock::acquire(dir.path() / "b.db", "now");
    EXPECT_TRUE(a.ok() && b.ok());
}

} // namespace
} // namespace aarshjul

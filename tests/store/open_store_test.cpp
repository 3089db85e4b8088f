// SPDX-License-Identifier: MPL-2.0
// open_store: the one factory the daemon, the CLI and the simulation open
// their store with, seen only through the engine-neutral interfaces.
#include "store/maintenance.h"
#include "store/open_store.h"
#include "store/secrets.h"
#include "store/sqlite/database.h"
#include "store/sqlite/migrations.h"
#include "support/temp_dir.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace aarshjul {
namespace {

using ::testing::HasSubstr;

// A new store is created with its folder and migrated: its check passes and
// reports the latest schema.
TEST(OpenStore, CreatesAndMigratesANewStore) {
    testing::TempDir dir;
    const auto path = dir.path() / "state" / "nested" / "aarshjul.db";
    auto store = open_store(StoreSettings{.location = path});
    ASSERT_TRUE(store.ok()) << store.error().to_string();
    EXPECT_TRUE(std::filesystem::exists(path));
    auto check = (*store)->maintenance().check();
    ASSERT_TRUE(check.ok()) << check.error().to_string();
    EXPECT_TRUE(check->problems.empty());
    EXPECT_EQ(check->schema_version, latest_schema_version());
}

// The returned Store owns its connection: what it wrote is there for the
// next store opened on the same file after it has closed.
TEST(OpenStore, OwnsItsConnection) {
    testing::TempDir dir;
    const StoreSettings settings{.location = dir.path() / "aarshjul.db"};
    {
        auto store = open_store(settings);
        ASSERT_TRUE(store.ok()) << store.error().to_string();
        ASSERT_TRUE((*store)->secrets().put_if_absent("link-key", "k1").ok());
    }
    auto again = open_store(settings);
    ASSERT_TRUE(again.ok()) << again.error().to_string();
    auto key = (*again)->secrets().get("link-key");
    ASSERT_TRUE(key.ok());
    EXPECT_EQ(*key, std::optional<std::string>{"k1"});
}

// ":memory:" gives each call a private, migrated store of its own.
TEST(OpenStore, MemoryStoresArePrivate) {
    auto first = open_store(StoreSettings{.location = ":memory:"});
    auto second = open_store(StoreSettings{.location = ":memory:"});
    ASSERT_TRUE(first.ok() && second.ok());
    ASSERT_TRUE((*first)->secrets().put_if_absent("link-key", "k1").ok());
    auto seen = (*second)->secrets().get("link-key");
    ASSERT_TRUE(seen.ok());
    EXPECT_FALSE(*seen);
}

// A store from a newer aarshjul, or one whose folder cannot be made, is
// refused with the location in the message.
TEST(OpenStore, RefusesWhatItCannotOpen) {
    testing::TempDir dir;
    const auto future = dir.path() / "future.db";
    {
        auto db = Database::open(future);
        ASSERT_TRUE(db.ok());
        ASSERT_TRUE(db->exec("PRAGMA user_version = 99").ok());
    }
    auto newer = open_store(StoreSettings{.location = future});
    ASSERT_FALSE(newer.ok());
    EXPECT_THAT(newer.error().message, HasSubstr(future.string()));
    EXPECT_THAT(newer.error().message, HasSubstr("upgrade aarshjul"));

    const auto file = dir.write("not-a-folder", "x");
    auto unmade = open_store(StoreSettings{.location = file / "aarshjul.db"});
    ASSERT_FALSE(unmade.ok());
    EXPECT_THAT(unmade.error().message, HasSubstr(file.string()));
}

} // namespace
} // namespace aarshjul

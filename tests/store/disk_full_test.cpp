// SPDX-License-Identifier: MPL-2.0
// Reliability: a full disk (SQLITE_FULL, made with PRAGMA max_page_count)
// while the engine materialises the shipped cycle of the sample municipality
// is a clear error; the transaction rolls back, the file passes
// integrity_check, and once there is room again the same call succeeds.
#include "app/setup.h"
#include "clock/clock.h"
#include "engine/engine.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store.h"
#include "support/engine_fixture.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

namespace aarshjul {
namespace {

std::int64_t scalar(Database& db, const std::string& sql) {
    auto st = db.prepare(sql);
    EXPECT_TRUE(st.ok());
    EXPECT_TRUE(st->step().ok());
    return st->column_int64(0);
}

std::string integrity(Database& db) {
    auto st = db.prepare("PRAGMA integrity_check");
    EXPECT_TRUE(st.ok());
    EXPECT_TRUE(st->step().ok());
    return st->column_text(0);
}

TEST(ReliabilityDiskFull, MaterialiseOnAFullDiskIsAClearErrorAndCorruptsNothing) {
    testing::TempDir dir;
    auto report = load_setup(
        {std::filesystem::path(AARSHJUL_SOURCE_DIR) / "config/aarshjul.toml", std::nullopt});
    ASSERT_TRUE(report.setup) << (report.errors.empty() ? "" : report.errors[0].to_string());
    auto db = open_database(dir.path() / "full.db");
    ASSERT_TRUE(db.ok()) << db.error().to_string();
    FakeClock clock(testing::copenhagen("2027-01-04T09:00:00"));
    Engine engine(std::make_unique<SqliteStore>(*db), clock, engine_settings(*report.setup));
    ASSERT_TRUE(engine.install(report.setup->definitions).ok());

    // Room for only a few more pages than the empty schema needs.
    const auto pages = scalar(*db, "PRAGMA page_count");
    ASSERT_TRUE(db->exec("PRAGMA max_page_count = " + std::to_string(pages + 2)).ok());
    auto full = engine.materialise();
    ASSERT_FALSE(full.ok()) << "the tasks fitted into two pages";
    EXPECT_NE(full.error().to_string().find("disk full"), std::string::npos)
        << full.error().to_string();
    EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM tasks"), 0) << "a partial materialise was kept";
    EXPECT_EQ(integrity(*db), "ok");

    // Room again: the same call succeeds and the file is still sound.
    ASSERT_TRUE(db->exec("PRAGMA max_page_count = 1073741823").ok());
    auto stats = engine.materialise();
    ASSERT_TRUE(stats.ok()) << stats.error().to_string();
    EXPECT_GT(stats->created, 0);
    EXPECT_EQ(scalar(*db, "SELECT COUNT(*) FROM tasks"), stats->created);
    EXPECT_EQ(integrity(*db), "ok");
}

} // namespace
} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#include "store/open_store.h"
#include "store/sqlite/api_tokens.h"
#include "store/sqlite/migrations.h"
#include "support/temp_dir.h"
#include "util/sha256.h"

#include <gtest/gtest.h>

namespace aarshjul {
namespace {

const Instant kNow = from_unix(1'800'000'000); // 2027-01-15T08:00:00Z

Database make_db() {
    auto db = Database::open(":memory:");
    EXPECT_TRUE(db.ok());
    EXPECT_TRUE(migrate(*db).ok());
    return std::move(db).value();
}

ApiToken token(std::string name, std::string role, std::optional<Instant> expires = {}) {
    return ApiToken{
        .name = name,
        .role = std::move(role),
        .person = "",
        .sha256 = sha256_hex("secret of " + name),
        .created_at = kNow - std::chrono::hours{1},
        .expires_at = expires,
        .revoked_at = std::nullopt,
    };
}

// A stored token is found by its hash with every field, and a hash nobody has finds nothing.
TEST(ApiTokens, AddedTokenIsFoundByItsHash) {
    Database db = make_db();
    SqliteApiTokens tokens(db);
    ApiToken anna = token("anna", "coordinator");
    anna.person = "anna.jensen";
    ASSERT_TRUE(tokens.add(anna).ok());

    auto found = tokens.find_active(sha256_hex("secret of anna"), kNow);
    ASSERT_TRUE(found.ok()) << found.error().to_string();
    ASSERT_TRUE(*found);
    EXPECT_EQ((*found)->name, "anna");
    EXPECT_EQ((*found)->role, "coordinator");
    EXPECT_EQ((*found)->person, "anna.jensen");
    EXPECT_EQ((*found)->created_at, anna.created_at);
    EXPECT_FALSE((*found)->expires_at);

    auto missing = tokens.find_active(sha256_hex("a guess"), kNow);
    ASSERT_TRUE(missing.ok());
    EXPECT_FALSE(*missing);
}

// Bad input is refused with the kind and field that say what is wrong, and nothing is stored.
TEST(ApiTokens, AddRefusesBadInput) {
    Database db = make_db();
    SqliteApiTokens tokens(db);
    ASSERT_TRUE(tokens.add(token("anna", "viewer")).ok());
    ApiToken uppercase_hash = token("carla", "viewer");
    uppercase_hash.sha256 = std::string(64, 'A');
    ApiToken name_taken = token("anna", "admin");
    name_taken.sha256 = sha256_hex("another secret");
    ApiToken same_secret = token("bo", "viewer");
    same_secret.sha256 = sha256_hex("secret of anna");
    struct Case {
        const char* what;
        ApiToken token;
        ErrorKind kind;
        const char* field;
    };
    const Case cases[] = {
        {.what = "a name taken", .token = name_taken, .kind = ErrorKind::Conflict, .field = "name"},
        {.what = "an unknown role",
         .token = token("bo", "superuser"),
         .kind = ErrorKind::Invalid,
         .field = "role"},
        {.what = "no name",
         .token = token("", "viewer"),
         .kind = ErrorKind::Invalid,
         .field = "name"},
        {.what = "a hash not lower-case hex",
         .token = uppercase_hash,
         .kind = ErrorKind::Invalid,
         .field = "sha256"},
        {.what = "a hash stored already",
         .token = same_secret,
         .kind = ErrorKind::Conflict,
         .field = "sha256"},
    };
    for (const auto& c : cases) {
        auto added = tokens.add(c.token);
        ASSERT_FALSE(added.ok()) << c.what;
        EXPECT_EQ(added.error().kind, c.kind) << c.what << ": " << added.error().to_string();
        EXPECT_EQ(added.error().field, c.field) << c.what;
    }
    auto all = tokens.list();
    ASSERT_TRUE(all.ok());
    ASSERT_EQ(all->size(), 1u);
    EXPECT_EQ((*all)[0].role, "viewer"); // the first "anna", unchanged
}

// A revoked token is no longer found, keeps its row, and cannot be revoked twice;
// an unknown name is NotFound.
TEST(ApiTokens, RevokeEndsAToken) {
    Database db = make_db();
    SqliteApiTokens tokens(db);
    ASSERT_TRUE(tokens.add(token("ci", "viewer")).ok());
    ASSERT_TRUE(tokens.revoke("ci", kNow).ok());

    auto found = tokens.find_active(sha256_hex("secret of ci"), kNow);
    ASSERT_TRUE(found.ok());
    EXPECT_FALSE(*found);
    auto all = tokens.list();
    ASSERT_TRUE(all.ok());
    ASSERT_EQ(all->size(), 1u);
    EXPECT_EQ((*all)[0].revoked_at, kNow);
    EXPECT_EQ(api_token_state((*all)[0], kNow), ApiTokenState::Revoked);

    auto again = tokens.revoke("ci", kNow + std::chrono::hours{1});
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().kind, ErrorKind::Conflict);
    auto unknown = tokens.revoke("nobody", kNow);
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().kind, ErrorKind::NotFound);
    EXPECT_NE(unknown.error().message.find("nobody"), std::string::npos);
    all = tokens.list();
    ASSERT_TRUE(all.ok());
    EXPECT_EQ((*all)[0].revoked_at, kNow); // the first revocation's time stays
}

// A token works up to the second before its expiry and not from its expiry on.
TEST(ApiTokens, ExpiryIsHonoured) {
    Database db = make_db();
    SqliteApiTokens tokens(db);
    const Instant expires = kNow + std::chrono::hours{24};
    ASSERT_TRUE(tokens.add(token("temp", "owner", expires)).ok());
    const std::string hash = sha256_hex("secret of temp");

    auto before = tokens.find_active(hash, expires - std::chrono::seconds{1});
    ASSERT_TRUE(before.ok());
    EXPECT_TRUE(*before);
    auto at = tokens.find_active(hash, expires);
    ASSERT_TRUE(at.ok());
    EXPECT_FALSE(*at);

    auto all = tokens.list();
    ASSERT_TRUE(all.ok());
    EXPECT_EQ(api_token_state((*all)[0], expires - std::chrono::seconds{1}), ApiTokenState::Active);
    EXPECT_EQ(api_token_state((*all)[0], expires), ApiTokenState::Expired);
}

// The list has every token, revoked and expired ones too, ordered by name.
TEST(ApiTokens, ListIsOrderedByName) {
    Database db = make_db();
    SqliteApiTokens tokens(db);
    for (const char* name : {"zoe", "anna", "mads"})
        ASSERT_TRUE(tokens.add(token(name, "viewer", kNow)).ok());
    ASSERT_TRUE(tokens.revoke("mads", kNow).ok());
    auto all = tokens.list();
    ASSERT_TRUE(all.ok());
    ASSERT_EQ(all->size(), 3u);
    EXPECT_EQ((*all)[0].name, "anna");
    EXPECT_EQ((*all)[1].name, "mads");
    EXPECT_EQ((*all)[2].name, "zoe");
}

// has_active_admin counts only admin tokens that are neither revoked nor expired.
TEST(ApiTokens, ActiveAdminToken) {
    Database db = make_db();
    SqliteApiTokens tokens(db);
    const auto admin_now = [&tokens](Instant at) {
        auto has = tokens.has_active_admin(at);
        EXPECT_TRUE(has.ok());
        return has.ok() && *has;
    };
    EXPECT_FALSE(admin_now(kNow));
    ASSERT_TRUE(tokens.add(token("coordinator", "coordinator")).ok());
    EXPECT_FALSE(admin_now(kNow));
    const Instant expires = kNow + std::chrono::hours{1};
    ASSERT_TRUE(tokens.add(token("temp-admin", "admin", expires)).ok());
    EXPECT_TRUE(admin_now(kNow));
    EXPECT_FALSE(admin_now(expires));
    ASSERT_TRUE(tokens.add(token("ops", "admin")).ok());
    EXPECT_TRUE(admin_now(expires));
    ASSERT_TRUE(tokens.revoke("ops", kNow).ok());
    EXPECT_FALSE(admin_now(expires));
}

// A token added or revoked on one connection counts at once on another one
// that has looked tokens up before (the CLI beside a running daemon).
TEST(ApiTokens, SecondConnectionSeesChangesAtOnce) {
    testing::TempDir dir;
    const auto path = dir.path() / "aarshjul.db";
    auto daemon = open_store(StoreSettings{.location = path});
    ASSERT_TRUE(daemon.ok()) << daemon.error().to_string();
    const std::string hash = sha256_hex("secret of anna");
    auto before = (*daemon)->api_tokens().find_active(hash, kNow);
    ASSERT_TRUE(before.ok());
    EXPECT_FALSE(*before);
    {
        auto cli = open_store(StoreSettings{.location = path});
        ASSERT_TRUE(cli.ok());
        ASSERT_TRUE((*cli)->api_tokens().add(token("anna", "viewer")).ok());
    }
    auto added = (*daemon)->api_tokens().find_active(hash, kNow);
    ASSERT_TRUE(added.ok());
    EXPECT_TRUE(*added);
    {
        auto cli = open_store(StoreSettings{.location = path});
        ASSERT_TRUE(cli.ok());
        ASSERT_TRUE((*cli)->api_tokens().revoke("anna", kNow).ok());
    }
    auto revoked = (*daemon)->api_tokens().find_active(hash, kNow);
    ASSERT_TRUE(revoked.ok());
    EXPECT_FALSE(*revoked);
}

} // namespace
} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
// TokenAuth on its own: configured tokens, tokens stored in the database, and
// the failure counting that applies to both.
#include "http/auth.h"
#include "store/sqlite/api_tokens.h"
#include "support/engine_fixture.h"
#include "util/sha256.h"

#include <gtest/gtest.h>

namespace aarshjul {
namespace {

using http::Role;
using http::TokenAuth;

const Instant kNow = from_unix(1'800'000'000);
const http::AuthPolicy kPolicy{.max_failures = 3, .block = std::chrono::seconds{60}};

TokenAuth configured_auth() {
    return TokenAuth({{.name = "committee",
                       .role = Role::Viewer,
                       .sha256 = sha256_hex("config-viewer"),
                       .person = ""}},
                     kPolicy);
}

void store(Database& db, const std::string& name, const std::string& role,
           const std::string& secret, std::optional<Instant> expires = {}) {
    auto added = SqliteApiTokens(db).add(ApiToken{.name = name,
                                                  .role = role,
                                                  .person = "carla.holm",
                                                  .sha256 = sha256_hex(secret),
                                                  .created_at = kNow,
                                                  .expires_at = expires,
                                                  .revoked_at = std::nullopt});
    ASSERT_TRUE(added.ok()) << added.error().to_string();
}

// A stored token is accepted with its name, role and person once a database is
// given, and not before; configured tokens keep working beside it.
TEST(TokenAuth, AcceptsStoredTokensFromTheGivenDatabase) {
    Database db = testing::memory_store();
    SqliteApiTokens tokens(db);
    store(db, "carla", "owner", "stored-owner");
    TokenAuth auth = configured_auth();
    EXPECT_EQ(auth.check("stored-owner", "a", kNow).outcome, TokenAuth::Outcome::Invalid);

    auth.use_store(&tokens);
    auto check = auth.check("stored-owner", "a", kNow);
    ASSERT_EQ(check.outcome, TokenAuth::Outcome::Ok);
    EXPECT_EQ(check.principal->name, "carla");
    EXPECT_EQ(check.principal->role, Role::Owner);
    EXPECT_EQ(check.principal->person, "carla.holm");
    auto configured = auth.check("config-viewer", "a", kNow);
    ASSERT_EQ(configured.outcome, TokenAuth::Outcome::Ok);
    EXPECT_EQ(configured.principal->name, "committee");
}

// Revoked and expired stored tokens fail like wrong ones and count towards the
// block: the third such failure from one address blocks it, valid tokens too.
TEST(TokenAuth, RevokedAndExpiredTokensCountAsFailures) {
    Database db = testing::memory_store();
    store(db, "old", "viewer", "revoked-token");
    ASSERT_TRUE(SqliteApiTokens(db).revoke("old", kNow).ok());
    store(db, "temp", "viewer", "expired-token", kNow);
    store(db, "good", "viewer", "good-token");
    SqliteApiTokens tokens(db);
    TokenAuth auth = configured_auth();
    auth.use_store(&tokens);

    EXPECT_EQ(auth.check("revoked-token", "attacker", kNow).outcome, TokenAuth::Outcome::Invalid);
    EXPECT_EQ(auth.check("expired-token", "attacker", kNow).outcome, TokenAuth::Outcome::Invalid);
    EXPECT_EQ(auth.check("good-token", "attacker", kNow).outcome, TokenAuth::Outcome::Ok);
    // A success clears the count; three failures in a row then block.
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(auth.check("revoked-token", "attacker", kNow).outcome,
                  TokenAuth::Outcome::Invalid);
    auto blocked = auth.check("good-token", "attacker", kNow);
    EXPECT_EQ(blocked.outcome, TokenAuth::Outcome::Blocked);
    EXPECT_EQ(blocked.retry_after, 60);
    EXPECT_EQ(auth.check("good-token", "someone-else", kNow).outcome, TokenAuth::Outcome::Ok);
}

// has_admin_token says whether a configured token has the role admin; stored
// admin tokens are the store's to tell (ApiTokens::has_active_admin).
TEST(TokenAuth, HasAdminTokenLooksAtConfiguredTokens) {
    EXPECT_FALSE(configured_auth().has_admin_token());
    TokenAuth with_admin(
        {{.name = "committee", .role = Role::Viewer, .sha256 = sha256_hex("v"), .person = ""},
         {.name = "ops", .role = Role::Admin, .sha256 = sha256_hex("a"), .person = ""}},
        kPolicy);
    EXPECT_TRUE(with_admin.has_admin_token());
    // An admin entry whose hash is not a SHA-256 can never sign in.
    TokenAuth broken({{.name = "ops", .role = Role::Admin, .sha256 = "nothex", .person = ""}},
                     kPolicy);
    EXPECT_FALSE(broken.has_admin_token());

    Database db = testing::memory_store();
    store(db, "ops", "admin", "stored-admin");
    SqliteApiTokens tokens(db);
    TokenAuth stored_only = configured_auth();
    stored_only.use_store(&tokens);
    EXPECT_FALSE(stored_only.has_admin_token());
    auto has = tokens.has_active_admin(kNow);
    ASSERT_TRUE(has.ok());
    EXPECT_TRUE(*has);
}

} // namespace
} // namespace aarshjul

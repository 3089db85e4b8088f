// SPDX-License-Identifier: MPL-2.0
#pragma once
// Sign-in sessions and single-use sign-in links (tables web_sessions and
// signin_links, migration 7). Only hashes of the secrets are stored: the
// session cookie's SHA-256 and the sign-in link token's SHA-256, so a copy of
// the database signs no one in.
//
// Thread rules: plain functions on a Database connection; use each connection
// from one thread at a time.

#include "store/sqlite/database.h"
#include "util/result.h"

#include <cstdint>
#include <optional>
#include <string>

namespace aarshjul {

struct SessionRow {
    std::int64_t id = 0;
    std::string person; // directory person; "" for the first-start admin
    std::string role;   // viewer | owner | coordinator | admin
    std::string csrf;   // the token every form of the session carries
    std::string via;    // email | proxy | first-start
    std::int64_t created_at = 0;
    std::int64_t last_seen_at = 0;
    std::optional<std::int64_t> ended_at;
};

// Stores a new session under the cookie's hash; returns its id.
Result<std::int64_t> insert_session(Database& db, const std::string& cookie_sha256,
                                    const SessionRow& session, const std::string& remote);
// The session of a cookie hash, ended or not; nullopt when unknown.
Result<std::optional<SessionRow>> find_session(Database& db, const std::string& cookie_sha256);
Result<void> touch_session(Database& db, std::int64_t id, std::int64_t now);
// Ends a session (sign-out or revocation); `by` says who ended it.
Result<void> end_session(Database& db, std::int64_t id, std::int64_t now, const std::string& by);

struct SigninLink {
    std::string person;
    std::string purpose; // email | first-start
    std::int64_t expires_at = 0;
};

Result<void> insert_signin_link(Database& db, const std::string& token_sha256,
                                const std::string& person, const std::string& purpose,
                                std::int64_t now, std::int64_t expires_at);
// The link if it is unused and unexpired at `now` (for the confirmation page).
Result<std::optional<SigninLink>>
find_usable_signin_link(Database& db, const std::string& token_sha256, std::int64_t now);
// Marks the link used and returns it, in one statement, so two requests
// racing with the same link cannot both sign in; nullopt when it was used,
// has expired or never existed.
Result<std::optional<SigninLink>> consume_signin_link(Database& db, const std::string& token_sha256,
                                                      std::int64_t now);

// Forgets sign-in links spent or expired more than a day before `now`, and
// sessions unused for 90 days (long past any limit; kept that long so an
// administrator can see who was signed in).
Result<void> prune_web_sessions(Database& db, std::int64_t now);

} // namespace aarshjul

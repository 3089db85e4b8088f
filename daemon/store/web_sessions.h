// SPDX-License-Identifier: MPL-2.0
#pragma once
// WebSessions: sign-in sessions and single-use sign-in links. Only hashes of
// the secrets are stored: the session cookie's SHA-256 and the sign-in link
// token's SHA-256, so a copy of the store signs no one in. Times are Unix
// seconds.
//
// Thread rules: those of the Store.

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

struct SigninLink {
    std::string person;
    std::string purpose; // email | first-start
    std::int64_t expires_at = 0;
};

class WebSessions {
public:
    virtual ~WebSessions() = default;

    // Stores a new session under the cookie's hash; returns its id.
    virtual Result<std::int64_t> insert_session(const std::string& cookie_sha256,
                                                const SessionRow& session,
                                                const std::string& remote) = 0;
    // The session of a cookie hash, ended or not; nullopt when unknown.
    virtual Result<std::optional<SessionRow>> find_session(const std::string& cookie_sha256) = 0;
    virtual Result<void> touch_session(std::int64_t id, std::int64_t now) = 0;
    // Ends a session (sign-out or revocation); `by` says who ended it.
    virtual Result<void> end_session(std::int64_t id, std::int64_t now, const std::string& by) = 0;

    virtual Result<void> insert_signin_link(const std::string& token_sha256,
                                            const std::string& person, const std::string& purpose,
                                            std::int64_t now, std::int64_t expires_at) = 0;
    // The link if it is unused and unexpired at `now` (for the confirmation page).
    virtual Result<std::optional<SigninLink>>
    find_usable_signin_link(const std::string& token_sha256, std::int64_t now) = 0;
    // Marks the link used and returns it, in one statement, so two requests
    // racing with the same link cannot both sign in; nullopt when it was used,
    // has expired or never existed.
    virtual Result<std::optional<SigninLink>> consume_signin_link(const std::string& token_sha256,
                                                                  std::int64_t now) = 0;

    // Forgets sign-in links spent or expired more than a day before `now`, and
    // sessions unused for 90 days (long past any limit; kept that long so an
    // administrator can see who was signed in).
    virtual Result<void> prune(std::int64_t now) = 0;
};

} // namespace aarshjul

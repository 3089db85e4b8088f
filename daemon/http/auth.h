// SPDX-License-Identifier: MPL-2.0
#pragma once
// TokenAuth: bearer tokens with roles, checked against SHA-256 hashes.
//
// The configuration holds only each token's hash; a presented token is hashed
// and compared in constant time against every entry. A token that is not one
// of them is looked up by its hash among the tokens of the database (`aarshjul
// token add`, store/api_tokens.h), if a database was given: a revoked or
// expired one fails like a wrong one. An address that fails `max_failures`
// times within `block` is refused with 429 for `block` (its valid tokens too,
// so guessing gains nothing). Thread rules: one instance per server, used from
// the server's thread only, which also owns the database connection.

#include "clock/clock.h"
#include "util/sha256.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aarshjul {
class ApiTokens;
}

namespace aarshjul::http {

// Ordered: a route needing Owner accepts Coordinator and Admin too.
enum class Role { Viewer = 0, Owner = 1, Coordinator = 2, Admin = 3 };

std::string_view to_string(Role role);
std::optional<Role> role_from_string(std::string_view text);

struct TokenEntry {
    std::string name;
    Role role = Role::Viewer;
    std::string sha256; // hex
    std::string person; // directory person id the token acts as; may be empty
};

struct Principal {
    std::string name;
    Role role = Role::Viewer;
    std::string person;
};

struct AuthPolicy {
    int max_failures = 5;
    std::chrono::seconds block{60};
};

class TokenAuth {
public:
    enum class Outcome { Ok, Missing, Invalid, Blocked };
    struct Check {
        Outcome outcome = Outcome::Missing;
        std::optional<Principal> principal;
        std::int64_t retry_after = 0; // seconds, for Blocked
    };

    TokenAuth(std::vector<TokenEntry> tokens, AuthPolicy policy);

    // Also accepts the active tokens stored in `tokens`, which must outlive
    // this object; nullptr (the default) accepts the configured tokens only.
    void use_store(ApiTokens* tokens) { m_store = tokens; }

    // Whether a configured token has the role admin (stored ones: see
    // ApiTokens::has_active_admin in store/api_tokens.h).
    bool has_admin_token() const;

    // Checks a token (the part after "Bearer "), counting failures per `remote`.
    // An empty token is Missing and not counted as a failure.
    Check check(std::string_view token, std::string_view remote, Instant now);

private:
    struct Failures {
        int count = 0;
        Instant window_start{};
        Instant blocked_until{};
    };
    void prune(Instant now);
    // The stored token with this hash, active at `now`, as a principal.
    std::optional<Principal> stored_principal(const Sha256Digest& hash, Instant now);

    std::vector<TokenEntry> m_tokens;
    std::vector<std::optional<Sha256Digest>>
        m_digests; // m_tokens' hashes, decoded; none if not hex
    AuthPolicy m_policy;
    ApiTokens* m_store = nullptr;
    std::map<std::string, Failures, std::less<>> m_failures;
};

} // namespace aarshjul::http

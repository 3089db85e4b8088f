#pragma once
// TokenAuth: bearer tokens with roles, checked against SHA-256 hashes.
//
// The configuration holds only each token's hash; a presented token is hashed
// and compared in constant time against every entry. An address that fails
// `max_failures` times within `block` is refused with 429 for `block` (its
// valid tokens too, so guessing gains nothing). Thread rules: one instance per
// server, used from the server's thread only.

#include "clock/clock.h"
#include "util/sha256.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

    std::vector<TokenEntry> m_tokens;
    std::vector<std::optional<Sha256Digest>>
        m_digests; // m_tokens' hashes, decoded; none if not hex
    AuthPolicy m_policy;
    std::map<std::string, Failures, std::less<>> m_failures;
};

} // namespace aarshjul::http

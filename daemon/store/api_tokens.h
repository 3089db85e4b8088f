// SPDX-License-Identifier: MPL-2.0
#pragma once
// ApiTokens: the API tokens kept in the store (`aarshjul token add`), beside
// the ones of the configuration file. Only each token's SHA-256 (hex) is
// stored, never the token. A token is active until it is revoked or its
// expiry passes; a revoked token keeps its row (and its name) for the record.
//
// Thread rules: those of the Store (the daemon's loop checks presented tokens
// on its connection while the CLI adds and revokes on its own).

#include "time/civil.h"
#include "util/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aarshjul {

struct ApiToken {
    std::string name;   // who holds it; shown in logs and lists, unique
    std::string role;   // viewer | owner | coordinator | admin
    std::string person; // directory person the token acts as; "" for none
    std::string sha256; // lower-case hex SHA-256 of the token
    Instant created_at{};
    std::optional<Instant> expires_at; // the first instant it no longer works; none = never
    std::optional<Instant> revoked_at;
};

enum class ApiTokenState { Active, Expired, Revoked };

// Revoked wins over expired: a token revoked before it expired says so.
ApiTokenState api_token_state(const ApiToken& token, Instant now);
std::string_view to_string(ApiTokenState state);

// True for the four roles a token may have.
bool valid_api_token_role(std::string_view role);

class ApiTokens {
public:
    virtual ~ApiTokens() = default;

    // Stores a new token. Invalid for an unknown role or a hash that is not 64
    // lower-case hex digits; Conflict when the name (or, improbably, the hash) is taken.
    virtual Result<void> add(const ApiToken& token) = 0;

    // Every stored token, revoked and expired ones too, by name.
    virtual Result<std::vector<ApiToken>> list() = 0;

    // Marks the token revoked at `at`. NotFound for an unknown name; Conflict
    // when it is revoked already (the first revocation's time stays).
    virtual Result<void> revoke(std::string_view name, Instant at) = 0;

    // The token whose hash is `sha256_hex` if it is active at `now`; none when
    // no token has that hash or it is revoked or expired.
    virtual Result<std::optional<ApiToken>> find_active(std::string_view sha256_hex,
                                                        Instant now) = 0;

    // Whether some token with the role admin is active at `now`.
    virtual Result<bool> has_active_admin(Instant now) = 0;
};

} // namespace aarshjul

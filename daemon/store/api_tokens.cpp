// SPDX-License-Identifier: MPL-2.0
#include "store/api_tokens.h"

#include <algorithm>
#include <array>

namespace aarshjul {

namespace {

constexpr std::array<std::string_view, 4> kRoles = {"viewer", "owner", "coordinator", "admin"};

} // namespace

ApiTokenState api_token_state(const ApiToken& token, Instant now) {
    if (token.revoked_at)
        return ApiTokenState::Revoked;
    if (token.expires_at && *token.expires_at <= now)
        return ApiTokenState::Expired;
    return ApiTokenState::Active;
}

std::string_view to_string(ApiTokenState state) {
    switch (state) {
    case ApiTokenState::Active:
        return "active";
    case ApiTokenState::Expired:
        return "expired";
    case ApiTokenState::Revoked:
        return "revoked";
    }
    return "active";
}

bool valid_api_token_role(std::string_view role) {
    return std::find(kRoles.begin(), kRoles.end(), role) != kRoles.end();
}

} // namespace aarshjul

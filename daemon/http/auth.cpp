// SPDX-License-Identifier: MPL-2.0
#include "http/auth.h"

#include "store/api_tokens.h"

#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

namespace aarshjul::http {

namespace {

// Addresses remembered at most; beyond this the oldest-expired entries go first.
constexpr std::size_t kMaxTrackedAddresses = 10000;

// The configured hex hash as bytes; none when it is not 64 hex digits.
std::optional<Sha256Digest> decode_hex_digest(const std::string& hex) {
    Sha256Digest out{};
    std::size_t length = 0;
    if (hex.size() != out.size() * 2 ||
        OPENSSL_hexstr2buf_ex(out.data(), out.size(), &length, hex.c_str(), '\0') != 1 ||
        length != out.size())
        return std::nullopt;
    return out;
}

// Lower-case hex, as the database stores a token's hash.
std::string to_hex(const Sha256Digest& digest) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(digest.size() * 2);
    for (unsigned char byte : digest) {
        out.push_back(kDigits[byte >> 4]);
        out.push_back(kDigits[byte & 0x0f]);
    }
    return out;
}

} // namespace

std::string_view to_string(Role role) {
    switch (role) {
    case Role::Viewer:
        return "viewer";
    case Role::Owner:
        return "owner";
    case Role::Coordinator:
        return "coordinator";
    case Role::Admin:
        return "admin";
    }
    return "viewer";
}

std::optional<Role> role_from_string(std::string_view text) {
    if (text == "viewer")
        return Role::Viewer;
    if (text == "owner")
        return Role::Owner;
    if (text == "coordinator")
        return Role::Coordinator;
    if (text == "admin")
        return Role::Admin;
    return std::nullopt;
}

TokenAuth::TokenAuth(std::vector<TokenEntry> tokens, AuthPolicy policy)
    : m_tokens(std::move(tokens)), m_policy(policy) {
    for (const auto& entry : m_tokens)
        m_digests.push_back(decode_hex_digest(entry.sha256));
}

bool TokenAuth::has_admin_token() const {
    for (std::size_t i = 0; i < m_tokens.size(); ++i)
        if (m_tokens[i].role == Role::Admin && m_digests[i])
            return true;
    return false;
}

std::optional<Principal> TokenAuth::stored_principal(const Sha256Digest& hash, Instant now) {
    if (!m_store)
        return std::nullopt;
    auto found = m_store->find_active(to_hex(hash), now);
    if (!found.ok()) {
        spdlog::error("http: cannot look up a stored token: {}", found.error().to_string());
        return std::nullopt;
    }
    if (!*found)
        return std::nullopt;
    // The table's CHECK allows only the four roles; anything else is refused.
    auto role = role_from_string((*found)->role);
    if (!role)
        return std::nullopt;
    return Principal{(*found)->name, *role, (*found)->person};
}

void TokenAuth::prune(Instant now) {
    if (m_failures.size() < kMaxTrackedAddresses)
        return;
    for (auto it = m_failures.begin(); it != m_failures.end();) {
        if (it->second.blocked_until <= now && it->second.window_start + m_policy.block <= now)
            it = m_failures.erase(it);
        else
            ++it;
    }
    // Still full of live entries: forget everything rather than grow without bound.
    if (m_failures.size() >= kMaxTrackedAddresses)
        m_failures.clear();
}

TokenAuth::Check TokenAuth::check(std::string_view token, std::string_view remote, Instant now) {
    auto found = m_failures.find(remote);
    if (found != m_failures.end() && found->second.blocked_until > now)
        return {Outcome::Blocked, std::nullopt, (found->second.blocked_until - now).count()};
    if (token.empty())
        return {Outcome::Missing, std::nullopt, 0};

    const auto hash = sha256(token);
    const TokenEntry* match = nullptr;
    // Compare against every entry so the time taken does not say which one matched.
    for (std::size_t i = 0; hash && i < m_tokens.size(); ++i)
        if (m_digests[i] && CRYPTO_memcmp(m_digests[i]->data(), hash->data(), hash->size()) == 0)
            match = &m_tokens[i];
    std::optional<Principal> principal;
    if (match)
        principal = Principal{match->name, match->role, match->person};
    else if (hash)
        principal = stored_principal(*hash, now);
    if (principal) {
        if (found != m_failures.end())
            m_failures.erase(found);
        return {Outcome::Ok, std::move(principal), 0};
    }

    prune(now);
    auto& failures = m_failures[std::string(remote)];
    if (failures.window_start + m_policy.block <= now) {
        failures.count = 0;
        failures.window_start = now;
    }
    if (++failures.count >= m_policy.max_failures) {
        failures.blocked_until = now + m_policy.block;
        failures.count = 0;
    }
    return {Outcome::Invalid, std::nullopt, 0};
}

} // namespace aarshjul::http

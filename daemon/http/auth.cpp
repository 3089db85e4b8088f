#include "http/auth.h"

#include <array>
#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace aarshjul::http {

namespace {

// Addresses remembered at most; beyond this the oldest-expired entries go first.
constexpr std::size_t kMaxTrackedAddresses = 10000;

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

std::string sha256_hex(std::string_view text) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    EVP_Digest(text.data(), text.size(), digest.data(), &length, EVP_sha256(), nullptr);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 0x0f];
    }
    return out;
}

TokenAuth::TokenAuth(std::vector<TokenEntry> tokens, AuthPolicy policy)
    : m_tokens(std::move(tokens)), m_policy(policy) {}

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

    const std::string hash = sha256_hex(token);
    const TokenEntry* match = nullptr;
    // Compare against every entry so the time taken does not say which one matched.
    for (const auto& entry : m_tokens)
        if (entry.sha256.size() == hash.size() &&
            CRYPTO_memcmp(entry.sha256.data(), hash.data(), hash.size()) == 0)
            match = &entry;
    if (match) {
        if (found != m_failures.end())
            m_failures.erase(found);
        return {Outcome::Ok, Principal{match->name, match->role, match->person}, 0};
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

#include "http/auth.h"

#include <array>
#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace aarshjul::http {

namespace {

// Addresses remembered at most; beyond this the oldest-expired entries go first.
constexpr std::size_t kMaxTrackedAddresses = 10000;

// SHA-256, fetched once: EVP_sha256() makes OpenSSL 3 look the algorithm up
// again on every use, which cost more than hashing a token (one per request).
const EVP_MD* sha256() {
    static const EVP_MD* const fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched ? fetched : EVP_sha256();
}

// The configured hex hash as bytes; none when it is not 64 hex digits.
std::optional<std::array<unsigned char, 32>> decode_hex_digest(const std::string& hex) {
    std::array<unsigned char, 32> out{};
    std::size_t length = 0;
    if (hex.size() != out.size() * 2 ||
        OPENSSL_hexstr2buf_ex(out.data(), out.size(), &length, hex.c_str(), '\0') != 1 ||
        length != out.size())
        return std::nullopt;
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

void TokenAuth::DigestContextFree::operator()(evp_md_ctx_st* context) const noexcept {
    EVP_MD_CTX_free(context);
}

TokenAuth::TokenAuth(std::vector<TokenEntry> tokens, AuthPolicy policy)
    : m_tokens(std::move(tokens)), m_digest_context(EVP_MD_CTX_new()), m_policy(policy) {
    for (const auto& entry : m_tokens)
        m_digests.push_back(decode_hex_digest(entry.sha256));
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

    Digest hash{};
    unsigned int length = 0;
    EVP_MD_CTX* context = m_digest_context.get();
    const bool hashed = context && EVP_DigestInit_ex2(context, sha256(), nullptr) == 1 &&
                        EVP_DigestUpdate(context, token.data(), token.size()) == 1 &&
                        EVP_DigestFinal_ex(context, hash.data(), &length) == 1 &&
                        length == hash.size();
    const TokenEntry* match = nullptr;
    // Compare against every entry so the time taken does not say which one matched.
    for (std::size_t i = 0; hashed && i < m_tokens.size(); ++i)
        if (m_digests[i] && CRYPTO_memcmp(m_digests[i]->data(), hash.data(), hash.size()) == 0)
            match = &m_tokens[i];
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

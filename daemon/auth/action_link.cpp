// SPDX-License-Identifier: MPL-2.0
#include "auth/action_link.h"

#include "store/secrets.h"
#include "util/random.h"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <charconv>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace aarshjul {
namespace {

constexpr std::string_view kDomain = "aarshjul-act-v1\n";
constexpr std::string_view kPersonalDomain = "aarshjul-me-v1\n";
constexpr std::string_view kCalendarDomain = "aarshjul-feed-v1\n";

std::string_view personal_domain(PersonalLink purpose) {
    return purpose == PersonalLink::MyTasks ? kPersonalDomain : kCalendarDomain;
}
constexpr std::string_view kKeyName = "action-link";
constexpr std::size_t kKeyBytes = 32;

} // namespace

ActionLinks::ActionLinks(std::string key, std::string public_url)
    : m_key(std::move(key)), m_public_url(std::move(public_url)) {}

std::string ActionLinks::signature(const ActionClaims& claims) const {
    return mac(std::string(kDomain) + std::to_string(claims.task_id) + "\n" + claims.person + "\n" +
               std::to_string(claims.expires));
}

std::string ActionLinks::mac(const std::string& message) const {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    HMAC(EVP_sha256(), m_key.data(), static_cast<int>(m_key.size()),
         reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &mac_len);
    return base64url(mac, mac_len);
}

std::string ActionLinks::query(const ActionClaims& claims) const {
    return "p=" + boost::urls::encode(claims.person, boost::urls::unreserved_chars) +
           "&e=" + std::to_string(claims.expires) + "&s=" + signature(claims);
}

std::string ActionLinks::link(const ActionClaims& claims) const {
    return m_public_url + "/act/" + std::to_string(claims.task_id) + "?" + query(claims);
}

std::string ActionLinks::personal_signature(PersonalLink purpose, std::string_view person,
                                            std::int64_t expires) const {
    return mac(std::string(personal_domain(purpose)) + std::string(person) + "\n" +
               std::to_string(expires));
}

std::string ActionLinks::personal_query(PersonalLink purpose, std::string_view person,
                                        std::int64_t expires) const {
    return "p=" + boost::urls::encode(person, boost::urls::unreserved_chars) +
           "&e=" + std::to_string(expires) + "&s=" + personal_signature(purpose, person, expires);
}

std::string ActionLinks::personal_link(PersonalLink purpose, std::string_view person,
                                       std::int64_t expires) const {
    return m_public_url + (purpose == PersonalLink::MyTasks ? "/me?" : "/me/calendar.ics?") +
           personal_query(purpose, person, expires);
}

Result<ActionClaims> ActionLinks::verify(std::int64_t task_id, std::string_view person,
                                         std::string_view expires, std::string_view signature,
                                         Instant now) const {
    ActionClaims claims;
    claims.task_id = task_id;
    claims.person = std::string(person);
    const char* end = expires.data() + expires.size();
    if (expires.empty() || std::from_chars(expires.data(), end, claims.expires).ptr != end ||
        person.empty() || signature.empty())
        return make_error("malformed link");
    return check(claims, this->signature(claims), signature, now);
}

Result<ActionClaims> ActionLinks::verify_personal(PersonalLink purpose, std::string_view person,
                                                  std::string_view expires,
                                                  std::string_view signature, Instant now) const {
    ActionClaims claims;
    claims.person = std::string(person);
    const char* end = expires.data() + expires.size();
    if (expires.empty() || std::from_chars(expires.data(), end, claims.expires).ptr != end ||
        person.empty() || signature.empty())
        return make_error("malformed link");
    return check(claims, personal_signature(purpose, person, claims.expires), signature, now);
}

Result<ActionClaims> ActionLinks::check(ActionClaims claims, const std::string& expected,
                                        std::string_view signature, Instant now) {
    if (expected.size() != signature.size() ||
        CRYPTO_memcmp(expected.data(), signature.data(), expected.size()) != 0)
        return make_error("the link's signature is not valid");
    if (to_unix(now) > claims.expires)
        return make_error("the link has expired");
    return claims;
}

Result<std::string> load_or_create_link_key(Secrets& secrets) {
    AARSHJUL_TRY_ASSIGN(auto found, secrets.get(kKeyName));
    if (found)
        return std::move(*found);

    unsigned char raw[kKeyBytes];
    if (RAND_bytes(raw, static_cast<int>(sizeof raw)) != 1)
        return make_error("could not draw a random link key from OpenSSL's RAND_bytes");
    // Stored as hex text: the HMAC key is that text (256 bits of entropy).
    std::string key;
    for (unsigned char byte : raw) {
        constexpr std::string_view k_hex = "0123456789abcdef";
        key += k_hex[byte >> 4];
        key += k_hex[byte & 15];
    }
    // Another process may have created it meanwhile: keep the first one.
    return secrets.put_if_absent(kKeyName, key);
}

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#pragma once
// One-click links in notices.
//
// Every reminder carries a link that lets its recipient mark the task done
// without logging in. The link names the task, the person it was sent to and
// an expiry, and carries an HMAC-SHA256 over those three under a key kept in
// the database (created on first use, never leaves it). Opening the link (GET)
// only shows a confirmation page; the page's form POSTs the same parameters to
// complete the task, because mail scanners follow GET links.
//
//   <public_url>/act/<task id>?p=<person id>&e=<expiry, unix seconds>&s=<signature>
//
// The signature is base64url without padding of
//   HMAC-SHA256(key, "aarshjul-act-v1\n" + task id + "\n" + person + "\n" + expiry).
//
// Personal links work the same way for a person instead of a task: the page
// "Mine opgaver" (/me, domain "aarshjul-me-v1") and the person's calendar feed
// (/me/calendar.ics, domain "aarshjul-feed-v1"):
//   <public_url>/me?p=<person id>&e=<expiry>&s=<signature>
//   HMAC-SHA256(key, domain + person + "\n" + expiry)

#include "clock/clock.h"
#include "util/result.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace aarshjul {

class Secrets;

// What a personal link opens.
enum class PersonalLink { MyTasks, Calendar };

struct ActionClaims {
    std::int64_t task_id = 0;
    std::string person;
    std::int64_t expires = 0; // unix seconds
};

class ActionLinks {
public:
    // `key` is the secret from load_or_create_link_key (or any test key).
    ActionLinks(std::string key, std::string public_url);

    // The full link for `claims`.
    std::string link(const ActionClaims& claims) const;
    // The query string (without '?') for `claims`: "p=...&e=...&s=...".
    std::string query(const ActionClaims& claims) const;
    std::string signature(const ActionClaims& claims) const;

    // Checks a link's parameters as received (already percent-decoded). Errors
    // say which check failed: unknown format, bad signature, expired.
    Result<ActionClaims> verify(std::int64_t task_id, std::string_view person,
                                std::string_view expires, std::string_view signature,
                                Instant now) const;

    // A personal link (see the top of this file) and its parts.
    std::string personal_link(PersonalLink purpose, std::string_view person,
                              std::int64_t expires) const;
    std::string personal_query(PersonalLink purpose, std::string_view person,
                               std::int64_t expires) const;
    std::string personal_signature(PersonalLink purpose, std::string_view person,
                                   std::int64_t expires) const;
    // Checks a personal link's parameters; task_id of the claims is 0.
    Result<ActionClaims> verify_personal(PersonalLink purpose, std::string_view person,
                                         std::string_view expires, std::string_view signature,
                                         Instant now) const;

    const std::string& public_url() const { return m_public_url; }

private:
    std::string mac(const std::string& message) const;
    static Result<ActionClaims> check(ActionClaims claims, const std::string& expected,
                                      std::string_view signature, Instant now);

    std::string m_key;
    std::string m_public_url;
};

// The link key stored in the database (table `secrets`, name 'action-link'),
// created from the system's CSPRNG the first time it is asked for.
Result<std::string> load_or_create_link_key(Secrets& secrets);

} // namespace aarshjul

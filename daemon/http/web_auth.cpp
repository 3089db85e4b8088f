// SPDX-License-Identifier: MPL-2.0
#include "http/web_auth.h"

#include "http/message.h"
#include "store/web_sessions.h"
#include "util/random.h"
#include "util/sha256.h"

#include <algorithm>
#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

namespace aarshjul::http {

namespace {

// A session's last use is written at most this often (not on every request).
constexpr std::int64_t kTouchEverySeconds = 60;

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::string trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return std::string(text);
}

} // namespace

std::string cookie_value(std::string_view header, std::string_view name) {
    while (!header.empty()) {
        const auto semi = header.find(';');
        std::string pair = trim(header.substr(0, semi));
        header = semi == std::string_view::npos ? "" : header.substr(semi + 1);
        const auto eq = pair.find('=');
        if (eq != std::string::npos && std::string_view(pair).substr(0, eq) == name)
            return pair.substr(eq + 1);
    }
    return {};
}

bool same_secret(std::string_view a, std::string_view b) {
    return a.size() == b.size() && !a.empty() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Role WebAuth::role_of(const Directory& directory, const Person& person) const {
    if (std::find(m_settings.admins.begin(), m_settings.admins.end(), person.id) !=
        m_settings.admins.end())
        return Role::Admin;
    for (const Person* p : directory.people_with_role("coordinator"))
        if (p->id == person.id)
            return Role::Coordinator;
    return Role::Owner;
}

const Person* WebAuth::find_person(const Directory& directory, std::string_view who) {
    const std::string wanted = trim(who);
    if (wanted.empty())
        return nullptr;
    if (const Person* p = directory.find_person(wanted))
        return p;
    for (const auto& p : directory.people)
        if (!p.email.empty() && iequals(p.email, wanted))
            return &p;
    return nullptr;
}

bool WebAuth::trusted(std::string_view remote) const {
    return std::find(m_settings.trusted_proxies.begin(), m_settings.trusted_proxies.end(),
                     remote) != m_settings.trusted_proxies.end();
}

Result<std::optional<WebIdentity>> WebAuth::identify(const Request& request, WebSessions& sessions,
                                                     const Directory& directory, Instant now) {
    const std::int64_t t = to_unix(now);
    std::optional<SessionRow> session;
    const std::string cookie = cookie_value(request.header("cookie"), kSessionCookie);
    if (!cookie.empty()) {
        AARSHJUL_TRY_ASSIGN(auto found, sessions.find_session(sha256_hex(cookie)));
        if (found && !found->ended_at &&
            t - found->last_seen_at <= std::chrono::seconds(m_settings.idle).count() &&
            t - found->created_at <= std::chrono::seconds(m_settings.max_age).count())
            session = std::move(found);
    }

    // Single sign-on: the proxy names the person on every request; a session
    // of someone else (the browser's previous user) does not count.
    if (!m_settings.user_header.empty()) {
        const std::string named = request.header(m_settings.user_header);
        if (!named.empty() && !trusted(request.remote)) {
            spdlog::debug("http: ignoring {} from {}, not a trusted proxy", m_settings.user_header,
                          request.remote);
        } else if (!named.empty()) {
            const Person* person = find_person(directory, named);
            if (!person) {
                spdlog::warn("http: the proxy names '{}', who is not in the directory", named);
                return std::optional<WebIdentity>{};
            }
            if (!session || session->person != person->id) {
                AARSHJUL_TRY_ASSIGN(auto started,
                                    start_session(sessions, person->id, role_of(directory, *person),
                                                  "proxy", request.remote, now));
                return std::optional<WebIdentity>{std::move(started)};
            }
        }
    }
    if (!session)
        return std::optional<WebIdentity>{};

    WebIdentity who;
    who.session_id = session->id;
    who.csrf = session->csrf;
    who.via = session->via;
    who.principal.person = session->person;
    if (session->person.empty()) {
        who.principal.name = "first-start";
        who.principal.role = role_from_string(session->role).value_or(Role::Viewer);
    } else {
        // Rights follow the directory as it is now, not as it was at sign-in.
        const Person* person = directory.find_person(session->person);
        if (!person)
            return std::optional<WebIdentity>{};
        who.principal.name = person->id;
        who.principal.role = role_of(directory, *person);
    }
    if (t - session->last_seen_at >= kTouchEverySeconds)
        AARSHJUL_TRY(sessions.touch_session(session->id, t));
    return std::optional<WebIdentity>{std::move(who)};
}

Result<WebIdentity> WebAuth::start_session(WebSessions& sessions, const std::string& person,
                                           Role role, const std::string& via,
                                           const std::string& remote, Instant now) {
    AARSHJUL_TRY_ASSIGN(std::string cookie, random_token(32));
    AARSHJUL_TRY_ASSIGN(std::string csrf, random_token(24));
    SessionRow row;
    row.person = person;
    row.role = std::string(to_string(role));
    row.csrf = csrf;
    row.via = via;
    row.created_at = to_unix(now);
    AARSHJUL_TRY_ASSIGN(std::int64_t id, sessions.insert_session(sha256_hex(cookie), row, remote));
    spdlog::info("http: {} signed in ({}, {}) from {}", person.empty() ? "first-start" : person,
                 to_string(role), via, remote);
    WebIdentity who;
    who.principal = Principal{person.empty() ? "first-start" : person, role, person};
    who.session_id = id;
    who.csrf = std::move(csrf);
    who.via = via;
    who.set_cookie = session_cookie(cookie);
    return who;
}

Result<void> WebAuth::end_session(WebSessions& sessions, const WebIdentity& who, Instant now) {
    return sessions.end_session(who.session_id, to_unix(now), who.principal.name);
}

std::string WebAuth::session_cookie(const std::string& value) const {
    return std::string(kSessionCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Lax" +
           (m_settings.secure_cookie ? "; Secure" : "");
}

std::string WebAuth::cleared_cookie() const {
    return std::string(kSessionCookie) + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0" +
           (m_settings.secure_cookie ? "; Secure" : "");
}

bool WebAuth::allow(std::map<std::string, std::deque<Instant>, std::less<>>& counters,
                    std::string_view key, int limit, Instant now) {
    // Forget keys whose window has passed, so the map cannot grow without bound.
    for (auto it = counters.begin(); it != counters.end();) {
        while (!it->second.empty() && it->second.front() <= now - kSigninWindow)
            it->second.pop_front();
        it = it->second.empty() ? counters.erase(it) : std::next(it);
    }
    auto& times = counters[std::string(key)];
    if (static_cast<int>(times.size()) >= limit)
        return false;
    times.push_back(now);
    return true;
}

bool WebAuth::allow_signin(std::string_view address, std::string_view client, Instant now) {
    std::string lower(trim(address));
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    // The client's allowance is counted first: a client spraying addresses is
    // stopped even when every address is new.
    if (!allow(m_by_client, client, m_settings.signin_per_client, now))
        return false;
    return allow(m_by_address, lower, m_settings.signin_per_address, now);
}

} // namespace aarshjul::http

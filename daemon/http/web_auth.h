// SPDX-License-Identifier: MPL-2.0
#pragma once
// WebAuth: who a browser is. People sign in by a single-use link sent to
// their address, or are named by a trusted reverse proxy's user header (single
// sign-on); either way they get a server-side session (table web_sessions)
// whose cookie is HttpOnly, SameSite=Lax and, behind https, Secure. Every form
// of a session carries its CSRF token. Rights follow the directory: a person
// in http.admins is admin, the coordinator role is coordinator, everyone else
// is an owner of their own tasks.
//
// Thread rules: one instance in the server's Context, used from the server's
// thread only (it keeps the sign-in rate counters in memory).

#include "clock/clock.h"
#include "http/auth.h"
#include "model/directory.h"
#include "util/result.h"

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aarshjul {
class WebSessions;
}

namespace aarshjul::http {

struct Request;

struct WebSettings {
    std::vector<std::string> admins;          // person ids
    std::vector<std::string> trusted_proxies; // IP addresses
    std::string user_header;                  // lower case; "" = no single sign-on
    std::chrono::minutes idle{60};
    std::chrono::hours max_age{12};
    int signin_per_address = 3; // per kSigninWindow
    int signin_per_client = 20; // per kSigninWindow
    bool secure_cookie = false; // public_url is https
};

inline constexpr std::string_view kSessionCookie = "aarshjul_session";
inline constexpr std::chrono::minutes kSigninWindow{15};
inline constexpr std::chrono::minutes kSigninLinkValid{15};

// A signed-in browser.
struct WebIdentity {
    Principal principal;
    std::int64_t session_id = 0;
    std::string csrf;
    std::string via;        // email | proxy | first-start
    std::string set_cookie; // a Set-Cookie value when this request started the session
};

class WebAuth {
public:
    WebAuth() = default;
    explicit WebAuth(WebSettings settings) : m_settings(std::move(settings)) {}

    const WebSettings& settings() const { return m_settings; }

    // A directory person's role on the web.
    Role role_of(const Directory& directory, const Person& person) const;
    // The person an address or id names: e-mail (any case) or person id.
    static const Person* find_person(const Directory& directory, std::string_view who);

    // The session or single sign-on identity of a request, if any. A user
    // header from an address not in trusted_proxies is ignored.
    Result<std::optional<WebIdentity>> identify(const Request& request, WebSessions& sessions,
                                                const Directory& directory, Instant now);

    // Starts a session for `person` (or the first-start admin: person "").
    Result<WebIdentity> start_session(WebSessions& sessions, const std::string& person, Role role,
                                      const std::string& via, const std::string& remote,
                                      Instant now);
    Result<void> end_session(WebSessions& sessions, const WebIdentity& who, Instant now);

    std::string session_cookie(const std::string& value) const;
    std::string cleared_cookie() const;

    // Counts one sign-in request; false when the address or the client has
    // used up its allowance for the window.
    bool allow_signin(std::string_view address, std::string_view client, Instant now);

private:
    bool trusted(std::string_view remote) const;
    bool allow(std::map<std::string, std::deque<Instant>, std::less<>>& counters,
               std::string_view key, int limit, Instant now);

    WebSettings m_settings;
    std::map<std::string, std::deque<Instant>, std::less<>> m_by_address;
    std::map<std::string, std::deque<Instant>, std::less<>> m_by_client;
};

// The value of cookie `name` in a Cookie header, or "".
std::string cookie_value(std::string_view header, std::string_view name);
// Constant-time comparison of two secrets.
bool same_secret(std::string_view a, std::string_view b);

} // namespace aarshjul::http

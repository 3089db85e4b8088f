// SPDX-License-Identifier: MPL-2.0
#include "http/api.h"

#include <algorithm>
#include <cctype>
#include <spdlog/spdlog.h>

namespace aarshjul::http {

TokenAuth token_auth(const Config& config) {
    std::vector<TokenEntry> tokens;
    for (const auto& t : config.http_tokens)
        tokens.push_back(
            {t.name, role_from_string(t.role).value_or(Role::Viewer), t.sha256, t.person});
    return TokenAuth(std::move(tokens),
                     AuthPolicy{config.http_auth_failures,
                                std::chrono::seconds{config.http_auth_block_seconds}});
}

ServerLimits server_limits(const Config& config) {
    ServerLimits limits;
    limits.body_limit = static_cast<std::size_t>(config.http_body_limit);
    limits.header_limit = static_cast<std::size_t>(config.http_header_limit);
    limits.header_timeout = std::chrono::seconds{config.http_header_timeout};
    limits.idle_timeout = std::chrono::seconds{config.http_idle_timeout};
    limits.max_connections = config.http_max_connections;
    limits.max_connections_per_address = config.http_max_connections_per_address;
    // Behind the proxy every client has the proxy's address: only the global cap applies to it.
    limits.unlimited_addresses = config.http_trusted_proxies;
    return limits;
}

WebSettings web_settings(const Config& config) {
    WebSettings web;
    web.admins = config.http_admins;
    web.trusted_proxies = config.http_trusted_proxies;
    web.user_header = config.http_user_header;
    std::transform(web.user_header.begin(), web.user_header.end(), web.user_header.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    web.idle = std::chrono::minutes{config.http_session_idle_minutes};
    web.max_age = std::chrono::hours{config.http_session_max_hours};
    web.signin_per_address = config.http_signin_per_address;
    web.signin_per_client = config.http_signin_per_client;
    web.secure_cookie = config.public_url.starts_with("https://");
    return web;
}

bool admin_can_sign_in(const Config& config, const Directory& directory, ApiTokens& tokens,
                       Instant now) {
    for (const auto& token : config.http_tokens)
        if (token.role == "admin")
            return true;
    auto stored = tokens.has_active_admin(now);
    if (!stored.ok())
        spdlog::warn("http: cannot tell whether an admin token is stored: {}",
                     stored.error().to_string());
    else if (*stored)
        return true;
    for (const auto& id : config.http_admins)
        if (const Person* person = directory.find_person(id))
            if (!person->email.empty() || !config.http_user_header.empty())
                return true;
    return false;
}

std::string loopback_host(const std::string& listen) {
    const auto colon = listen.rfind(':');
    std::string host = colon == std::string::npos ? listen : listen.substr(0, colon);
    if (host.empty() || host == "0.0.0.0")
        return "127.0.0.1";
    if (host == "::" || host == "[::]")
        return "[::1]";
    return host;
}

} // namespace aarshjul::http

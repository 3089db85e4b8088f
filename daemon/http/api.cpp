#include "http/api.h"

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
    return limits;
}

} // namespace aarshjul::http

// SPDX-License-Identifier: MPL-2.0
#include "http/router.h"

#include "http/handlers.h"
#include "http/page_common.h"
#include "util/utf8.h"

#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <exception>
#include <spdlog/spdlog.h>

namespace aarshjul::http {

namespace {

std::vector<std::string_view> split_pattern(std::string_view pattern) {
    std::vector<std::string_view> out;
    if (pattern == "/")
        return out; // the root has no segments
    std::size_t at = 1;
    while (at <= pattern.size()) {
        auto next = pattern.find('/', at);
        if (next == std::string_view::npos)
            next = pattern.size();
        out.push_back(pattern.substr(at, next - at));
        at = next + 1;
    }
    return out;
}

// A route with its pattern split into segments once, not per request.
struct CompiledRoute {
    const Route* route;
    std::vector<std::string_view> parts;
};

const std::vector<CompiledRoute>& compiled_routes() {
    static const std::vector<CompiledRoute> table = [] {
        std::vector<CompiledRoute> out;
        for (const auto& route : routes())
            out.push_back({&route, split_pattern(route.pattern)});
        return out;
    }();
    return table;
}

// Matches decoded path segments against a pattern's parts; fills the placeholders.
bool matches(const std::vector<std::string_view>& parts, const std::vector<std::string>& segments,
             std::vector<std::string>& params) {
    if (parts.size() != segments.size())
        return false;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (parts[i].starts_with('{')) {
            if (segments[i].empty())
                return false;
        } else if (parts[i] != segments[i]) {
            return false;
        }
    }
    params.clear();
    for (std::size_t i = 0; i < parts.size(); ++i)
        if (parts[i].starts_with('{'))
            params.push_back(segments[i]);
    return true;
}

std::string bearer_token(const Request& request) {
    const std::string value = request.header("authorization");
    constexpr std::string_view kScheme = "Bearer ";
    if (value.size() > kScheme.size() && value.compare(0, kScheme.size(), kScheme) == 0)
        return value.substr(kScheme.size());
    return {};
}

Response unauthorized(std::string_view message) {
    Response r = json_error(401, "unauthorized", message);
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"aarshjul\"");
    return r;
}

} // namespace

const std::vector<Route>& routes() {
    static const std::vector<Route> table = {
        {"GET", "/healthz", Access::Open, Role::Viewer, get_healthz},
        {"GET", "/metrics", Access::Open, Role::Viewer, get_metrics},
        {"GET", "/", Access::Web, Role::Viewer, get_status_page},
        {"GET", "/api/v1/status", Access::Token, Role::Viewer, get_status},
        {"GET", "/api/v1/tasks", Access::Token, Role::Viewer, get_tasks},
        {"GET", "/api/v1/tasks/{id}", Access::Token, Role::Viewer, get_task},
        {"POST", "/api/v1/tasks/{id}/complete", Access::Token, Role::Owner, post_complete},
        {"POST", "/api/v1/tasks/{id}/waive", Access::Token, Role::Coordinator, post_waive},
        {"GET", "/api/v1/workflows", Access::Token, Role::Viewer, get_workflows},
        {"POST", "/api/v1/workflows/reload", Access::Token, Role::Admin, nullptr, post_reload},
        {"POST", "/api/v1/events", Access::Token, Role::Owner, post_event},
        {"POST", "/api/v1/events/{id}/facts", Access::Token, Role::Coordinator, post_event_facts},
        {"GET", "/api/v1/calendar.ics", Access::TokenOrQuery, Role::Viewer, get_calendar},
        {"GET", "/api/v1/wheel.svg", Access::TokenOrQuery, Role::Viewer, get_wheel},
        {"GET", "/api/v1/export", Access::TokenOrQuery, Role::Viewer, get_export},
        {"GET", "/api/v1/report", Access::TokenOrQuery, Role::Viewer, get_report},
        {"GET", "/api/v1/report/snapshots", Access::Token, Role::Viewer, get_snapshots},
        {"POST", "/api/v1/report/snapshots", Access::Token, Role::Coordinator, post_snapshot},
        {"GET", "/act/{id}", Access::SignedLink, Role::Viewer, get_action_page},
        {"POST", "/act/{id}", Access::SignedLink, Role::Viewer, post_action},
        {"GET", "/signin", Access::Public, Role::Viewer, get_signin},
        {"POST", "/signin", Access::Public, Role::Viewer, post_signin},
        {"GET", "/signin/{token}", Access::Public, Role::Viewer, get_signin_link},
        {"POST", "/signin/{token}", Access::Public, Role::Viewer, post_signin_link},
        {"GET", "/first-start", Access::Public, Role::Viewer, get_first_start},
        {"POST", "/signout", Access::Web, Role::Viewer, post_signout},
        {"GET", "/me", Access::Public, Role::Viewer, get_my_tasks},
        {"POST", "/me/tasks/{id}/complete", Access::Public, Role::Viewer, post_my_task_complete},
        {"GET", "/me/calendar.ics", Access::Public, Role::Viewer, get_my_calendar},
        {"GET", "/tasks", Access::Web, Role::Coordinator, get_task_list_page},
        {"GET", "/tasks/{id}", Access::Web, Role::Coordinator, get_task_page},
        {"POST", "/tasks/{id}/complete", Access::Web, Role::Coordinator, post_task_complete_page},
        {"POST", "/tasks/{id}/waive", Access::Web, Role::Coordinator, post_task_waive_page},
        // /events/new before /events/{id}: the first route that matches serves.
        {"GET", "/events/new", Access::Web, Role::Coordinator, get_event_form},
        {"POST", "/events", Access::Web, Role::Coordinator, post_event_form},
        {"GET", "/events/{id}", Access::Web, Role::Coordinator, get_event_page},
        {"GET", "/reload", Access::Web, Role::Admin, get_reload_page},
        {"POST", "/reload", Access::Web, Role::Admin, nullptr, post_reload_page},
    };
    return table;
}

Reply handle(Request request, Context& context) {
    auto parsed = boost::urls::parse_origin_form(request.target);
    if (!parsed)
        return json_error(400, "bad_target", "the request target is not a valid path");
    // Decoded path segments and query parameters reach handlers, the database
    // and replies (a task reference is echoed back), so they must be UTF-8.
    std::vector<std::string> segments;
    for (auto segment : parsed->segments()) {
        if (!valid_utf8(segment))
            return json_error(400, "invalid_utf8", "a path segment is not valid UTF-8");
        segments.push_back(segment);
    }
    request.path = parsed->path();
    for (auto param : parsed->params()) {
        if (!valid_utf8(param.key) || !valid_utf8(param.value))
            return json_error(400, "invalid_utf8",
                              "query parameter '" + to_valid_utf8(param.key) +
                                  "' is not valid UTF-8");
        request.query.emplace(param.key, param.has_value ? param.value : std::string());
    }

    const Route* route = nullptr;
    std::string allowed;
    std::vector<std::string> params;
    for (const auto& [candidate, parts] : compiled_routes()) {
        if (!matches(parts, segments, params))
            continue;
        if (candidate->method == request.method ||
            (request.method == "HEAD" && candidate->method == "GET")) {
            route = candidate;
            request.params = std::move(params);
            break;
        }
        allowed += allowed.empty() ? "" : ", ";
        allowed += candidate->method;
    }
    if (!route) {
        if (!allowed.empty()) {
            Response r = json_error(405, "method_not_allowed",
                                    "use " + allowed + " for " + std::string(request.path));
            r.headers.emplace_back("Allow", allowed);
            return r;
        }
        return json_error(404, "not_found", "no such resource");
    }

    // A browser that signed in (or that a trusted proxy names) is recognised
    // on every page route; the API proper takes tokens only.
    if (route->access == Access::Public || route->access == Access::Web ||
        route->access == Access::SignedLink) {
        if (context.definitions) {
            auto who = context.web.identify(request, context.store.web_sessions(),
                                            context.definitions->directory, context.clock.now());
            if (!who.ok())
                spdlog::error("http: sessions: {}", who.error().to_string());
            else
                request.web = std::move(*who);
        }
    }

    // Checks a token; a response when it is refused.
    auto check_token = [&](const std::string& token) -> std::optional<Response> {
        auto check = context.auth.check(token, request.remote, context.clock.now());
        switch (check.outcome) {
        case TokenAuth::Outcome::Blocked: {
            Response r = json_error(429, "too_many_failures",
                                    "too many failed token checks from this address");
            r.headers.emplace_back("Retry-After", std::to_string(check.retry_after));
            return r;
        }
        case TokenAuth::Outcome::Missing:
            return unauthorized("a bearer token is required (Authorization: Bearer <token>)");
        case TokenAuth::Outcome::Invalid:
            spdlog::warn("http: invalid token from {} for {} {}", request.remote, request.method,
                         request.path);
            return unauthorized("the token is not valid");
        case TokenAuth::Outcome::Ok:
            break;
        }
        request.principal = std::move(check.principal);
        return std::nullopt;
    };

    if (route->access == Access::Token || route->access == Access::TokenOrQuery) {
        std::string token = bearer_token(request);
        if (token.empty() && route->access == Access::TokenOrQuery)
            token = request.query_value("token");
        if (auto refused = check_token(token))
            return std::move(*refused);
        if (request.principal->role < route->role)
            return json_error(403, "forbidden",
                              "this needs the role " + std::string(to_string(route->role)) +
                                  " (the token '" + request.principal->name + "' has " +
                                  std::string(to_string(request.principal->role)) + ")");
    }

    if (route->access == Access::Web) {
        const Lang lang = page_lang(request, context);
        std::string token = bearer_token(request);
        if (token.empty() && !request.web)
            token = request.query_value("token");
        if (!token.empty()) {
            if (auto refused = check_token(token))
                return std::move(*refused);
        } else if (request.web) {
            request.principal = request.web->principal;
            // A browser's form must carry its session's CSRF token.
            if (request.method == "POST") {
                auto form = parse_form(request.body);
                if (!form || !same_secret(form_field(*form, "csrf"), request.web->csrf))
                    return refused_page(request, context, lang, "refused_csrf");
            }
        } else if (request.method == "GET" || request.method == "HEAD") {
            return see_other("/signin?next=" +
                             boost::urls::encode(request.target, boost::urls::unreserved_chars));
        } else {
            return refused_page(request, context, lang, "refused_signed_out");
        }
        if (request.principal->role < route->role)
            return refused_page(request, context, lang, "refused_role");
    }

    const std::string set_cookie = request.web ? request.web->set_cookie : std::string();
    auto with_cookie = [&](Response response) {
        if (!set_cookie.empty())
            response.headers.emplace_back("Set-Cookie", set_cookie);
        return response;
    };

    try {
        if (route->deferred)
            return route->deferred(request, context);
        Response response = with_cookie(route->handler(request, context));
        if (request.method == "HEAD") {
            response.body.clear();
            response.shared_body.reset();
        }
        return response;
    } catch (const std::exception& e) {
        spdlog::error("http: {} {}: {}", request.method, request.path, e.what());
        return json_error(500, "internal", "the request failed inside the server");
    }
}

} // namespace aarshjul::http

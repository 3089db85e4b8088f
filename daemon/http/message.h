// SPDX-License-Identifier: MPL-2.0
#pragma once
// Request and Response: the HTTP exchange as plain data.
//
// The server (server.cpp, the only file that sees Boost.Beast) turns a parsed
// request into a Request, calls the router and writes the Response back, so
// every handler is a function from Request to Response (or to a Deferred, for
// work off the server's thread) that tests call without sockets. Header names
// are lower-case.

#include "http/auth.h"
#include "http/web_auth.h"
#include "util/markup.h"
#include "util/result.h"

#include <boost/json/value.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace aarshjul::http {

struct Request {
    std::string method; // "GET", "POST", ...
    std::string target; // as received: "/api/v1/tasks?state=open"
    std::map<std::string, std::string> headers;
    std::string body;
    std::string remote; // the peer's address, for auth-failure accounting
    // When the server had read the whole request (monotonic); absent when the
    // request did not come from the server (tests, fuzzing).
    std::optional<std::chrono::steady_clock::time_point> received;

    // Filled in by the router before a handler runs:
    std::string path;                              // percent-decoded path
    std::vector<std::string> params;               // the {placeholders} of the route
    std::multimap<std::string, std::string> query; // percent-decoded query parameters
    std::optional<Principal> principal;            // the token's holder, when one was given
    std::optional<WebIdentity> web;                // a signed-in browser (session or proxy)

    // A header's value, or "" when absent (`name` in lower case).
    std::string header(std::string_view name) const;
    // The first value of a query parameter, or "" when absent.
    std::string query_value(std::string_view name) const;
};

struct Response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers; // extra headers
    // Instead of `body` (then empty): a body shared with a cache, sent without
    // a copy per request. See share_body().
    std::shared_ptr<const std::string> shared_body;

    // The value of an extra header, if set.
    std::optional<std::string> header(std::string_view name) const;
    // The body to send: `shared_body` when set, else `body`.
    std::string_view content() const;
    // Moves `body` into `shared_body`, so copies of this Response share it.
    void share_body();
};

// A response completed later, for work that must not run on the server's
// thread (a reload evaluates Lua): the server calls the Deferred once with a
// Respond and awaits it, serving other connections meanwhile. Respond may be
// called from any thread and must be called once; later calls are ignored.
using Respond = std::function<void(Response)>;
using Deferred = std::function<void(Respond)>;

// What the router answers: a response now, or one later.
using Reply = std::variant<Response, Deferred>;

Response json_response(int status, const boost::json::value& body);
// {"error": {"status": 404, "code": "not_found", "message": "..."}}
Response json_error(int status, std::string_view code, std::string_view message);
// The one mapping from an error's kind to an HTTP status and an error code:
// Invalid 422 (code "invalid", or "invalid_<field>" when it names a field),
// NotFound 404, Conflict 409, Busy 503, Io and Internal 500.
int http_status(ErrorKind kind);
Response error_response(const Error& error);
Response html_response(int status, std::string body);
Response text_response(int status, std::string body,
                       std::string content_type = "text/plain; "
                                                  "charset=utf-8");

// The reason phrase of a status code ("Not Found").
std::string_view reason_phrase(int status);

} // namespace aarshjul::http

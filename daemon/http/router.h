// SPDX-License-Identifier: MPL-2.0
#pragma once
// Router: the table of routes and the one entry point the server calls.
//
// `handle` parses the target (Boost.URL), finds the route, checks the bearer
// token and role, and calls the route's handler. Every failure is a clean JSON
// 4xx; an unexpected exception in a handler becomes a 500, never a crash. A
// route whose work runs off the server's thread has a DeferredHandler instead.

#include "http/context.h"
#include "http/message.h"

#include <string_view>
#include <vector>

namespace aarshjul::http {

using Handler = Response (*)(const Request&, Context&);
using DeferredHandler = Deferred (*)(const Request&, Context&);

enum class Access {
    Open,         // no token (health, metrics)
    Token,        // Authorization: Bearer <token>
    TokenOrQuery, // also ?token=<token>, for browsers and calendar clients
    SignedLink,   // a one-click link's own signature (p, e, s)
    Public,       // anyone; a signed-in browser is recognised (sign-in, /me's own checks)
    Web,          // a signed-in browser (session or single sign-on), a bearer token or
                  // ?token=; a GET without any goes to /signin, a POST is refused.
                  // A browser's POST must carry its session's CSRF token (field csrf).
};

struct Route {
    std::string_view method;
    std::string_view pattern; // "/api/v1/tasks/{id}"
    Access access = Access::Token;
    Role role = Role::Viewer; // the least role a token needs
    Handler handler = nullptr;
    DeferredHandler deferred = nullptr; // set instead of handler
};

const std::vector<Route>& routes();

Reply handle(Request request, Context& context);

} // namespace aarshjul::http

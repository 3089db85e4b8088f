// SPDX-License-Identifier: MPL-2.0
#pragma once
// The HTTP API's settings from the configuration: the tokens, the limits.

#include "config/config.h"
#include "http/auth.h"
#include "http/server.h"
#include "http/web_auth.h"
#include "model/directory.h"
#include "store/api_tokens.h"

namespace aarshjul::http {

TokenAuth token_auth(const Config& config);
ServerLimits server_limits(const Config& config);
WebSettings web_settings(const Config& config);

// Whether some admin can sign in without the first-start link: an admin token
// in the configuration, or a person of http.admins in the directory who can
// get a sign-in mail (an e-mail address) or is named by the single sign-on
// proxy.
bool admin_can_sign_in(const Config& config, const Directory& directory, ApiTokens& tokens,
                       Instant now);

// The host of a listen address to reach it from this machine: a wildcard
// address ("0.0.0.0", "::") becomes loopback.
std::string loopback_host(const std::string& listen);

} // namespace aarshjul::http

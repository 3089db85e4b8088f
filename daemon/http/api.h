#pragma once
// The HTTP API's settings from the configuration: the tokens, the limits.

#include "config/config.h"
#include "http/auth.h"
#include "http/server.h"

namespace aarshjul::http {

TokenAuth token_auth(const Config& config);
ServerLimits server_limits(const Config& config);

} // namespace aarshjul::http

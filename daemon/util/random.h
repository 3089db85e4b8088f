// SPDX-License-Identifier: MPL-2.0
#pragma once
// Secrets drawn from OpenSSL's CSPRNG, as text that fits in a URL or a cookie:
// session cookies, CSRF tokens, sign-in links and API tokens.

#include "util/result.h"

#include <cstddef>
#include <string>

namespace aarshjul {

// base64url without padding (RFC 4648 §5) of `size` bytes.
std::string base64url(const unsigned char* data, std::size_t size);

// `bytes` random bytes as base64url; an error only when RAND_bytes fails.
Result<std::string> random_token(std::size_t bytes = 32);

} // namespace aarshjul

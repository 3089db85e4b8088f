// SPDX-License-Identifier: MPL-2.0
#pragma once
// Request framing by RFC 9112 §6.1-6.3: which requests may have their body
// framed by Transfer-Encoding.
//
// The server checks a request's header with check_framing() before it reads
// the body. Only `chunked` alone is accepted (no other coding is implemented),
// never together with Content-Length and never in HTTP/1.0. Anything else is
// refused with 400 and the connection closed, because a proxy in front may
// frame the same bytes differently (request smuggling). Thread rules: a plain
// function, safe from any thread.

#include "util/result.h"

#include <string>
#include <vector>

namespace aarshjul::http {

// What of a request header decides how its body is framed.
struct Framing {
    unsigned version = 11;                      // 10 for HTTP/1.0, 11 for HTTP/1.1
    std::vector<std::string> transfer_encoding; // the value of each Transfer-Encoding field
    bool content_length = false;                // a Content-Length field is present
};

// Ok when the body may be read as the header says; otherwise an Invalid
// error naming what is wrong (the answer is 400 and close).
Result<void> check_framing(const Framing& framing);

} // namespace aarshjul::http

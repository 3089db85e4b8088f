// SPDX-License-Identifier: MPL-2.0
#pragma once
// SHA-256 of a byte string (OpenSSL), as bytes or as lower-case hex. The
// algorithm is fetched from OpenSSL once per process: OpenSSL 3 otherwise
// looks it up again on every call, which costs more than hashing a token or
// an audit event (measured, bench/RESULTS.md).

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace aarshjul {

using Sha256Digest = std::array<unsigned char, 32>;

// None only when OpenSSL fails (out of memory).
std::optional<Sha256Digest> sha256(std::string_view data);
std::string sha256_hex(std::string_view data);

} // namespace aarshjul

#pragma once
// SHA-256 of a byte string as lower-case hex (OpenSSL's one-shot SHA256).

#include <string>
#include <string_view>

namespace aarshjul {

std::string sha256_hex(std::string_view data);

} // namespace aarshjul

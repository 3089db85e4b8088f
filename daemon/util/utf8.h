// SPDX-License-Identifier: MPL-2.0
#pragma once
// UTF-8 validity (RFC 3629): no overlong forms, no surrogates, nothing past
// U+10FFFF. Text from outside (forms, bodies, workflow files) is checked
// before it is stored or sent on.

#include <cstddef>
#include <string>
#include <string_view>

namespace aarshjul {

bool valid_utf8(std::string_view text);

// The offset of the first byte that does not start a valid character, or
// std::string_view::npos when `text` is valid UTF-8.
std::size_t invalid_utf8_at(std::string_view text);

// `text` with every byte that is not part of a valid character replaced by
// U+FFFD, for echoing untrusted text (a script's error message) safely.
std::string to_valid_utf8(std::string_view text);

// At most `max_bytes` of valid UTF-8 `text`, cut before a character that
// would not fit whole.
std::string_view truncate_utf8(std::string_view text, std::size_t max_bytes);

} // namespace aarshjul

#pragma once
// UTF-8 validity (RFC 3629): no overlong forms, no surrogates, nothing past
// U+10FFFF. Text from outside (forms, bodies) is checked before it is stored.

#include <cstddef>
#include <string_view>

namespace aarshjul {

bool valid_utf8(std::string_view text);

// At most `max_bytes` of valid UTF-8 `text`, cut before a character that
// would not fit whole.
std::string_view truncate_utf8(std::string_view text, std::size_t max_bytes);

} // namespace aarshjul

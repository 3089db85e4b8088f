#pragma once
// UTF-8 validity (RFC 3629): no overlong forms, no surrogates, nothing past
// U+10FFFF. Text from outside (forms, bodies) is checked before it is stored.

#include <string_view>

namespace aarshjul {

bool valid_utf8(std::string_view text);

} // namespace aarshjul

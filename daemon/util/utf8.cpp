// SPDX-License-Identifier: MPL-2.0
#include "util/utf8.h"

namespace aarshjul {

namespace {

// The length of the valid character at `p`, or 0 when none starts there.
std::size_t character_length(const unsigned char* p, const unsigned char* end) {
    const unsigned char c = *p;
    if (c < 0x80)
        return 1;
    int extra = 0;
    unsigned char low = 0x80, high = 0xbf; // the allowed range of the second byte
    if (c >= 0xc2 && c <= 0xdf) {
        extra = 1;
    } else if (c >= 0xe0 && c <= 0xef) {
        extra = 2;
        if (c == 0xe0)
            low = 0xa0; // overlong
        if (c == 0xed)
            high = 0x9f; // surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
        extra = 3;
        if (c == 0xf0)
            low = 0x90; // overlong
        if (c == 0xf4)
            high = 0x8f; // past U+10FFFF
    } else {
        return 0;
    }
    if (end - p <= extra)
        return 0;
    if (p[1] < low || p[1] > high)
        return 0;
    for (int k = 2; k <= extra; ++k)
        if ((p[k] & 0xc0) != 0x80)
            return 0;
    return static_cast<std::size_t>(extra) + 1;
}

} // namespace

std::size_t invalid_utf8_at(std::string_view text) {
    const auto* begin = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = begin + text.size();
    for (const auto* p = begin; p < end;) {
        const std::size_t n = character_length(p, end);
        if (n == 0)
            return static_cast<std::size_t>(p - begin);
        p += n;
    }
    return std::string_view::npos;
}

bool valid_utf8(std::string_view text) {
    return invalid_utf8_at(text) == std::string_view::npos;
}

std::string to_valid_utf8(std::string_view text) {
    if (valid_utf8(text))
        return std::string(text);
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const auto* end = p + text.size();
    std::string out;
    out.reserve(text.size() + 8);
    while (p < end) {
        const std::size_t n = character_length(p, end);
        if (n == 0) {
            out += "\xEF\xBF\xBD"; // U+FFFD REPLACEMENT CHARACTER
            ++p;
            continue;
        }
        out.append(reinterpret_cast<const char*>(p), n);
        p += n;
    }
    return out;
}

std::string_view truncate_utf8(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes)
        return text;
    std::size_t end = max_bytes;
    // Step back over continuation bytes to the start of the cut character.
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80)
        --end;
    return text.substr(0, end);
}

} // namespace aarshjul

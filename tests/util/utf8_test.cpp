// SPDX-License-Identifier: MPL-2.0
#include "util/utf8.h"

#include <gtest/gtest.h>
#include <string>

namespace aarshjul {
namespace {

struct Case {
    const char* name;
    std::string text;
    bool valid;
};

// Valid UTF-8 passes; overlong forms, surrogates, code points past U+10FFFF,
// stray continuation bytes and truncated sequences do not (RFC 3629).
TEST(Utf8, AcceptsOnlyWellFormedText) {
    const Case cases[] = {
        {.name = "ascii", .text = "Risikovurdering", .valid = true},
        {.name = "danish", .text = "Årshjul, Økonomi, Grundlovsdag æ", .valid = true},
        {.name = "euro and emoji", .text = "\xe2\x82\xac \xf0\x9f\x98\x80", .valid = true},
        {.name = "empty", .text = "", .valid = true},
        {.name = "latin-1 byte", .text = "\xe6rlig", .valid = false},
        {.name = "overlong slash", .text = "\xc0\xaf", .valid = false},
        {.name = "overlong 3-byte", .text = "\xe0\x80\xaf", .valid = false},
        {.name = "surrogate", .text = "\xed\xa0\x80", .valid = false},
        {.name = "past U+10FFFF", .text = "\xf4\x90\x80\x80", .valid = false},
        {.name = "stray continuation", .text = "a\x80z", .valid = false},
        {.name = "truncated", .text = "\xe2\x82", .valid = false},
        {.name = "truncated at end", .text = "ok\xc3", .valid = false},
    };
    for (const auto& c : cases)
        EXPECT_EQ(valid_utf8(c.text), c.valid) << c.name;
}

// The offset of the first bad byte is reported, and a lossy copy replaces each
// bad byte by U+FFFD while keeping every valid character.
TEST(Utf8, FindsAndReplacesTheFirstBadByte) {
    EXPECT_EQ(invalid_utf8_at("Årshjul"), std::string_view::npos);
    EXPECT_EQ(invalid_utf8_at("ab\xffz"), 2u);
    EXPECT_EQ(invalid_utf8_at("\xc3\xa5\xed\xa0\x80"), 2u);
    EXPECT_EQ(to_valid_utf8("Årshjul"), "Årshjul");
    EXPECT_EQ(to_valid_utf8("a\xff"
                            "b\xc3"),
              "a\xef\xbf\xbd"
              "b\xef\xbf\xbd");
    EXPECT_TRUE(valid_utf8(to_valid_utf8("\xed\xa0\x80\xc0\xaf")));
}

// Truncating never cuts a character in two.
TEST(Utf8, TruncatesAtCharacterBoundaries) {
    EXPECT_EQ(truncate_utf8("abc", 10), "abc");
    EXPECT_EQ(truncate_utf8("æøå", 3), "æ"); // each is two bytes: the second would not fit
    EXPECT_EQ(truncate_utf8("æøå", 4), "æø");
    EXPECT_EQ(truncate_utf8("a\xe2\x82\xac", 3), "a");
    EXPECT_TRUE(valid_utf8(truncate_utf8("x\xf0\x9f\x98\x80y", 4)));
}

} // namespace
} // namespace aarshjul

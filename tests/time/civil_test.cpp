#include "time/civil.h"

#include <gtest/gtest.h>

namespace aarshjul {
namespace {

// ISO dates parse and format back to the same text; invalid ones are refused.
TEST(Civil, ParsesAndFormatsIsoDates) {
    auto d = parse_local_date("2028-02-29");
    ASSERT_TRUE(d);
    EXPECT_EQ(format_local_date(*d), "2028-02-29");
    EXPECT_FALSE(parse_local_date("2027-02-29"));
    EXPECT_FALSE(parse_local_date("2027-13-01"));
    EXPECT_FALSE(parse_local_date("27-01-01"));
}

// Instants with an offset or Z parse to the same UTC point.
TEST(Civil, ParsesInstantsWithOffsets) {
    auto a = parse_instant("2026-10-24T09:00:00+02:00");
    auto b = parse_instant("2026-10-24T07:00:00Z");
    ASSERT_TRUE(a && b);
    EXPECT_EQ(*a, *b);
    EXPECT_EQ(format_instant_utc(*a), "2026-10-24T07:00:00Z");
    EXPECT_FALSE(parse_instant("yesterday"));
}

} // namespace
} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
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
    for (const char* bad :
         {"2027-00-10", "2027-01-00", "2027-0a-01", "+027-01-01", "2027-01-1 ", "2027/01/01", ""})
        EXPECT_FALSE(parse_local_date(bad)) << bad;
}

// The hand-written formatter and parser agree with the date library on every
// day of four centuries (leap years, century rules).
TEST(Civil, DateTextAgreesWithTheDateLibrary) {
    const LocalDate first = LocalDate{date::year{1900} / 1 / 1};
    const LocalDate last = LocalDate{date::year{2300} / 12 / 31};
    for (LocalDate day = first; day <= last; day += date::days{1}) {
        const std::string text = format_local_date(day);
        ASSERT_EQ(text, date::format("%F", day));
        ASSERT_EQ(parse_local_date(text), day) << text;
    }
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

// Adding months clamps to the end of a shorter month and never spills into the next one.
TEST(Civil, AddMonthsClamped) {
    struct Case {
        const char* from;
        int months;
        const char* expected;
    };
    const Case cases[] = {
        {"2027-01-31", 1, "2027-02-28"},  {"2028-01-31", 1, "2028-02-29"},
        {"2026-05-31", 1, "2026-06-30"},  {"2026-03-31", -1, "2026-02-28"},
        {"2026-01-15", 12, "2027-01-15"}, {"2026-11-30", 3, "2027-02-28"},
        {"2028-02-29", 12, "2029-02-28"}, {"2026-08-31", 0, "2026-08-31"},
    };
    for (const Case& c : cases) {
        auto from = parse_local_date(c.from);
        ASSERT_TRUE(from) << c.from;
        EXPECT_EQ(format_local_date(add_months_clamped(*from, c.months)), c.expected)
            << c.from << " + " << c.months;
    }
}

// Hours are added on the UTC time line.
TEST(Civil, AddHoursIsUtc) {
    auto at = parse_instant("2026-10-24T07:00:00Z");
    ASSERT_TRUE(at);
    EXPECT_EQ(format_instant_utc(add_hours(*at, 72)), "2026-10-27T07:00:00Z");
    EXPECT_EQ(format_instant_utc(add_hours(*at, -24)), "2026-10-23T07:00:00Z");
}

} // namespace
} // namespace aarshjul

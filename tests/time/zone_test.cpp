// SPDX-License-Identifier: MPL-2.0
#include "time/zone.h"

#include <gtest/gtest.h>
#include <libical/ical.h>

namespace aarshjul {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

Zone copenhagen() {
    auto zone = Zone::locate("Europe/Copenhagen");
    EXPECT_TRUE(zone.ok()) << (zone.ok() ? "" : zone.error().to_string());
    return *zone;
}

LocalTime local(int y, unsigned m, unsigned d, int h, int min = 0) {
    return LocalTime{LocalDate{date::year{y} / date::month{m} / date::day{d}}} + hours{h} +
           minutes{min};
}

Instant utc(const char* text) {
    auto at = parse_instant(text);
    EXPECT_TRUE(at) << text;
    return at.value_or(Instant{});
}

// An unknown zone name is refused with a message that names it.
TEST(Zone, UnknownNameIsAnErrorNamingIt) {
    auto zone = Zone::locate("Mars/Olympus");
    ASSERT_FALSE(zone.ok());
    EXPECT_NE(zone.error().message.find("Mars/Olympus"), std::string::npos) << zone.error().message;
    EXPECT_NE(zone.error().message.find("unknown time zone"), std::string::npos);
}

// A located zone keeps its IANA name.
TEST(Zone, KeepsItsName) {
    EXPECT_EQ(copenhagen().name(), "Europe/Copenhagen");
}

// Local times map to instants per RFC 5545: a gap time uses the offset before the gap, a
// repeated time its first occurrence, including in years past the tz files' 2037 horizon.
TEST(Zone, LocalToInstantFollowsRfc5545) {
    struct Case {
        const char* what;
        LocalTime local;
        const char* expected_utc;
    };
    const Case cases[] = {
        {"winter", local(2026, 1, 15, 8), "2026-01-15T07:00:00Z"},
        {"summer", local(2026, 6, 1, 12), "2026-06-01T10:00:00Z"},
        {"before the gap", local(2026, 3, 29, 1, 59), "2026-03-29T00:59:00Z"},
        {"inside the gap", local(2026, 3, 29, 2, 30), "2026-03-29T01:30:00Z"},
        {"after the gap", local(2026, 3, 29, 3, 0), "2026-03-29T01:00:00Z"},
        {"repeated hour", local(2026, 10, 25, 2, 30), "2026-10-25T00:30:00Z"},
        {"after the repeat", local(2026, 10, 25, 3, 0), "2026-10-25T02:00:00Z"},
        {"summer 2040", local(2040, 7, 1, 12), "2040-07-01T10:00:00Z"},
        {"gap 2040", local(2040, 3, 25, 2, 30), "2040-03-25T01:30:00Z"},
        {"repeat 2040", local(2040, 10, 28, 2, 30), "2040-10-28T00:30:00Z"},
        {"winter 2040", local(2040, 12, 1, 12), "2040-12-01T11:00:00Z"},
    };
    const Zone zone = copenhagen();
    for (const Case& c : cases)
        EXPECT_EQ(format_instant_utc(zone.to_instant(c.local)), c.expected_utc) << c.what;
}

// Instants read back as local time, date, offset and ISO text with the right offset.
TEST(Zone, InstantToLocal) {
    const Zone zone = copenhagen();
    const Instant at = utc("2026-10-24T22:30:00Z");
    EXPECT_EQ(zone.to_local(at), local(2026, 10, 25, 0, 30));
    EXPECT_EQ(zone.local_date(at), LocalDate{date::year{2026} / 10 / 25});
    EXPECT_EQ(zone.utc_offset(at), hours{2});
    EXPECT_EQ(zone.utc_offset(utc("2026-10-25T01:00:00Z")), hours{1});
    EXPECT_EQ(zone.format_iso(utc("2026-10-27T07:00:00Z")), "2026-10-27T08:00:00+01:00");
    EXPECT_EQ(zone.format_iso(utc("2026-07-01T00:00:00Z")), "2026-07-01T02:00:00+02:00");
    auto ny = Zone::locate("America/St_Johns");
    ASSERT_TRUE(ny.ok());
    EXPECT_EQ(ny->format_iso(utc("2026-01-15T12:00:00Z")), "2026-01-15T08:30:00-03:30");
}

// Local midnight is 23:00Z in winter and 22:00Z in summer, also on the days of change.
TEST(Zone, StartOfDay) {
    const Zone zone = copenhagen();
    EXPECT_EQ(format_instant_utc(zone.start_of_day(LocalDate{date::year{2026} / 3 / 29})),
              "2026-03-28T23:00:00Z");
    EXPECT_EQ(format_instant_utc(zone.start_of_day(LocalDate{date::year{2026} / 3 / 30})),
              "2026-03-29T22:00:00Z");
    EXPECT_EQ(format_instant_utc(zone.start_of_day(LocalDate{date::year{2026} / 10 / 25})),
              "2026-10-24T22:00:00Z");
}

// 72-hour deadlines are added in UTC across both DST changes (ANNUAL-CYCLE.md §4).
TEST(Zone, SeventyTwoHoursAcrossDst) {
    const Zone zone = copenhagen();
    const Instant autumn = zone.to_instant(local(2026, 10, 24, 9));
    EXPECT_EQ(zone.format_iso(autumn), "2026-10-24T09:00:00+02:00");
    EXPECT_EQ(zone.format_iso(add_hours(autumn, 72)), "2026-10-27T08:00:00+01:00");
    const Instant spring = zone.to_instant(local(2026, 3, 28, 9));
    EXPECT_EQ(zone.format_iso(spring), "2026-03-28T09:00:00+01:00");
    EXPECT_EQ(zone.format_iso(add_hours(spring, 72)), "2026-03-31T10:00:00+02:00");
}

// Past the 2037 horizon of the zoneinfo files, offsets still follow the zone's rules:
// checked hour by hour around every change against libical's own reading of the zone.
TEST(Zone, OffsetsAgreeWithLibicalUpTo2080) {
    for (const char* name : {"Europe/Copenhagen", "America/New_York", "Australia/Sydney",
                             "America/Sao_Paulo", "Asia/Tokyo"}) {
        auto zone = Zone::locate(name);
        ASSERT_TRUE(zone.ok()) << name;
        icaltimezone* oracle = icaltimezone_get_builtin_timezone(name);
        ASSERT_NE(oracle, nullptr) << name;
        int mismatches = 0;
        for (Instant at = utc("2030-01-01T00:30:00Z"); at < utc("2080-01-01T00:00:00Z");
             at += hours{5}) {
            const auto ymd = date::year_month_day{date::floor<date::days>(at)};
            const auto hms = date::hh_mm_ss<seconds>{at - date::floor<date::days>(at)};
            icaltimetype tt{};
            tt.year = int(ymd.year());
            tt.month = int(unsigned(ymd.month()));
            tt.day = int(unsigned(ymd.day()));
            tt.hour = int(hms.hours().count());
            tt.minute = int(hms.minutes().count());
            int is_daylight = 0;
            const int expected = icaltimezone_get_utc_offset_of_utc_time(oracle, &tt, &is_daylight);
            if (zone->utc_offset(at).count() != expected && ++mismatches < 5)
                ADD_FAILURE() << name << " at " << format_instant_utc(at) << ": "
                              << zone->utc_offset(at).count() << " != " << expected;
        }
        EXPECT_EQ(mismatches, 0) << name;
    }
}

} // namespace
} // namespace aarshjul

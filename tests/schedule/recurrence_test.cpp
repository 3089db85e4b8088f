// SPDX-License-Identifier: MPL-2.0
#include "schedule/recurrence.h"
#include "time/zone.h"

#include <algorithm>
#include <chrono>
#include <gtest/gtest.h>
#include <optional>
#include <set>

namespace aarshjul {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

LocalDate day(const char* iso) {
    auto d = parse_local_date(iso);
    EXPECT_TRUE(d) << iso;
    return d.value_or(LocalDate{});
}

std::vector<std::string> texts(const std::vector<LocalDate>& dates) {
    std::vector<std::string> out;
    for (LocalDate d : dates)
        out.push_back(format_local_date(d));
    return out;
}

struct ExpansionCase {
    const char* what;
    const char* rrule;
    const char* anchor;
    const char* valid_until; // nullptr = open-ended
    const char* from;
    const char* to;
    std::vector<std::string> expected;
};

// Each pattern of ANNUAL-CYCLE.md §3 expands to exactly the expected dates.
TEST(Recurrence, ExpandsDates) {
    const ExpansionCase cases[] = {
        {"yearly fixed date",
         "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1",
         "2000-01-01",
         nullptr,
         "2026-01-01",
         "2028-12-31",
         {"2026-03-01", "2027-03-01", "2028-03-01"}},
        {"yearly 29 February clamped",
         "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1",
         "2000-01-01",
         nullptr,
         "2027-01-01",
         "2029-12-31",
         {"2027-02-28", "2028-02-29", "2029-02-28"}},
        {"plain yearly from 29 February (RFC 5545: leap years only)",
         "FREQ=YEARLY",
         "2024-02-29",
         nullptr,
         "2024-01-01",
         "2032-12-31",
         {"2024-02-29", "2028-02-29", "2032-02-29"}},
        {"monthly day 31 clamped",
         "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
         "2020-01-01",
         nullptr,
         "2028-01-01",
         "2028-06-30",
         {"2028-01-31", "2028-02-29", "2028-03-31", "2028-04-30", "2028-05-31", "2028-06-30"}},
        {"half-yearly",
         "FREQ=MONTHLY;BYMONTH=3,9;BYMONTHDAY=1",
         "2025-01-01",
         nullptr,
         "2026-01-01",
         "2026-12-31",
         {"2026-03-01", "2026-09-01"}},
        {"quarterly from a matching anchor",
         "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1",
         "2026-01-01",
         nullptr,
         "2025-06-01",
         "2026-12-31",
         {"2026-01-01", "2026-04-01", "2026-07-01", "2026-10-01"}},
        {"quarterly keeps its phase",
         "FREQ=MONTHLY;INTERVAL=3",
         "2025-02-15",
         nullptr,
         "2026-01-01",
         "2026-12-31",
         {"2026-02-15", "2026-05-15", "2026-08-15", "2026-11-15"}},
        {"weekly by day",
         "FREQ=WEEKLY;BYDAY=MO,TH",
         "2026-01-01",
         nullptr,
         "2026-03-01",
         "2026-03-15",
         {"2026-03-02", "2026-03-05", "2026-03-09", "2026-03-12"}},
        {"fortnightly",
         "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
         "2026-01-06",
         nullptr,
         "2026-03-01",
         "2026-03-31",
         {"2026-03-03", "2026-03-17", "2026-03-31"}},
        {"1st and 15th except July",
         "FREQ=MONTHLY;BYMONTH=1,2,3,4,5,6,8,9,10,11,12;BYMONTHDAY=1,15",
         "2024-01-01",
         nullptr,
         "2026-06-01",
         "2026-08-31",
         {"2026-06-01", "2026-06-15", "2026-08-01", "2026-08-15"}},
        {"every year from the approval date",
         "FREQ=YEARLY",
         "2023-04-11",
         nullptr,
         "2020-01-01",
         "2026-12-31",
         {"2023-04-11", "2024-04-11", "2025-04-11", "2026-04-11"}},
        {"validity window",
         "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31",
         "2023-01-01",
         "2025-12-31",
         "2020-01-01",
         "2030-12-31",
         {"2023-12-31", "2024-12-31", "2025-12-31"}},
        {"anchor not matching the rule",
         "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1",
         "2000-01-01",
         nullptr,
         "1999-12-01",
         "2000-12-31",
         {"2000-03-01"}},
        {"anchor on another weekday",
         "FREQ=WEEKLY;BYDAY=MO",
         "2026-01-03",
         nullptr,
         "2026-01-01",
         "2026-01-13",
         {"2026-01-05", "2026-01-12"}},
        {"COUNT honoured",
         "FREQ=YEARLY;COUNT=3",
         "2023-04-11",
         nullptr,
         "2025-01-01",
         "2030-12-31",
         {"2025-04-11"}},
        {"UNTIL honoured",
         "FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20260415",
         "2026-01-01",
         nullptr,
         "2026-01-01",
         "2026-12-31",
         {"2026-01-15", "2026-02-15", "2026-03-15", "2026-04-15"}},
        {"election period: third Tuesday of November every four years",
         "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=3TU",
         "2021-01-01",
         nullptr,
         "2021-01-01",
         "2030-12-31",
         {"2021-11-16", "2025-11-18", "2029-11-20"}},
        {"week numbers (no skip-ahead)",
         "FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO",
         "2020-01-01",
         nullptr,
         "2025-06-01",
         "2027-12-31",
         {"2025-12-29", "2027-01-04"}},
        {"last Friday of the month",
         "FREQ=MONTHLY;BYDAY=-1FR",
         "2026-01-01",
         nullptr,
         "2026-01-01",
         "2026-03-31",
         {"2026-01-30", "2026-02-27", "2026-03-27"}},
        {"window before the anchor",
         "FREQ=YEARLY",
         "2023-04-11",
         nullptr,
         "2020-01-01",
         "2023-04-10",
         {}},
        {"empty window", "FREQ=DAILY", "2023-04-11", nullptr, "2026-02-01", "2026-01-01", {}},
    };
    for (const ExpansionCase& c : cases) {
        Recurrence r{c.rrule, day(c.anchor), std::nullopt};
        if (c.valid_until)
            r.valid_until = day(c.valid_until);
        EXPECT_TRUE(validate_recurrence(r).ok()) << c.what;
        auto dates = expand_dates(r, day(c.from), day(c.to));
        ASSERT_TRUE(dates.ok()) << c.what << ": " << dates.error().message;
        EXPECT_EQ(texts(*dates), c.expected) << c.what;
    }
}

// The anchor check agrees with the rule: a DTSTART the rule does not produce is reported
// (and never emitted by expand_dates), one it produces is confirmed.
TEST(Recurrence, AnchorIsOccurrence) {
    struct Case {
        const char* rrule;
        const char* anchor;
        bool expected;
    };
    const Case cases[] = {
        {"FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1", "2000-01-01", false},
        {"FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1", "2000-03-01", true},
        {"FREQ=YEARLY", "2023-04-11", true},
        {"FREQ=WEEKLY;BYDAY=MO", "2026-01-03", false},
        {"FREQ=WEEKLY;BYDAY=MO", "2026-01-05", true},
        {"FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1", "2028-02-28", false},
        {"FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1", "2028-02-29", true},
        {"FREQ=MONTHLY;BYMONTH=1,2,3,4,5,6,8,9,10,11,12;BYMONTHDAY=1,15", "2026-07-01", false},
        {"FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=3TU", "2025-11-18", true},
        {"FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=3TU", "2025-11-11", false},
        {"FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO", "2025-12-29", true},
        {"FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO", "2026-01-05", false},
        {"FREQ=YEARLY;COUNT=1;BYMONTH=3;BYMONTHDAY=1", "2026-01-01", false},
    };
    for (const Case& c : cases) {
        const Recurrence r{c.rrule, day(c.anchor), std::nullopt};
        auto is = anchor_is_occurrence(r);
        ASSERT_TRUE(is.ok()) << c.rrule << ": " << is.error().message;
        EXPECT_EQ(*is, c.expected) << c.rrule << " from " << c.anchor;
        auto dates = expand_dates(r, day(c.anchor), day(c.anchor));
        ASSERT_TRUE(dates.ok()) << c.rrule;
        EXPECT_EQ(dates->size(), c.expected ? 1u : 0u) << c.rrule << " from " << c.anchor;
    }
}

// Expanding in pieces gives the same dates as expanding the whole span at once, so
// skipping ahead with libical's set_start loses and invents nothing.
TEST(Recurrence, WindowsAgreeWithOneLongExpansion) {
    const char* rules[] = {
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1",
        "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
        "FREQ=MONTHLY;INTERVAL=3",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,FR",
        "FREQ=MONTHLY;BYMONTH=1,2,3,4,5,6,8,9,10,11,12;BYMONTHDAY=1,15",
        "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=3TU",
        "FREQ=DAILY;INTERVAL=10",
        "FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO",
    };
    for (const char* rule : rules) {
        const Recurrence r{rule, day("2023-01-31"), std::nullopt};
        auto whole = expand_dates(r, day("2023-01-01"), day("2031-12-31"));
        ASSERT_TRUE(whole.ok()) << rule << ": " << whole.error().message;
        ASSERT_FALSE(whole->empty()) << rule;
        std::vector<LocalDate> pieces;
        for (LocalDate from = day("2023-01-01"); from <= day("2031-12-31");
             from += date::days{37}) {
            auto part = expand_dates(r, from, std::min(from + date::days{36}, day("2031-12-31")));
            ASSERT_TRUE(part.ok()) << rule << ": " << part.error().message;
            pieces.insert(pieces.end(), part->begin(), part->end());
        }
        const auto a = texts(pieces);
        const auto b = texts(*whole);
        const auto diff = std::mismatch(a.begin(), a.end(), b.begin(), b.end());
        EXPECT_TRUE(diff.first == a.end() && diff.second == b.end())
            << rule << ": pieces give " << (diff.first == a.end() ? "(end)" : *diff.first)
            << ", one expansion gives " << (diff.second == b.end() ? "(end)" : *diff.second);
    }
}

// Text that is not a usable date RRULE is an Error that names the problem.
TEST(Recurrence, RejectsInvalidRules) {
    struct Case {
        const char* rrule;
        const char* anchor;
        const char* valid_until;
        const char* message_part;
    };
    const Case cases[] = {
        {"", "2026-01-01", nullptr, "empty RRULE"},
        {"FREQ=FORTNIGHTLY", "2026-01-01", nullptr, "invalid RRULE 'FREQ=FORTNIGHTLY'"},
        {"RRULE:FREQ=YEARLY", "2026-01-01", nullptr, "invalid RRULE"},
        {"FREQ=YEARLY;BYMONTH=13", "2026-01-01", nullptr, "is not usable"},
        {"FREQ=YEARLY;BYMONTHDAY=1;FOO=2", "2026-01-01", nullptr, "invalid RRULE"},
        {"BYMONTH=3", "2026-01-01", nullptr, "FREQ"},
        {"FREQ=HOURLY", "2026-01-01", nullptr, "date recurrence"},
        {"FREQ=DAILY;BYHOUR=9", "2026-01-01", nullptr, "BYHOUR"},
        {"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "2026-01-01", nullptr, "not usable"},
        {"FREQ=MONTHLY;BYMONTH=4;BYMONTHDAY=31", "2026-01-01", nullptr, "produces no date"},
        {"FREQ=YEARLY;UNTIL=20250101", "2026-01-01", nullptr, "produces no date"},
        {"FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=1", "2026-01-01", "2026-06-30", "produces no date"},
        {"FREQ=YEARLY", "2026-01-01", "2025-12-31", "before the anchor"},
        {"FREQ=YEARLY", "1066-10-14", nullptr, "anchor year 1066"},
        {"FREQ=YEARLY;RSCALE=GREGORIAN", "2026-01-01", nullptr, "RRULE"},
    };
    for (const Case& c : cases) {
        Recurrence r{c.rrule, day(c.anchor), std::nullopt};
        if (c.valid_until)
            r.valid_until = day(c.valid_until);
        auto valid = validate_recurrence(r);
        ASSERT_FALSE(valid.ok()) << c.rrule;
        EXPECT_NE(valid.error().message.find(c.message_part), std::string::npos)
            << c.rrule << ": " << valid.error().message;
    }
    auto expanded = expand_dates({"FREQ=GARBAGE", day("2026-01-01"), std::nullopt},
                                 day("2026-01-01"), day("2026-12-31"));
    ASSERT_FALSE(expanded.ok());
    EXPECT_NE(expanded.error().message.find("FREQ=GARBAGE"), std::string::npos);
}

// A rule that keeps producing far past the step cap is refused rather than stalling.
TEST(Recurrence, CapsRunawayExpansion) {
    auto times = expand_times("FREQ=HOURLY", LocalTime{day("2000-01-01")},
                              LocalTime{day("2000-01-01")}, LocalTime{day("2030-01-01")});
    ASSERT_FALSE(times.ok());
    EXPECT_NE(times.error().message.find("steps"), std::string::npos) << times.error().message;
}

// A weekly 09:00 slot stays at 09:00 local across both DST changes of 2026, so its UTC
// offset goes +01:00, +02:00, +01:00.
TEST(Recurrence, WeeklySlotKeepsLocalTimeAcrossDst) {
    auto zone = Zone::locate("Europe/Copenhagen");
    ASSERT_TRUE(zone.ok());
    const LocalTime anchor = LocalTime{day("2026-01-01")} + hours{9};
    auto times = expand_times("FREQ=WEEKLY;BYDAY=TH", anchor, LocalTime{day("2026-03-20")},
                              LocalTime{day("2026-11-06")});
    ASSERT_TRUE(times.ok()) << times.error().message;
    std::vector<std::string> iso;
    for (LocalTime t : *times)
        iso.push_back(zone->format_iso(zone->to_instant(t)));
    ASSERT_EQ(iso.size(), 33u);
    EXPECT_EQ(iso.front(), "2026-03-26T09:00:00+01:00");
    EXPECT_EQ(iso[1], "2026-04-02T09:00:00+02:00");
    EXPECT_EQ(iso[30], "2026-10-22T09:00:00+02:00");
    EXPECT_EQ(iso[31], "2026-10-29T09:00:00+01:00");
    EXPECT_EQ(iso.back(), "2026-11-05T09:00:00+01:00");
    for (const std::string& s : iso)
        EXPECT_EQ(s.substr(10, 9), "T09:00:00") << s;
}

// A local 02:30 daily slot fires exactly once per local date from 2020 to 2040, at
// strictly increasing instants: 03:30 CEST on the gap day, the first 02:30 on the repeat.
TEST(Recurrence, DailyTwoThirtyFiresOncePerDayThrough2040) {
    auto zone = Zone::locate("Europe/Copenhagen");
    ASSERT_TRUE(zone.ok());
    const LocalTime anchor = LocalTime{day("2020-01-01")} + hours{2} + minutes{30};
    auto times = expand_times("FREQ=DAILY", anchor, anchor, LocalTime{day("2041-01-01")});
    ASSERT_TRUE(times.ok()) << times.error().message;
    const auto days = (day("2041-01-01") - day("2020-01-01")).count();
    ASSERT_EQ(std::int64_t(times->size()), std::int64_t(days));

    std::set<LocalDate> dates;
    std::optional<Instant> previous;
    int gap_days = 0;
    int repeat_days = 0;
    for (LocalTime t : *times) {
        const Instant at = zone->to_instant(t);
        const LocalDate d = date::floor<date::days>(t);
        EXPECT_TRUE(dates.insert(d).second) << format_local_date(d);
        EXPECT_EQ(zone->local_date(at), d) << format_local_date(d);
        if (previous) {
            EXPECT_GT(at, *previous) << format_local_date(d);
        }
        previous = at;
        // The last Sunday of March has no 02:30; the last Sunday of October has two.
        const date::year_month_day ymd{d};
        const bool last_sunday = date::weekday{d} == date::Sunday &&
                                 (ymd.month() == date::March || ymd.month() == date::October) &&
                                 unsigned(ymd.day()) > 24;
        if (last_sunday && ymd.month() == date::March) {
            ++gap_days;
            EXPECT_EQ(zone->format_iso(at).substr(10), "T03:30:00+02:00") << format_local_date(d);
        } else if (last_sunday) {
            ++repeat_days;
            EXPECT_EQ(zone->format_iso(at).substr(10), "T02:30:00+02:00") << format_local_date(d);
        } else {
            EXPECT_EQ(zone->format_iso(at).substr(10, 9), "T02:30:00") << format_local_date(d);
        }
    }
    EXPECT_EQ(gap_days, 21);
    EXPECT_EQ(repeat_days, 21);
}

} // namespace
} // namespace aarshjul

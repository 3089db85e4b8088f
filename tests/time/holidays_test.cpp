// SPDX-License-Identifier: MPL-2.0
#include "time/holidays.h"

#include <gtest/gtest.h>

namespace aarshjul {
namespace {

LocalDate day(const char* iso) {
    auto d = parse_local_date(iso);
    EXPECT_TRUE(d) << iso;
    return d.value_or(LocalDate{});
}

struct Expected {
    const char* date;
    const char* name_da;
};

void expect_holidays(int year, const std::vector<Expected>& expected) {
    const auto holidays = danish_public_holidays(year);
    ASSERT_EQ(holidays.size(), expected.size()) << year;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(format_local_date(holidays[i].date), expected[i].date) << year << " #" << i;
        EXPECT_EQ(holidays[i].name_da, expected[i].name_da) << expected[i].date;
        EXPECT_FALSE(holidays[i].name_en.empty()) << expected[i].date;
    }
}

// 2023 is the last year with Store bededag (Easter + 26 = 5 May 2023).
TEST(Holidays, Full2023ListWithStoreBededag) {
    expect_holidays(2023, {
                              {"2023-01-01", "Nytårsdag"},
                              {"2023-04-06", "Skærtorsdag"},
                              {"2023-04-07", "Langfredag"},
                              {"2023-04-09", "Påskedag"},
                              {"2023-04-10", "2. påskedag"},
                              {"2023-05-05", "Store bededag"},
                              {"2023-05-18", "Kristi himmelfartsdag"},
                              {"2023-05-28", "Pinsedag"},
                              {"2023-05-29", "2. pinsedag"},
                              {"2023-12-25", "Juledag"},
                              {"2023-12-26", "2. juledag"},
                          });
}

// From 2024 Store bededag is gone: 26 April 2024 (Easter + 26, a Friday) is a business day.
TEST(Holidays, Full2024ListWithoutStoreBededag) {
    expect_holidays(2024, {
                              {"2024-01-01", "Nytårsdag"},
                              {"2024-03-28", "Skærtorsdag"},
                              {"2024-03-29", "Langfredag"},
                              {"2024-03-31", "Påskedag"},
                              {"2024-04-01", "2. påskedag"},
                              {"2024-05-09", "Kristi himmelfartsdag"},
                              {"2024-05-19", "Pinsedag"},
                              {"2024-05-20", "2. pinsedag"},
                              {"2024-12-25", "Juledag"},
                              {"2024-12-26", "2. juledag"},
                          });
    const auto calendar = BusinessCalendar::danish_default();
    EXPECT_TRUE(calendar.is_business_day(day("2024-04-26")));
    EXPECT_EQ(calendar.why_closed(day("2023-05-05")), "Store bededag");
}

// The computus gives the known Easter Sundays, including the earliest and latest possible.
TEST(Holidays, EasterSundays) {
    const std::pair<int, const char*> cases[] = {
        {1818, "1818-03-22"}, {1943, "1943-04-25"}, {2008, "2008-03-23"}, {2019, "2019-04-21"},
        {2024, "2024-03-31"}, {2025, "2025-04-20"}, {2026, "2026-04-05"}, {2027, "2027-03-28"},
        {2028, "2028-04-16"}, {2038, "2038-04-25"}, {2285, "2285-03-22"},
    };
    for (const auto& [year, expected] : cases)
        EXPECT_EQ(format_local_date(easter_sunday(year)), expected) << year;
}

// The Easter holidays of 2026 fall on 2, 3, 5 and 6 April.
TEST(Holidays, Easter2026) {
    const auto calendar = BusinessCalendar::danish_default();
    const std::pair<const char*, const char*> cases[] = {
        {"2026-04-02", "Skærtorsdag"},
        {"2026-04-03", "Langfredag"},
        {"2026-04-05", "Påskedag"},
        {"2026-04-06", "2. påskedag"},
        {"2026-05-14", "Kristi himmelfartsdag"},
        {"2026-05-24", "Pinsedag"},
        {"2026-05-25", "2. pinsedag"},
    };
    for (const auto& [date, name] : cases)
        EXPECT_EQ(calendar.why_closed(day(date)), name) << date;
}

// Each closed day gives its reason, a public holiday before an extra day or a weekend.
TEST(BusinessCalendar, WhyClosed) {
    const auto calendar = BusinessCalendar::danish_default();
    const std::pair<const char*, std::optional<std::string>> cases[] = {
        {"2026-06-05", "Grundlovsdag"},    {"2026-12-24", "Juleaftensdag"},
        {"2026-12-31", "Nytårsaftensdag"}, {"2026-03-07", "lørdag"},
        {"2026-03-08", "søndag"},          {"2026-03-09", std::nullopt},
        {"2028-06-05", "2. pinsedag"},     {"2027-12-25", "Juledag"},
        {"2027-01-01", "Nytårsdag"},       {"2026-04-07", std::nullopt},
    };
    for (const auto& [date, reason] : cases) {
        EXPECT_EQ(calendar.why_closed(day(date)), reason) << date;
        EXPECT_EQ(calendar.is_business_day(day(date)), !reason.has_value()) << date;
    }
}

// Rolling forward skips weekends, holidays and the extra days to the next business day.
TEST(BusinessCalendar, RollForward) {
    const auto calendar = BusinessCalendar::danish_default();
    const std::pair<const char*, const char*> cases[] = {
        {"2026-03-09", "2026-03-09"}, // a Monday stays
        {"2026-03-07", "2026-03-09"}, // Saturday -> Monday
        {"2026-04-02", "2026-04-07"}, // Skærtorsdag through 2. påskedag
        {"2028-06-03", "2028-06-06"}, // Saturday, Sunday (Pinsedag), 5 June (both reasons)
        {"2026-12-24", "2026-12-28"}, // Juleaftensdag, Juledag, weekend
        {"2026-12-31", "2027-01-04"}, // Nytårsaftensdag, Nytårsdag, weekend
        {"2027-12-24", "2027-12-27"}, // Friday 24th, then the weekend holds Christmas
        {"2027-12-31", "2028-01-03"}, // Friday 31st, Nytårsdag on a Saturday
        {"2023-05-05", "2023-05-08"}, // Store bededag (still a holiday), then the weekend
    };
    for (const auto& [from, expected] : cases)
        EXPECT_EQ(format_local_date(calendar.roll_forward(day(from))), expected) << from;
}

// Without extra days only weekends and public holidays close; the checked factory refuses
// days that do not exist.
TEST(BusinessCalendar, ConfigurableExtraDays) {
    const BusinessCalendar plain{{}};
    EXPECT_TRUE(plain.is_business_day(day("2026-06-05")));
    EXPECT_TRUE(plain.is_business_day(day("2026-12-24")));
    EXPECT_FALSE(plain.is_business_day(day("2026-12-25")));

    auto custom = BusinessCalendar::with_extra_days({{2, 29, "Skuddag"}, {5, 1, "1. maj"}});
    ASSERT_TRUE(custom.ok()) << custom.error().message;
    EXPECT_EQ(custom->why_closed(day("2028-02-29")), "Skuddag");
    EXPECT_EQ(custom->why_closed(day("2026-05-01")), "1. maj");
    EXPECT_EQ(format_local_date(custom->roll_forward(day("2026-05-01"))), "2026-05-04");

    auto bad = BusinessCalendar::with_extra_days({{2, 30, "Februar 30"}});
    ASSERT_FALSE(bad.ok());
    EXPECT_NE(bad.error().message.find("Februar 30"), std::string::npos);
    EXPECT_FALSE(BusinessCalendar::with_extra_days({{13, 1, "x"}}).ok());
    EXPECT_FALSE(BusinessCalendar::with_extra_days({{6, 5, ""}}).ok());
}

} // namespace
} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#include "time/holidays.h"

#include <array>

namespace aarshjul {
namespace {

// A holiday is either a fixed calendar day or an offset from Easter Sunday.
struct HolidayRule {
    enum class Kind { Fixed, Easter };
    Kind kind;
    unsigned month; // Fixed
    unsigned day;   // Fixed
    int offset;     // Easter: days after Easter Sunday
    int last_year;  // the last year it is a holiday (Store bededag: 2023)
    const char* name_da;
    const char* name_en;
};

constexpr int k_always = 1 << 30;

// In date order: Easter is never before 22 March, so Nytårsdag comes first.
constexpr std::array<HolidayRule, 11> k_rules{{
    {HolidayRule::Kind::Fixed, 1, 1, 0, k_always, "Nytårsdag", "New Year's Day"},
    {HolidayRule::Kind::Easter, 0, 0, -3, k_always, "Skærtorsdag", "Maundy Thursday"},
    {HolidayRule::Kind::Easter, 0, 0, -2, k_always, "Langfredag", "Good Friday"},
    {HolidayRule::Kind::Easter, 0, 0, 0, k_always, "Påskedag", "Easter Sunday"},
    {HolidayRule::Kind::Easter, 0, 0, 1, k_always, "2. påskedag", "Easter Monday"},
    // Abolished by Lov nr. 76 of 28 February 2023 with effect from 2024.
    {HolidayRule::Kind::Easter, 0, 0, 26, 2023, "Store bededag", "General Prayer Day"},
    {HolidayRule::Kind::Easter, 0, 0, 39, k_always, "Kristi himmelfartsdag", "Ascension Day"},
    {HolidayRule::Kind::Easter, 0, 0, 49, k_always, "Pinsedag", "Whit Sunday"},
    {HolidayRule::Kind::Easter, 0, 0, 50, k_always, "2. pinsedag", "Whit Monday"},
    {HolidayRule::Kind::Fixed, 12, 25, 0, k_always, "Juledag", "Christmas Day"},
    {HolidayRule::Kind::Fixed, 12, 26, 0, k_always, "2. juledag", "Boxing Day"},
}};

LocalDate rule_date(const HolidayRule& rule, int year, LocalDate easter) {
    if (rule.kind == HolidayRule::Kind::Fixed)
        return LocalDate{date::year{year} / date::month{rule.month} / date::day{rule.day}};
    return easter + date::days{rule.offset};
}

// The Danish name of the public holiday on `day`, or nullptr.
const char* public_holiday_name(LocalDate day) {
    const int year = int(date::year_month_day{day}.year());
    const LocalDate easter = easter_sunday(year);
    for (const HolidayRule& rule : k_rules) {
        if (year <= rule.last_year && rule_date(rule, year, easter) == day)
            return rule.name_da;
    }
    return nullptr;
}

bool fixed_day_exists(unsigned month, unsigned day) {
    // Checked against a leap year so 29 February is accepted.
    return month >= 1 && month <= 12 &&
           date::year_month_day{date::year{2000}, date::month{month}, date::day{day}}.ok();
}

} // namespace

// The anonymous Gregorian algorithm (Meeus/Jones/Butcher), written by hand: Debian
// packages no small C or C++ library for the computus.
LocalDate easter_sunday(int year) {
    const int a = year % 19;
    const int b = year / 100;
    const int c = year % 100;
    const int d = b / 4;
    const int e = b % 4;
    const int f = (b + 8) / 25;
    const int g = (b - f + 1) / 3;
    const int h = (19 * a + b - d - g + 15) % 30;
    const int i = c / 4;
    const int k = c % 4;
    const int l = (32 + 2 * e + 2 * i - h - k) % 7;
    const int m = (a + 11 * h + 22 * l) / 451;
    const int month = (h + l - 7 * m + 114) / 31;
    const int day = (h + l - 7 * m + 114) % 31 + 1;
    return LocalDate{date::year{year} / date::month(unsigned(month)) / date::day(unsigned(day))};
}

std::vector<Holiday> danish_public_holidays(int year) {
    const LocalDate easter = easter_sunday(year);
    std::vector<Holiday> holidays;
    holidays.reserve(k_rules.size());
    for (const HolidayRule& rule : k_rules) {
        if (year <= rule.last_year)
            holidays.push_back({rule_date(rule, year, easter), rule.name_da, rule.name_en});
    }
    return holidays;
}

BusinessCalendar BusinessCalendar::danish_default() {
    return BusinessCalendar{{
        {6, 5, "Grundlovsdag"},
        {12, 24, "Juleaftensdag"},
        {12, 31, "Nytårsaftensdag"},
    }};
}

Result<BusinessCalendar> BusinessCalendar::with_extra_days(std::vector<FixedDay> extra_days) {
    // With every weekend and holiday closed too, 200 extra days would leave almost none open.
    constexpr std::size_t k_max_extra_days = 200;
    if (extra_days.size() > k_max_extra_days)
        return make_error("too many extra closed days (" + std::to_string(extra_days.size()) +
                          "; at most " + std::to_string(k_max_extra_days) + ")");
    for (const FixedDay& d : extra_days) {
        if (!fixed_day_exists(d.month, d.day))
            return make_error("extra closed day '" + d.name + "' has no valid date (month " +
                              std::to_string(d.month) + ", day " + std::to_string(d.day) + ")");
        if (d.name.empty())
            return make_error("extra closed day " + std::to_string(d.month) + "-" +
                              std::to_string(d.day) + " has no name");
    }
    return BusinessCalendar{std::move(extra_days)};
}

BusinessCalendar::BusinessCalendar(std::vector<FixedDay> extra_days)
    : m_extra_days(std::move(extra_days)) {}

const char* BusinessCalendar::closed_reason(LocalDate day) const {
    if (const char* holiday = public_holiday_name(day))
        return holiday;
    const date::year_month_day ymd{day};
    for (const FixedDay& d : m_extra_days) {
        if (unsigned(ymd.month()) == d.month && unsigned(ymd.day()) == d.day)
            return d.name.c_str();
    }
    const date::weekday wd{day};
    if (wd == date::Saturday)
        return "lørdag";
    if (wd == date::Sunday)
        return "søndag";
    return nullptr;
}

bool BusinessCalendar::is_business_day(LocalDate day) const {
    return closed_reason(day) == nullptr;
}

LocalDate BusinessCalendar::roll_forward(LocalDate day) const {
    // A year always has business days unless the unchecked constructor was given nearly
    // every day; stop after two years rather than loop forever.
    for (int i = 0; i < 732; ++i) {
        if (is_business_day(day + date::days{i}))
            return day + date::days{i};
    }
    return day;
}

LocalDate BusinessCalendar::roll_backward(LocalDate day) const {
    for (int i = 0; i < 732; ++i) {
        if (is_business_day(day - date::days{i}))
            return day - date::days{i};
    }
    return day;
}

std::optional<std::string> BusinessCalendar::why_closed(LocalDate day) const {
    if (const char* reason = closed_reason(day))
        return std::string(reason);
    return std::nullopt;
}

} // namespace aarshjul

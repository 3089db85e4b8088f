// SPDX-License-Identifier: MPL-2.0
#include "time/civil.h"

#include <algorithm>
#include <sstream>

namespace aarshjul {

// Dates are formatted and parsed by hand: both run several times per task when
// a year is planned, and date::format/parse go through an iostream and its
// locale each time (13 % of national planning, bench/RESULTS.md).
std::optional<LocalDate> parse_local_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-')
        return std::nullopt;
    int fields[3] = {};
    const std::size_t at[3] = {0, 5, 8};
    const std::size_t len[3] = {4, 2, 2};
    for (int i = 0; i < 3; ++i) {
        for (std::size_t k = at[i]; k < at[i] + len[i]; ++k) {
            if (text[k] < '0' || text[k] > '9')
                return std::nullopt;
            fields[i] = fields[i] * 10 + (text[k] - '0');
        }
    }
    const date::year_month_day ymd{date::year{fields[0]},
                                   date::month{static_cast<unsigned>(fields[1])},
                                   date::day{static_cast<unsigned>(fields[2])}};
    if (!ymd.ok())
        return std::nullopt;
    return LocalDate{ymd};
}

std::string format_local_date(LocalDate day) {
    const date::year_month_day ymd{day};
    const int y = static_cast<int>(ymd.year());
    if (y < 0 || y > 9999)
        return date::format("%F", day);
    const auto m = static_cast<unsigned>(ymd.month());
    const auto d = static_cast<unsigned>(ymd.day());
    std::string out(10, '-');
    out[0] = static_cast<char>('0' + y / 1000);
    out[1] = static_cast<char>('0' + y / 100 % 10);
    out[2] = static_cast<char>('0' + y / 10 % 10);
    out[3] = static_cast<char>('0' + y % 10);
    out[5] = static_cast<char>('0' + m / 10);
    out[6] = static_cast<char>('0' + m % 10);
    out[8] = static_cast<char>('0' + d / 10);
    out[9] = static_cast<char>('0' + d % 10);
    return out;
}

std::string format_instant_utc(Instant at) {
    return date::format("%FT%TZ", at);
}

std::optional<Instant> parse_instant(std::string_view text) {
    for (const char* fmt : {"%FT%T%Ez", "%FT%TZ", "%FT%T%z"}) {
        std::istringstream in{std::string(text)};
        Instant at{};
        in >> date::parse(fmt, at);
        if (!in.fail() && in.peek() == std::char_traits<char>::eof())
            return at;
    }
    return std::nullopt;
}

LocalDate add_months_clamped(LocalDate day, int months) {
    const date::year_month_day ymd{day};
    const date::year_month moved = date::year_month{ymd.year(), ymd.month()} + date::months{months};
    const date::year_month_day_last last{moved.year(), date::month_day_last{moved.month()}};
    return LocalDate{
        date::year_month_day{moved.year(), moved.month(), std::min(ymd.day(), last.day())}};
}

} // namespace aarshjul

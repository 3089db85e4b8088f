#include "time/civil.h"

#include <algorithm>
#include <sstream>

namespace aarshjul {

std::optional<LocalDate> parse_local_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-')
        return std::nullopt;
    std::istringstream in{std::string(text)};
    date::year_month_day ymd{};
    in >> date::parse("%F", ymd);
    if (in.fail() || !ymd.ok())
        return std::nullopt;
    return LocalDate{ymd};
}

std::string format_local_date(LocalDate day) {
    return date::format("%F", day);
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

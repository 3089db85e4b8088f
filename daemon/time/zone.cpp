// SPDX-License-Identifier: MPL-2.0
#include "time/zone.h"

#include <cstdlib>
#include <date/tz.h>
#include <exception>

namespace aarshjul {
namespace {

// zic writes explicit transitions up to 2037 for zones whose rules go on.
constexpr int k_tzif_horizon_year = 2037;

int year_of(date::sys_days day) {
    return int(date::year_month_day{day}.year());
}

// The latest year <= `last` with the same leap-ness and weekday of 1 January as `y`,
// so "last Sunday of March" style rules fall on the same month days in both.
int equivalent_year(int y, int last) {
    const date::year target{y};
    const date::weekday target_wd{date::sys_days{target / date::January / 1}};
    for (int c = last; c > last - 400; --c) {
        const date::year candidate{c};
        if (candidate.is_leap() == target.is_leap() &&
            date::weekday{date::sys_days{candidate / date::January / 1}} == target_wd)
            return c;
    }
    return last; // unreachable: every combination occurs within 28 years
}

// How far the calendar of year `y` is shifted back to its equivalent year.
date::days year_shift(int y, int last) {
    const int eq = equivalent_year(y, last);
    return date::sys_days{date::year{y} / date::January / 1} -
           date::sys_days{date::year{eq} / date::January / 1};
}

} // namespace

Zone::Zone(const date::time_zone* tz, int last_explicit_year)
    : m_tz(tz), m_last_explicit_year(last_explicit_year) {}

Result<Zone> Zone::locate(std::string_view iana_name) {
    const date::time_zone* tz = nullptr;
    try {
        tz = date::locate_zone(iana_name);
    } catch (const std::exception& e) {
        return make_error("unknown time zone '" + std::string(iana_name) +
                          "' (not in the system tz database: " + e.what() + ")");
    }
    // Extrapolate only when the data end at the zic horizon while the zone still changes
    // offset seasonally; a zone whose last change is genuine keeps its final offset.
    const auto final_period = tz->get_info(date::sys_days{date::year{3000} / 1 / 1});
    int last_explicit_year = 0;
    const int final_year = year_of(date::floor<date::days>(final_period.begin));
    if (final_year >= k_tzif_horizon_year) {
        const auto previous = tz->get_info(final_period.begin - std::chrono::seconds{1});
        if (final_period.begin - previous.begin < date::days{366})
            last_explicit_year = final_year;
    }
    return Zone{tz, last_explicit_year};
}

const std::string& Zone::name() const {
    return m_tz->name();
}

Instant Zone::to_instant(LocalTime local) const {
    LocalTime probe = local;
    const int y = int(date::year_month_day{date::floor<date::days>(local)}.year());
    if (m_last_explicit_year != 0 && y > m_last_explicit_year)
        probe -= year_shift(y, m_last_explicit_year);
    // `first` is the period in force before a gap or the first of two repeated readings.
    const auto info = m_tz->get_info(probe);
    return Instant{local.time_since_epoch() - info.first.offset};
}

Instant Zone::start_of_day(LocalDate day) const {
    return to_instant(LocalTime{day});
}

std::chrono::seconds Zone::utc_offset(Instant at) const {
    Instant probe = at;
    const int y = year_of(date::floor<date::days>(at));
    if (m_last_explicit_year != 0 && y > m_last_explicit_year)
        probe -= year_shift(y, m_last_explicit_year);
    return m_tz->get_info(probe).offset;
}

LocalTime Zone::to_local(Instant at) const {
    return LocalTime{at.time_since_epoch() + utc_offset(at)};
}

LocalDate Zone::local_date(Instant at) const {
    return date::floor<date::days>(to_local(at));
}

std::string Zone::format_iso(Instant at) const {
    const auto offset = utc_offset(at);
    // Real offsets stay within a day; the modulo keeps the digits two wide regardless.
    const int total_minutes = int(std::abs(offset.count()) / 60 % (24 * 60));
    const auto two_digits = [](int v) {
        return std::string{char('0' + v / 10), char('0' + v % 10)};
    };
    return date::format("%FT%T", LocalTime{at.time_since_epoch() + offset}) +
           (offset.count() < 0 ? "-" : "+") + two_digits(total_minutes / 60) + ":" +
           two_digits(total_minutes % 60);
}

} // namespace aarshjul

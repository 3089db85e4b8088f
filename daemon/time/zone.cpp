#include "time/zone.h"

#include <date/tz.h>

#include <stdexcept>

namespace aarshjul {

Result<Zone> Zone::locate(std::string_view iana_name) {
    try {
        const date::time_zone* tz = date::locate_zone(iana_name);
        return Zone(tz, std::string(iana_name));
    } catch (const std::exception& e) {
        return make_error("unknown time zone '" + std::string(iana_name) +
                          "' (not in the system's IANA tz database)");
    }
}

Instant Zone::to_instant(LocalTime local) const {
    // In all three cases the first sys_info is the one to use: the only one,
    // the one before a gap, or the earlier of two repeated readings.
    const date::local_info info = m_tz->get_info(local);
    return Instant{local.time_since_epoch() - info.first.offset};
}

LocalTime Zone::to_local(Instant at) const {
    return date::local_seconds{at.time_since_epoch() + m_tz->get_info(at).offset};
}

LocalDate Zone::local_date(Instant at) const { return date::floor<date::days>(to_local(at)); }

std::chrono::seconds Zone::utc_offset(Instant at) const { return m_tz->get_info(at).offset; }

std::string Zone::format_iso(Instant at) const {
    const auto offset = utc_offset(at);
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(offset).count();
    const char sign = minutes < 0 ? '-' : '+';
    const auto abs = minutes < 0 ? -minutes : minutes;
    char suffix[8];
    std::snprintf(suffix, sizeof suffix, "%c%02d:%02d", sign, static_cast<int>(abs / 60),
                  static_cast<int>(abs % 60));
    return date::format("%FT%T", to_local(at)) + suffix;
}

LocalDate add_months_clamped(LocalDate day, int months) {
    const date::year_month_day ymd{day};
    const auto target = date::year_month{ymd.year(), ymd.month()} + date::months{months};
    const auto last = date::year_month_day_last{target.year(), date::month_day_last{target.month()}};
    const auto d = std::min(ymd.day(), last.day());
    return LocalDate{target.year() / target.month() / d};
}

} // namespace aarshjul

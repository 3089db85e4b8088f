#pragma once
// Zone: an IANA time zone (Howard Hinnant's date/tz over the system tz database).
//
// The one place where civil local time becomes an instant and back. A local
// time inside a spring-forward gap is read with the UTC offset before the gap
// (RFC 5545 §3.3.5: 02:30 on 2026-03-29 in Copenhagen is 03:30 CEST); a local
// time that occurs twice (fall back) resolves to its first occurrence.
// Cheap to copy, immutable, thread-safe.

#include "time/civil.h"
#include "util/result.h"

#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace aarshjul {

class Zone {
public:
    static Result<Zone> locate(std::string_view iana_name);

    const std::string& name() const { return m_name; }
    Instant to_instant(LocalTime local) const;
    Instant start_of_day(LocalDate day) const { return to_instant(LocalTime{day}); }
    LocalTime to_local(Instant at) const;
    LocalDate local_date(Instant at) const;
    std::chrono::seconds utc_offset(Instant at) const;
    // "2026-10-27T08:00:00+01:00"
    std::string format_iso(Instant at) const;

private:
    Zone(const date::time_zone* tz, std::string name) : m_tz(tz), m_name(std::move(name)) {}

    const date::time_zone* m_tz;
    std::string m_name;
};

// Hour-based deadlines are added on the UTC time line and never roll.
inline Instant add_hours(Instant at, int hours) { return at + std::chrono::hours{hours}; }

// Calendar months with month-end clamping: 31 January + 1 month = last day of February.
LocalDate add_months_clamped(LocalDate day, int months);

} // namespace aarshjul

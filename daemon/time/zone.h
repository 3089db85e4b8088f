// SPDX-License-Identifier: MPL-2.0
#pragma once
// Zone: an IANA time zone from the system's tz database (Howard Hinnant's date/tz).
//
// Converts between local civil time and instants with the RFC 5545 rules the
// scheduler relies on: a local time inside a spring-forward gap is read with the
// UTC offset in force before the gap (so it lands after the gap), and a local
// time that occurs twice at fall-back resolves to its first occurrence.
// Thread rules: immutable and cheap to copy (a pointer into the process-wide tz
// database); every member is safe to call from any thread.

#include "time/civil.h"
#include "util/result.h"

#include <chrono>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace aarshjul {

class Zone {
public:
    // The zone with IANA name `iana_name` ("Europe/Copenhagen"); an Error naming it if unknown.
    static Result<Zone> locate(std::string_view iana_name);

    const std::string& name() const;

    // Local civil time -> instant (gap: offset before the gap; repeated time: first occurrence).
    Instant to_instant(LocalTime local) const;
    // Local midnight of `day` as an instant.
    Instant start_of_day(LocalDate day) const;
    LocalTime to_local(Instant at) const;
    LocalDate local_date(Instant at) const;
    std::chrono::seconds utc_offset(Instant at) const;
    // "2026-10-27T08:00:00+01:00".
    std::string format_iso(Instant at) const;

private:
    Zone(const date::time_zone* tz, int last_explicit_year);

    const date::time_zone* m_tz;
    // The system zoneinfo files list transitions only up to a horizon (2037);
    // date/tz ignores their rule footer, so later years borrow the rules of an
    // earlier year with the same calendar. 0 when the zone needs no extrapolation.
    int m_last_explicit_year;
};

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#pragma once
// Civil-time vocabulary shared by every module.
//
// A LocalDate or LocalTime is a wall-clock reading in the organisation's zone
// with no zone attached; an Instant is a point on the UTC time line. Slots are
// stored as civil values and become instants only through a Zone.

#include <chrono>
#include <date/date.h>
#include <optional>
#include <string>
#include <string_view>

namespace aarshjul {

using LocalDate = date::local_days;
using LocalTime = date::local_seconds;
using Instant = date::sys_seconds;

// "2027-03-01" -> LocalDate; nullopt when the text is not a valid ISO 8601 calendar date.
std::optional<LocalDate> parse_local_date(std::string_view text);
// LocalDate -> "2027-03-01".
std::string format_local_date(LocalDate day);
// Instant -> "2027-03-01T07:00:00Z".
std::string format_instant_utc(Instant at);
// "2027-03-01T07:00:00Z" or with a numeric offset -> Instant.
std::optional<Instant> parse_instant(std::string_view text);

inline std::int64_t to_unix(Instant at) {
    return at.time_since_epoch().count();
}
inline Instant from_unix(std::int64_t seconds) {
    return Instant{std::chrono::seconds{seconds}};
}

// Hour-based deadlines ("within 72 hours") are added on the UTC time line: they never roll
// to a business day and a DST change in between shifts the local reading, not the length.
inline Instant add_hours(Instant at, int hours) {
    return at + std::chrono::hours{hours};
}

// `months` calendar months after `day`, clamped to the last day of a shorter month:
// one month after 31 January is 28 (or 29) February.
LocalDate add_months_clamped(LocalDate day, int months);

} // namespace aarshjul

#pragma once
// Recurrence expansion through libical's RFC 5545 RRULE iterator.
//
// Expansion happens in floating local time: the results are civil dates (or
// civil date-times) that a Zone turns into instants when needed.

#include "model/workflow.h"
#include "util/result.h"

#include <string_view>
#include <vector>

namespace aarshjul {

// Checks that the RRULE text parses and is usable.
Result<void> validate_recurrence(const Recurrence& r);

// Every occurrence date d with from <= d <= to, d >= anchor, d <= valid_until, in order.
Result<std::vector<LocalDate>> expand_dates(const Recurrence& r, LocalDate from, LocalDate to);

// Occurrences of an RRULE anchored at a local date-time, as local civil times in [from, to].
Result<std::vector<LocalTime>> expand_times(std::string_view rrule, LocalTime anchor,
                                            LocalTime from, LocalTime to);

} // namespace aarshjul

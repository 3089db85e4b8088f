// SPDX-License-Identifier: MPL-2.0
#pragma once
// Recurrence expansion: RFC 5545 RRULEs expanded with libical's recurrence iterator.
//
// Expansion runs in floating local time (no zone): dates and wall-clock times come
// out, and a caller that needs instants converts them through a Zone. An occurrence
// is only ever a date the rule produces: the anchor (DTSTART) is not emitted unless
// the rule itself matches it, although RFC 5545 counts DTSTART as the first instance.
// Thread rules: free functions with no shared state; safe from any thread.

#include "model/workflow.h"
#include "time/civil.h"
#include "util/result.h"

#include <string_view>
#include <vector>

namespace aarshjul {

// At most this many iterator steps per expansion; a rule that needs more is an Error,
// not a stalled scheduler.
inline constexpr int k_max_recurrence_steps = 100000;

// Checks that the RRULE text parses (libical), suits whole dates (FREQ=DAILY or coarser,
// no BYHOUR/BYMINUTE/BYSECOND), produces a date on or after the anchor within the
// validity window, and that the anchor and window are sane. The Error names the problem.
Result<void> validate_recurrence(const Recurrence& r);

// Whether the rule itself produces its anchor (RFC 5545 wants DTSTART to be the first
// occurrence; an anchor that is not one is legal here but never emitted).
Result<bool> anchor_is_occurrence(const Recurrence& r);

// Every occurrence date d with from <= d <= to, d >= anchor and d <= valid_until (if
// set), ascending. COUNT and UNTIL inside the RRULE are honoured.
Result<std::vector<LocalDate>> expand_dates(const Recurrence& r, LocalDate from, LocalDate to);

// Occurrences of `rrule` anchored at the local date-time `anchor` (FREQ=HOURLY or coarser)
// with from <= t <= to, ascending, as local civil times.
Result<std::vector<LocalTime>> expand_times(std::string_view rrule, LocalTime anchor,
                                            LocalTime from, LocalTime to);

} // namespace aarshjul

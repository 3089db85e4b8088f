// SPDX-License-Identifier: MPL-2.0
#pragma once
// Calendar: tasks as an iCalendar feed (RFC 5545, built with libical) that
// Outlook and other clients can subscribe to. A day-based deadline is an
// all-day event on its due date; an hour-based one (incidents) is a timed
// event in the organisation's zone, with its VTIMEZONE.

#include "store/read_queries.h"
#include "time/zone.h"
#include "util/result.h"

#include <string>

namespace aarshjul::http {

struct CalendarFilter {
    std::string person;   // tasks assigned to this person; empty = everyone
    std::string workflow; // tasks of this workflow; empty = all
    std::string from;     // due on or after this date (YYYY-MM-DD)
};

Result<std::string> render_calendar(ReadQueries& queries, const Zone& zone, const std::string& name,
                                    const CalendarFilter& filter, Instant now);

} // namespace aarshjul::http

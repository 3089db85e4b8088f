// SPDX-License-Identifier: MPL-2.0
#include "schedule/recurrence.h"

#include <algorithm>
#include <cstdlib>
#include <libical/ical.h>
#include <limits>
#include <memory>
#include <mutex>
#include <string>

namespace aarshjul {
namespace {

// libical iterates up to 2582; anchors and windows stay well inside that.
constexpr int k_min_year = 1900;
constexpr int k_max_year = 2500;
// The Gregorian calendar repeats exactly every 400 years (146097 days = 20871 weeks).
constexpr int k_calendar_cycle_years = 400;

enum class Grain { Dates, Times };

struct IteratorDeleter {
    void operator()(icalrecur_iterator* it) const noexcept { icalrecur_iterator_free(it); }
};
using IteratorPtr = std::unique_ptr<icalrecur_iterator, IteratorDeleter>;

// libical reports errors through a thread-local errno; make sure none of them asserts, and
// set up its UTC zone (used by its comparisons) once, before any concurrent use.
void prepare_libical() {
    static std::once_flag once;
    std::call_once(once, [] {
        icalerror_set_errors_are_fatal(0);
        (void)icaltimezone_get_utc_timezone();
    });
}

bool has_by(const short* values) {
    return values[0] != ICAL_RECURRENCE_ARRAY_MAX;
}

std::string rule_label(std::string_view rrule) {
    return "RRULE '" + std::string(rrule) + "'";
}

icaltimetype to_ical(LocalTime t) {
    const LocalDate day = date::floor<date::days>(t);
    const date::year_month_day ymd{day};
    const date::hh_mm_ss<std::chrono::seconds> hms{t - day};
    icaltimetype out{};
    out.year = int(ymd.year());
    out.month = int(unsigned(ymd.month()));
    out.day = int(unsigned(ymd.day()));
    out.hour = int(hms.hours().count());
    out.minute = int(hms.minutes().count());
    out.second = int(hms.seconds().count());
    out.zone = nullptr; // floating: local civil time
    return out;
}

icaltimetype to_ical(LocalDate d) {
    icaltimetype out = to_ical(LocalTime{d});
    out.is_date = 1;
    return out;
}

LocalTime from_ical(const icaltimetype& t) {
    const LocalDate day{date::year{t.year} / date::month(unsigned(t.month)) /
                        date::day(unsigned(t.day))};
    if (t.is_date)
        return LocalTime{day};
    return LocalTime{day} + std::chrono::hours{t.hour} + std::chrono::minutes{t.minute} +
           std::chrono::seconds{t.second};
}

Result<icalrecurrencetype> parse_rule(std::string_view text, Grain grain) {
    prepare_libical();
    if (text.empty())
        return make_error("empty RRULE (expected e.g. FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1)");
    if (text.find('\0') != std::string_view::npos)
        return make_error("RRULE contains a NUL byte");
    const std::string copy(text);
    icalerror_clear_errno();
    icalrecurrencetype rule = icalrecurrencetype_from_string(copy.c_str());
    const icalerrorenum error = icalerrno;
    if (rule.rscale != nullptr) {
        std::free(rule.rscale);
        rule.rscale = nullptr;
        return make_error(rule_label(text) + ": RSCALE (non-Gregorian calendars) is not supported");
    }
    if (error != ICAL_NO_ERROR || rule.freq == ICAL_NO_RECURRENCE) {
        std::string why = error != ICAL_NO_ERROR ? icalerror_strerror(error) : "FREQ is missing";
        return make_error("invalid " + rule_label(text) + ": " + why +
                          " (expected RFC 5545 rule parts such as FREQ=YEARLY;BYMONTH=3;"
                          "BYMONTHDAY=1, without an 'RRULE:' prefix)");
    }
    if (rule.interval < 1)
        return make_error(rule_label(text) + ": INTERVAL must be at least 1");
    if (grain == Grain::Dates) {
        if (rule.freq != ICAL_DAILY_RECURRENCE && rule.freq != ICAL_WEEKLY_RECURRENCE &&
            rule.freq != ICAL_MONTHLY_RECURRENCE && rule.freq != ICAL_YEARLY_RECURRENCE)
            return make_error(rule_label(text) + ": a date recurrence needs FREQ=DAILY, WEEKLY, " +
                              "MONTHLY or YEARLY");
        if (has_by(rule.by_hour) || has_by(rule.by_minute) || has_by(rule.by_second))
            return make_error(rule_label(text) +
                              ": BYHOUR, BYMINUTE and BYSECOND do not apply to a date recurrence");
    } else if (rule.freq == ICAL_SECONDLY_RECURRENCE || rule.freq == ICAL_MINUTELY_RECURRENCE) {
        return make_error(rule_label(text) + ": FREQ must be HOURLY or coarser for a schedule");
    }
    return rule;
}

Result<void> check_year(LocalTime t, const char* what) {
    const int y = int(date::year_month_day{date::floor<date::days>(t)}.year());
    if (y < k_min_year || y > k_max_year)
        return make_error(std::string(what) + " year " + std::to_string(y) + " is outside " +
                          std::to_string(k_min_year) + "-" + std::to_string(k_max_year));
    return {};
}

LocalTime latest_supported() {
    return LocalTime{LocalDate{date::year{k_max_year} / date::December / 31}} +
           std::chrono::hours{23} + std::chrono::minutes{59} + std::chrono::seconds{59};
}

// Whether the rule itself produces `dtstart`. libical may hand back DTSTART as the first
// instance without checking it against the rule, so this asks an iterator started one
// full calendar cycle earlier (same weekdays, same leap years), where DTSTART is not in
// question. INTERVAL=1 there is safe: the anchor's own period is always in phase.
Result<bool> rule_produces(const icalrecurrencetype& rule, std::string_view text,
                           const icaltimetype& dtstart) {
    const LocalTime target = from_ical(dtstart);
    if (!icaltime_is_null_time(rule.until) && from_ical(rule.until) < target)
        return false;
    icalrecurrencetype probe = rule;
    probe.count = 0;
    probe.until = icaltime_null_time();
    probe.interval = 1;
    icaltimetype earlier = dtstart;
    earlier.year -= k_calendar_cycle_years;
    icalerror_clear_errno();
    IteratorPtr it{icalrecur_iterator_new(probe, earlier)};
    if (!it)
        return make_error(rule_label(text) +
                          ": libical cannot check the anchor: " + icalerror_strerror(icalerrno));
    // Skipping ahead lands on wrong days with BYWEEKNO in libical 3.0; walk instead.
    const bool skip = !has_by(rule.by_week_no);
    if (skip && !icalrecur_iterator_set_start(it.get(), dtstart))
        return make_error(rule_label(text) + ": libical cannot check the anchor");
    // Without skipping, a cycle holds at most 400 * 366 daily steps.
    const int max_steps = skip ? k_max_recurrence_steps : k_calendar_cycle_years * 372;
    for (int step = 0; step < max_steps; ++step) {
        const icaltimetype t = icalrecur_iterator_next(it.get());
        if (icaltime_is_null_time(t))
            return false;
        const LocalTime at = from_ical(t);
        if (at == target)
            return true;
        if (at > target)
            return false;
    }
    return make_error(rule_label(text) + ": too many steps to check the anchor");
}

// The occurrences t of `rule` from `dtstart` with from <= t <= to (at most `limit` of them),
// the anchor included only if the rule produces it.
Result<std::vector<LocalTime>> iterate(const icalrecurrencetype& rule, std::string_view text,
                                       const icaltimetype& dtstart, LocalTime from, LocalTime to,
                                       std::size_t limit) {
    std::vector<LocalTime> out;
    const LocalTime anchor = from_ical(dtstart);
    from = std::max(from, anchor);
    to = std::min(to, latest_supported());
    if (from > to)
        return out;
    icalerror_clear_errno();
    IteratorPtr it{icalrecur_iterator_new(rule, dtstart)};
    if (!it)
        return make_error(rule_label(text) + " is not usable from " +
                          format_local_date(date::floor<date::days>(anchor)) +
                          ": it is malformed or produces no date (libical: " +
                          icalerror_strerror(icalerrno) + ")");
    // set_start skips whole periods at once; libical 3.0 refuses it with COUNT (occurrences
    // must be counted from DTSTART) and lands on wrong days with BYWEEKNO.
    if (from > anchor && rule.count == 0 && !has_by(rule.by_week_no)) {
        icaltimetype start = to_ical(from);
        start.is_date = dtstart.is_date;
        if (!icalrecur_iterator_set_start(it.get(), start))
            return make_error(rule_label(text) + ": libical cannot skip ahead to " +
                              format_local_date(date::floor<date::days>(from)));
    }
    for (int step = 0;; ++step) {
        if (step == k_max_recurrence_steps)
            return make_error(rule_label(text) + " needs more than " +
                              std::to_string(k_max_recurrence_steps) +
                              " steps to expand; narrow the window or the rule");
        const icaltimetype t = icalrecur_iterator_next(it.get());
        if (icaltime_is_null_time(t)) {
            if (icalerrno != ICAL_NO_ERROR)
                return make_error(rule_label(text) +
                                  ": libical failed: " + icalerror_strerror(icalerrno));
            break;
        }
        const LocalTime at = from_ical(t);
        if (at > to || out.size() == limit)
            break;
        if (at >= from)
            out.push_back(at);
    }
    // The anchor is an occurrence exactly when the rule produces it, whatever the iterator
    // said: libical may return a DTSTART the rule does not match, and with BYWEEKNO it can
    // miss one whose week belongs to the next year (29 December 2025 is in week 1 of 2026).
    if (from == anchor) {
        AARSHJUL_TRY_ASSIGN(const bool produced, rule_produces(rule, text, dtstart));
        const bool emitted = !out.empty() && out.front() == anchor;
        if (emitted && !produced)
            out.erase(out.begin());
        else if (!emitted && produced)
            out.insert(out.begin(), anchor);
    }
    return out;
}

} // namespace

Result<void> validate_recurrence(const Recurrence& r) {
    AARSHJUL_TRY_ASSIGN(const icalrecurrencetype rule, parse_rule(r.rrule, Grain::Dates));
    AARSHJUL_TRY(check_year(LocalTime{r.anchor}, "anchor"));
    if (r.valid_until && *r.valid_until < r.anchor)
        return make_error("valid_until " + format_local_date(*r.valid_until) +
                          " is before the anchor " + format_local_date(r.anchor));
    const LocalTime last = r.valid_until ? LocalTime{*r.valid_until} : latest_supported();
    // Two, because the anchor itself may turn out not to be an occurrence.
    AARSHJUL_TRY_ASSIGN(const auto first,
                        iterate(rule, r.rrule, to_ical(r.anchor), LocalTime{r.anchor}, last, 2));
    if (first.empty())
        return make_error(rule_label(r.rrule) + " produces no date from its anchor " +
                          format_local_date(r.anchor) +
                          (r.valid_until ? " until " + format_local_date(*r.valid_until) : ""));
    return {};
}

Result<bool> anchor_is_occurrence(const Recurrence& r) {
    AARSHJUL_TRY_ASSIGN(const icalrecurrencetype rule, parse_rule(r.rrule, Grain::Dates));
    AARSHJUL_TRY(check_year(LocalTime{r.anchor}, "anchor"));
    return rule_produces(rule, r.rrule, to_ical(r.anchor));
}

Result<std::vector<LocalDate>> expand_dates(const Recurrence& r, LocalDate from, LocalDate to) {
    AARSHJUL_TRY_ASSIGN(const icalrecurrencetype rule, parse_rule(r.rrule, Grain::Dates));
    AARSHJUL_TRY(check_year(LocalTime{r.anchor}, "anchor"));
    if (r.valid_until)
        to = std::min(to, *r.valid_until);
    AARSHJUL_TRY_ASSIGN(const auto times,
                        iterate(rule, r.rrule, to_ical(r.anchor), LocalTime{from}, LocalTime{to},
                                std::numeric_limits<std::size_t>::max()));
    std::vector<LocalDate> dates;
    dates.reserve(times.size());
    for (const LocalTime t : times)
        dates.push_back(date::floor<date::days>(t));
    return dates;
}

Result<std::vector<LocalTime>> expand_times(std::string_view rrule, LocalTime anchor,
                                            LocalTime from, LocalTime to) {
    AARSHJUL_TRY_ASSIGN(const icalrecurrencetype rule, parse_rule(rrule, Grain::Times));
    AARSHJUL_TRY(check_year(anchor, "anchor"));
    return iterate(rule, rrule, to_ical(anchor), from, to, std::numeric_limits<std::size_t>::max());
}

} // namespace aarshjul

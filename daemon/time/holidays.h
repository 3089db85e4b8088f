// SPDX-License-Identifier: MPL-2.0
#pragma once
// Danish public holidays and the business-day calendar for rolling day-based deadlines.
//
// Holidays are computed from the Gregorian Easter date, so any year works and
// nothing is cached: a lookup is a few integer operations and never allocates.
// Thread rules: BusinessCalendar is immutable after construction; every const
// member is safe to call from any thread.

#include "time/civil.h"
#include "util/result.h"

#include <optional>
#include <string>
#include <vector>

namespace aarshjul {

struct Holiday {
    LocalDate date;
    std::string name_da;
    std::string name_en;
};

// Easter Sunday of `year` (Gregorian computus).
LocalDate easter_sunday(int year);

// The Danish public holidays of `year` in date order: Nytårsdag, Skærtorsdag, Langfredag,
// Påskedag, 2. påskedag, Store bededag (up to 2023; abolished from 2024), Kristi
// himmelfartsdag, Pinsedag, 2. pinsedag, Juledag and 2. juledag.
std::vector<Holiday> danish_public_holidays(int year);

// The days that count for rolling a day-based deadline: not a weekend, not a public
// holiday and not one of the configured extra fixed days (the forældelsesloven §27
// model: Grundlovsdag, 24 and 31 December).
class BusinessCalendar {
public:
    struct FixedDay {
        unsigned month;
        unsigned day;
        std::string name;
    };

    // Public holidays plus Grundlovsdag (5 June), Juleaftensdag (24 December) and
    // Nytårsaftensdag (31 December).
    static BusinessCalendar danish_default();
    // Like the constructor, but refuses days that do not exist and lists so long that
    // no business day could be left (configuration input goes through here).
    static Result<BusinessCalendar> with_extra_days(std::vector<FixedDay> extra_days);

    explicit BusinessCalendar(std::vector<FixedDay> extra_days);

    bool is_business_day(LocalDate day) const;
    // `day` itself if it is a business day, else the next business day.
    LocalDate roll_forward(LocalDate day) const;
    // `day` itself if it is a business day, else the business day before it.
    LocalDate roll_backward(LocalDate day) const;
    // Why `day` is not a business day ("Langfredag", "Grundlovsdag", "lørdag", ...);
    // a public holiday is named before an extra day and a weekend. nullopt on a business day.
    std::optional<std::string> why_closed(LocalDate day) const;

    const std::vector<FixedDay>& extra_days() const { return m_extra_days; }

private:
    const char* closed_reason(LocalDate day) const;

    std::vector<FixedDay> m_extra_days;
};

} // namespace aarshjul

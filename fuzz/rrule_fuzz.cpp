// SPDX-License-Identifier: MPL-2.0
// Fuzzes RRULE input: validation and expansion of an arbitrary rule over 13
// months must return a value or an Error, never crash or run unbounded.
#include "schedule/recurrence.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace aarshjul;
    if (size > 512)
        return 0;
    const std::string rule(reinterpret_cast<const char*>(data), size);
    const Recurrence r{rule, LocalDate{date::year{2023} / 4 / 11}, std::nullopt};
    if (!validate_recurrence(r).ok())
        return 0;
    (void)anchor_is_occurrence(r);
    (void)expand_dates(r, LocalDate{date::year{2026} / 1 / 1}, LocalDate{date::year{2027} / 2 / 1});
    const LocalTime anchor =
        LocalTime{LocalDate{date::year{2026} / 3 / 29}} + std::chrono::hours{2};
    (void)expand_times(rule, anchor, anchor - std::chrono::hours{24 * 30},
                       anchor + std::chrono::hours{24 * 30});
    return 0;
}

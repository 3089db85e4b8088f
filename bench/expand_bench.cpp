// SPDX-License-Identifier: MPL-2.0
// Measures the cost of expanding one yearly recurrence over 13 months: the
// unit of work the engine repeats for every (workflow, system) pair when it
// materialises. Speed is measured here, never asserted in unit tests.
//
//   build/bench/bench_expand [runs]
#include "schedule/recurrence.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

int main(int argc, char** argv) {
    using namespace aarshjul;
    const int runs = argc > 1 ? std::atoi(argv[1]) : 60000;
    const Recurrence r{"FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1", LocalDate{date::year{2000} / 1 / 1},
                       std::nullopt};
    const LocalDate from{date::year{2026} / 1 / 1};
    std::size_t total = 0;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < runs; ++i) {
        auto dates = expand_dates(r, from + date::days{i % 200}, from + date::days{396 + i % 200});
        if (!dates.ok())
            return 1;
        total += dates->size();
    }
    const auto elapsed = std::chrono::steady_clock::now() - start;
    const double us = std::chrono::duration<double, std::micro>(elapsed).count() / runs;
    std::printf("expand_dates yearly over 13 months: %.2f us per expansion (%d runs, %zu dates)\n",
                us, runs, total);
    return 0;
}

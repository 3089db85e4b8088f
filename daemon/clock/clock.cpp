// SPDX-License-Identifier: MPL-2.0
#include "clock/clock.h"

namespace aarshjul {

Instant SystemClock::now() const {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

} // namespace aarshjul

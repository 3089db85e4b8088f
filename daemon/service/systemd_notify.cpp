// SPDX-License-Identifier: MPL-2.0
#include "service/systemd_notify.h"

#include <string>
#include <systemd/sd-daemon.h>

namespace aarshjul::systemd {

void ready(std::string_view status) {
    sd_notify(0, ("READY=1\nSTATUS=" + std::string(status)).c_str());
}

void reloading() {
    sd_notify(0, "RELOADING=1");
}

void stopping() {
    sd_notify(0, "STOPPING=1");
}

void status(std::string_view text) {
    sd_notify(0, ("STATUS=" + std::string(text)).c_str());
}

std::optional<std::chrono::microseconds> watchdog_interval() {
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
        return std::nullopt;
    return std::chrono::microseconds{static_cast<std::int64_t>(usec / 2)};
}

void watchdog() {
    sd_notify(0, "WATCHDOG=1");
}

} // namespace aarshjul::systemd

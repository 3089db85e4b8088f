// SPDX-License-Identifier: MPL-2.0
#pragma once
// The daemon's side of systemd's notify protocol (Type=notify): READY once
// the workflows are installed and the API listens, RELOADING/READY around a
// SIGHUP reload, STOPPING on a stop signal, STATUS lines, and the watchdog
// keep-alive from the event loop (so a stalled loop gets the service
// restarted). Every call is a no-op when not started by systemd.

#include <chrono>
#include <optional>
#include <string_view>

namespace aarshjul::systemd {

void ready(std::string_view status);
void reloading();
void stopping();
void status(std::string_view text);

// The interval at which to send WATCHDOG=1 (half of WatchdogSec), if enabled.
std::optional<std::chrono::microseconds> watchdog_interval();
void watchdog();

} // namespace aarshjul::systemd

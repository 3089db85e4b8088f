// SPDX-License-Identifier: MPL-2.0
#pragma once
// Service: the long-running daemon (`aarshjul serve`).
//
// One Asio event loop. The scheduler sleeps on one timer until the earliest
// pending action (capped at 30 s so a wall-clock jump is noticed), then
// materialises, ticks the engine and dispatches the outbox. SIGHUP reloads the
// configuration and workflows (a broken set is refused and the running one
// stays); SIGTERM and SIGINT stop the loop. Thread rules: everything runs on
// the loop's thread except the outbox delivery and the evaluation of a reload
// (configuration, directory, Lua), which have threads of their own.

#include "app/setup.h"
#include "clock/clock.h"

namespace aarshjul {

struct ServiceOptions {
    SetupOptions setup;
};

// Runs until a stop signal; returns the process exit code.
int run_service(const ServiceOptions& options, Setup setup, const Clock& clock);

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#pragma once
// ReloadOutcome: what a reload of configuration and workflows did. The
// service's Reloader makes it; the HTTP API and the coordinator's reload page
// show it, and the service reports it to systemd.

#include "engine/engine.h"

#include <functional>
#include <string>
#include <vector>

namespace aarshjul {

enum class ReloadVerdict {
    Installed, // the new set runs
    Refused,   // the new set has errors; the running one stays
    Busy,      // another reload is running; nothing was read
    Stopping,  // the daemon is stopping; nothing was installed
};

// What a reload of the workflows did: the new set's size and what
// materialising it changed, or why it was not installed.
struct ReloadOutcome {
    ReloadVerdict verdict = ReloadVerdict::Installed;
    std::vector<std::string> errors; // "file:line: message", or the reason it did not run
    int workflows = 0;
    MaterialiseStats stats;
};

// Starts a reload of configuration and workflows; the callback gets the
// outcome later, on the loop's thread (at once when one is running already).
using ReloadStarter = std::function<void(std::function<void(ReloadOutcome)>)>;

} // namespace aarshjul

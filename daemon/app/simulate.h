// SPDX-License-Identifier: MPL-2.0
#pragma once
// Simulation: runs virtual time over the real engine and an in-memory store,
// and reports every state change and notice in order, sending nothing.
// `aarshjul simulate` prints it; tests use it to check whole spans at once.

#include "app/setup.h"

#include <string>
#include <vector>

namespace aarshjul {

struct SimulationItem {
    Instant at;
    std::string kind; // a state (open, due, overdue, escalated, cancelled) or a notice kind
    std::string task_key;
    std::string workflow_id;
    std::string person; // the assignee, or the recipient of a notice
    std::string detail; // the notice's subject, or the event's detail
};

// Every item in [from, to], in time order (ties in the order they happened).
Result<std::vector<SimulationItem>> simulate(const Setup& setup, Instant from, Instant to);

} // namespace aarshjul

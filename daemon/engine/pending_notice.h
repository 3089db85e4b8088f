// SPDX-License-Identifier: MPL-2.0
#pragma once
// Engine::Pending, shared by the tick (which decides notices) and the notice
// queue (which renders and enqueues them). Internal to engine/.

#include "engine/engine.h"

#include <cstdint>
#include <string>

namespace aarshjul {

// A notice decided during one tick; queued (or grouped into a digest) at its end.
struct Engine::Pending {
    std::int64_t task_id;
    std::string task_key;
    std::string kind; // reminder, due, overdue, new, escalation
    std::string recipient;
    std::string slot; // the local date (or rung) that makes the key unique
    NoticeFacts facts;
    bool urgent = false; // hour-based duties are never folded into a digest
};

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#pragma once
// Context: what the HTTP handlers work with — the engine and its store,
// the clock, the loaded definitions and the hooks back into the service.
//
// Thread rules: owned by the service's event-loop thread, which also owns the
// Engine and its Store (one connection); handlers run on that thread only.

#include "app/reload.h"
#include "auth/action_link.h"
#include "clock/clock.h"
#include "engine/engine.h"
#include "http/auth.h"
#include "http/connection_stats.h"
#include "http/message.h"
#include "http/web_auth.h"
#include "store/store.h"
#include "time/zone.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace aarshjul::http {

struct Context {
    Context(Engine& eng, const Clock& clk, Zone z, TokenAuth tokens)
        : store(eng.store()), engine(eng), clock(clk), zone(std::move(z)), auth(std::move(tokens)) {
    }

    Store& store; // the engine's store: tasks, events, outbox, queries, tokens, sessions
    Engine& engine;
    const Clock& clock;
    Zone zone;
    TokenAuth auth;
    std::string organisation;
    unsigned wheel_first_month = 1;                   // organisation.wheel_first_month
    std::shared_ptr<const Definitions> definitions;   // replaced on reload
    std::optional<ActionLinks> links;                 // one-click links; absent = /act is 503
    WebAuth web;                                      // sessions, single sign-on, sign-in limits
    int link_valid_days = 60;                         // personal links in pages last this long
    ReloadStarter reload;                             // reloads config and workflows
    std::function<void()> changed;                    // after a mutation: re-arm the scheduler
    std::function<void()> outbox_added;               // a notice was queued: wake the dispatcher
    std::vector<std::string> default_channels{"log"}; // notify.channels, for sign-in mails
    std::optional<Instant> last_tick;                 // set by the scheduler
    // The HTTP server's connection counters, for /metrics (unset: not shown).
    std::function<ConnectionStats()> connection_stats;
    // The last /api/v1/status answer and what it was computed from (see
    // get_status): the report aggregates every stored task, so it is computed
    // again only when the data, the day, the options or the definitions change.
    struct StatusKey {
        std::int64_t own_changes = 0;  // ReadQueries::own_changes: this connection's writes
        std::int64_t data_version = 0; // ReadQueries::others_version: others' commits
        std::int64_t day = 0;          // the local date, days since the epoch
        int due_soon_days = 0;
        const Definitions* definitions = nullptr;
        bool operator==(const StatusKey&) const = default;
    };
    std::optional<StatusKey> status_key;
    Response status_response;
    // The last PRAGMA data_version read and when it started: it holds for every
    // request received before then (see get_status).
    std::int64_t data_version = 0;
    std::optional<std::chrono::steady_clock::time_point> data_version_read_at;
};

} // namespace aarshjul::http

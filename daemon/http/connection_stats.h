// SPDX-License-Identifier: MPL-2.0
#pragma once
// ConnectionStats: what the HTTP server did with connections since it started
// (Server::stats), for /metrics. A plain value, taken on the server's io thread.

#include <cstddef>
#include <cstdint>

namespace aarshjul::http {

struct ConnectionStats {
    std::size_t open = 0;                       // connections holding a slot now
    std::uint64_t refused_per_address = 0;      // over their address's cap, not a probe answered
    std::uint64_t refused_full = 0;             // over the global cap, not a probe answered
    std::uint64_t idle_closed = 0;              // keep-alive connections closed to make room
    std::uint64_t probes_answered_over_cap = 0; // /healthz or /metrics answered from the pool
};

} // namespace aarshjul::http

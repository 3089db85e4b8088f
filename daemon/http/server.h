// SPDX-License-Identifier: MPL-2.0
#pragma once
// Server: HTTP/1.1 over TCP with Boost.Beast and Asio coroutines.
//
// The only translation unit that includes Beast is server.cpp. Each
// connection is one coroutine: it reads a request under the header and body
// limits and deadlines, hands it to the handler (a plain function) and writes
// the response, keeping the connection alive while the client asks. A limit
// broken gets a clean 4xx and the connection is closed.
//
// Connections are capped per client address and in all (ServerLimits). At
// a cap, the keep-alive connection idle the longest is closed to make room.
// With none idle, the new connection waits in a small probe pool instead: if
// its first request is GET /healthz or /metrics it is answered, anything else
// gets 503, and a newcomer to a full pool displaces the oldest waiting there,
// so slow clients cannot keep monitors out.
//
// A handler may answer later (a Deferred): the connection's coroutine waits
// for it while the others are served. Thread rules: runs on the io_context's
// single thread, which is also the thread the handler runs on (so the
// handler may use the Engine); a deferred response may be delivered from any
// thread.

#include "http/connection_stats.h"
#include "http/message.h"
#include "util/result.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace aarshjul::http {

struct ServerLimits {
    std::size_t body_limit = 16 * 1024;
    std::size_t header_limit = 8 * 1024;
    std::chrono::seconds header_timeout{10};
    std::chrono::seconds idle_timeout{5};
    std::chrono::seconds body_timeout{10};
    std::chrono::seconds write_timeout{10};
    int max_connections = 64; // connections holding a slot, in all
    // Slots one client address may hold. The addresses in `unlimited_addresses`
    // (a reverse proxy, through which every client arrives) have only the
    // global cap; the proxy limits its own clients.
    int max_connections_per_address = 16;
    std::vector<std::string> unlimited_addresses;
    // Connections over a cap that may still ask for /healthz or /metrics (at
    // least 1), each given `probe_timeout` to send its request.
    int probe_connections = 8;
    std::chrono::seconds probe_timeout{2};
};

using RequestHandler = std::function<Reply(Request)>;

class Server {
public:
    Server(boost::asio::io_context& io, ServerLimits limits, RequestHandler handler);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds "host:port" (port 0 picks a free one) and starts accepting; returns the port.
    Result<std::uint16_t> listen(const std::string& host_port);

    // Graceful stop: stops accepting, closes idle connections at once, lets
    // in-flight requests finish within `grace`, then closes the rest (a
    // deferred response still pending is answered 503). Calls `done` (on the
    // io thread) when no connection is left.
    void stop(std::chrono::seconds grace, std::function<void()> done);

    // Connections holding a slot (those in the probe pool are not counted).
    std::size_t connections() const;
    ConnectionStats stats() const;

private:
    struct Impl;
    std::shared_ptr<Impl> m_impl;
};

} // namespace aarshjul::http

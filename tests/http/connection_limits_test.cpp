// SPDX-License-Identifier: MPL-2.0
// The connection caps of the HTTP server (issue 14, "No one address can
// starve the service"): a cap per client address under the global one, the
// proxy exempt from the first, an idle keep-alive connection closed to make
// room, and /healthz and /metrics answered even when every slot is taken.
// Clients on 127.0.0.2, 127.0.0.3 ... play distinct addresses.
#include "http_fixture.h"
#include "support/raw_socket.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

namespace aarshjul::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kStall = "GET /healthz HT"; // half a request line, then nothing

class ConnectionLimits : public ApiFixture {
protected:
    http::ConnectionStats stats() {
        http::ConnectionStats out;
        on_loop([&] { out = server->stats(); });
        return out;
    }

    // Waits (bounded) until `done` holds for the server's counters.
    bool wait_for(const std::function<bool(const http::ConnectionStats&)>& done) {
        for (auto deadline = std::chrono::steady_clock::now() + 10s;
             std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(5ms))
            if (done(stats()))
                return true;
        return false;
    }

    // `n` connections from `source` that send half a request line and stall.
    void stall(int n, const std::string& source) {
        for (int i = 0; i < n; ++i) {
            slow.push_back(std::make_unique<RawSocket>(port, source));
            ASSERT_TRUE(slow.back()->connected()) << source << " #" << i;
            slow.back()->send(kStall);
        }
    }

    // One whole request from `source` on a connection of its own; what came back.
    std::string exchange(const std::string& source, const std::string& request) {
        RawSocket socket(port, source);
        EXPECT_TRUE(socket.connected()) << source;
        socket.send(request);
        bool closed = false;
        return socket.read_all(5s, &closed);
    }

    static std::string status_request() {
        return "GET /api/v1/status HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + kViewerToken +
               "\r\n\r\n";
    }

    std::vector<std::unique_ptr<RawSocket>> slow;
};

// 100 slow connections from one address take that address's 16 slots; the
// rest pass through the probe pool and are shed. /healthz answers 200 every
// time, from that address and from another. The latency is reported here,
// not asserted: the 50 ms target is ReliabilityHttp's.
TEST_F(ConnectionLimits, HundredSlowConnectionsFromOneAddressLeaveHealthzAnswering) {
    stall(100, "127.0.0.1");
    // All 100 accepted: 16 hold slots, 8 wait in the pool, the others were displaced.
    ASSERT_TRUE(wait_for([](const auto& s) { return s.open == 16 && s.refused_per_address >= 76; }))
        << stats().open << " " << stats().refused_per_address;
    std::chrono::microseconds worst{0};
    for (int round = 0; round < 20; ++round) {
        for (const std::string source : {"127.0.0.1", "127.0.0.2"}) {
            const TimedReply reply = timed_get(port, "/healthz", source);
            EXPECT_EQ(reply.status, 200) << source << " round " << round << ": " << reply.bytes;
            worst = std::max(worst, reply.took);
        }
    }
    EXPECT_EQ(timed_get(port, "/metrics", "127.0.0.1").status, 200);
    EXPECT_EQ(stats().open, 16u) << "the slow connections still hold their address's slots";
    RecordProperty("healthz_worst_us", static_cast<int>(worst.count()));
    std::printf("[connection limits] worst /healthz of 40 beside 100 slow connections: %lld us\n",
                static_cast<long long>(worst.count()));
}

// The connection over an address's cap gets 503 busy and is closed, while
// another address is served and /healthz still answers from the capped one.
TEST_F(ConnectionLimits, PerAddressCapRefusesTheNextConnectionOfThatAddressOnly) {
    http::ServerLimits limits;
    limits.max_connections = 10;
    limits.max_connections_per_address = 3;
    restart(limits);
    stall(3, "127.0.0.1");
    ASSERT_TRUE(wait_for([](const auto& s) { return s.open == 3; }));

    const std::string refused = exchange("127.0.0.1", status_request());
    EXPECT_EQ(raw_status(refused), 503) << refused;
    EXPECT_NE(refused.find("\"busy\""), std::string::npos) << refused;
    EXPECT_NE(refused.find("Connection: close"), std::string::npos) << refused;
    EXPECT_NE(refused.find("Retry-After: 1"), std::string::npos) << refused;

    const std::string other = exchange("127.0.0.2", status_request());
    EXPECT_EQ(raw_status(other), 200) << other.substr(0, 300);
    EXPECT_EQ(timed_get(port, "/healthz", "127.0.0.1").status, 200);
    // A refusal is counted when its lingering close ends, just after the client saw it.
    EXPECT_TRUE(wait_for([](const auto& s) {
        return s.refused_per_address == 1 && s.refused_full == 0 && s.probes_answered_over_cap == 1;
    })) << stats().refused_per_address
        << " " << stats().refused_full << " " << stats().probes_answered_over_cap;
}

// A trusted proxy's address (every client behind Apache arrives from it) has
// only the global cap.
TEST_F(ConnectionLimits, UnlimitedAddressHasOnlyTheGlobalCap) {
    http::ServerLimits limits;
    limits.max_connections = 6;
    limits.max_connections_per_address = 2;
    limits.unlimited_addresses = {"127.0.0.1"};
    restart(limits);
    stall(4, "127.0.0.1");
    ASSERT_TRUE(wait_for([](const auto& s) { return s.open == 4; }));
    EXPECT_EQ(raw_status(exchange("127.0.0.1", status_request())), 200);
    stall(3, "127.0.0.2"); // capped: the third waits in the pool and is refused
    ASSERT_TRUE(wait_for([](const auto& s) { return s.open == 6; }));
    EXPECT_EQ(stats().refused_per_address, 0u);
}

// At the global cap, the keep-alive connection idle the longest is closed
// and the newcomer served; the other idle connection stays open.
TEST_F(ConnectionLimits, IdleKeepAliveIsClosedToMakeRoomAtTheGlobalCap) {
    http::ServerLimits limits;
    limits.max_connections = 2;
    limits.max_connections_per_address = 2;
    limits.idle_timeout = 30s; // idle for the whole test unless closed to make room
    restart(limits);
    RawSocket older(port, "127.0.0.2"), newer(port, "127.0.0.3");
    bool closed = false;
    older.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_EQ(raw_status(older.read_all(300ms, &closed)), 200);
    newer.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_EQ(raw_status(newer.read_all(300ms, &closed)), 200);
    ASSERT_TRUE(wait_for([](const auto& s) { return s.open == 2; }));

    const std::string served = exchange("127.0.0.4", status_request());
    EXPECT_EQ(raw_status(served), 200) << served.substr(0, 300);
    older.read_all(5s, &closed);
    EXPECT_TRUE(closed) << "the longest-idle connection was not closed";
    EXPECT_FALSE(newer.peer_closed());
    EXPECT_EQ(stats().idle_closed, 1u);
}

// At an address's cap, that address's own idle keep-alive connection makes
// room for its next one (a browser's spare connections, or a NAT's users).
TEST_F(ConnectionLimits, IdleKeepAliveOfTheSameAddressMakesRoomAtItsCap) {
    http::ServerLimits limits;
    limits.max_connections = 10;
    limits.max_connections_per_address = 1;
    limits.idle_timeout = 30s;
    restart(limits);
    RawSocket idle(port, "127.0.0.2");
    bool closed = false;
    idle.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_EQ(raw_status(idle.read_all(300ms, &closed)), 200);
    EXPECT_EQ(raw_status(exchange("127.0.0.2", status_request())), 200);
    idle.read_all(5s, &closed);
    EXPECT_TRUE(closed);
    EXPECT_EQ(stats().refused_per_address, 0u);
}

struct OverCapCase {
    const char* request; // the whole request, sent on a connection over the global cap
    int status;
};

// With every slot held by slow clients of many addresses, a new connection
// gets its probe answered and anything else 503: only GET or HEAD of
// /healthz or /metrics, without a body.
TEST_F(ConnectionLimits, FullServerAnswersOnlyProbes) {
    http::ServerLimits limits;
    limits.max_connections = 4;
    limits.max_connections_per_address = 2;
    restart(limits);
    stall(2, "127.0.0.2");
    stall(2, "127.0.0.3");
    ASSERT_TRUE(wait_for([](const auto& s) { return s.open == 4; }));
    const OverCapCase cases[] = {
        {.request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", .status = 200},
        {.request = "GET /healthz?from=monitor HTTP/1.1\r\nHost: x\r\n\r\n", .status = 200},
        {.request = "HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n", .status = 200},
        {.request = "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", .status = 200},
        {.request = "GET /api/v1/status HTTP/1.1\r\nHost: x\r\n\r\n", .status = 503},
        {.request = "GET /healthzz HTTP/1.1\r\nHost: x\r\n\r\n", .status = 503},
        {.request = "POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
         .status = 503},
        {.request = "GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
         .status = 503},
    };
    for (const auto& c : cases) {
        const std::string reply = exchange("127.0.0.4", c.request);
        EXPECT_EQ(raw_status(reply), c.status) << c.request << reply.substr(0, 300);
        EXPECT_NE(reply.find("Connection: close"), std::string::npos) << c.request << reply;
    }
    EXPECT_TRUE(wait_for([](const auto& s) {
        return s.refused_full == 4 && s.probes_answered_over_cap == 4;
    })) << stats().refused_full
        << " " << stats().probes_answered_over_cap;
    const std::string metrics = exchange("127.0.0.4", "GET /metrics HTTP/1.0\r\n\r\n");
    EXPECT_NE(metrics.find("aarshjul_http_connections 4\n"), std::string::npos) << metrics;
    EXPECT_NE(metrics.find("aarshjul_http_connections_refused_total{cap=\"global\"} 4\n"),
              std::string::npos)
        << metrics;
    // Counted once answered: the four before this one.
    EXPECT_NE(metrics.find("aarshjul_http_probes_over_cap_total 4\n"), std::string::npos)
        << metrics;
}

// A newcomer to a full probe pool displaces the oldest waiting there, and a
// connection in the pool that never finishes its request is closed at the
// probe deadline, long before the header deadline.
TEST_F(ConnectionLimits, ProbePoolDisplacesItsOldestAndHasItsOwnDeadline) {
    http::ServerLimits limits;
    limits.max_connections = 1;
    limits.probe_connections = 2;
    limits.probe_timeout = 1s;
    restart(limits);
    stall(1, "127.0.0.2"); // holds the only slot
    ASSERT_TRUE(wait_for([](const auto& s) { return s.open == 1; }));
    stall(3, "127.0.0.3"); // the third displaces the first
    bool closed = false;
    slow[1]->read_all(5s, &closed);
    EXPECT_TRUE(closed) << "the oldest in the pool was not displaced";
    EXPECT_GE(stats().refused_full, 1u);
    // 408 at the probe deadline (1 s), then at most kLingerTime (2 s) of lingering close.
    slow[3]->read_all(8s, &closed);
    EXPECT_TRUE(closed) << "the probe deadline did not close a stalled connection";
    EXPECT_FALSE(slow[0]->peer_closed()) << "the slot holder's header deadline is 10 s";
    EXPECT_EQ(timed_get(port, "/healthz", "127.0.0.3").status, 200);
}

} // namespace
} // namespace aarshjul::testing

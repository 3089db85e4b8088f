// SPDX-License-Identifier: MPL-2.0
#pragma once
// RawSocket: a TCP connection to the server under test held open by the test,
// for what no well-behaved client does (send half a request and stall), from
// a chosen loopback source address (127.0.0.2, 127.0.0.3 ... are all local on
// Linux), so one machine can play many clients. Thread rules: one thread.

#include <chrono>
#include <cstdint>
#include <string>

namespace aarshjul::testing {

class RawSocket {
public:
    // Connects from `source` (port 0) to 127.0.0.1:`port`.
    explicit RawSocket(std::uint16_t port, const std::string& source = "127.0.0.1");
    ~RawSocket();
    RawSocket(const RawSocket&) = delete;
    RawSocket& operator=(const RawSocket&) = delete;

    bool connected() const { return m_connected; }
    void send(const std::string& bytes);
    // Reads until the peer closes or `timeout` passes; `closed` says which.
    std::string read_all(std::chrono::milliseconds timeout, bool* closed);
    // True when the peer has closed (after any bytes it sent); does not wait.
    bool peer_closed();

private:
    int m_fd;
    bool m_connected = false;
};

// What one GET of `path` from `source` (on a connection of its own, closed
// after the answer) got back, and how long it took from connect to the end
// of the answer.
struct TimedReply {
    int status = 0; // 0 when nothing came back
    std::string bytes;
    std::chrono::microseconds took{0};
};
TimedReply timed_get(std::uint16_t port, const std::string& path,
                     const std::string& source = "127.0.0.1",
                     std::chrono::milliseconds timeout = std::chrono::seconds{10});

} // namespace aarshjul::testing

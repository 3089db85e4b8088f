// SPDX-License-Identifier: MPL-2.0
#include "support/raw_socket.h"

#include "support/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace aarshjul::testing {

RawSocket::RawSocket(std::uint16_t port, const std::string& source)
    : m_fd(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (m_fd < 0)
        return;
    sockaddr_in from{};
    from.sin_family = AF_INET;
    if (::inet_pton(AF_INET, source.c_str(), &from.sin_addr) != 1 ||
        ::bind(m_fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0)
        return;
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // A server whose accept queue is full drops the SYN and the kernel retries
    // for up to two minutes; on Linux SO_SNDTIMEO bounds connect() too, so a
    // test sees a refused connection instead of hanging.
    timeval limit{5, 0};
    ::setsockopt(m_fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
    m_connected = ::connect(m_fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0;
}

RawSocket::~RawSocket() {
    if (m_fd >= 0)
        ::close(m_fd);
}

void RawSocket::send(const std::string& bytes) {
    ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
}

std::string RawSocket::read_all(std::chrono::milliseconds timeout, bool* closed) {
    std::string out;
    *closed = false;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char buffer[4096];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd p{m_fd, POLLIN, 0};
        if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0)
            return out;
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (n <= 0) {
            *closed = true;
            return out;
        }
        out.append(buffer, static_cast<std::size_t>(n));
    }
}

bool RawSocket::peer_closed() {
    char buffer[1024];
    for (;;) {
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, 0) <= 0)
            return false;
        if (::recv(m_fd, buffer, sizeof buffer, 0) <= 0)
            return true;
    }
}

TimedReply timed_get(std::uint16_t port, const std::string& path, const std::string& source,
                     std::chrono::milliseconds timeout) {
    const auto start = std::chrono::steady_clock::now();
    RawSocket socket(port, source);
    TimedReply reply;
    if (!socket.connected())
        return reply;
    socket.send("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    bool closed = false;
    reply.bytes = socket.read_all(timeout, &closed);
    reply.took = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - start);
    reply.status = raw_status(reply.bytes);
    return reply;
}

} // namespace aarshjul::testing

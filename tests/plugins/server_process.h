// SPDX-License-Identifier: MPL-2.0
#pragma once
// ServerProcess: a helper server (Python script) started by a test. It must
// print "READY <port>" on stdout once it accepts connections; the destructor
// stops it with SIGTERM (SIGKILL after a grace period) and reaps it.
// Thread rules: owned and used by one test thread.

#include <chrono>
#include <memory>
#include <string>
#include <sys/types.h>
#include <vector>

namespace aarshjul::testing {

class ServerProcess {
public:
    // Starts argv[0] (searched in PATH) and waits up to `timeout` for READY.
    static std::unique_ptr<ServerProcess>
    start(const std::vector<std::string>& argv, std::string& error,
          std::chrono::seconds timeout = std::chrono::seconds(20));
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    int port() const { return m_port; }

private:
    ServerProcess(pid_t pid, int port) : m_pid(pid), m_port(port) {}

    pid_t m_pid;
    int m_port;
};

// Runs argv to completion with stdout and stderr discarded; its exit status, or -1.
int run_command(const std::vector<std::string>& argv);

// The Python 3 that has the test servers' modules (Debian's, not a PATH shim).
std::string python3();

// A TCP port on 127.0.0.1 on which nothing listens (just released).
int unused_port();

} // namespace aarshjul::testing

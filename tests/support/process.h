// SPDX-License-Identifier: MPL-2.0
#pragma once
// Process: a child process started by a test (the real aarshjul binary, a
// real SMTP server, ...), with its stderr captured to a file. Killed on
// destruction if still running.

#include <chrono>
#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

namespace aarshjul::testing {

class Process {
public:
    // Starts `argv[0]` with the arguments; stdout and stderr go to `log_file`.
    Process(std::vector<std::string> argv, std::filesystem::path log_file);
    ~Process();
    Process(const Process&) = delete;
    Process& operator=(const Process&) = delete;

    pid_t pid() const { return m_pid; }
    void signal(int sig) const;
    // Waits for exit up to `timeout`; returns the exit status (or -1 on timeout,
    // 128+N when killed by signal N).
    int wait(std::chrono::milliseconds timeout);
    bool running();
    std::string log() const;
    // Polls the log until it contains `text` or `timeout` passes.
    bool wait_for_log(const std::string& text, std::chrono::milliseconds timeout) const;

private:
    pid_t m_pid = -1;
    bool m_reaped = false;
    int m_status = 0;
    std::filesystem::path m_log;
};

// The aarshjul binary of this build.
std::filesystem::path aarshjul_binary();

} // namespace aarshjul::testing

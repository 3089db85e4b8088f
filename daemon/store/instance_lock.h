// SPDX-License-Identifier: MPL-2.0
#pragma once
// InstanceLock: one scheduler per database.
//
// `serve` holds an exclusive flock(2) on "<database>.lock" for its whole life;
// the file says who holds it (pid, host, since when), so a second `serve` on
// the same database can name the holder and exit. The lock is released by the
// kernel when the process ends, also on kill -9; the file stays. Commands that
// write beside a running daemon (complete, event, backup, token) do not take
// it. Thread rules: movable, not copyable; create and destroy on one thread.

#include "util/result.h"

#include <filesystem>
#include <string>

namespace aarshjul {

class InstanceLock {
public:
    // Takes the lock beside `database`, writing this process's pid, host name
    // and `since` (the start time as text) into it. Busy, naming the holder,
    // when another process holds it; Io when the file cannot be used.
    static Result<InstanceLock> acquire(const std::filesystem::path& database,
                                        const std::string& since);

    InstanceLock(InstanceLock&& other) noexcept;
    InstanceLock& operator=(InstanceLock&& other) noexcept;
    InstanceLock(const InstanceLock&) = delete;
    InstanceLock& operator=(const InstanceLock&) = delete;
    ~InstanceLock(); // releases the lock

    // The lock file: "<database>.lock".
    static std::filesystem::path path_for(const std::filesystem::path& database);

private:
    explicit InstanceLock(int fd) : m_fd(fd) {}
    int m_fd = -1;
};

} // namespace aarshjul

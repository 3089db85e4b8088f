// SPDX-License-Identifier: MPL-2.0
#pragma once
// The Lua worker's confinement: a seccomp filter and resource limits.
//
// install_worker_filter leaves the calling process little more than its
// socket: read on fd 0, write on fds 1 and 2, memory (brk, mmap and
// mprotect without PROT_EXEC, munmap, mremap, madvise), the clock, signals
// for abort(), and exit. Starting a program or a process (execve, fork,
// clone), making a socket, ptrace and the like kill the process (SIGSYS);
// every other call, open() included, fails with EPERM. It is installed
// with no_new_privs and cannot be lifted; call it once, single-threaded,
// after everything the process will need is in memory.
//
// worker_rlimits are set by the daemon on the spawned worker (prlimit):
// CPU seconds, no core files, no file writes, and an address-space cap, which
// is skipped in AddressSanitizer builds (ASan reserves terabytes of shadow
// memory up front); the Lua allocator's cap (SandboxLimits) holds there.

#include "util/result.h"

#include <chrono>
#include <cstddef>
#include <sys/types.h>

namespace aarshjul::worker {

Result<void> install_worker_filter();

struct WorkerRlimits {
    std::chrono::seconds cpu{3};
    std::size_t address_space_bytes = 0; // 0: none
};

// Applies `limits` to process `pid` (the daemon's worker child).
Result<void> apply_rlimits(pid_t pid, const WorkerRlimits& limits);

// True in builds where RLIMIT_AS cannot be used (AddressSanitizer).
bool address_space_limit_unsupported();

} // namespace aarshjul::worker

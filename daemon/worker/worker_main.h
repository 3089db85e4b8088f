// SPDX-License-Identifier: MPL-2.0
#pragma once
// The Lua worker process: `aarshjul lua-worker`, started by the daemon
// (worker/lua_worker.h), never by hand.
//
// It ends every other file descriptor, installs its system-call filter
// (seccomp_filter.h), reads one request from fd 0, answers Ready, evaluates
// each file (or the hook) in a fresh Sandbox, writes each reply to fd 1, and
// ends with _exit: no exit handlers, whose system calls the filter forbids
// (a leak check would start a thread). Everything it evaluates is in the
// request, library modules included, so it opens no file.

namespace aarshjul::worker {

// The argument that selects the worker (argv[1]).
inline constexpr const char* kWorkerCommand = "lua-worker";

// Runs the worker on fds 0 and 1; does not return.
[[noreturn]] void run_worker();

// For main(): runs the worker when argv[1] is kWorkerCommand; otherwise returns.
void run_worker_if_asked(int argc, char** argv);

} // namespace aarshjul::worker

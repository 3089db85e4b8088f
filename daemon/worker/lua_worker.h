// SPDX-License-Identifier: MPL-2.0
#pragma once
// The daemon's side of the Lua worker: every workflow file and hook is
// evaluated in a separate process, so that Lua never runs in the daemon.
//
// Each call starts `<program> lua-worker` (posix_spawn of /proc/self/exe by
// default: the same binary) on a socket pair, caps it (seccomp_filter.h:
// CPU seconds, address space), sends it one request with everything it needs
// (library modules and file texts included) and reads its replies. A worker
// that does not answer within the wall deadline (per file, plus a small
// grace) is killed with SIGKILL: a C function the count hook cannot
// interrupt (a pathological string.find) ends there. A killed or dead worker
// is an error naming the file ("stopped after 2000 ms"); a load then goes
// on with the next file in a fresh worker. Replies are decoded strictly and
// capped in size, so a subverted worker can neither crash nor flood the
// daemon. Blocking; call from any thread but the event loop's (each call
// has its own process).

#include "lua/evaluation.h"
#include "worker/protocol.h"

#include <cstddef>
#include <filesystem>
#include <vector>

namespace aarshjul::worker {

struct WorkerSettings {
    std::filesystem::path program = "/proc/self/exe";
    std::size_t max_reply_bytes = 32 * 1024 * 1024; // per file or hook
    // The worker's address space beyond its Lua allocator cap (which it is
    // also given, four times over, for the copies a definition goes through).
    std::size_t address_space_base_bytes = 1024 * 1024 * 1024;
};

// The process-wide settings; tests may point `program` elsewhere before any load.
WorkerSettings& default_worker_settings();

// One reply per file of `request` (a Load), in order.
std::vector<Reply> run_load(const Request& request, const WorkerSettings& settings);

// The hook's follow-ups (not checked yet) or why there are none.
Result<std::vector<FollowUpSpec>> run_hook(const Request& request, const WorkerSettings& settings);

} // namespace aarshjul::worker

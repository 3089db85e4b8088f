// SPDX-License-Identifier: MPL-2.0
#pragma once
// HookExecutor: runs claimed workflow hooks (engine/engine.h HookJob) on
// threads of its own, at most `workers` at once, each in its own Lua worker
// process (the HookRunner), so a hook — which may run until its deadline —
// never runs on the event loop nor inside a write transaction. Each outcome
// is handed back on the loop (posted to `io`) to `done`, which applies it in
// a short write of its own.
//
// Thread rules: construct, `free_slots`, `submit` and `stop` on the loop's
// thread; `done` runs there too. The runner is called on the executor's
// threads and must be safe there (worker/hook_runner.h is).

#include "engine/engine.h"

#include <boost/asio/io_context.hpp>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace aarshjul {

class HookExecutor {
public:
    using Done = std::function<void(HookJob job, Result<std::vector<FollowUpSpec>> outcome)>;

    HookExecutor(boost::asio::io_context& io, HookRunner runner, int workers, Done done);
    // Stops: see stop().
    ~HookExecutor();
    HookExecutor(const HookExecutor&) = delete;
    HookExecutor& operator=(const HookExecutor&) = delete;

    // How many more jobs would start at once (workers less jobs in flight).
    int free_slots() const { return m_workers - m_in_flight; }
    int in_flight() const { return m_in_flight; }
    void submit(HookJob job);
    // Lets the hooks running finish (bounded by their deadline) and joins.
    // Jobs not started are dropped: their rows stay running, and the next
    // start puts them back to pending (Engine::recover_hooks).
    void stop();

private:
    void run();

    boost::asio::io_context& m_io;
    HookRunner m_runner;
    const int m_workers;
    Done m_done;
    int m_in_flight = 0; // the loop's thread only

    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<HookJob> m_jobs;
    bool m_stop = false;
    std::vector<std::thread> m_threads;
};

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#include "service/hook_executor.h"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

namespace aarshjul {

HookExecutor::HookExecutor(boost::asio::io_context& io, HookRunner runner, int workers, Done done)
    : m_io(io), m_runner(std::move(runner)), m_workers(std::max(1, workers)),
      m_done(std::move(done)) {
    for (int i = 0; i < m_workers; ++i)
        m_threads.emplace_back([this] { run(); });
}

HookExecutor::~HookExecutor() {
    stop();
}

void HookExecutor::submit(HookJob job) {
    ++m_in_flight;
    std::lock_guard lock(m_mutex);
    m_jobs.push_back(std::move(job));
    m_cv.notify_one();
}

void HookExecutor::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        m_jobs.clear();
        m_cv.notify_all();
    }
    for (auto& thread : m_threads)
        if (thread.joinable())
            thread.join();
}

void HookExecutor::run() {
    for (;;) {
        HookJob job;
        {
            std::unique_lock lock(m_mutex);
            m_cv.wait(lock, [this] { return m_stop || !m_jobs.empty(); });
            if (m_stop)
                return;
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
        }
        Result<std::vector<FollowUpSpec>> outcome =
            make_error(ErrorKind::Internal, "the hook was not run");
        try {
            outcome = m_runner(*job.workflow, job.run.hook, job.run.args);
        } catch (const std::exception& e) {
            // The runner returns its errors; this is the last line before the thread's end.
            outcome = make_error(ErrorKind::Internal, std::string("hook runner: ") + e.what());
        }
        boost::asio::post(m_io,
                          [this, job = std::move(job), outcome = std::move(outcome)]() mutable {
                              --m_in_flight;
                              m_done(std::move(job), std::move(outcome));
                          });
    }
}

} // namespace aarshjul

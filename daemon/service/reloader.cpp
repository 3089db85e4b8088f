// SPDX-License-Identifier: MPL-2.0
#include "service/reloader.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <exception>
#include <spdlog/spdlog.h>
#include <thread>

namespace aarshjul {

namespace {

// load_setup on the worker thread; an exception must not end the process there.
SetupReport evaluate(const SetupOptions& options) {
    try {
        return load_setup(options);
    } catch (const std::exception& e) {
        SetupReport report;
        report.errors.push_back(make_error(std::string("reload failed: ") + e.what()));
        return report;
    }
}

} // namespace

struct Reloader::Impl {
    Impl(boost::asio::io_context& context, SetupOptions o, Install i)
        : io(context), options(std::move(o)), install(std::move(i)) {}

    boost::asio::io_context& io;
    const SetupOptions options;
    Install install;
    std::thread worker;
    bool running = false;

    // On the loop's thread, with what the worker loaded.
    void finish(SetupReport report, const Done& done) {
        running = false;
        for (const auto& w : report.warnings)
            spdlog::warn("{}", w.to_string());
        ReloadOutcome outcome;
        if (report.setup) {
            outcome = install(std::move(*report.setup));
        } else {
            outcome.verdict = ReloadVerdict::Refused;
            for (const auto& e : report.errors) {
                spdlog::error("{}", e.to_string());
                outcome.errors.push_back(e.to_string());
            }
            spdlog::error("reload refused: {} error(s); the running workflows stay",
                          report.errors.size());
            if (outcome.errors.empty())
                outcome.errors.push_back("the configuration could not be loaded");
        }
        done(std::move(outcome));
    }
};

Reloader::Reloader(boost::asio::io_context& io, SetupOptions options, Install install)
    : m_impl(std::make_shared<Impl>(io, std::move(options), std::move(install))) {}

Reloader::~Reloader() {
    // The worker only reads the options and posts to the io_context; once it
    // is joined, its posted result finds the Impl gone and is dropped.
    if (m_impl->worker.joinable())
        m_impl->worker.join();
}

void Reloader::start(Done done) {
    Impl& impl = *m_impl;
    if (impl.running) {
        ReloadOutcome busy;
        busy.verdict = ReloadVerdict::Busy;
        busy.errors.push_back("a reload is already running; try again when it has finished");
        done(std::move(busy));
        return;
    }
    impl.running = true;
    spdlog::info("reload: reading the configuration, directory and workflows");
    // The previous worker has posted its result (running was cleared after it): joining is
    // immediate.
    if (impl.worker.joinable())
        impl.worker.join();
    impl.worker = std::thread([weak = std::weak_ptr<Impl>(m_impl), &io = impl.io,
                               options = impl.options, done = std::move(done)]() mutable {
        auto report = evaluate(options);
        boost::asio::post(io, [weak = std::move(weak), report = std::move(report),
                               done = std::move(done)]() mutable {
            if (auto alive = weak.lock())
                alive->finish(std::move(report), done);
        });
    });
}

bool Reloader::running() const {
    return m_impl->running;
}

} // namespace aarshjul

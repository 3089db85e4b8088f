// SPDX-License-Identifier: MPL-2.0
#pragma once
// Reloader: re-reads the configuration, directory and workflows off the event
// loop. `load_setup` (TOML, the directory and every workflow file through the
// Lua sandbox, up to its 2 s budget per file) runs on a worker thread; its
// result is posted back to the loop, where `install` runs (it uses the
// engine's database connection) and then `done` gets the outcome.
//
// One reload at a time: `start` while one runs calls `done` at once with
// ReloadVerdict::Busy. Thread rules: construct, call and destroy on the loop's
// thread; `install` and `done` run there too. The destructor joins a running
// evaluation (bounded by the sandbox's budget) and drops its result.

#include "app/reload.h"
#include "app/setup.h"

#include <functional>
#include <memory>

namespace boost::asio {
class io_context;
}

namespace aarshjul {

class Reloader {
public:
    // Installs a loaded set on the loop's thread and says what it did.
    using Install = std::function<ReloadOutcome(Setup)>;
    using Done = std::function<void(ReloadOutcome)>;

    Reloader(boost::asio::io_context& io, SetupOptions options, Install install);
    ~Reloader();
    Reloader(const Reloader&) = delete;
    Reloader& operator=(const Reloader&) = delete;

    void start(Done done);
    bool running() const;

private:
    struct Impl;
    std::shared_ptr<Impl> m_impl;
};

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
// The Reloader: load_setup on a worker thread, the install back on the loop,
// one reload at a time, and a safe end while an evaluation runs.
#include "service/reloader.h"
#include "support/temp_dir.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <gtest/gtest.h>
#include <optional>
#include <thread>

namespace aarshjul {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

// A configuration over the test workflow set; `runaway()` adds a file the
// sandbox has to stop at its wall-clock budget.
struct ReloaderFixture : ::testing::Test {
    testing::TempDir dir;
    SetupOptions options;
    asio::io_context io;

    void SetUp() override {
        const fs::path src = AARSHJUL_SOURCE_DIR;
        testing::copy_basic_workflows(dir.path() / "workflows");
        options.config_file =
            dir.write("aarshjul.toml", "[organisation]\nname = \"Testkommune\"\n"
                                       "[paths]\ndatabase = \"state/aarshjul.db\"\n"
                                       "workflows = \"workflows\"\nlua = \"" +
                                           (src / "lua").string() + "\"\ndirectory = \"" +
                                           (src / "config" / "directory.toml").string() + "\"\n");
    }
    void runaway() { dir.write("workflows/zz-runaway.lua", "while true do end\n"); }

    // Records "tick" on the loop every 5 ms until `until` holds, so the
    // order of the loop's events shows whether anything blocked it.
    void tick_until(asio::steady_timer& timer, std::vector<std::string>& events,
                    const std::function<bool()>& until) {
        if (until())
            return;
        events.push_back("tick");
        timer.expires_after(5ms);
        timer.async_wait([&, until](const boost::system::error_code& ec) {
            if (!ec)
                tick_until(timer, events, until);
        });
    }
};

ReloadOutcome unexpected_install(Setup) {
    ADD_FAILURE() << "a set was installed";
    return {};
}

// While the sandbox stops a runaway workflow the loop keeps running (ticks
// come before the outcome), and the refusal is delivered on the loop's thread.
TEST_F(ReloaderFixture, EvaluatesOffTheLoop) {
    runaway();
    Reloader reloader(io, options, unexpected_install);
    std::vector<std::string> events;
    std::optional<ReloadOutcome> outcome;
    std::thread::id done_on;
    reloader.start([&](ReloadOutcome o) {
        events.push_back("done");
        done_on = std::this_thread::get_id();
        outcome = std::move(o);
    });
    EXPECT_TRUE(reloader.running());
    asio::steady_timer timer(io);
    tick_until(timer, events, [&] { return outcome.has_value(); });
    io.run();

    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome->verdict, ReloadVerdict::Refused);
    ASSERT_FALSE(outcome->errors.empty());
    EXPECT_NE(outcome->errors.front().find("zz-runaway.lua"), std::string::npos)
        << outcome->errors.front();
    EXPECT_EQ(done_on, std::this_thread::get_id());
    ASSERT_GE(events.size(), 3u);
    EXPECT_EQ(events.front(), "tick");
    EXPECT_EQ(events.back(), "done");
    EXPECT_FALSE(reloader.running());
}

// A good set is installed on the loop's thread and its outcome passed on.
TEST_F(ReloaderFixture, InstallsOnTheLoop) {
    std::thread::id installed_on;
    std::size_t installed_workflows = 0;
    Reloader reloader(io, options, [&](aarshjul::Setup loaded) {
        installed_on = std::this_thread::get_id();
        installed_workflows = loaded.definitions->workflows.size();
        ReloadOutcome outcome;
        outcome.workflows = static_cast<int>(installed_workflows);
        return outcome;
    });
    std::optional<ReloadOutcome> outcome;
    reloader.start([&](ReloadOutcome o) { outcome = std::move(o); });
    asio::steady_timer timer(io);
    std::vector<std::string> events;
    tick_until(timer, events, [&] { return outcome.has_value(); });
    io.run();

    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome->verdict, ReloadVerdict::Installed);
    EXPECT_EQ(outcome->workflows, 8);
    EXPECT_EQ(installed_workflows, 8u);
    EXPECT_EQ(installed_on, std::this_thread::get_id());
}

// One reload at a time: a second start while one runs is answered Busy at
// once, and the first still completes; after it, a new one may start.
TEST_F(ReloaderFixture, OneAtATime) {
    runaway();
    Reloader reloader(io, options, unexpected_install);
    std::vector<ReloadVerdict> verdicts;
    reloader.start([&](ReloadOutcome o) { verdicts.push_back(o.verdict); });
    reloader.start([&](ReloadOutcome o) { verdicts.push_back(o.verdict); });
    ASSERT_EQ(verdicts.size(), 1u);
    EXPECT_EQ(verdicts[0], ReloadVerdict::Busy);
    asio::steady_timer timer(io);
    std::vector<std::string> events;
    tick_until(timer, events, [&] { return verdicts.size() == 2; });
    io.run();
    ASSERT_EQ(verdicts.size(), 2u);
    EXPECT_EQ(verdicts[1], ReloadVerdict::Refused);

    std::filesystem::remove(dir.path() / "workflows" / "zz-runaway.lua");
    io.restart();
    bool installed = false;
    Reloader again(io, options, [&](aarshjul::Setup) {
        installed = true;
        return ReloadOutcome{};
    });
    again.start([&](ReloadOutcome o) { verdicts.push_back(o.verdict); });
    tick_until(timer, events, [&] { return verdicts.size() == 3; });
    io.run();
    ASSERT_EQ(verdicts.size(), 3u);
    EXPECT_EQ(verdicts[2], ReloadVerdict::Installed);
    EXPECT_TRUE(installed);
}

// Destroyed while an evaluation runs (the daemon stopping): the worker is
// joined, and its result, posted afterwards, is dropped: nothing is
// installed, `done` is not called, nothing is touched after it is gone.
TEST_F(ReloaderFixture, EndsSafelyDuringAnEvaluation) {
    runaway();
    bool called = false;
    {
        Reloader reloader(io, options, unexpected_install);
        reloader.start([&](ReloadOutcome) { called = true; });
        ASSERT_TRUE(reloader.running());
    }
    io.run(); // runs the posted result, if any
    EXPECT_FALSE(called);
}

} // namespace
} // namespace aarshjul

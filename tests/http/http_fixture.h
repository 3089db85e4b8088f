// SPDX-License-Identifier: MPL-2.0
#pragma once
// ApiFixture: a real engine over a temporary SQLite file with the shipped
// workflows plus the incident examples and the sample directory, served by the
// real HTTP server on 127.0.0.1 port 0 from an event-loop thread, as the
// daemon does. The clock is fake: the workflows are installed on 20 February
// 2027 and the clock then moved to 15 April 2027, so the risk assessments
// (due 31 March) are overdue and the quarterly status (due 22 April) is due soon.
// Reloads go through the daemon's Reloader (evaluated on a worker thread,
// installed on the loop).

#include "app/setup.h"
#include "clock/clock.h"
#include "http/context.h"
#include "http/server.h"
#include "service/reloader.h"
#include "store/sqlite/database.h"
#include "support/http_client.h"
#include "support/temp_dir.h"

#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>
#include <functional>
#include <gtest/gtest.h>
#include <memory>
#include <optional>
#include <thread>

namespace aarshjul::testing {

// Tokens of the fixture, one per role.
inline const std::string kViewerToken = "viewer-token-0123456789";
inline const std::string kOwnerToken = "owner-token-0123456789";             // acts as carla.holm
inline const std::string kCoordinatorToken = "coordinator-token-0123456789"; // anna.jensen
inline const std::string kAdminToken = "admin-token-0123456789";
inline const std::string kLinkKey = "test-link-key-0123456789abcdef";

class ApiFixture : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;

    // Starts the server with these limits (SetUp starts it with the defaults).
    void restart(http::ServerLimits limits);

    HttpReply get(const std::string& path, const std::string& token = kViewerToken);
    HttpReply post(const std::string& path, const std::string& json,
                   const std::string& token = kCoordinatorToken);
    // The body as JSON (fails the test when it is not).
    static boost::json::value json(const HttpReply& reply);

    // Runs `work` on the server's loop thread (where the engine lives) and waits.
    void on_loop(const std::function<void()>& work);

    // A task id of `workflow` in `state`, read through the API.
    std::int64_t task_in(const std::string& workflow, const std::string& state);

    // Makes the fixture's RISK-SYS require evidence, as the shipped control
    // does, through a real reload.
    void require_evidence_for_risk_sys();

    TempDir dir;
    std::filesystem::path workflows;
    SetupOptions options;
    std::optional<aarshjul::Setup> setup;
    FakeClock clock{Instant{}};
    std::optional<Database> db;
    std::unique_ptr<Engine> engine;
    std::unique_ptr<http::Context> context;
    std::unique_ptr<boost::asio::io_context> io;
    std::unique_ptr<http::Server> server;
    std::unique_ptr<Reloader> reloader;
    std::thread loop;
    std::uint16_t port = 0;
};

} // namespace aarshjul::testing

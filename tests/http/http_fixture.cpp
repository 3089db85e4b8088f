// SPDX-License-Identifier: MPL-2.0
#include "http_fixture.h"

#include "http/api.h"
#include "http/router.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store.h"
#include "support/engine_fixture.h"
#include "util/sha256.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <fstream>
#include <future>

namespace aarshjul::testing {

namespace fs = std::filesystem;

void ApiFixture::SetUp() {
    const fs::path src = AARSHJUL_SOURCE_DIR;
    workflows = dir.path() / "workflows";
    copy_basic_workflows(workflows);
    auto hash = [](const std::string& token) { return sha256_hex(token); };
    const auto config = dir.write(
        "aarshjul.toml",
        "[organisation]\nname = \"Testkommune\"\n"
        "[paths]\ndatabase = \"state/aarshjul.db\"\nworkflows = \"workflows\"\n"
        "lua = \"" +
            (src / "lua").string() + "\"\ndirectory = \"" +
            (src / "config" / "directory.toml").string() +
            "\"\n"
            "[http]\nlisten = \"127.0.0.1:0\"\npublic_url = \"http://aarshjul.test\"\n"
            "[[http.tokens]]\nname = \"committee\"\nrole = \"viewer\"\nsha256 = \"" +
            hash(kViewerToken) +
            "\"\n"
            "[[http.tokens]]\nname = \"carla\"\nrole = \"owner\"\nperson = \"carla.holm\"\n"
            "sha256 = \"" +
            hash(kOwnerToken) +
            "\"\n"
            "[[http.tokens]]\nname = \"anna\"\nrole = \"coordinator\"\nperson = "
            "\"anna.jensen\"\nsha256 = \"" +
            hash(kCoordinatorToken) +
            "\"\n"
            "[[http.tokens]]\nname = \"ops\"\nrole = \"admin\"\nsha256 = \"" +
            hash(kAdminToken) + "\"\n");
    options = SetupOptions{config, std::nullopt};
    auto report = load_setup(options);
    for (const auto& e : report.errors)
        ADD_FAILURE() << e.to_string();
    ASSERT_TRUE(report.setup);
    setup = std::move(report.setup);

    auto opened = open_database(setup->config.database);
    ASSERT_TRUE(opened.ok()) << opened.error().to_string();
    db.emplace(std::move(opened).value());
    clock.set(copenhagen("2027-02-20T09:00:00"));
    engine = std::make_unique<Engine>(std::make_unique<SqliteStore>(*db), clock,
                                      engine_settings(*setup));
    engine->set_hook_runner(hook_runner(*setup));
    ASSERT_TRUE(engine->install(setup->definitions).ok());
    ASSERT_TRUE(engine->materialise().ok());
    clock.set(copenhagen("2027-04-15T09:00:00"));
    ASSERT_TRUE(engine->materialise().ok());
    auto ticked = engine->tick();
    ASSERT_TRUE(ticked.ok()) << ticked.error().to_string();

    context = std::make_unique<http::Context>(*engine, clock, setup->zone,
                                              http::token_auth(setup->config));
    // As the service does: tokens of `aarshjul token add` too.
    context->auth.use_store(&context->store.api_tokens());
    context->organisation = setup->config.organisation;
    context->definitions = setup->definitions;
    context->links.emplace(kLinkKey, setup->config.public_url);
    context->last_tick = clock.now();
    context->reload = [this](std::function<void(ReloadOutcome)> done) {
        reloader->start(std::move(done));
    };
    restart(http::server_limits(setup->config));
}

void ApiFixture::restart(http::ServerLimits limits) {
    if (io) {
        io->stop();
        if (loop.joinable())
            loop.join();
        reloader.reset();
        server.reset();
        io.reset();
    }
    io = std::make_unique<boost::asio::io_context>();
    reloader = std::make_unique<Reloader>(*io, options, [this](aarshjul::Setup loaded) {
        ReloadOutcome outcome;
        if (auto installed = engine->install(loaded.definitions); !installed.ok()) {
            outcome.verdict = ReloadVerdict::Refused;
            outcome.errors.push_back(installed.error().to_string());
            return outcome;
        }
        if (auto stats = engine->materialise(); stats.ok())
            outcome.stats = *stats;
        context->definitions = loaded.definitions;
        outcome.workflows = static_cast<int>(loaded.definitions->workflows.size());
        return outcome;
    });
    server = std::make_unique<http::Server>(
        *io, limits, [this](http::Request r) { return http::handle(std::move(r), *context); });
    context->connection_stats = [this] { return server->stats(); };
    auto bound = server->listen("127.0.0.1:0");
    ASSERT_TRUE(bound.ok()) << bound.error().to_string();
    port = *bound;
    loop = std::thread([this] {
        auto guard = boost::asio::make_work_guard(*io);
        io->run();
    });
}

void ApiFixture::TearDown() {
    if (io) {
        io->stop();
        if (loop.joinable())
            loop.join();
    }
    reloader.reset();
    server.reset();
    io.reset();
}

HttpReply ApiFixture::get(const std::string& path, const std::string& token) {
    std::vector<std::string> headers;
    if (!token.empty())
        headers.push_back("Authorization: Bearer " + token);
    return http_request(port, "GET", path, {}, headers);
}

HttpReply ApiFixture::post(const std::string& path, const std::string& json,
                           const std::string& token) {
    std::vector<std::string> headers{"Content-Type: application/json"};
    if (!token.empty())
        headers.push_back("Authorization: Bearer " + token);
    return http_request(port, "POST", path, json, headers);
}

boost::json::value ApiFixture::json(const HttpReply& reply) {
    boost::system::error_code ec;
    auto value = boost::json::parse(reply.body, ec);
    EXPECT_FALSE(ec) << "not JSON: " << reply.body;
    return value;
}

void ApiFixture::on_loop(const std::function<void()>& work) {
    std::promise<void> done;
    boost::asio::post(*io, [&] {
        work();
        done.set_value();
    });
    done.get_future().wait();
}

std::int64_t ApiFixture::task_in(const std::string& workflow, const std::string& state) {
    auto reply = get("/api/v1/tasks?workflow=" + workflow + "&state=" + state + "&limit=1");
    EXPECT_EQ(reply.status, 200) << reply.body;
    const auto value = json(reply);
    const auto& tasks = value.at("tasks").as_array();
    EXPECT_FALSE(tasks.empty()) << "no " << workflow << " task in state " << state;
    return tasks.empty() ? 0 : tasks[0].at("id").as_int64();
}

void ApiFixture::require_evidence_for_risk_sys() {
    const auto file = workflows / "risk-sys.lua";
    std::ifstream in(file);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto at = text.find("id = \"RISK-SYS\",");
    ASSERT_NE(at, std::string::npos);
    text.insert(at, "evidence = \"required\",\n  ");
    std::ofstream(file) << text;
    auto reloaded = post("/api/v1/workflows/reload", "{}", kAdminToken);
    ASSERT_EQ(reloaded.status, 200) << reloaded.body;
}

} // namespace aarshjul::testing

// SPDX-License-Identifier: MPL-2.0
// Fuzzes the HTTP request handler (http::handle, the plain function the
// server calls): the input is "METHOD TARGET\n", header lines, an empty line
// and the body. A first byte below 128 adds the admin token, so the fuzzer
// reaches the handlers behind authentication as well as the refusals. The
// handlers run against the shipped sample municipality in an in-memory store.
// As in the server, a request whose framing check_framing() refuses (a
// Transfer-Encoding other than chunked alone) never reaches the handler.
#include "app/setup.h"
#include "clock/clock.h"
#include "engine/engine.h"
#include "http/api.h"
#include "http/auth.h"
#include "http/context.h"
#include "http/framing.h"
#include "http/router.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store.h"
#include "util/sha256.h"
#include "worker/worker_main.h"

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <spdlog/spdlog.h>
#include <string>
#include <unistd.h>

namespace {

using namespace aarshjul;
const std::string kToken = "fuzz-admin-token";

struct World {
    std::optional<Setup> setup;
    std::optional<Database> db;
    std::unique_ptr<FakeClock> clock;
    std::unique_ptr<Engine> engine;
    std::unique_ptr<http::Context> context;
};
World* g_world = nullptr;

} // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
    // Loading the workflows starts `/proc/self/exe lua-worker`: this binary.
    worker::run_worker_if_asked(*argc, *argv);
    spdlog::set_level(spdlog::level::off);
    const std::filesystem::path src = AARSHJUL_SOURCE_DIR;
    const auto dir = std::filesystem::temp_directory_path() /
                     ("aarshjul-fuzz-http-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "aarshjul.toml")
        << "[organisation]\nname = \"Fuzz\"\n[paths]\ndatabase = \":memory:\"\n"
        << "workflows = [\"" << (src / "workflows/common").string() << "\", \""
        << (src / "workflows/municipality").string() << "\"]\nlua = \"" << (src / "lua").string()
        << "\"\ndirectory = \"" << (src / "config/directory.toml").string() << "\"\n"
        << "[http]\nlisten = \"127.0.0.1:0\"\npublic_url = \"http://aarshjul.test\"\n"
        << "[[http.tokens]]\nname = \"ops\"\nrole = \"admin\"\nperson = \"anna.jensen\"\n"
        << "sha256 = \"" << sha256_hex(kToken) << "\"\n";
    auto report = load_setup({dir / "aarshjul.toml", std::nullopt});
    if (!report.setup)
        std::abort();
    auto* w = new World;
    w->setup = std::move(report.setup);
    auto db = open_database(":memory:");
    if (!db.ok())
        std::abort();
    w->db.emplace(std::move(db).value());
    w->clock = std::make_unique<FakeClock>(*parse_instant("2027-02-20T09:00:00+01:00"));
    w->engine = std::make_unique<Engine>(std::make_unique<SqliteStore>(*w->db), *w->clock,
                                         engine_settings(*w->setup));
    w->engine->set_hook_runner(hook_runner(*w->setup));
    if (!w->engine->install(w->setup->definitions).ok() || !w->engine->materialise().ok() ||
        !w->engine->tick().ok())
        std::abort();
    w->context = std::make_unique<http::Context>(*w->engine, *w->clock, w->setup->zone,
                                                 http::token_auth(w->setup->config));
    w->context->organisation = "Fuzz";
    w->context->definitions = w->setup->definitions;
    w->context->links.emplace(std::string(32, 'k'), "http://aarshjul.test");
    w->context->last_tick = w->clock->now();
    w->context->reload = [](std::function<void(ReloadOutcome)> done) {
        ReloadOutcome outcome;
        outcome.verdict = ReloadVerdict::Refused;
        outcome.errors.push_back("reload is not fuzzed");
        done(std::move(outcome));
    };
    w->context->changed = [] {};
    g_world = w;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 2 || size > 32 * 1024)
        return 0;
    const bool authorised = data[0] < 128;
    std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
    http::Request request;
    std::size_t pos = text.find('\n');
    const std::string line = text.substr(0, pos);
    const auto space = line.find(' ');
    request.method = line.substr(0, space);
    request.target = space == std::string::npos ? "/" : line.substr(space + 1);
    while (pos != std::string::npos) {
        const std::size_t next = text.find('\n', pos + 1);
        const std::string header =
            text.substr(pos + 1, next == std::string::npos ? next : next - pos - 1);
        pos = next;
        if (header.empty()) {
            if (next != std::string::npos)
                request.body = text.substr(next + 1);
            break;
        }
        const auto colon = header.find(':');
        std::string name = header.substr(0, colon);
        for (auto& c : name)
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        request.headers[name] = colon == std::string::npos ? "" : header.substr(colon + 1);
    }
    http::Framing framing;
    if (auto te = request.headers.find("transfer-encoding"); te != request.headers.end())
        framing.transfer_encoding.push_back(te->second);
    framing.content_length = request.headers.count("content-length") > 0;
    if (!http::check_framing(framing).ok())
        return 0;
    if (authorised)
        request.headers["authorization"] = "Bearer " + kToken;
    request.remote = "127.0.0.1";
    auto reply = http::handle(std::move(request), *g_world->context);
    if (auto* later = std::get_if<http::Deferred>(&reply))
        (*later)([](http::Response) {});
    return 0;
}

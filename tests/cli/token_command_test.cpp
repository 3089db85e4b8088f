// SPDX-License-Identifier: MPL-2.0
// `aarshjul token add|list|revoke` against a configuration in a temporary
// folder, and the tokens they make presented to the HTTP router (http::handle,
// no sockets) as the daemon would see them: the router's context has its own
// connection to the same database file, like the running daemon beside the CLI.
#include "app/setup.h"
#include "cli/cli.h"
#include "http/api.h"
#include "http/context.h"
#include "http/router.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store.h"
#include "support/engine_fixture.h"
#include "support/temp_dir.h"
#include "util/sha256.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <memory>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <sstream>

namespace aarshjul {
namespace {

using testing::copenhagen;

// A configured admin token's secret; its name "ops" is taken for stored tokens.
const std::string kConfiguredSecret = "configured-admin-token-0123456789";

struct Ran {
    int code;
    std::string out;
    std::string err;
};

class TokenCommands : public ::testing::Test {
protected:
    void SetUp() override {
        const std::filesystem::path src = AARSHJUL_SOURCE_DIR;
        config = dir.write("aarshjul.toml",
                           "[organisation]\nname = \"Testkommune\"\n[paths]\n"
                           "database = \"state/aarshjul.db\"\nworkflows = \"" +
                               (src / "examples" / "workflows").string() + "\"\nlua = \"" +
                               (src / "lua").string() + "\"\ndirectory = \"" +
                               (src / "config" / "directory.toml").string() +
                               "\"\n[[http.tokens]]\nname = \"ops\"\nrole = \"admin\"\n"
                               "sha256 = \"" +
                               sha256_hex(kConfiguredSecret) + "\"\n")
                     .string();
    }

    void TearDown() override {
        context.reset();
        engine.reset();
        api_db.reset();
    }

    // Runs the command line with the global options after the command, as a
    // coordinator would type them.
    Ran run(std::vector<std::string> args) {
        args.insert(args.end(), {"--config", config.string(), "--log-level", "warn"});
        std::ostringstream out, err;
        const int code = cli::run(args, out, err, clock);
        quiet_logger();
        return {code, out.str(), err.str()};
    }

    // The token `token add` printed: the only line of its stdout.
    std::string add(std::vector<std::string> args) {
        args.insert(args.begin(), {"token", "add"});
        auto r = run(args);
        EXPECT_EQ(r.code, cli::kExitOk) << r.err;
        EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
        return r.out.substr(0, r.out.find('\n'));
    }

    // The status the router answers `method path` with the bearer token.
    int api(const std::string& token, const std::string& method = "GET",
            const std::string& path = "/api/v1/workflows") {
        if (!context)
            open_api();
        http::Request request;
        request.method = method;
        request.target = path;
        request.headers["authorization"] = "Bearer " + token;
        request.remote = "192.0.2.7";
        if (method == "POST") {
            request.headers["content-type"] = "application/json";
            request.body = R"({"reason":"test"})";
        }
        auto reply = http::handle(std::move(request), *context);
        return std::get<http::Response>(reply).status;
    }

    // The daemon's side: its setup, its own connection and the router's context.
    void open_api() {
        auto report = load_setup(SetupOptions{config, std::nullopt});
        for (const auto& e : report.errors)
            ADD_FAILURE() << e.to_string();
        ASSERT_TRUE(report.setup);
        setup = std::move(report.setup);
        auto db = open_database(setup->config.database);
        ASSERT_TRUE(db.ok()) << db.error().to_string();
        api_db = std::make_unique<Database>(std::move(db).value());
        engine = std::make_unique<Engine>(std::make_unique<SqliteStore>(*api_db), clock,
                                          engine_settings(*setup));
        context = std::make_unique<http::Context>(*engine, clock, setup->zone,
                                                  http::token_auth(setup->config));
        context->auth.use_store(&context->store.api_tokens());
        context->definitions = setup->definitions;
        quiet_logger();
    }

    // cli::run points the default logger at its `err`, which is gone once it
    // returns; the router logs refused tokens. Neither belongs in the output.
    static void quiet_logger() {
        spdlog::set_default_logger(std::make_shared<spdlog::logger>(
            "test", std::make_shared<spdlog::sinks::null_sink_mt>()));
    }

    std::filesystem::path database() const { return dir.path() / "state" / "aarshjul.db"; }

    testing::TempDir dir;
    std::filesystem::path config;
    FakeClock clock{copenhagen("2027-01-15T09:00:00")};
    std::optional<aarshjul::Setup> setup;
    std::unique_ptr<Database> api_db;
    std::unique_ptr<Engine> engine;
    std::unique_ptr<http::Context> context;
};

// `token add` prints a fresh 256-bit token once; the API accepts it with the
// role it was given (a viewer may read, not waive), and the database holds
// only its SHA-256, never the token.
TEST_F(TokenCommands, AddedTokenWorksWithItsRoleAndIsStoredHashed) {
    const std::string viewer = add({"committee", "--role", "viewer"});
    EXPECT_EQ(viewer.size(), 43u) << viewer; // 32 bytes, base64url without padding
    const std::string coordinator =
        add({"anna", "--role", "coordinator", "--person", "anna.jensen"});
    EXPECT_NE(viewer, coordinator);

    EXPECT_EQ(api(viewer), 200);
    EXPECT_EQ(api(viewer, "POST", "/api/v1/tasks/999999/waive"), 403);
    // Past the role check: the task does not exist.
    EXPECT_EQ(api(coordinator, "POST", "/api/v1/tasks/999999/waive"), 404);
    EXPECT_EQ(api(kConfiguredSecret), 200); // the configured token still works
    EXPECT_EQ(api(viewer + "x"), 401);

    EXPECT_EQ(testing::column_texts(*api_db, "SELECT sha256 FROM api_tokens ORDER BY name"),
              (std::vector<std::string>{sha256_hex(coordinator), sha256_hex(viewer)}));
    for (const auto& file : {database(), std::filesystem::path(database().string() + "-wal")}) {
        const std::string bytes = testing::read_file(file);
        EXPECT_EQ(bytes.find(viewer), std::string::npos) << file;
        EXPECT_EQ(bytes.find(coordinator), std::string::npos) << file;
    }
}

// `token list` shows each token's name, role, person, creation, expiry and
// state, and neither the token nor its hash.
TEST_F(TokenCommands, ListShowsTokensWithoutSecrets) {
    const std::string anna = add(
        {"anna", "--role", "coordinator", "--person", "anna.jensen", "--expires", "2027-06-30"});
    const std::string ci = add({"ci", "--role", "viewer"});
    ASSERT_EQ(run({"token", "revoke", "ci"}).code, cli::kExitOk);

    auto r = run({"token", "list"});
    ASSERT_EQ(r.code, cli::kExitOk) << r.err;
    std::istringstream lines(r.out);
    std::string header, first, second;
    std::getline(lines, header);
    std::getline(lines, first);
    std::getline(lines, second);
    for (const char* column : {"name", "role", "person", "created", "expires", "state"})
        EXPECT_NE(header.find(column), std::string::npos) << header;
    for (const char* field :
         {"anna", "coordinator", "anna.jensen", "2027-01-15 09:00", "2027-06-30", "active"})
        EXPECT_NE(first.find(field), std::string::npos) << field << " in: " << first;
    for (const char* field : {"ci", "viewer", "revoked"})
        EXPECT_NE(second.find(field), std::string::npos) << field << " in: " << second;
    EXPECT_NE(r.out.find("2 token(s) in the database; 1 more in"), std::string::npos) << r.out;
    for (const auto& secret : {anna, ci}) {
        EXPECT_EQ(r.out.find(secret), std::string::npos);
        EXPECT_EQ(r.out.find(sha256_hex(secret)), std::string::npos);
    }
}

// `token revoke` makes the API refuse the token with 401 at once, like a wrong
// one; an unknown name is exit 1 with a message, and a configured token's name
// says where it is.
TEST_F(TokenCommands, RevokedTokenIsRefused) {
    const std::string token = add({"temp", "--role", "admin"});
    EXPECT_EQ(api(token), 200);
    auto revoked = run({"token", "revoke", "temp"});
    EXPECT_EQ(revoked.code, cli::kExitOk) << revoked.err;
    EXPECT_EQ(api(token), 401);

    auto again = run({"token", "revoke", "temp"});
    EXPECT_EQ(again.code, cli::kExitFailure);
    EXPECT_NE(again.err.find("revoked already"), std::string::npos) << again.err;
    auto unknown = run({"token", "revoke", "nobody"});
    EXPECT_EQ(unknown.code, cli::kExitFailure);
    EXPECT_NE(unknown.err.find("no token named 'nobody'"), std::string::npos) << unknown.err;
    auto configured = run({"token", "revoke", "ops"});
    EXPECT_EQ(configured.code, cli::kExitFailure);
    EXPECT_NE(configured.err.find("[[http.tokens]]"), std::string::npos) << configured.err;
}

// `--expires DATE` lets the token work through the end of that local day and
// not a second longer; `token list` then says it is expired.
TEST_F(TokenCommands, ExpiryIsTheEndOfTheLocalDay) {
    const std::string token = add({"auditor", "--role", "viewer", "--expires", "2027-01-31"});
    clock.set(copenhagen("2027-01-31T23:59:59"));
    EXPECT_EQ(api(token), 200);
    clock.set(copenhagen("2027-02-01T00:00:00"));
    EXPECT_EQ(api(token), 401);
    auto r = run({"token", "list"});
    ASSERT_EQ(r.code, cli::kExitOk) << r.err;
    EXPECT_NE(r.out.find("expired"), std::string::npos) << r.out;

    // A token expiring today is still allowed: it works until midnight.
    add({"today", "--role", "viewer", "--expires", "2027-02-01"});
}

// Wrong input to `token add` is refused with exit 2 and a message naming the
// problem, and stores nothing.
TEST_F(TokenCommands, AddRefusesBadInput) {
    add({"anna", "--role", "viewer"});
    struct Case {
        std::vector<std::string> args;
        std::string message;
    };
    const Case cases[] = {
        {.args = {"anna", "--role", "owner"}, .message = "a token named 'anna' exists already"},
        {.args = {"ops", "--role", "viewer"}, .message = "a token named 'ops' is in"},
        {.args = {"bo", "--role", "superuser"}, .message = "unknown role 'superuser'"},
        {.args = {"bo", "--role", "owner", "--person", "nobody.here"},
         .message = "no person 'nobody.here'"},
        {.args = {"bo", "--role", "viewer", "--expires", "2027-02-30"},
         .message = "--expires must be a date (YYYY-MM-DD)"},
        {.args = {"bo", "--role", "viewer", "--expires", "next week"},
         .message = "--expires must be a date (YYYY-MM-DD)"},
        {.args = {"bo", "--role", "viewer", "--expires", "2027-01-14"},
         .message = "--expires 2027-01-14 is in the past (today is 2027-01-15"},
        {.args = {"bo smith", "--role", "viewer"}, .message = "the name 'bo smith' is not valid"},
    };
    for (const auto& c : cases) {
        std::vector<std::string> args{"token", "add"};
        args.insert(args.end(), c.args.begin(), c.args.end());
        auto r = run(args);
        EXPECT_EQ(r.code, cli::kExitInvalid) << c.message;
        EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
        EXPECT_TRUE(r.out.empty()) << r.out;
    }
    auto list = run({"token", "list"});
    EXPECT_NE(list.out.find("1 token(s) in the database"), std::string::npos) << list.out;
}

} // namespace
} // namespace aarshjul

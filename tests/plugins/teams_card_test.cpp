// SPDX-License-Identifier: MPL-2.0
// Teams as the engine's notices reach it: a digest queued by the real engine,
// delivered by the dispatcher through the webhook plugin to a loopback
// receiver, and the posted Adaptive Card parsed by Microsoft's own
// adaptivecards library under node (tests/node). The old connector
// MessageCard stays available as format "teams-connector".
#include "notify/dispatcher.h"
#include "notify/plugin_loader.h"
#include "plugins/notice_source.h"
#include "plugins/server_process.h"
#include "store/sqlite/sqlite_store.h"
#include "support/engine_fixture.h"
#include "support/process.h"
#include "support/temp_dir.h"

#include <boost/json.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <optional>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace aarshjul {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using testing::copenhagen;

const fs::path kWebhookPlugin = AARSHJUL_BINARY_DIR "/plugins/aarshjul-webhook.so";
const fs::path kReceiver = AARSHJUL_TEST_DATA "/plugins/webhook_receiver.py";
const fs::path kNodeDir = fs::path(AARSHJUL_SOURCE_DIR) / "tests" / "node";

// An executable `name` in PATH, or nullopt.
std::optional<fs::path> in_path(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "");
    for (std::string dir; std::getline(dirs, dir, ':');) {
        const fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
        std::error_code ec;
        if (fs::is_regular_file(candidate, ec) && ::access(candidate.c_str(), X_OK) == 0)
            return candidate;
    }
    return std::nullopt;
}

// Every Action.OpenUrl of a card, top level and in ActionSets, in order.
void collect_open_urls(const json::value& element, std::vector<std::string>& urls) {
    if (element.is_array()) {
        for (const auto& child : element.as_array())
            collect_open_urls(child, urls);
        return;
    }
    if (!element.is_object())
        return;
    const auto& object = element.as_object();
    if (const auto* type = object.if_contains("type");
        type && type->is_string() && type->as_string() == "Action.OpenUrl")
        urls.emplace_back(object.at("url").as_string());
    for (const char* children : {"body", "items", "actions"})
        if (const auto* list = object.if_contains(children))
            collect_open_urls(*list, urls);
}

struct TeamsCard : ::testing::Test {
    testing::TempDir dir;
    testing::NoticeSource source;
    std::unique_ptr<testing::ServerProcess> receiver;

    void SetUp() override {
        std::string error;
        receiver = testing::ServerProcess::start({testing::python3(), kReceiver.string(), "--log",
                                                  (dir.path() / "posts.jsonl").string()},
                                                 error);
        ASSERT_TRUE(receiver) << error;
    }

    // Delivers every queued row through a webhook channel "teams" in `format`.
    void deliver(const std::string& format) {
        auto plugin =
            load_plugin(kWebhookPlugin,
                        {{"channel", "teams"},
                         {"url", "http://127.0.0.1:" + std::to_string(receiver->port()) + "/ok"},
                         {"format", format}},
                        [](PluginLogLevel, std::string_view) {});
        ASSERT_TRUE(plugin.ok()) << plugin.error().to_string();
        Dispatcher dispatcher(std::make_unique<SqliteStore>(source.db), source.clock);
        dispatcher.add(std::move(plugin).value());
        auto stats = dispatcher.dispatch();
        ASSERT_TRUE(stats.ok()) << stats.error().to_string();
        ASSERT_GT(stats->sent, 0);
        ASSERT_EQ(stats->failed, 0);
    }

    // The bodies the receiver got, in order.
    std::vector<std::string> posted() const {
        std::vector<std::string> bodies;
        std::ifstream in(dir.path() / "posts.jsonl");
        for (std::string line; std::getline(in, line);)
            bodies.emplace_back(json::parse(line).at("body").as_string());
        return bodies;
    }

    // The one digest in the outbox (the test setup makes exactly one).
    testing::QueuedNotice digest() {
        std::vector<testing::QueuedNotice> digests;
        for (auto& row : source.outbox())
            if (row.kind == "digest")
                digests.push_back(row);
        EXPECT_EQ(digests.size(), 1u);
        return digests.empty() ? testing::QueuedNotice{} : digests[0];
    }

    // The one-click links of the digest's tasks, from the facts the engine stored.
    static std::vector<std::string> complete_links(const testing::QueuedNotice& row) {
        std::vector<std::string> links;
        const json::value facts = json::parse(row.facts);
        for (const auto& item : facts.at("items").as_array())
            links.emplace_back(item.at("links").at("complete").as_string());
        return links;
    }
};

// A digest of two tasks posted as format "teams" is an Adaptive Card in the
// Workflows envelope that Microsoft's library parses without a single error,
// with one Action.OpenUrl per task opening exactly that task's one-click link.
TEST_F(TeamsCard, DigestIsAnAdaptiveCardMicrosoftsLibraryAccepts) {
    source.run(testing::two_duties_for_anna("teams"), copenhagen("2027-03-24T12:00:00"));
    const auto row = digest();
    const auto links = complete_links(row);
    ASSERT_EQ(links.size(), 2u);
    deliver("teams");
    const auto bodies = posted();
    ASSERT_EQ(bodies.size(), 1u);

    const auto payload = json::parse(bodies[0]).as_object();
    EXPECT_EQ(payload.at("type").as_string(), "message");
    const auto& attachment = payload.at("attachments").as_array().at(0).as_object();
    EXPECT_EQ(attachment.at("contentType").as_string(), "application/vnd.microsoft.card.adaptive");
    EXPECT_TRUE(attachment.at("contentUrl").is_null());
    const auto& card = attachment.at("content").as_object();
    EXPECT_EQ(card.at("type").as_string(), "AdaptiveCard");
    EXPECT_EQ(card.at("version").as_string(), "1.4");
    EXPECT_EQ(card.at("body").as_array().at(0).at("text").as_string(), row.subject);
    std::vector<std::string> urls;
    collect_open_urls(card, urls);
    EXPECT_EQ(urls, links);
    // Titles, the Danish button label and the overdue mark on task B only.
    EXPECT_NE(bodies[0].find("\"Titel A\""), std::string::npos) << bodies[0];
    EXPECT_NE(bodies[0].find("\"Titel B\""), std::string::npos) << bodies[0];
    EXPECT_NE(bodies[0].find("\"Markér som udført\""), std::string::npos) << bodies[0];
    const auto& task_b = card.at("body").as_array().at(2).at("items").as_array();
    EXPECT_EQ(task_b.at(2).at("text").as_string(), "Overskredet");
    EXPECT_EQ(task_b.at(2).at("color").as_string(), "Attention");

    const auto node = in_path("node");
    if (!node)
        GTEST_SKIP() << "node is not installed; the Adaptive Card was not checked with "
                        "Microsoft's library (scripts/install-deps.sh installs it)";
    ASSERT_TRUE(fs::exists(kNodeDir / "node_modules" / "adaptivecards"))
        << "tests/node has no node_modules: run scripts/install-deps.sh";
    const fs::path saved = dir.write("teams-digest.json", bodies[0]);
    testing::Process validator(
        {node->string(), (kNodeDir / "validate_adaptive_card.js").string(), saved.string()},
        dir.path() / "validator.log");
    EXPECT_EQ(validator.wait(std::chrono::seconds{60}), 0) << validator.log();
    // The validator's own reading of the card finds the same two links.
    const auto summary = json::parse(validator.log()).as_object();
    std::vector<std::string> parsed;
    for (const auto& url : summary.at("open_urls").as_array())
        parsed.emplace_back(url.as_string());
    EXPECT_EQ(parsed, links);
}

// The validator is not a rubber stamp: a card with an unknown element, a
// colour Teams does not know and an action without a url is refused.
TEST_F(TeamsCard, ValidatorRefusesABrokenCard) {
    const auto node = in_path("node");
    if (!node)
        GTEST_SKIP() << "node is not installed";
    ASSERT_TRUE(fs::exists(kNodeDir / "node_modules" / "adaptivecards"))
        << "tests/node has no node_modules: run scripts/install-deps.sh";
    const fs::path saved = dir.write(
        "broken.json",
        R"({"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive",)"
        R"("contentUrl":null,"content":{"type":"AdaptiveCard","version":"1.4","body":[)"
        R"({"type":"TextBlock","text":"x","color":"Purple"},{"type":"Carousel2"},)"
        R"({"type":"ActionSet","actions":[{"type":"Action.OpenUrl","title":"Go"}]}]}}]})");
    testing::Process validator(
        {node->string(), (kNodeDir / "validate_adaptive_card.js").string(), saved.string()},
        dir.path() / "validator.log");
    EXPECT_EQ(validator.wait(std::chrono::seconds{60}), 1) << validator.log();
    const std::string log = validator.log();
    EXPECT_NE(log.find("Purple"), std::string::npos) << log;
    EXPECT_NE(log.find("Carousel2"), std::string::npos) << log;
    EXPECT_NE(log.find("\"url\" must be set"), std::string::npos) << log;
}

// An English reader gets the card's words in English and the workflow's English titles.
TEST_F(TeamsCard, EnglishReaderGetsEnglishLabels) {
    source.directory.people[0].language = "en"; // anna
    source.run(testing::two_duties_for_anna("teams"), copenhagen("2027-03-24T12:00:00"));
    deliver("teams");
    const auto bodies = posted();
    ASSERT_EQ(bodies.size(), 1u);
    EXPECT_NE(bodies[0].find("\"Mark as done\""), std::string::npos) << bodies[0];
    EXPECT_NE(bodies[0].find("\"Title A\""), std::string::npos) << bodies[0];
    EXPECT_NE(bodies[0].find("\"Overdue\""), std::string::npos) << bodies[0];
    EXPECT_NE(bodies[0].find("\"Due\""), std::string::npos) << bodies[0];
    EXPECT_EQ(bodies[0].find("Markér"), std::string::npos) << bodies[0];
}

// Format "teams-connector" still posts the Office 365 connector MessageCard,
// with an OpenUri button per task's one-click link, each naming its task.
TEST_F(TeamsCard, ConnectorFormatStillPostsAMessageCard) {
    source.run(testing::two_duties_for_anna("teams"), copenhagen("2027-03-24T12:00:00"));
    const auto row = digest();
    deliver("teams-connector");
    const auto bodies = posted();
    ASSERT_EQ(bodies.size(), 1u);
    auto card = json::parse(bodies[0]).as_object();
    EXPECT_EQ(card.at("@type").as_string(), "MessageCard");
    EXPECT_EQ(card.at("@context").as_string(), "https://schema.org/extensions");
    EXPECT_EQ(card.at("title").as_string(), row.subject);
    EXPECT_EQ(card.at("text").as_string(), row.body);
    EXPECT_FALSE(card.contains("attachments"));
    std::vector<std::string> uris;
    std::vector<std::string> names;
    for (const auto& action : card.at("potentialAction").as_array()) {
        EXPECT_EQ(action.at("@type").as_string(), "OpenUri");
        names.emplace_back(action.at("name").as_string());
        uris.emplace_back(action.at("targets").as_array().at(0).at("uri").as_string());
    }
    EXPECT_EQ(uris, complete_links(row));
    EXPECT_EQ(names, (std::vector<std::string>{"Markér som udført: Titel A",
                                               "Markér som udført: Titel B"}));
}

} // namespace
} // namespace aarshjul

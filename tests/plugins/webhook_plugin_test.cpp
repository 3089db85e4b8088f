// SPDX-License-Identifier: MPL-2.0
#include "notify/plugin_loader.h"
#include "plugins/server_process.h"
#include "support/temp_dir.h"

#include <boost/json.hpp>
#include <chrono>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace aarshjul {
namespace {

using testing::ServerProcess;

const std::filesystem::path k_webhook_plugin = AARSHJUL_BINARY_DIR "/plugins/aarshjul-webhook.so";
const std::string k_receiver = AARSHJUL_TEST_DATA "/plugins/webhook_receiver.py";

// The receiver knows the first two; the third belongs to nobody.
const std::string k_secret_one = "whsec_YWFyc2hqdWwtdGVzdC1zZWNyZXQtb25lLTMyYnl0ZXM=";
const std::string k_secret_two = "whsec_YWFyc2hqdWwtdGVzdC1zZWNyZXQtdHdvLTMyYnl0ZXM=";
const std::string k_secret_other = "whsec_c29tZW9uZS1lbHNlLXMtc2VjcmV0LTMyLWJ5dGVzISE=";

Notice make_notice() {
    Notice n;
    n.key = "risk:economy:2025-03-01:overdue:webhook:team";
    n.kind = "overdue";
    n.channel = "webhook";
    n.recipient = "team-it";
    n.name = "IT-afdelingen";
    n.address = "";
    n.subject = "Overskredet: risikovurdering af økonomisystemet";
    n.body = "Fristen var 2025-03-01.\nSystemejer: Søren <soeren@example.dk> & co.";
    n.facts = R"({"items":[{"kind":"overdue","task_id":7,"task_key":"RISK-SYS|economy|2025-03-01",)"
              R"("title":"Risikovurdering: Økonomi","workflow":"RISK-SYS","system":"Økonomi",)"
              R"("assignee":"soeren","due":"2025-03-01","links":{"complete":)"
              R"("https://aarshjul.example.dk/act/7?p=soeren&e=1&s=x",)"
              R"("task":"https://aarshjul.example.dk/api/v1/tasks/7"}}]})";
    return n;
}

// The "(retry after N s)" hint the loader appends, or -1.
int retry_hint(const std::string& error) {
    auto at = error.find("(retry after ");
    return at == std::string::npos ? -1 : std::atoi(error.c_str() + at + 13);
}

class WebhookPluginTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string error;
        m_server = ServerProcess::start({testing::python3(), k_receiver, "--log", m_log.string(),
                                         "--secret", k_secret_one, "--secret", k_secret_two},
                                        error);
        ASSERT_TRUE(m_server) << error;
    }

    std::string url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(m_server->port()) + path;
    }

    std::unique_ptr<Notifier> load(std::map<std::string, std::string> config) {
        auto loaded =
            load_plugin(k_webhook_plugin, config, [](PluginLogLevel, std::string_view) {});
        EXPECT_TRUE(loaded.ok()) << loaded.error().to_string();
        return loaded.ok() ? std::move(loaded.value()) : nullptr;
    }

    // Every request the receiver recorded, oldest first.
    std::vector<boost::json::object> requests() const {
        std::vector<boost::json::object> out;
        std::ifstream in(m_log);
        for (std::string line; std::getline(in, line);)
            out.push_back(boost::json::parse(line).as_object());
        return out;
    }

    static std::string header(const boost::json::object& request, const char* name) {
        const auto& headers = request.at("headers").as_object();
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : std::string(it->value().as_string());
    }

    static std::vector<bool> valid(const boost::json::object& request) {
        std::vector<bool> out;
        for (const auto& v : request.at("valid").as_array())
            out.push_back(v.as_bool());
        return out;
    }

    testing::TempDir m_dir;
    std::filesystem::path m_log = m_dir.path() / "requests.jsonl";
    std::unique_ptr<ServerProcess> m_server;
};

// A generic webhook carries the notice as JSON with Standard Webhooks headers,
// signed with every configured secret, each signature verified by the receiver.
TEST_F(WebhookPluginTest, GenericPayloadIsSignedWithEverySecret) {
    auto notifier = load({{"url", url("/ok")}, {"secrets", k_secret_one + ", " + k_secret_two}});
    ASSERT_TRUE(notifier);
    Notice notice = make_notice();
    auto result = notifier->send(notice);
    ASSERT_EQ(result.outcome, SendOutcome::Sent) << result.error;

    auto recorded = requests();
    ASSERT_EQ(recorded.size(), 1u);
    const auto& request = recorded[0];
    EXPECT_EQ(header(request, "webhook-id"), notice.key);
    EXPECT_EQ(header(request, "content-type"), "application/json");
    auto timestamp = std::stoll(header(request, "webhook-timestamp"));
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    EXPECT_LE(std::llabs(now - timestamp), 5);
    std::string signature = header(request, "webhook-signature");
    EXPECT_EQ(signature.rfind("v1,", 0), 0u) << signature;
    EXPECT_NE(signature.find(" v1,"), std::string::npos) << signature;
    EXPECT_EQ(valid(request), (std::vector<bool>{true, true}));

    auto body = boost::json::parse(request.at("body").as_string()).as_object();
    EXPECT_EQ(body["type"].as_string(), "overdue");
    EXPECT_EQ(body["key"].as_string(), notice.key);
    EXPECT_EQ(body["recipient"].as_string(), "team-it");
    EXPECT_EQ(body["name"].as_string(), "IT-afdelingen");
    EXPECT_EQ(body["subject"].as_string(), notice.subject);
    EXPECT_EQ(body["body"].as_string(), notice.body);
    // The structure behind the text: task, workflow, assignee, due, kind and links.
    ASSERT_EQ(body["items"].as_array().size(), 1u);
    auto item = body["items"].as_array()[0].as_object();
    EXPECT_EQ(item["task_id"].as_int64(), 7);
    EXPECT_EQ(item["workflow"].as_string(), "RISK-SYS");
    EXPECT_EQ(item["assignee"].as_string(), "soeren");
    EXPECT_EQ(item["due"].as_string(), "2025-03-01");
    EXPECT_EQ(item["kind"].as_string(), "overdue");
    EXPECT_EQ(item["links"].as_object()["task"].as_string(),
              "https://aarshjul.example.dk/api/v1/tasks/7");
}

// The generic payload passes the mail's HTML part and the facts' language on;
// a notice without them has neither key.
TEST_F(WebhookPluginTest, GenericPayloadCarriesHtmlAndLanguage) {
    auto notifier = load({{"url", url("/ok")}});
    ASSERT_TRUE(notifier);
    Notice with = make_notice();
    with.html_body = "<p>Risikovurdering &amp; mere</p>";
    with.facts = R"({"language":"en","items":[]})";
    ASSERT_EQ(notifier->send(with).outcome, SendOutcome::Sent);
    ASSERT_EQ(notifier->send(make_notice()).outcome, SendOutcome::Sent);
    auto recorded = requests();
    ASSERT_EQ(recorded.size(), 2u);
    auto first = boost::json::parse(recorded[0].at("body").as_string()).as_object();
    EXPECT_EQ(first["html_body"].as_string(), with.html_body);
    EXPECT_EQ(first["language"].as_string(), "en");
    auto second = boost::json::parse(recorded[1].at("body").as_string()).as_object();
    EXPECT_FALSE(second.contains("html_body"));
    EXPECT_FALSE(second.contains("language"));
}

// During rotation each configured secret verifies on its own; an unknown one does not.
TEST_F(WebhookPluginTest, SecretRotation) {
    struct Case {
        std::string secrets;
        std::vector<bool> valid;
    };
    const Case cases[] = {
        {.secrets = k_secret_one, .valid = {true, false}},
        {.secrets = k_secret_two, .valid = {false, true}},
        {.secrets = k_secret_other + "," + k_secret_two, .valid = {false, true}},
        {.secrets = k_secret_other, .valid = {false, false}},
    };
    for (const auto& c : cases) {
        auto notifier = load({{"url", url("/ok")}, {"secrets", c.secrets}});
        ASSERT_TRUE(notifier);
        ASSERT_EQ(notifier->send(make_notice()).outcome, SendOutcome::Sent);
    }
    auto recorded = requests();
    ASSERT_EQ(recorded.size(), std::size(cases));
    for (size_t i = 0; i < recorded.size(); ++i)
        EXPECT_EQ(valid(recorded[i]), cases[i].valid) << cases[i].secrets;
}

// Two sends of one notice carry the same webhook-id, and both verify.
TEST_F(WebhookPluginTest, WebhookIdIsStableAcrossRetries) {
    auto notifier = load({{"url", url("/ok")}, {"secrets", k_secret_one}});
    ASSERT_TRUE(notifier);
    ASSERT_EQ(notifier->send(make_notice()).outcome, SendOutcome::Sent);
    ASSERT_EQ(notifier->send(make_notice()).outcome, SendOutcome::Sent);
    auto recorded = requests();
    ASSERT_EQ(recorded.size(), 2u);
    EXPECT_EQ(header(recorded[0], "webhook-id"), make_notice().key);
    EXPECT_EQ(header(recorded[1], "webhook-id"), header(recorded[0], "webhook-id"));
    EXPECT_TRUE(valid(recorded[0])[0]);
    EXPECT_TRUE(valid(recorded[1])[0]);
}

// HTTP statuses map to outcomes, with Retry-After (seconds or HTTP date) passed on.
TEST_F(WebhookPluginTest, StatusCodesMapToOutcomes) {
    struct Case {
        std::string path;
        SendOutcome outcome;
        int min_retry;
        int max_retry;
    };
    const Case cases[] = {
        {.path = "/ok", .outcome = SendOutcome::Sent, .min_retry = -1, .max_retry = -1},
        {.path = "/status/204", .outcome = SendOutcome::Sent, .min_retry = -1, .max_retry = -1},
        {.path = "/status/500",
         .outcome = SendOutcome::TemporaryFailure,
         .min_retry = -1,
         .max_retry = -1},
        {.path = "/status/502",
         .outcome = SendOutcome::TemporaryFailure,
         .min_retry = -1,
         .max_retry = -1},
        {.path = "/status/503",
         .outcome = SendOutcome::TemporaryFailure,
         .min_retry = 7,
         .max_retry = 7},
        {.path = "/status/429",
         .outcome = SendOutcome::TemporaryFailure,
         .min_retry = 7,
         .max_retry = 7},
        {.path = "/status/429-date",
         .outcome = SendOutcome::TemporaryFailure,
         .min_retry = 4,
         .max_retry = 8},
        {.path = "/status/408",
         .outcome = SendOutcome::TemporaryFailure,
         .min_retry = -1,
         .max_retry = -1},
        {.path = "/status/400",
         .outcome = SendOutcome::PermanentFailure,
         .min_retry = -1,
         .max_retry = -1},
        {.path = "/status/404",
         .outcome = SendOutcome::PermanentFailure,
         .min_retry = -1,
         .max_retry = -1},
        {.path = "/status/301",
         .outcome = SendOutcome::PermanentFailure,
         .min_retry = -1,
         .max_retry = -1},
    };
    for (const auto& c : cases) {
        auto notifier = load({{"url", url(c.path)}, {"secrets", k_secret_one}});
        ASSERT_TRUE(notifier);
        auto result = notifier->send(make_notice());
        EXPECT_EQ(result.outcome, c.outcome) << c.path << ": " << result.error;
        int hint = retry_hint(result.error);
        EXPECT_GE(hint, c.min_retry) << c.path << ": " << result.error;
        EXPECT_LE(hint, c.max_retry) << c.path << ": " << result.error;
    }
    EXPECT_EQ(requests().size(), std::size(cases));
}

// 410 Gone disables the endpoint: later sends fail permanently without a request.
TEST_F(WebhookPluginTest, GoneDisablesTheEndpoint) {
    auto notifier = load({{"url", url("/status/410")}, {"secrets", k_secret_one}});
    ASSERT_TRUE(notifier);
    for (int i = 0; i < 3; ++i) {
        auto result = notifier->send(make_notice());
        EXPECT_EQ(result.outcome, SendOutcome::PermanentFailure);
        EXPECT_EQ(result.error, "endpoint gone (410): disabled");
    }
    EXPECT_EQ(requests().size(), 1u);
}

// A receiver slower than timeout_seconds gives a temporary failure within the timeout.
TEST_F(WebhookPluginTest, TimeoutIsTemporary) {
    auto notifier = load({{"url", url("/sleep/4")}, {"timeout_seconds", "1"}});
    ASSERT_TRUE(notifier);
    auto start = std::chrono::steady_clock::now();
    auto result = notifier->send(make_notice());
    auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(result.outcome, SendOutcome::TemporaryFailure) << result.error;
    EXPECT_LT(elapsed, std::chrono::milliseconds(3000));
}

// A refused connection is a temporary failure.
TEST_F(WebhookPluginTest, ConnectionRefusedIsTemporary) {
    auto notifier =
        load({{"url", "http://127.0.0.1:" + std::to_string(testing::unused_port()) + "/ok"}});
    ASSERT_TRUE(notifier);
    auto result = notifier->send(make_notice());
    EXPECT_EQ(result.outcome, SendOutcome::TemporaryFailure) << result.error;
}

// The teams-connector format posts a MessageCard and the slack format {"text"}
// with &, <, > escaped.
TEST_F(WebhookPluginTest, ConnectorAndSlackFormats) {
    Notice notice = make_notice();
    ASSERT_EQ(load({{"url", url("/ok")}, {"format", "teams-connector"}})->send(notice).outcome,
              SendOutcome::Sent);
    ASSERT_EQ(load({{"url", url("/ok")}, {"format", "slack"}})->send(notice).outcome,
              SendOutcome::Sent);
    ASSERT_EQ(load({{"url", url("/ok")}, {"format", "mattermost"}})->send(notice).outcome,
              SendOutcome::Sent);
    auto recorded = requests();
    ASSERT_EQ(recorded.size(), 3u);

    auto teams = boost::json::parse(recorded[0].at("body").as_string()).as_object();
    EXPECT_EQ(teams["@type"].as_string(), "MessageCard");
    EXPECT_EQ(teams["title"].as_string(), notice.subject);
    EXPECT_EQ(teams["text"].as_string(), notice.body);
    EXPECT_EQ(header(recorded[0], "webhook-id"), notice.key);
    // The one-click link becomes a button.
    auto action = teams["potentialAction"].as_array().at(0).as_object();
    EXPECT_EQ(action["@type"].as_string(), "OpenUri");
    EXPECT_EQ(action["targets"].as_array().at(0).as_object()["uri"].as_string(),
              "https://aarshjul.example.dk/act/7?p=soeren&e=1&s=x");
    // Facts that do not name the language give Danish words; one task, so no title.
    EXPECT_EQ(action["name"].as_string(), "Markér som udført");

    for (size_t i = 1; i < 3; ++i) {
        auto slack = boost::json::parse(recorded[i].at("body").as_string()).as_object();
        EXPECT_EQ(slack.size(), 1u);
        EXPECT_EQ(slack["text"].as_string(),
                  "*Overskredet: risikovurdering af økonomisystemet*\nFristen var 2025-03-01.\n"
                  "Systemejer: Søren &lt;soeren@example.dk&gt; &amp; co.");
    }
}

// The teams format posts the notice as an Adaptive Card in the Workflows
// envelope: the subject as heading, the task's facts, its button, and the
// overdue mark (the notice is an overdue reminder).
TEST_F(WebhookPluginTest, TeamsFormatIsAnAdaptiveCard) {
    ASSERT_EQ(load({{"url", url("/ok")}, {"format", "teams"}})->send(make_notice()).outcome,
              SendOutcome::Sent);
    auto recorded = requests();
    ASSERT_EQ(recorded.size(), 1u);
    auto envelope = boost::json::parse(recorded[0].at("body").as_string()).as_object();
    EXPECT_EQ(envelope["type"].as_string(), "message");
    const auto& attachment = envelope["attachments"].as_array().at(0).as_object();
    EXPECT_EQ(attachment.at("contentType").as_string(), "application/vnd.microsoft.card.adaptive");
    const auto& card = attachment.at("content").as_object();
    EXPECT_EQ(card.at("$schema").as_string(), "http://adaptivecards.io/schemas/adaptive-card.json");
    const auto& body = card.at("body").as_array();
    ASSERT_EQ(body.size(), 2u);
    EXPECT_EQ(body[0].at("text").as_string(), make_notice().subject);
    const auto& task = body[1].at("items").as_array();
    EXPECT_EQ(task.at(0).at("text").as_string(), "Risikovurdering: Økonomi");
    const auto& facts = task.at(1).at("facts").as_array();
    EXPECT_EQ(facts.at(0).at("value").as_string(), "Økonomi");
    // Without due_text the ISO date stands in.
    EXPECT_EQ(facts.at(1).at("value").as_string(), "2025-03-01 (Overskredet)");
    EXPECT_EQ(task.at(2).at("color").as_string(), "Attention");
    const auto& open = task.at(3).at("actions").as_array().at(0).as_object();
    EXPECT_EQ(open.at("type").as_string(), "Action.OpenUrl");
    EXPECT_EQ(open.at("title").as_string(), "Markér som udført");
    EXPECT_EQ(open.at("url").as_string(), "https://aarshjul.example.dk/act/7?p=soeren&e=1&s=x");
}

// A notice without facts (a failure report, a test) shows its text on the card;
// a digest of more tasks than a card holds says how many are left out.
TEST_F(WebhookPluginTest, TeamsCardWithoutFactsOrWithTooManyTasks) {
    Notice bare = make_notice();
    bare.facts = "{}";
    Notice many = make_notice();
    std::string items;
    for (int i = 1; i <= 23; ++i)
        items += std::string(i > 1 ? "," : "") + R"({"kind":"reminder","task_id":)" +
                 std::to_string(i) + R"(,"title":"T)" + std::to_string(i) +
                 R"(","due":"2027-03-01","links":{"complete":"https://a.example.dk/act/)" +
                 std::to_string(i) + R"("}})";
    many.facts = R"({"language":"en","items":[)" + items + "]}";
    auto notifier = load({{"url", url("/ok")}, {"format", "teams"}});
    ASSERT_TRUE(notifier);
    ASSERT_EQ(notifier->send(bare).outcome, SendOutcome::Sent);
    ASSERT_EQ(notifier->send(many).outcome, SendOutcome::Sent);
    auto recorded = requests();
    ASSERT_EQ(recorded.size(), 2u);
    auto card_of = [](const boost::json::object& request) {
        auto envelope = boost::json::parse(request.at("body").as_string());
        return envelope.at("attachments").at(0).at("content").as_object();
    };
    const auto bare_body = card_of(recorded[0]).at("body").as_array();
    ASSERT_EQ(bare_body.size(), 2u);
    EXPECT_EQ(bare_body[1].at("text").as_string(), bare.body);
    const auto many_body = card_of(recorded[1]).at("body").as_array();
    ASSERT_EQ(many_body.size(), 1u + 20u + 1u);
    EXPECT_EQ(many_body.back().at("text").as_string(), "… and 3 more tasks");
}

// Bad settings are refused at create, and a malformed secret is not echoed back.
TEST_F(WebhookPluginTest, BadConfigurationIsRefusedAtCreate) {
    struct Case {
        std::map<std::string, std::string> config;
        std::string mentions;
    };
    const Case cases[] = {
        {.config = {}, .mentions = "url"},
        {.config = {{"url", "ftp://example.org/"}}, .mentions = "url"},
        {.config = {{"url", url("/ok")}, {"format", "discord"}},
         .mentions = "format must be generic, teams, teams-connector or slack, not \"discord\""},
        {.config = {{"url", url("/ok")}, {"secrets", "topsecretvalue"}}, .mentions = "whsec_"},
        {.config = {{"url", url("/ok")}, {"secrets", k_secret_one + ",whsec_topsecret!!"}},
         .mentions = "secret 2"},
        {.config = {{"url", url("/ok")}, {"timeout_seconds", "-1"}}, .mentions = "timeout_seconds"},
    };
    for (const auto& c : cases) {
        auto loaded =
            load_plugin(k_webhook_plugin, c.config, [](PluginLogLevel, std::string_view) {});
        ASSERT_FALSE(loaded.ok()) << c.mentions;
        EXPECT_NE(loaded.error().message.find(c.mentions), std::string::npos)
            << loaded.error().message;
        EXPECT_EQ(loaded.error().message.find("topsecret"), std::string::npos)
            << loaded.error().message;
    }
    EXPECT_TRUE(requests().empty());
}

} // namespace
} // namespace aarshjul

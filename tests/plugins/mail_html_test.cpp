// SPDX-License-Identifier: MPL-2.0
// Mail that reads like mail, end to end: the engine renders the HTML
// templates into outbox.html_body, the dispatcher hands it to the real smtp
// plugin, and a loopback aiosmtpd receives multipart/alternative whose HTML
// part is exactly what the engine rendered, beside the plain text.
#include "notify/dispatcher.h"
#include "notify/plugin_loader.h"
#include "plugins/notice_source.h"
#include "plugins/server_process.h"
#include "store/sqlite/sqlite_store.h"
#include "support/engine_fixture.h"
#include "support/temp_dir.h"

#include <boost/json.hpp>
#include <filesystem>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace aarshjul {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using testing::copenhagen;
using ::testing::HasSubstr;
using ::testing::Not;

// `text` with CRLF line ends as LF (the plugin sends CRLF on the wire).
std::string lf(std::string text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i)
        if (!(text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n'))
            out += text[i];
    return out;
}

// `text` with the five characters HTML escapes replaced, as in an href.
std::string html_escaped(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '&')
            out += "&amp;";
        else if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else if (c == '"')
            out += "&quot;";
        else if (c == '\'')
            out += "&#39;";
        else
            out += c;
    }
    return out;
}

struct MailHtml : ::testing::Test {
    testing::TempDir dir;
    testing::NoticeSource source;
    std::unique_ptr<testing::ServerProcess> server;

    void SetUp() override {
        fs::create_directories(dir.path() / "mail");
        std::string error;
        server = testing::ServerProcess::start({testing::python3(),
                                                AARSHJUL_TEST_DATA "/plugins/smtp_capture.py",
                                                "--outdir", (dir.path() / "mail").string()},
                                               error);
        ASSERT_TRUE(server) << error;
    }

    // Delivers every queued row through the smtp plugin as channel "mail".
    void deliver() {
        auto plugin = load_plugin(fs::path(AARSHJUL_BINARY_DIR) / "plugins/aarshjul-smtp.so",
                                  {{"channel", "mail"},
                                   {"host", "127.0.0.1"},
                                   {"port", std::to_string(server->port())},
                                   {"tls", "none"},
                                   {"timeout_seconds", "5"},
                                   {"from", "aarshjul@eksempel.dk"}},
                                  [](PluginLogLevel, std::string_view) {});
        ASSERT_TRUE(plugin.ok()) << plugin.error().to_string();
        Dispatcher dispatcher(std::make_unique<SqliteStore>(source.db), source.clock);
        dispatcher.add(std::move(plugin).value());
        dispatcher.set_directory(std::make_shared<Directory>(source.directory));
        auto stats = dispatcher.dispatch();
        ASSERT_TRUE(stats.ok()) << stats.error().to_string();
        ASSERT_EQ(stats->failed, 0);
        ASSERT_GT(stats->sent, 0);
    }

    // The n-th message the server accepted (1-based), as smtp_capture.py summarised it.
    json::object received(int n) const {
        return json::parse(testing::read_file(dir.path() / "mail" / (std::to_string(n) + ".json")))
            .as_object();
    }
};

// A digest of two tasks arrives as multipart/alternative: the text part is the
// outbox body, the HTML part exactly the outbox html_body, and the HTML has a
// button to each task's one-click link and the link to "Mine opgaver".
TEST_F(MailHtml, DigestArrivesWithTheEnginesHtmlPart) {
    source.run(testing::two_duties_for_anna("mail"), copenhagen("2027-03-24T12:00:00"));
    const auto rows = source.outbox();
    ASSERT_EQ(rows.size(), 1u);
    const auto& row = rows[0];
    ASSERT_EQ(row.kind, "digest");
    ASSERT_THAT(row.html_body, HasSubstr("<!DOCTYPE html>"));
    deliver();

    const auto mail = received(1);
    EXPECT_EQ(mail.at("content_type").as_string(), "multipart/alternative");
    EXPECT_EQ(mail.at("subject").as_string(), row.subject);
    const auto& parts = mail.at("parts").as_array();
    ASSERT_EQ(parts.size(), 2u);
    EXPECT_EQ(parts[0].at("content_type").as_string(), "text/plain");
    EXPECT_EQ(lf(std::string(parts[0].at("text").as_string())), row.body);
    EXPECT_EQ(parts[1].at("content_type").as_string(), "text/html");
    EXPECT_EQ(parts[1].at("charset").as_string(), "utf-8");
    const std::string html = lf(std::string(parts[1].at("text").as_string()));
    EXPECT_EQ(html, row.html_body);
    EXPECT_THAT(html, Not(HasSubstr("<pre>")));

    const json::value facts = json::parse(row.facts);
    for (const auto& item : facts.at("items").as_array()) {
        const std::string link(item.at("links").at("complete").as_string());
        EXPECT_THAT(html, HasSubstr("<a href=\"" + html_escaped(link) + "\""));
        EXPECT_THAT(row.body, HasSubstr(link));
    }
    EXPECT_THAT(html, HasSubstr("Overskredet"));
    EXPECT_THAT(html, HasSubstr(html_escaped(std::string(testing::kPublicUrl) + "/me?p=anna&e=")));
    EXPECT_THAT(row.body, HasSubstr("Se alle dine opgaver: " + std::string(testing::kPublicUrl) +
                                    "/me?p=anna&e="));
}

// A single reminder whose workflow title holds markup reaches the mail's HTML
// part escaped, and its plain text part unchanged.
TEST_F(MailHtml, MarkupInATitleIsEscapedOnTheWayToTheInbox) {
    auto wf = testing::make_workflow("X", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1", 30, {7}, 0);
    wf.title = {"Kontrol <script>alert(1)</script> & co", "Control"};
    wf.channels = {"mail"};
    source.run({wf}, copenhagen("2027-03-24T12:00:00"));
    const auto rows = source.outbox();
    ASSERT_EQ(rows.size(), 1u);
    ASSERT_EQ(rows[0].kind, "reminder");
    deliver();

    const auto parts = received(1).at("parts").as_array();
    ASSERT_EQ(parts.size(), 2u);
    const std::string text = lf(std::string(parts[0].at("text").as_string()));
    const std::string html = lf(std::string(parts[1].at("text").as_string()));
    EXPECT_THAT(text, HasSubstr("Kontrol <script>alert(1)</script> & co"));
    EXPECT_THAT(html, HasSubstr("Kontrol &lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
    EXPECT_THAT(html, Not(HasSubstr("<script>")));
    EXPECT_EQ(html, rows[0].html_body);
}

} // namespace
} // namespace aarshjul

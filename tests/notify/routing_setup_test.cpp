// SPDX-License-Identifier: MPL-2.0
// Routing and templates as `check` and `serve` load them: a workflow's
// channels, a committee's channel and a coordinator's template folder are
// checked against the configuration before anything is sent.
#include "app/setup.h"
#include "support/temp_dir.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace aarshjul {
namespace {

using ::testing::HasSubstr;

struct RoutingSetup {
    testing::TempDir dir;

    // A config with a `mail` channel, a directory with the committee `isu`
    // (channel `body_channel`), and one workflow with `workflow_extra`.
    SetupReport load(const std::string& body_channel, const std::string& workflow_extra,
                     const std::string& notify_extra = "") {
        const std::filesystem::path src = AARSHJUL_SOURCE_DIR;
        dir.write("directory.toml",
                  "[[person]]\nid = \"anna\"\nname = \"Anna\"\nemail = \"anna@example.dk\"\n"
                  "roles = [\"coordinator\"]\n\n[[body]]\nid = \"isu\"\nname = \"ISU\"\n" +
                      (body_channel.empty() ? "" : "channel = \"" + body_channel + "\"\n"));
        dir.write("wf/x.lua", "workflow {\n  id = \"X-1\",\n  title = { da = \"T\", en = \"T\" },\n"
                              "  source = \"test\",\n  assignee = role \"coordinator\",\n"
                              "  schedule = yearly { month = 3, day = 1 },\n" +
                                  workflow_extra + "\n}\n");
        const auto config = dir.write(
            "aarshjul.toml", "[organisation]\nname = \"Testkommune\"\n[paths]\n"
                             "database = \"state/aarshjul.db\"\nworkflows = \"wf\"\nlua = \"" +
                                 (src / "lua").string() +
                                 "\"\ndirectory = \"directory.toml\"\n[notify]\n" + notify_extra +
                                 "\n[channel.mail]\nplugin = \"log\"\n");
        return load_setup({config, std::nullopt});
    }
};

std::string errors_of(const SetupReport& report) {
    std::string out;
    for (const auto& e : report.errors)
        out += e.to_string() + "\n";
    return out;
}

TEST(RoutingSetup, KnownChannelsAndACommitteeWithAChannelPass) {
    RoutingSetup s;
    auto report = s.load("mail", "  channels = { \"mail\", \"log\" },\n"
                                 "  escalate = { { after = 7, to = committee \"isu\" } },");
    ASSERT_TRUE(report.setup) << errors_of(report);
    EXPECT_EQ(report.setup->definitions->workflows.at(0).channels.size(), 2u);
    ASSERT_TRUE(report.setup->templates);
    EXPECT_EQ(report.setup->templates->origin("reminder", "da"),
              (std::filesystem::path(AARSHJUL_SOURCE_DIR) / "lua/templates/da/reminder.mustache")
                  .string());
}

TEST(RoutingSetup, UnknownChannelsAreRefused) {
    RoutingSetup s;
    auto report = s.load("teams", "  channels = { \"sms\" },");
    ASSERT_FALSE(report.setup);
    const std::string errors = errors_of(report);
    EXPECT_THAT(errors, HasSubstr("body 'isu': unknown channel 'teams' (no [channel.teams]"));
    EXPECT_THAT(errors, HasSubstr("x.lua:1: workflow X-1: channels: unknown channel 'sms'"));
}

// A web admin must be a person of the directory (they sign in as themselves).
TEST(RoutingSetup, WebAdminsAreDirectoryPeople) {
    RoutingSetup s;
    EXPECT_TRUE(s.load("mail", "", "\n[http]\nadmins = [\"anna\"]\n").setup);
    auto report = s.load("mail", "", "\n[http]\nadmins = [\"anna\", \"nobody\"]\n");
    ASSERT_FALSE(report.setup);
    EXPECT_THAT(errors_of(report), HasSubstr("http.admins: unknown person 'nobody'"));
}

TEST(RoutingSetup, CommitteeWithoutAChannelIsRefused) {
    RoutingSetup s;
    auto report = s.load("", "  escalate = { { after = 7, to = committee \"isu\" } },");
    ASSERT_FALSE(report.setup);
    EXPECT_THAT(errors_of(report), HasSubstr("escalate: committee 'isu' has no channel"));
    auto unknown = s.load("mail", "  escalate = { { after = 7, to = committee \"udvalg\" } },");
    EXPECT_THAT(errors_of(unknown), HasSubstr("escalate: unknown committee 'udvalg'"));
}

TEST(RoutingSetup, CoordinatorsTemplatesAreCheckedAtLoad) {
    RoutingSetup s;
    s.dir.write("my-templates/en/digest.mustache",
                "Subject: {{count}}\n\n{{#items}}{{titel}}{{/items}}\n");
    auto report = s.load("", "", "templates = \"my-templates\"");
    ASSERT_FALSE(report.setup);
    EXPECT_THAT(errors_of(report),
                HasSubstr("my-templates/en/digest.mustache:3: template: unknown variable 'titel'"));

    s.dir.write("my-templates/en/digest.mustache",
                "Subject: {{count}} tasks\n\n{{#items}}{{title}}{{/items}}\n");
    auto fixed = s.load("", "", "templates = \"my-templates\"");
    ASSERT_TRUE(fixed.setup) << errors_of(fixed);
    EXPECT_THAT(fixed.setup->templates->origin("digest", "en"), HasSubstr("my-templates"));

    auto missing = s.load("", "", "templates = \"nowhere\"");
    EXPECT_THAT(errors_of(missing), HasSubstr("notify.templates: no folder"));
}

} // namespace
} // namespace aarshjul

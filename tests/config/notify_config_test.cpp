// SPDX-License-Identifier: MPL-2.0
#include "config/config.h"

#include <gtest/gtest.h>

namespace aarshjul {
namespace {

const char* kBase = "[organisation]\nname = \"Testkommune\"\n";

// Channel sections become plugin settings; arrays are joined with commas.
TEST(NotifyConfig, ChannelsCarryTheirSettings) {
    auto config = parse_config(std::string(kBase) +
                                   "[notify]\nchannels = [\"mail\"]\nfailure_channel = \"teams\"\n"
                                   "[channel.mail]\nplugin = \"smtp\"\nhost = \"127.0.0.1\"\n"
                                   "port = 2525\nrate_per_minute = 30\n"
                                   "[channel.teams]\nplugin = \"webhook\"\n"
                                   "secrets = [\"whsec_a\", \"whsec_b\"]\n",
                               "/etc/aarshjul/aarshjul.toml");
    ASSERT_TRUE(config.ok()) << config.error().to_string();
    EXPECT_EQ(config->default_channels, std::vector<std::string>{"mail"});
    EXPECT_EQ(config->failure_channel, "teams");
    ASSERT_EQ(config->channels.size(), 2u);
    const auto& mail = config->channels[0].name == "mail" ? config->channels[0] : config->channels[1];
    const auto& teams = config->channels[0].name == "mail" ? config->channels[1] : config->channels[0];
    EXPECT_EQ(mail.plugin, "smtp");
    EXPECT_EQ(mail.rate_per_minute, 30);
    EXPECT_EQ(mail.settings.at("port"), "2525");
    EXPECT_EQ(mail.settings.count("plugin"), 0u);
    EXPECT_EQ(teams.settings.at("secrets"), "whsec_a,whsec_b");
}

// A channel named but never declared, or a channel without a plugin, is an error with its line.
TEST(NotifyConfig, UnknownChannelsAreErrors) {
    auto unknown = parse_config(std::string(kBase) + "[notify]\nchannels = [\"mail\"]\n",
                                "/etc/aarshjul/aarshjul.toml");
    ASSERT_FALSE(unknown.ok());
    EXPECT_NE(unknown.error().to_string().find("/etc/aarshjul/aarshjul.toml:3:"),
              std::string::npos)
        << unknown.error().to_string();
    EXPECT_NE(unknown.error().message.find("unknown channel 'mail'"), std::string::npos);

    auto no_plugin = parse_config(std::string(kBase) + "[channel.mail]\nhost = \"x\"\n",
                                  "/etc/aarshjul/aarshjul.toml");
    ASSERT_FALSE(no_plugin.ok());
    EXPECT_NE(no_plugin.error().message.find("plugin"), std::string::npos)
        << no_plugin.error().message;
}

} // namespace
} // namespace aarshjul

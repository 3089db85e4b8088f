// SPDX-License-Identifier: MPL-2.0
#include "notify/plugin_loader.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <string>
#include <vector>

namespace aarshjul {
namespace {

const std::filesystem::path k_plugins = AARSHJUL_BINARY_DIR "/plugins";
const std::filesystem::path k_bad_plugins = AARSHJUL_BINARY_DIR "/plugins-test";

struct Logged {
    PluginLogLevel level;
    std::string message;
};

Notice sample_notice() {
    Notice n;
    n.key = "risk-review:economy:2025-03-01:reminder:log:alice";
    n.kind = "reminder";
    n.channel = "log";
    n.recipient = "alice";
    n.name = "Alice Ærø";
    n.address = "alice@example.org";
    n.subject = "Risikovurdering forfalder";
    n.body = "Hej\nlinje 2";
    return n;
}

// A missing plugin file is reported with its path.
TEST(PluginLoader, MissingFileIsAClearError) {
    auto loaded = load_plugin(k_plugins / "aarshjul-nonexistent.so", {});
    ASSERT_FALSE(loaded.ok());
    EXPECT_NE(loaded.error().to_string().find("aarshjul-nonexistent.so"), std::string::npos);
    EXPECT_NE(loaded.error().message.find("not found"), std::string::npos);
}

// A shared object without the entry point is refused, naming the missing symbol.
TEST(PluginLoader, MissingEntryPointIsAClearError) {
    auto loaded = load_plugin(k_bad_plugins / "no_entry.so", {});
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.error().file, (k_bad_plugins / "no_entry.so").string());
    EXPECT_NE(loaded.error().message.find("aarshjul_plugin_entry"), std::string::npos)
        << loaded.error().message;
}

// A plugin built for another ABI version is refused, naming found and expected versions.
TEST(PluginLoader, WrongAbiVersionIsRefused) {
    auto loaded = load_plugin(k_bad_plugins / "bad_version.so", {});
    ASSERT_FALSE(loaded.ok());
    const auto& message = loaded.error().message;
    EXPECT_NE(message.find("version 99"), std::string::npos) << message;
    EXPECT_NE(message.find("expected " + std::string("2")), std::string::npos) << message;
    EXPECT_EQ(loaded.error().file, (k_bad_plugins / "bad_version.so").string());
}

// A file that is not a shared object at all is refused with the loader's reason.
TEST(PluginLoader, NonLibraryFileIsRefused) {
    auto loaded = load_plugin(AARSHJUL_TEST_DATA "/plugins/bad_version.c", {});
    ASSERT_FALSE(loaded.ok());
    EXPECT_NE(loaded.error().message.find("cannot load plugin"), std::string::npos)
        << loaded.error().message;
}

// When create() refuses, its own reason (which saw the configuration) is passed on.
TEST(PluginLoader, CreateFailureCarriesThePluginsReason) {
    auto loaded = load_plugin(k_bad_plugins / "failing_create.so", {{"a", "1"}, {"b.c", "2"}});
    ASSERT_FALSE(loaded.ok());
    EXPECT_NE(loaded.error().message.find("create failed: refusing with 2 config entries"),
              std::string::npos)
        << loaded.error().message;
}

// The log plugin writes one line per notice through the logger it was given.
TEST(PluginLoader, LogPluginWritesOneLinePerNotice) {
    std::vector<Logged> lines;
    auto loaded = load_plugin(k_plugins / "aarshjul-log.so", {{"level", "warn"}},
                              [&](PluginLogLevel level, std::string_view message) {
                                  lines.push_back({level, std::string(message)});
                              });
    ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
    auto& notifier = *loaded.value();
    EXPECT_EQ(notifier.name(), "log");

    auto result = notifier.send(sample_notice());
    EXPECT_EQ(result.outcome, SendOutcome::Sent);
    EXPECT_TRUE(result.error.empty());
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].level, PluginLogLevel::Warn);
    EXPECT_EQ(lines[0].message, "notice risk-review:economy:2025-03-01:reminder:log:alice "
                                "(reminder) to Alice Ærø <alice@example.org>: Risikovurdering "
                                "forfalder");
}

// A bad option of the log plugin is refused at create with the plugin's message.
TEST(PluginLoader, LogPluginRefusesUnknownLevel) {
    auto loaded = load_plugin(k_plugins / "aarshjul-log.so", {{"level", "loud"}});
    ASSERT_FALSE(loaded.ok());
    EXPECT_NE(loaded.error().message.find("level must be"), std::string::npos);
}

// The "channel" key names the notifier, so one plugin can serve several channels.
TEST(PluginLoader, ChannelKeyNamesTheNotifier) {
    auto loaded = load_plugin(k_plugins / "aarshjul-log.so", {{"channel", "trial"}},
                              [](PluginLogLevel, std::string_view) {});
    ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
    EXPECT_EQ(loaded.value()->name(), "trial");
}

// Two instances of one plugin are independent; destroying one leaves the other working.
TEST(PluginLoader, InstancesOutliveEachOther) {
    int first_lines = 0;
    int second_lines = 0;
    auto first = load_plugin(k_plugins / "aarshjul-log.so", {},
                             [&](PluginLogLevel, std::string_view) { ++first_lines; });
    auto second = load_plugin(k_plugins / "aarshjul-log.so", {},
                              [&](PluginLogLevel, std::string_view) { ++second_lines; });
    ASSERT_TRUE(first.ok() && second.ok());
    std::unique_ptr<Notifier> survivor = std::move(second.value());
    first.value().reset();
    EXPECT_EQ(survivor->send(sample_notice()).outcome, SendOutcome::Sent);
    EXPECT_EQ(first_lines, 0);
    EXPECT_EQ(second_lines, 1);
}

} // namespace
} // namespace aarshjul

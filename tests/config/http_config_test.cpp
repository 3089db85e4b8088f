// SPDX-License-Identifier: MPL-2.0
#include "config/config.h"

#include <gtest/gtest.h>
#include <string>

namespace aarshjul {
namespace {

const std::filesystem::path kFile = "config/aarshjul.toml";
const std::string kHash(64, 'a');

// Without an [http] section the limits are those of shared/DESIGN.md and no token exists.
TEST(HttpConfig, DefaultsAreTheDesignLimits) {
    auto config = parse_config("[organisation]\nname = \"E\"\n", kFile);
    ASSERT_TRUE(config.ok()) << config.error().to_string();
    EXPECT_EQ(config->listen, "127.0.0.1:8080");
    EXPECT_EQ(config->http_body_limit, 16 * 1024);
    EXPECT_EQ(config->http_header_limit, 8 * 1024);
    EXPECT_EQ(config->http_header_timeout, 10);
    EXPECT_EQ(config->http_idle_timeout, 5);
    EXPECT_EQ(config->http_max_connections, 64);
    EXPECT_EQ(config->http_max_connections_per_address, 16);
    EXPECT_EQ(config->http_auth_failures, 5);
    EXPECT_EQ(config->http_auth_block_seconds, 60);
    EXPECT_EQ(config->http_shutdown_grace, 10);
    EXPECT_TRUE(config->http_tokens.empty());
}

// Tokens and limits are read with their values.
TEST(HttpConfig, TokensAndLimits) {
    auto config = parse_config("[organisation]\nname = \"E\"\n"
                               "[http]\nbody_limit = 32768\nheader_timeout = 3\n"
                               "max_connections = 8\nauth_failures = 3\n"
                               "[[http.tokens]]\nname = \"isu\"\nrole = \"viewer\"\nsha256 = \"" +
                                   kHash +
                                   "\"\n"
                                   "[[http.tokens]]\nname = \"anna\"\nrole = \"coordinator\"\n"
                                   "person = \"anna.jensen\"\nsha256 = \"" +
                                   std::string(64, 'b') + "\"\n",
                               kFile);
    ASSERT_TRUE(config.ok()) << config.error().to_string();
    EXPECT_EQ(config->http_body_limit, 32768);
    EXPECT_EQ(config->http_header_timeout, 3);
    EXPECT_EQ(config->http_max_connections, 8);
    EXPECT_EQ(config->http_auth_failures, 3);
    ASSERT_EQ(config->http_tokens.size(), 2u);
    EXPECT_EQ(config->http_tokens[0].name, "isu");
    EXPECT_EQ(config->http_tokens[0].role, "viewer");
    EXPECT_EQ(config->http_tokens[0].sha256, kHash);
    EXPECT_EQ(config->http_tokens[1].person, "anna.jensen");
}

// The per-address cap is read; left out, it is at most the global cap.
TEST(HttpConfig, PerAddressCapIsAtMostTheGlobalCap) {
    const std::string head = "[organisation]\nname = \"E\"\n[http]\n";
    auto set =
        parse_config(head + "max_connections = 200\nmax_connections_per_address = 40\n", kFile);
    ASSERT_TRUE(set.ok()) << set.error().to_string();
    EXPECT_EQ(set->http_max_connections, 200);
    EXPECT_EQ(set->http_max_connections_per_address, 40);
    auto small = parse_config(head + "max_connections = 8\n", kFile);
    ASSERT_TRUE(small.ok()) << small.error().to_string();
    EXPECT_EQ(small->http_max_connections_per_address, 8);
}

struct Case {
    const char* name;
    std::string text;
    const char* expected;
};

// Bad tokens and limits are refused with file, line and key.
TEST(HttpConfig, ErrorsNameFileLineAndKey) {
    const std::string head = "[organisation]\nname = \"E\"\n";
    const Case cases[] = {
        {.name = "unknown role",
         .text =
             head + "[[http.tokens]]\nname = \"x\"\nrole = \"boss\"\nsha256 = \"" + kHash + "\"\n",
         .expected = "config/aarshjul.toml:5: key 'http.tokens.role' must be viewer, owner, "
                     "coordinator or admin (is 'boss')"},
        {.name = "plain token instead of a hash",
         .text = head + "[[http.tokens]]\nname = \"x\"\nrole = \"admin\"\nsha256 = \"secret\"\n",
         .expected = "config/aarshjul.toml:6: key 'http.tokens.sha256' must be 64 lower-case hex "
                     "digits (the SHA-256 of the token, e.g. from `printf %s TOKEN | sha256sum`)"},
        {.name = "missing hash",
         .text = head + "[[http.tokens]]\nname = \"x\"\nrole = \"admin\"\n",
         .expected = "config/aarshjul.toml:3: missing required key 'http.tokens.sha256'"},
        {.name = "duplicate name",
         .text = head + "[[http.tokens]]\nname = \"x\"\nrole = \"admin\"\nsha256 = \"" + kHash +
                 "\"\n[[http.tokens]]\nname = \"x\"\nrole = \"viewer\"\nsha256 = \"" + kHash +
                 "\"\n",
         .expected = "config/aarshjul.toml:8: key 'http.tokens.name': duplicate token name 'x'"},
        {.name = "unknown token key",
         .text = head + "[[http.tokens]]\nname = \"x\"\nrole = \"admin\"\nsha256 = \"" + kHash +
                 "\"\ntoken = \"plain\"\n",
         .expected = "config/aarshjul.toml:7: unknown key 'http.tokens.token'"},
        {.name = "body limit too small",
         .text = head + "[http]\nbody_limit = 10\n",
         .expected = "config/aarshjul.toml:4: key 'http.body_limit' must be between 1024 and "
                     "16777216 (is 10)"},
        {.name = "no connections",
         .text = head + "[http]\nmax_connections = 0\n",
         .expected = "config/aarshjul.toml:4: key 'http.max_connections' must be between 1 and "
                     "100000 (is 0)"},
        {.name = "no connections per address",
         .text = head + "[http]\nmax_connections_per_address = 0\n",
         .expected = "config/aarshjul.toml:4: key 'http.max_connections_per_address' must be "
                     "between 1 and 100000 (is 0)"},
        {.name = "per-address cap not an integer",
         .text = head + "[http]\nmax_connections_per_address = \"16\"\n",
         .expected = "config/aarshjul.toml:4: key 'http.max_connections_per_address' must be an "
                     "integer"},
        {.name = "per-address cap above the global cap",
         .text = head + "[http]\nmax_connections = 32\nmax_connections_per_address = 33\n",
         .expected = "config/aarshjul.toml:5: key 'http.max_connections_per_address' must not "
                     "exceed 'http.max_connections' (is 33, 32)"},
    };
    for (const auto& c : cases) {
        auto config = parse_config(c.text, kFile);
        ASSERT_FALSE(config.ok()) << c.name;
        const std::string message = config.error().to_string();
        EXPECT_EQ(message.substr(0, message.find('\n')), c.expected) << c.name;
    }
}

} // namespace
} // namespace aarshjul

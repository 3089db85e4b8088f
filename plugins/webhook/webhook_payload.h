// SPDX-License-Identifier: MPL-2.0
#pragma once
// Payloads and signatures for the webhook plugin: the JSON body per format
// and Standard Webhooks signing (HMAC-SHA256 over "id.timestamp.body").
// Pure functions; thread-safe.

#include "aarshjul_plugin.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aarshjul_webhook {

// Teams is an Adaptive Card for Teams Workflows webhooks; TeamsConnector the
// Office 365 connector MessageCard (teams_card.h).
enum class Format { Generic, Teams, TeamsConnector, Slack };

// The names `format` accepts, for error messages: "generic, teams, teams-connector or slack".
inline constexpr const char* k_format_names = "generic, teams, teams-connector or slack";

// "generic", "teams", "teams-connector", "slack" or "mattermost" (Slack's format).
std::optional<Format> parse_format(std::string_view text);

// The JSON body for `notice` in `format`; `timestamp` is unix seconds.
std::string payload(Format format, const aarshjul_notice& notice, std::int64_t timestamp);

// Decodes "whsec_<base64>" secrets from a comma-separated list; nullopt (and
// `error` set) when one is malformed. The error never contains a secret.
std::optional<std::vector<std::string>> parse_secrets(std::string_view list, std::string& error);

// The webhook-signature header value: "v1,<base64>" per secret, space-separated.
std::string signature(const std::vector<std::string>& secrets, std::string_view id,
                      std::int64_t timestamp, std::string_view body);

} // namespace aarshjul_webhook

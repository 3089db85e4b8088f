// SPDX-License-Identifier: MPL-2.0
#pragma once
// The two Microsoft Teams payloads of the webhook plugin:
//
// - an Adaptive Card (version 1.4) in the message envelope a Teams Workflows
//   webhook ("When a Teams webhook request is received") accepts, format
//   "teams": the subject as a heading, then per task its title, system, due
//   date (overdue marked) and an Action.OpenUrl to its one-click completion
//   page;
// - the Office 365 connector MessageCard, format "teams-connector", for
//   incoming-webhook connectors still running.
//
// Both read the tasks from the notice's facts_json. Pure functions;
// thread-safe.

#include "aarshjul_plugin.h"

#include <boost/json/object.hpp>

namespace aarshjul_webhook {

// At most this many tasks are shown on one card (Teams refuses cards over
// about 28 KB); the card then says how many more there are.
inline constexpr std::size_t k_max_card_tasks = 20;

// {"type": "message", "attachments": [{"contentType":
// "application/vnd.microsoft.card.adaptive", "contentUrl": null, "content": card}]}
boost::json::object teams_adaptive_card(const aarshjul_notice& notice);

// {"@type": "MessageCard", ...} with an OpenUri button per one-click link.
boost::json::object teams_message_card(const aarshjul_notice& notice);

} // namespace aarshjul_webhook

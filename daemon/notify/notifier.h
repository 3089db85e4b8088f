// SPDX-License-Identifier: MPL-2.0
#pragma once
// Notifier: one delivery channel (log, smtp, webhook, ...).
//
// The dispatcher hands a notifier one notice at a time and records the
// outcome in the outbox. A notifier never decides whether to retry: it reports
// a temporary or a permanent failure and the dispatcher acts on it.
// Thread rules: `send` is called from the dispatcher's thread only.

#include "util/result.h"

#include <chrono>
#include <cstdint>
#include <string>

namespace aarshjul {

struct Notice {
    std::int64_t outbox_id = 0;
    std::string key;       // the outbox key: stable across retries (Message-ID, webhook-id)
    std::string kind;      // reminder, due, overdue, escalation, digest
    std::string channel;   // the notifier's name
    std::string recipient; // person id
    std::string name;      // the person's name, from the directory
    std::string address;   // e-mail address or endpoint, from the directory/config
    std::string subject;
    std::string body;
    std::string html_body;    // the HTML alternative of body; "" lets the plugin derive one
    std::string facts = "{}"; // JSON object: the facts behind the text (see aarshjul_plugin.h)
};

enum class SendOutcome { Sent, TemporaryFailure, PermanentFailure };

struct SendResult {
    SendOutcome outcome = SendOutcome::Sent;
    std::string error;                   // empty when sent
    std::chrono::seconds retry_after{0}; // a receiver's Retry-After; 0 = use back-off
};

class Notifier {
public:
    virtual ~Notifier() = default;
    virtual std::string_view name() const = 0;
    virtual SendResult send(const Notice& notice) = 0;
};

} // namespace aarshjul

#pragma once
// Writing one notice into the outbox (table outbox), for notices that are not
// a task's reminder: the sign-in mail. The dispatcher delivers it like any
// other row: durable, retried, with the row's key as Message-ID/webhook-id.
//
// Thread rules: a plain function on a Database connection.

#include "store/database.h"
#include "util/result.h"

#include <cstdint>
#include <optional>
#include <string>

namespace aarshjul {

struct OutboxNotice {
    std::string key; // unique; a second enqueue of the same key adds nothing
    std::optional<std::int64_t> task_id;
    std::string kind; // e.g. "signin"
    std::string channel;
    std::string recipient; // person id
    std::string subject;
    std::string body;
    std::optional<std::string> html_body;
    std::string facts_json = "{}";
    std::int64_t created_at = 0; // unix seconds; also the first attempt
};

// True when the row was added, false when its key was there already.
Result<bool> enqueue_notice(Database& db, const OutboxNotice& notice);

} // namespace aarshjul

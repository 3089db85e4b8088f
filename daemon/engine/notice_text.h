// SPDX-License-Identifier: MPL-2.0
#pragma once
// What a notice says, as template values: the facts of a task turned into the
// variables of the reminder, escalation and digest templates, in the
// recipient's language (dates as people write them: "27. november 2026",
// "27 November 2026").

#include "engine/task_timing.h"
#include "model/workflow.h"
#include "notify/templates.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aarshjul {

class Zone;

struct NoticeFacts {
    std::int64_t task_id = 0;
    std::string task_key;
    std::string title;
    std::string title_en;
    LocalDate due;
    std::optional<Instant> due_at; // hour-based deadlines
    std::string system;            // the system's name, "" when the task has none
    ReminderSlot slot{};
    int merged = 1;          // how many reminder slots this notice stands for (catch-up)
    int escalation_rung = 0; // > 0: an escalation to someone other than the assignee
    std::string assignee;    // who the task is with (person id)
    std::string assignee_name;
    const WorkflowDef* workflow = nullptr;
};

// Who a notice is for.
struct NoticeRecipient {
    std::string id;
    std::string name;
    std::string language = "da";
};

// Formats a day ("27. november 2026" / "27 November 2026").
std::string format_day(LocalDate day, std::string_view language);

// The signed links a notice carries for its recipient ("" = none: no public
// URL, or a committee's channel) and the day they stop working.
struct RecipientLinks {
    std::string complete; // the task's one-click link
    std::string my_tasks; // the recipient's "Mine opgaver" page
    std::optional<LocalDate> expires;
};

// The values of one task's notice.
TemplateData notice_data(const NoticeFacts& facts, const NoticeRecipient& to, const Zone& zone,
                         const std::string& organisation, const RecipientLinks& links);

// The values every notice to `to` has, task or digest: organisation,
// recipient, recipient_name, my_tasks_link and my_tasks_link_expires.
void add_recipient_data(TemplateData& data, const NoticeRecipient& to,
                        const std::string& organisation, const RecipientLinks& links);

// Links a notice carries: the one-click completion and the task in the API.
struct NoticeLinks {
    std::string complete;
    std::string task;
};

// The facts of one or more notices (a digest) as the JSON object plugins get
// in aarshjul_notice.facts_json, with the recipient's language and each due
// date also written out in it (as the templates' `due`).
std::string facts_json(const std::vector<std::pair<const NoticeFacts*, NoticeLinks>>& items,
                       const NoticeRecipient& to, const Zone& zone);

} // namespace aarshjul

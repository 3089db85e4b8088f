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

// The values of one task's notice; `link` is its one-click link ("" = none).
TemplateData notice_data(const NoticeFacts& facts, const NoticeRecipient& to, const Zone& zone,
                         const std::string& organisation, const std::string& link,
                         std::optional<LocalDate> link_expires);

// Links a notice carries: the one-click completion and the task in the API.
struct NoticeLinks {
    std::string complete;
    std::string task;
};

// The facts of one or more notices (a digest) as the JSON object plugins get
// in aarshjul_notice.facts_json.
std::string facts_json(const std::vector<std::pair<const NoticeFacts*, NoticeLinks>>& items,
                       const Zone& zone);

} // namespace aarshjul

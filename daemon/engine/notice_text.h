#pragma once
// The subject and body of a notice. Plain text, Danish first and English
// below; notifier plugins may render their own formats from these.

#include "engine/task_timing.h"
#include "model/workflow.h"

#include <string>
#include <vector>

namespace aarshjul {

struct NoticeText {
    std::string subject;
    std::string body;
};

struct NoticeFacts {
    std::int64_t task_id = 0;
    std::string title;
    std::string title_en;
    LocalDate due;
    std::string due_text; // the due date, or the deadline instant with its offset
    ReminderSlot slot{};
    int merged = 1;          // how many reminder slots this notice stands for (catch-up)
    int escalation_rung = 0; // > 0: an escalation to someone other than the assignee
    std::string assignee;    // for escalations: who has not done it
    const WorkflowDef* workflow = nullptr;
};

NoticeText compose_notice(const NoticeFacts& facts);

// One notice for a person that lists several (the daily digest).
NoticeText compose_digest(const std::vector<NoticeText>& parts, const std::string& person_name);

} // namespace aarshjul

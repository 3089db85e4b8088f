#pragma once
// The subject and body of a reminder. Plain text, Danish first and English
// below; the notifier plugins of a later stage render their own formats.

#include "engine/task_timing.h"
#include "model/workflow.h"

#include <string>

namespace aarshjul {

struct NoticeText {
    std::string subject;
    std::string body;
};

struct NoticeFacts {
    std::int64_t task_id = 0;
    std::string title;
    std::string title_en;
    std::string system_name; // "" when the task is not about one system
    LocalDate due;
    ReminderSlot slot;
    int merged = 1; // how many reminder slots this notice stands for (catch-up)
    const WorkflowDef* workflow = nullptr;
};

NoticeText compose_notice(const NoticeFacts& facts);

} // namespace aarshjul

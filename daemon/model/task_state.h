// SPDX-License-Identifier: MPL-2.0
#pragma once
// TaskState: where a task is in its life cycle (scheduled → open → due →
// overdue → escalated, ending done, waived or cancelled), and its stored name.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace aarshjul {

enum class TaskState { Scheduled, Open, Due, Overdue, Escalated, Done, Waived, Cancelled };

inline constexpr std::array<std::string_view, 8> kTaskStateNames{
    "scheduled", "open", "due", "overdue", "escalated", "done", "waived", "cancelled"};

inline std::string_view to_string(TaskState state) {
    return kTaskStateNames[static_cast<std::size_t>(state)];
}

inline std::optional<TaskState> task_state_from_string(std::string_view text) {
    for (std::size_t i = 0; i < kTaskStateNames.size(); ++i)
        if (kTaskStateNames[i] == text)
            return static_cast<TaskState>(i);
    return std::nullopt;
}

inline bool is_terminal(TaskState state) {
    return state == TaskState::Done || state == TaskState::Waived || state == TaskState::Cancelled;
}

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#include "app/wheel.h"

#include <algorithm>
#include <fmt/format.h>
#include <map>

namespace aarshjul {

std::optional<MarkState> standing_of(TaskState state, std::string_view due_date,
                                     std::string_view due_soon_until) {
    switch (state) {
    case TaskState::Scheduled:
    case TaskState::Open:
    case TaskState::Due:
        // Dates are YYYY-MM-DD, so text order is date order (as in the SQL).
        return due_date <= due_soon_until ? MarkState::DueSoon : MarkState::OnTrack;
    case TaskState::Overdue:
    case TaskState::Escalated:
        return MarkState::Overdue;
    case TaskState::Done:
        return MarkState::Done;
    case TaskState::Waived:
        return MarkState::Waived;
    case TaskState::Cancelled:
        return std::nullopt;
    }
    return std::nullopt;
}

std::vector<WorkflowGroup> wheel_rings(const std::vector<WorkflowDef>& workflows,
                                       bool other_needed) {
    std::vector<WorkflowGroup> rings{WorkflowGroup::Committee, WorkflowGroup::Risk,
                                     WorkflowGroup::DataProtection, WorkflowGroup::Incidents,
                                     WorkflowGroup::Technical};
    if (other_needed || std::any_of(workflows.begin(), workflows.end(), [](const WorkflowDef& w) {
            return w.group == WorkflowGroup::Other;
        }))
        rings.push_back(WorkflowGroup::Other);
    return rings;
}

int wheel_year_of(LocalDate today, unsigned first_month) {
    const date::year_month_day day{today};
    const int year = static_cast<int>(day.year());
    return static_cast<unsigned>(day.month()) < first_month ? year - 1 : year;
}

std::string wheel_heading(const WheelRequest& request, std::string_view organisation) {
    std::string heading =
        fmt::format("{} {}", request.language == "en" ? "Annual cycle" : "Årshjul", request.year);
    if (request.first_month != 1)
        heading += fmt::format("/{:02}", (request.year + 1) % 100);
    if (!organisation.empty())
        heading += fmt::format(" – {}", organisation);
    return heading;
}

TaskFilter year_task_filter(const WheelYear& year, const std::string& person) {
    TaskFilter filter;
    for (TaskState s : {TaskState::Scheduled, TaskState::Open, TaskState::Due, TaskState::Overdue,
                        TaskState::Escalated, TaskState::Done, TaskState::Waived})
        filter.states.emplace_back(to_string(s));
    filter.assignee = person;
    filter.due_from = format_local_date(year.first);
    filter.due_to = format_local_date(year.end - date::days{1});
    filter.limit = -1; // every one: a year of a region is some tens of thousands
    return filter;
}

Result<WheelInput> read_wheel(ReadQueries& queries, const std::vector<WorkflowDef>& workflows,
                              const Zone& zone, Instant now, const WheelRequest& request) {
    AARSHJUL_TRY_ASSIGN(const WheelYear year, WheelYear::of(request.year, request.first_month));
    const LocalDate today = zone.local_date(now);
    const std::string soon_end = format_local_date(today + date::days{request.due_soon_days});
    std::map<std::string, WorkflowGroup, std::less<>> group_of;
    for (const auto& w : workflows)
        group_of.emplace(w.id, w.group);

    AARSHJUL_TRY_ASSIGN(auto page, queries.list_tasks(year_task_filter(year, request.person)));

    WheelInput input;
    input.year = request.year;
    input.first_month = request.first_month;
    input.today = today;
    input.language = request.language;
    input.heading = request.heading;
    bool other = false;
    for (const TaskRow& task : page.tasks) {
        const auto state = standing_of(task.state, task.due_date, soon_end);
        const auto due = parse_local_date(task.due_date);
        if (!state || !due)
            continue;
        auto known = group_of.find(task.workflow_id);
        const WorkflowGroup group = known == group_of.end() ? WorkflowGroup::Other : known->second;
        if (request.group && group != *request.group)
            continue;
        other = other || group == WorkflowGroup::Other;
        input.marks.push_back(WheelMark{
            .task_id = task.id,
            .workflow_id = task.workflow_id,
            .title =
                request.language == "en" && !task.title_en.empty() ? task.title_en : task.title,
            .title_en = task.title_en.empty() ? task.title : task.title_en,
            .entity = task.entity_id,
            .group = group,
            .due = *due,
            .state = *state,
            .link = request.links ? "/tasks/" + std::to_string(task.id) : std::string(),
        });
    }
    if (request.group)
        input.groups = {*request.group};
    else
        input.groups = wheel_rings(workflows, other);
    return input;
}

} // namespace aarshjul

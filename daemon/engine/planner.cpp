#include "engine/planner.h"

#include "schedule/recurrence.h"

#include <algorithm>
#include <tuple>

namespace aarshjul {

std::string occurrence_key(std::string_view workflow_id, std::string_view entity_id,
                           LocalDate nominal) {
    std::string key;
    key.reserve(workflow_id.size() + entity_id.size() + 12);
    key.append(workflow_id).append("|").append(entity_id).append("|");
    key.append(format_local_date(nominal));
    return key;
}

Result<std::string> resolve_assignee(const WorkflowDef& workflow, const Directory& directory,
                                     const System* system) {
    const auto& ref = workflow.assignee;
    if (ref.kind == AssigneeRef::Kind::Person) {
        if (!directory.find_person(ref.id))
            return Error::at(workflow.file, workflow.line,
                             "workflow " + workflow.id + ": unknown person '" + ref.id + "'");
        return ref.id;
    }
    if (ref.id == kRoleSystemOwner || ref.id == kRoleSystemResponsible) {
        if (!system)
            return Error::at(workflow.file, workflow.line,
                             "workflow " + workflow.id + ": role '" + ref.id +
                                 "' needs for_each = systems {}");
        return ref.id == kRoleSystemOwner ? system->owner : system->responsible;
    }
    auto holders = directory.people_with_role(ref.id);
    if (holders.empty())
        return Error::at(workflow.file, workflow.line,
                         "workflow " + workflow.id + ": nobody in " + directory.file +
                             " has the role '" + ref.id + "'");
    return holders.front()->id;
}

namespace {

bool system_selected(const ForEach& for_each, const System& system) {
    return for_each.criticality.empty() ||
           std::find(for_each.criticality.begin(), for_each.criticality.end(),
                     system.criticality) != for_each.criticality.end();
}

PlannedTask make_task(const WorkflowDef& wf, const System* system, LocalDate nominal,
                      std::string assignee) {
    PlannedTask task;
    task.workflow = &wf;
    task.entity_id = system ? system->id : "";
    task.occurrence_key = occurrence_key(wf.id, task.entity_id, nominal);
    task.nominal = nominal;
    task.start = nominal;
    task.due = nominal + date::days{wf.due_days};
    task.title = wf.title.in("da");
    task.title_en = wf.title.in("en");
    if (system) {
        task.title += ": " + system->name;
        task.title_en += ": " + system->name;
    }
    task.assignee = std::move(assignee);
    return task;
}

} // namespace

Result<void> plan_workflow(const WorkflowDef& wf, const Directory& directory, LocalDate from,
                           LocalDate to, std::vector<PlannedTask>& out) {
    auto dates = expand_dates(wf.schedule, from, to);
    if (!dates.ok()) {
        Error e = dates.take_error();
        return Error::at(wf.file, wf.line, "workflow " + wf.id + ": " + e.message);
    }
    if (wf.for_each.kind == ForEach::Kind::Once) {
        AARSHJUL_TRY_ASSIGN(auto assignee, resolve_assignee(wf, directory, nullptr));
        for (auto day : dates.value())
            out.push_back(make_task(wf, nullptr, day, assignee));
        return {};
    }
    for (const auto& system : directory.systems) {
        if (!system_selected(wf.for_each, system))
            continue;
        AARSHJUL_TRY_ASSIGN(auto assignee, resolve_assignee(wf, directory, &system));
        for (auto day : dates.value())
            out.push_back(make_task(wf, &system, day, assignee));
    }
    return {};
}

Result<std::vector<PlannedTask>> plan_tasks(const std::vector<WorkflowDef>& workflows,
                                            const Directory& directory, LocalDate from,
                                            LocalDate to) {
    std::vector<PlannedTask> tasks;
    for (const auto& wf : workflows)
        AARSHJUL_TRY(plan_workflow(wf, directory, from, to, tasks));
    std::stable_sort(tasks.begin(), tasks.end(), [](const PlannedTask& a, const PlannedTask& b) {
        return std::tie(a.start, a.workflow->id, a.entity_id) <
               std::tie(b.start, b.workflow->id, b.entity_id);
    });
    return tasks;
}

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#include "app/year_export.h"

#include "app/wheel.h"

#include <array>
#include <fmt/format.h>
#include <map>

namespace aarshjul {

namespace {

// The name of a system or processor `id`, or "" when the directory has none.
std::string entity_name(const Directory& directory, const std::string& id) {
    if (id.empty())
        return {};
    if (const System* system = directory.find_system(id))
        return system->name;
    for (const Processor& processor : directory.processors)
        if (processor.id == id)
            return processor.name;
    return {};
}

// A person's name, or their id when the directory does not know them.
std::string person_name(const Directory& directory, const std::string& id) {
    const Person* person = directory.find_person(id);
    return person ? person->name : id;
}

Moment moment_of(const Zone& zone, Instant at) {
    return Moment{.local = zone.to_local(at), .iso = zone.format_iso(at)};
}

} // namespace

std::string_view task_state_label(TaskState state, std::string_view language) {
    // The words of the pages (daemon/http/pages/strings.toml, state_*).
    static constexpr std::array<std::string_view, 8> da{
        "planlagt",  "åben",   "frist i dag", "overskredet",
        "eskaleret", "udført", "fritaget",    "trukket tilbage"};
    static constexpr std::array<std::string_view, 8> en{
        "scheduled", "open", "due today", "overdue", "escalated", "done", "waived", "withdrawn"};
    const auto i = static_cast<std::size_t>(state);
    return language == "da" ? da[i] : en[i];
}

Result<YearSheet> read_year_sheet(ReadQueries& queries, const YearExportContext& context,
                                  const YearExportRequest& request) {
    if (request.language != "da" && request.language != "en")
        return make_error(ErrorKind::Invalid, "language must be da or en", "language");
    auto year = WheelYear::of(request.year, 1);
    if (!year.ok())
        return make_error(ErrorKind::Invalid, "year must be a year from 1970 to 9999", "year");
    std::map<std::string, const WorkflowDef*, std::less<>> workflow_of;
    for (const auto& w : context.workflows)
        workflow_of.emplace(w.id, &w);
    AARSHJUL_TRY_ASSIGN(const TaskPage page,
                        queries.list_tasks(year_task_filter(*year, request.person)));

    const std::string& language = request.language;
    YearSheet sheet;
    sheet.organisation = context.organisation;
    sheet.year = request.year;
    sheet.language = language;
    sheet.generated_at = moment_of(context.zone, context.now);
    sheet.time_zone = context.zone.name();
    if (request.group)
        sheet.group = std::string(group_label(*request.group, language));
    if (!request.person.empty())
        sheet.person =
            fmt::format("{} ({})", person_name(context.directory, request.person), request.person);
    std::string base = request.public_url;
    while (base.ends_with('/'))
        base.pop_back();
    sheet.links = !base.empty();

    for (const TaskRow& task : page.tasks) {
        const auto due = parse_local_date(task.due_date);
        if (!due)
            continue; // never stored so; a row without its date would sort nowhere
        auto known = workflow_of.find(task.workflow_id);
        const WorkflowDef* workflow = known == workflow_of.end() ? nullptr : known->second;
        const WorkflowGroup group = workflow ? workflow->group : WorkflowGroup::Other;
        if (request.group && group != *request.group)
            continue;
        const std::string& title =
            language == "en" && !task.title_en.empty() ? task.title_en : task.title;
        YearRow row;
        row.task_id = task.id;
        row.control = task.workflow_id;
        row.control_title = workflow ? workflow->title.in(language) : title;
        row.title = title;
        row.group = std::string(group_label(group, language));
        row.system = task.entity_id;
        row.system_name = entity_name(context.directory, task.entity_id);
        row.responsible = person_name(context.directory, task.assignee);
        row.responsible_id = task.assignee;
        row.due = *due;
        row.state = std::string(task_state_label(task.state, language));
        if (task.completed_at)
            row.completed_at = moment_of(context.zone, from_unix(*task.completed_at));
        if (task.completed_by) {
            row.completed_by = person_name(context.directory, *task.completed_by);
            row.completed_by_id = *task.completed_by;
        }
        if (task.outcome) {
            const OutcomeDef* outcome = workflow ? workflow->find_outcome(*task.outcome) : nullptr;
            row.outcome = outcome ? outcome->label.in(language) : *task.outcome;
        }
        row.evidence = task.evidence.value_or("");
        // A waiver's note is its reason (the API's and the pages' "reason").
        (task.state == TaskState::Waived ? row.waived_reason : row.note) = task.note.value_or("");
        if (sheet.links)
            row.link = base + "/tasks/" + std::to_string(task.id);
        sheet.rows.push_back(std::move(row));
    }
    return sheet;
}

} // namespace aarshjul

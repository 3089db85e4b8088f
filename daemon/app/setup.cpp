#include "app/setup.h"

#include "directory/directory_loader.h"
#include "lua/hook_runner.h"
#include "lua/workflow_loader.h"
#include "schedule/recurrence.h"

namespace aarshjul {

std::vector<Error> validate_workflows(const std::vector<WorkflowDef>& workflows,
                                      const Directory& directory) {
    std::vector<Error> errors;
    auto fail = [&](const WorkflowDef& wf, std::string message) {
        errors.push_back(Error::at(wf.file, wf.line, "workflow " + wf.id + ": " + message));
    };
    for (const auto& wf : workflows) {
        const auto& who = wf.assignee;
        if (who.kind == AssigneeRef::Kind::Person) {
            if (!directory.find_person(who.id))
                fail(wf, "unknown person '" + who.id + "' (not in " + directory.file + ")");
        } else if (!directory.role_exists(who.id)) {
            fail(wf, "unknown role '" + who.id + "': nobody in " + directory.file + " has it");
        } else if ((who.id == kRoleSystemOwner || who.id == kRoleSystemResponsible) &&
                   wf.for_each.kind != ForEach::Kind::Systems) {
            fail(wf, "role '" + who.id + "' is resolved per system: add for_each = systems {}");
        }
        for (const auto& c : wf.for_each.criticality)
            if (c != "low" && c != "medium" && c != "high")
                fail(wf, "unknown criticality '" + c + "' (low, medium or high)");
        if (wf.due_days < 0)
            fail(wf, "due must not be negative");
        if (auto ok = validate_recurrence(wf.schedule); !ok.ok())
            fail(wf, "schedule: " + ok.error().message);
    }
    return errors;
}

namespace {

} // namespace

SetupReport load_setup(const SetupOptions& options) {
    SetupReport report;
    auto config = load_config(options.config_file);
    if (!config.ok()) {
        report.errors.push_back(config.take_error());
        return report;
    }
    auto zone = Zone::locate(config->time_zone);
    if (!zone.ok()) {
        report.errors.push_back(
            Error::at(config->file.string(), 0, "organisation.time_zone: " + zone.error().message));
        return report;
    }
    auto directory = load_directory(config->directory_file);
    if (!directory.ok())
        report.errors.push_back(directory.take_error());

    WorkflowLoadOptions lua;
    lua.workflows_dir = options.workflows_dir.value_or(config->workflows_dir);
    lua.lua_dir = config->lua_dir;
    auto loaded = load_workflows(lua);
    for (auto& e : loaded.errors)
        report.errors.push_back(std::move(e));

    if (directory.ok()) {
        for (auto& e : validate_workflows(loaded.workflows, *directory))
            report.errors.push_back(std::move(e));
    }
    if (!report.errors.empty())
        return report;

    auto defs = std::make_shared<Definitions>();
    defs->workflows = std::move(loaded.workflows);
    for (auto& wf : defs->workflows)
        if (wf.remind_is_default)
            wf.remind = ReminderLadder{config->remind_before_due, config->remind_overdue_every};
    defs->directory = std::move(directory).value();
    report.setup = Setup{std::move(config).value(), std::move(zone).value(), std::move(defs)};
    return report;
}

EngineSettings engine_settings(const Setup& setup) {
    const Config& c = setup.config;
    EngineSettings s{setup.zone};
    s.reminder_hour = c.reminder_hour;
    s.horizon_days = c.horizon_days;
    s.business_days_only = c.business_days_only;
    s.digest = c.digest;
    for (const auto& step : c.escalation)
        s.default_escalation.push_back({step.after, {AssigneeRef::Kind::Role, step.to_role}});
    std::vector<BusinessCalendar::FixedDay> closed;
    for (auto [month, day] : c.extra_closed_days)
        closed.push_back({month, day, "lukkedag " + std::to_string(day) + "/" + std::to_string(month)});
    s.calendar = BusinessCalendar(std::move(closed));
    return s;
}

HookRunner hook_runner(const Setup& setup) {
    return [lua_dir = setup.config.lua_dir](const WorkflowDef& wf, std::string_view hook,
                                            const std::map<std::string, std::string>& args)
               -> Result<std::vector<FollowUpSpec>> {
        HookCall call{wf.file, wf.id, std::string(hook), args};
        return run_hook(lua_dir, call);
    };
}

} // namespace aarshjul

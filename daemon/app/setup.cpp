// SPDX-License-Identifier: MPL-2.0
#include "app/setup.h"

#include "directory/directory_loader.h"
#include "schedule/recurrence.h"
#include "worker/hook_runner.h"
#include "worker/workflow_loader.h"

#include <algorithm>

namespace aarshjul {

std::vector<Error> validate_workflows(const std::vector<WorkflowDef>& workflows,
                                      const Directory& directory) {
    std::vector<Error> errors;
    auto fail = [&](const WorkflowDef& wf, std::string message) {
        errors.push_back(Error::at(wf.file, wf.line, "workflow " + wf.id + ": " + message));
    };
    auto known_workflow = [&](const std::string& id) {
        return std::any_of(workflows.begin(), workflows.end(),
                           [&](const WorkflowDef& w) { return w.id == id; });
    };
    auto check_ref = [&](const WorkflowDef& wf, const AssigneeRef& who, const char* what) {
        if (who.kind == AssigneeRef::Kind::Body) {
            const Body* body = directory.find_body(who.id);
            if (!body)
                fail(wf, std::string(what) + ": unknown committee '" + who.id +
                             "' (no [[body]] with that id in " + directory.file + ")");
            else if (body->channel.empty())
                fail(wf, std::string(what) + ": committee '" + who.id +
                             "' has no channel; add channel = \"...\" to its [[body]] in " +
                             directory.file);
            return;
        }
        if (who.kind == AssigneeRef::Kind::Person) {
            if (!directory.find_person(who.id))
                fail(wf, std::string(what) + ": unknown person '" + who.id + "' (not in " +
                             directory.file + ")");
            return;
        }
        if (!directory.role_exists(who.id)) {
            fail(wf, std::string(what) + ": unknown role '" + who.id + "': nobody in " +
                         directory.file + " has it");
            return;
        }
        const bool system_role = who.id == kRoleSystemOwner || who.id == kRoleSystemResponsible;
        if (system_role && wf.for_each.kind != ForEach::Kind::Systems &&
            wf.for_each.kind != ForEach::Kind::Sample && std::string(what) == "assignee")
            fail(wf, "role '" + who.id + "' is resolved per system: add for_each = systems {}");
        if (who.id == kRoleProcessorResponsible && wf.for_each.kind != ForEach::Kind::Processors)
            fail(wf,
                 "role '" + who.id + "' is resolved per processor: add for_each = processors {}");
    };
    auto check_body = [&](const WorkflowDef& wf, const std::string& body, const char* what) {
        if (!directory.find_body(body))
            fail(wf, std::string(what) + ": unknown body '" + body +
                         "' (no [[body]] with that id in " + directory.file + ")");
    };
    for (const auto& wf : workflows) {
        check_ref(wf, wf.assignee, "assignee");
        for (const auto& c : wf.for_each.criticality)
            if (c != "low" && c != "medium" && c != "high")
                fail(wf, "unknown criticality '" + c + "' (low, medium or high)");
        switch (wf.trigger.kind) {
        case Trigger::Kind::Calendar:
            if (wf.schedule_by_tier.empty() || !wf.schedule.rrule.empty())
                if (auto ok = validate_recurrence(wf.schedule); !ok.ok())
                    fail(wf, "schedule: " + ok.error().message);
            break;
        case Trigger::Kind::Meetings:
            check_body(wf, wf.trigger.name, "schedule = meetings");
            break;
        case Trigger::Kind::Completion:
            if (!known_workflow(wf.trigger.name)) {
                fail(wf, "on_completion: no workflow '" + wf.trigger.name + "'");
            } else if (!wf.trigger.outcome.empty()) {
                const auto other =
                    std::find_if(workflows.begin(), workflows.end(),
                                 [&](const WorkflowDef& w) { return w.id == wf.trigger.name; });
                if (!other->find_outcome(wf.trigger.outcome))
                    fail(wf, "on_completion: workflow '" + wf.trigger.name +
                                 "' declares no outcome '" + wf.trigger.outcome + "'");
            }
            break;
        case Trigger::Kind::Event:
            if (wf.trigger.name.empty())
                fail(wf, "on_event needs an event type");
            break;
        }
        for (const auto& [tier, recurrence] : wf.schedule_by_tier)
            if (auto ok = validate_recurrence(recurrence); !ok.ok())
                fail(wf, "schedule_by_criticality." + tier + ": " + ok.error().message);
        if (!wf.due_next_meeting.empty())
            check_body(wf, wf.due_next_meeting, "due = next_meeting");
        for (const auto& step : wf.steps) {
            check_body(wf, step.body, ("step " + step.id).c_str());
            check_ref(wf, step.assignee, ("step " + step.id).c_str());
        }
        for (const auto& rung : wf.escalate)
            check_ref(wf, rung.to, "escalate");
        if (wf.horizon_check)
            check_ref(wf, wf.horizon_check->assignee, "horizon_check");
        for (const auto& outcome : wf.outcomes)
            if (outcome.action_plan)
                check_ref(wf, outcome.action_plan->assignee,
                          ("outcome " + outcome.id + ": action_plan").c_str());
        for (const auto& dep : wf.depends_on)
            if (!known_workflow(dep))
                fail(wf, "depends_on: no workflow '" + dep + "'");
    }
    return errors;
}

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
    lua.workflows_dirs = options.workflows_dir
                             ? std::vector<std::filesystem::path>{*options.workflows_dir}
                             : config->workflows_dirs;
    lua.lua_dir = config->lua_dir;
    auto loaded = load_workflows(lua);
    for (auto& e : loaded.errors)
        report.errors.push_back(std::move(e));
    report.warnings = std::move(loaded.warnings);

    if (directory.ok()) {
        for (auto& e : validate_workflows(loaded.workflows, *directory))
            report.errors.push_back(std::move(e));
        auto known = [&](const std::string& channel) {
            return channel == "log" ||
                   std::any_of(config->channels.begin(), config->channels.end(),
                               [&](const Config::Channel& c) { return c.name == channel; });
        };
        auto unknown = [&](const std::string& channel) {
            return "unknown channel '" + channel + "' (no [channel." + channel + "] in " +
                   config->file.string() + ")";
        };
        for (const auto& person : directory->people)
            for (const auto& channel : person.channels)
                if (!known(channel))
                    report.errors.push_back(Error::at(
                        directory->file, 0, "person '" + person.id + "': " + unknown(channel)));
        for (const auto& body : directory->bodies)
            if (!body.channel.empty() && !known(body.channel))
                report.errors.push_back(Error::at(
                    directory->file, 0, "body '" + body.id + "': " + unknown(body.channel)));
        // Web admins are directory people: they sign in as themselves.
        for (const auto& admin : config->http_admins)
            if (!directory->find_person(admin))
                report.errors.push_back(Error::at(config->file.string(), 0,
                                                  "http.admins: unknown person '" + admin +
                                                      "' (not in " + directory->file + ")"));
        for (const auto& wf : loaded.workflows)
            for (const auto& channel : wf.channels)
                if (!known(channel))
                    report.errors.push_back(Error::at(
                        wf.file, wf.line, "workflow " + wf.id + ": channels: " + unknown(channel)));
    }

    // Notice templates: the built-in ones, then the Lua folder's, then notify.templates.
    std::vector<std::filesystem::path> template_folders{config->lua_dir / "templates"};
    if (!config->templates_dir.empty()) {
        std::error_code ec;
        if (!std::filesystem::is_directory(config->templates_dir, ec))
            report.errors.push_back(
                Error::at(config->file.string(), 0,
                          "notify.templates: no folder " + config->templates_dir.string()));
        template_folders.push_back(config->templates_dir);
    }
    auto templates = NoticeTemplates::load(template_folders);
    if (!templates.ok())
        report.errors.push_back(templates.take_error());
    if (!report.errors.empty())
        return report;

    auto defs = std::make_shared<Definitions>();
    defs->workflows = std::move(loaded.workflows);
    for (auto& wf : defs->workflows)
        if (wf.remind_is_default)
            wf.remind = ReminderLadder{config->remind_before_due, config->remind_overdue_every};
    defs->directory = std::move(directory).value();
    report.setup = Setup{std::move(config).value(), std::move(zone).value(), std::move(defs),
                         std::make_shared<const NoticeTemplates>(std::move(templates).value())};
    return report;
}

StoreSettings store_settings(const Config& config) {
    return StoreSettings{.location = config.database};
}

EngineSettings engine_settings(const Setup& setup) {
    const Config& c = setup.config;
    EngineSettings s{setup.zone};
    s.reminder_hour = c.reminder_hour;
    s.horizon_days = c.horizon_days;
    s.business_days_only = c.business_days_only;
    s.digest = c.digest;
    s.default_channels = c.default_channels;
    s.organisation = c.organisation;
    s.templates = setup.templates;
    s.public_url = c.public_url;
    s.link_valid_days = c.link_valid_days;
    for (const auto& step : c.escalation)
        s.default_escalation.push_back({step.after, {AssigneeRef::Kind::Role, step.to_role}});
    std::vector<BusinessCalendar::FixedDay> closed;
    for (auto [month, day] : c.extra_closed_days)
        closed.push_back(
            {month, day, "lukkedag " + std::to_string(day) + "/" + std::to_string(month)});
    s.calendar = BusinessCalendar(std::move(closed));
    return s;
}

HookRunner hook_runner(const Setup& setup) {
    SandboxLimits limits;
    limits.wall_deadline = std::chrono::milliseconds{setup.config.hook_timeout_ms};
    return
        [lua_dir = setup.config.lua_dir, limits](
            const WorkflowDef& wf, std::string_view hook,
            const std::map<std::string, std::string>& args) -> Result<std::vector<FollowUpSpec>> {
            HookCall call{wf.file, wf.id, std::string(hook), args};
            return run_hook(lua_dir, call, limits);
        };
}

} // namespace aarshjul

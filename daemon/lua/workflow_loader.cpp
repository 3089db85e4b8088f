#include "lua/workflow_loader.h"

#include "lua/definition_reader.h"
#include "model/workflow_check.h"
#include "util/sha256.h"

#include <algorithm>
#include <map>
#include <system_error>
#include <utility>

namespace aarshjul {

namespace {

Result<Trigger> read_trigger(const DefinitionReader& r, const LuaTable& t) {
    AARSHJUL_TRY_ASSIGN(const LuaTable* trigger, r.table(t, "trigger"));
    AARSHJUL_TRY_ASSIGN(std::string kind, r.string(*trigger, "kind"));
    Trigger out;
    if (kind == "calendar")
        out.kind = Trigger::Kind::Calendar;
    else if (kind == "meetings")
        out.kind = Trigger::Kind::Meetings;
    else if (kind == "event")
        out.kind = Trigger::Kind::Event;
    else if (kind == "completion")
        out.kind = Trigger::Kind::Completion;
    else
        return r.fail("unknown trigger kind '" + kind + "'");
    AARSHJUL_TRY_ASSIGN(out.name, r.string(*trigger, "name", "schedule"));
    return out;
}

Result<ForEach> read_for_each(const DefinitionReader& r, const LuaTable& t) {
    AARSHJUL_TRY_ASSIGN(const LuaTable* for_each, r.table(t, "for_each"));
    AARSHJUL_TRY_ASSIGN(std::string kind, r.string(*for_each, "kind"));
    ForEach out;
    if (kind == "once")
        out.kind = ForEach::Kind::Once;
    else if (kind == "systems")
        out.kind = ForEach::Kind::Systems;
    else if (kind == "processors")
        out.kind = ForEach::Kind::Processors;
    else if (kind == "sample")
        out.kind = ForEach::Kind::Sample;
    else
        return r.fail("unknown for_each kind '" + kind + "'");
    AARSHJUL_TRY_ASSIGN(out.criticality, r.strings(*for_each, "criticality"));
    AARSHJUL_TRY_ASSIGN(out.tiers, r.strings(*for_each, "tiers"));
    AARSHJUL_TRY_ASSIGN(out.sample_size, r.integer(*for_each, "sample_size"));
    AARSHJUL_TRY_ASSIGN(out.sample_seed, r.string(*for_each, "sample_seed", "for_each.seed"));
    return out;
}

// remind = { before_due, overdue_every, before_due_hours, overdue_every_hours }, or none.
Result<void> read_remind(const DefinitionReader& r, const LuaTable& t, WorkflowDef& def) {
    AARSHJUL_TRY_ASSIGN(const LuaTable* remind, r.optional_table(t, "remind"));
    // Without a `remind` the configured default ladder applies.
    def.remind_is_default = remind == nullptr;
    if (!remind)
        return {};
    AARSHJUL_TRY_ASSIGN(const LuaTable* before_due, r.table(*remind, "before_due"));
    for (const auto& n : before_due->array) {
        AARSHJUL_TRY_ASSIGN(int days, r.integer(n, "remind.before_due"));
        def.remind.before_due_days.push_back(days);
    }
    AARSHJUL_TRY_ASSIGN(def.remind.overdue_every_days, r.integer(*remind, "overdue_every"));
    AARSHJUL_TRY_ASSIGN(const LuaTable* before_hours, r.table(*remind, "before_due_hours"));
    for (const auto& n : before_hours->array) {
        AARSHJUL_TRY_ASSIGN(int hours, r.integer(n, "remind.before_due_hours"));
        def.remind_before_due_hours.push_back(hours);
    }
    AARSHJUL_TRY_ASSIGN(def.overdue_every_hours, r.integer(*remind, "overdue_every_hours"));
    return {};
}

// steps, escalate, horizon_check, schedule_by_tier.
Result<void> read_lists(const DefinitionReader& r, const LuaTable& t, WorkflowDef& def) {
    AARSHJUL_TRY_ASSIGN(const LuaTable* steps, r.table(t, "steps"));
    for (const auto& item : steps->array) {
        const LuaTable* s = item.as_table();
        if (!s)
            return r.fail("a step is not a table");
        ApprovalStep step;
        const std::string at = "steps[" + std::to_string(def.steps.size() + 1) + "]";
        AARSHJUL_TRY_ASSIGN(step.id, r.string(*s, "id", at + ".id"));
        AARSHJUL_TRY_ASSIGN(step.title, r.text(*s, "title", at + ".title"));
        AARSHJUL_TRY_ASSIGN(step.body, r.string(*s, "body", at + ".body"));
        AARSHJUL_TRY_ASSIGN(step.assignee, r.assignee(*s, "assignee"));
        def.steps.push_back(std::move(step));
    }
    AARSHJUL_TRY_ASSIGN(const LuaTable* escalate, r.optional_table(t, "escalate"));
    // `escalate = {}` means "never": only a missing field takes the configured ladder.
    def.escalate_is_default = escalate == nullptr;
    for (std::size_t i = 0; escalate && i < escalate->array.size(); ++i) {
        const LuaTable* e = escalate->array[i].as_table();
        if (!e)
            return r.fail("an escalation step is not a table");
        EscalationStep step;
        AARSHJUL_TRY_ASSIGN(step.after_days_overdue, r.integer(*e, "after", 1));
        AARSHJUL_TRY_ASSIGN(step.to, r.assignee(*e, "to"));
        def.escalate.push_back(std::move(step));
    }
    AARSHJUL_TRY_ASSIGN(const LuaTable* horizon, r.optional_table(t, "horizon_check"));
    if (horizon) {
        HorizonCheck check;
        AARSHJUL_TRY_ASSIGN(check.months, r.integer(*horizon, "months", 1));
        AARSHJUL_TRY_ASSIGN(check.assignee, r.assignee(*horizon, "assignee"));
        def.horizon_check = std::move(check);
    }
    AARSHJUL_TRY_ASSIGN(const LuaTable* by_tier, r.table(t, "schedule_by_tier"));
    for (const auto& item : by_tier->array) {
        const LuaTable* entry = item.as_table();
        if (!entry)
            return r.fail("a schedule_by_tier entry is not a table");
        AARSHJUL_TRY_ASSIGN(std::string key, r.string(*entry, "key", "schedule_by_criticality"));
        AARSHJUL_TRY_ASSIGN(Recurrence schedule, r.recurrence(*entry, "schedule"));
        def.schedule_by_tier.emplace_back(std::move(key), std::move(schedule));
    }
    return {};
}

// A definition or warning names its line; its file is the one being loaded,
// whatever it claims (a chunk the file load()ed has no line of the file),
// because the hook runner re-runs def.file. 0 when it names no line of `file`.
int line_in(const LuaTable* t, const std::string& file) {
    if (!t)
        return 0;
    const LuaValue* f = t->field("file");
    const LuaValue* l = t->field("line");
    if (f && f->as_string() && *f->as_string() == file && l && l->as_integer() &&
        *l->as_integer() > 0 && *l->as_integer() < 100'000'000)
        return static_cast<int>(*l->as_integer());
    return 0;
}

Result<WorkflowDef> to_workflow(const LuaValue& value, const std::string& fallback_file) {
    const LuaTable* t = value.as_table();
    const std::string& file = fallback_file;
    const int line = line_in(t, file);
    DefinitionReader r(file, line);
    if (!t)
        return r.fail("a definition is a " + value.type_name() + ", not a table");

    WorkflowDef def;
    def.file = file;
    def.line = line;
    AARSHJUL_TRY_ASSIGN(def.id, r.string(*t, "id"));
    r.set_id(def.id);
    AARSHJUL_TRY_ASSIGN(def.title, r.text(*t, "title"));
    AARSHJUL_TRY_ASSIGN(def.description, r.text(*t, "description"));
    AARSHJUL_TRY_ASSIGN(def.source, r.string(*t, "source"));
    AARSHJUL_TRY_ASSIGN(def.assignee, r.assignee(*t, "assignee"));
    AARSHJUL_TRY_ASSIGN(def.for_each, read_for_each(r, *t));
    AARSHJUL_TRY_ASSIGN(def.trigger, read_trigger(r, *t));
    // No schedule: a trigger, or schedule_by_criticality without a fallback.
    if (t->field("schedule")) {
        AARSHJUL_TRY_ASSIGN(def.schedule, r.recurrence(*t, "schedule"));
    }

    AARSHJUL_TRY_ASSIGN(def.due, r.offset(*t, "due"));
    AARSHJUL_TRY_ASSIGN(def.due_days, r.integer(*t, "due_days", -1'000'000));
    AARSHJUL_TRY_ASSIGN(def.due_next_meeting, r.string(*t, "due_next_meeting", "due"));
    AARSHJUL_TRY_ASSIGN(def.roll_to_business_day, r.boolean(*t, "roll_to_business_day"));
    AARSHJUL_TRY_ASSIGN(def.roll_backward, r.boolean(*t, "roll_backward"));

    AARSHJUL_TRY_ASSIGN(const LuaTable* cadence, r.table(*t, "cadence"));
    AARSHJUL_TRY_ASSIGN(std::string cadence_kind, r.string(*cadence, "kind"));
    if (cadence_kind != "calendar" && cadence_kind != "from_completion")
        return r.fail("unknown cadence kind '" + cadence_kind + "'");
    def.cadence = cadence_kind == "calendar" ? Cadence::Calendar : Cadence::FromCompletion;
    AARSHJUL_TRY_ASSIGN(def.interval, r.offset(*cadence, "interval"));

    AARSHJUL_TRY_ASSIGN(def.depends_on, r.strings(*t, "depends_on"));
    AARSHJUL_TRY_ASSIGN(def.channels, r.strings(*t, "channels"));
    AARSHJUL_TRY(read_lists(r, *t, def));
    AARSHJUL_TRY(read_remind(r, *t, def));
    AARSHJUL_TRY_ASSIGN(def.has_on_complete, r.boolean(*t, "has_on_complete"));
    AARSHJUL_TRY_ASSIGN(def.evidence_required, r.boolean(*t, "evidence_required"));
    AARSHJUL_TRY_ASSIGN(def.enabled, r.boolean(*t, "enabled"));
    AARSHJUL_TRY_ASSIGN(def.has_on_overdue, r.boolean(*t, "has_on_overdue"));
    AARSHJUL_TRY_ASSIGN(def.has_on_event, r.boolean(*t, "has_on_event"));
    // The DSL checked the file as it ran; this is the check that counts.
    AARSHJUL_TRY(check_workflow(def));
    def.content_hash = workflow_content_hash(def);
    return def;
}

// One of the DSL's warnings, { file, line, message }, appended to `warnings`.
Result<void> read_warning(const LuaValue& value, const std::string& file,
                          std::vector<Error>& warnings) {
    const LuaTable* t = value.as_table();
    const int line = line_in(t, file);
    DefinitionReader r(file, line);
    if (!t)
        return r.fail("a warning is a " + value.type_name() + ", not a table");
    AARSHJUL_TRY_ASSIGN(std::string message, r.string(*t, "message", "warning"));
    warnings.push_back(Error::at(file, line, std::move(message)));
    return {};
}

// Appends "name=<length>:<bytes>\n": the length prefix keeps any value unambiguous.
void put(std::string& out, std::string_view name, std::string_view value) {
    out.append(name)
        .append("=")
        .append(std::to_string(value.size()))
        .append(":")
        .append(value)
        .append("\n");
}

std::string position(const WorkflowDef& def) {
    return def.file + ":" + std::to_string(def.line);
}

} // namespace

std::string workflow_content_hash(const WorkflowDef& w) {
    std::string out = "aarshjul-workflow-v2\n";
    auto put_count = [&](std::string_view name, std::size_t n) {
        put(out, name, std::to_string(n));
    };
    auto put_assignee = [&](const std::string& name, const AssigneeRef& a) {
        static constexpr const char* kKinds[] = {"role", "person", "body"};
        put(out, name + ".kind", kKinds[static_cast<int>(a.kind)]);
        put(out, name + ".id", a.id);
    };
    auto put_offset = [&](const std::string& name, const Offset& o) {
        static constexpr const char* kUnits[] = {"days", "business_days", "hours", "months"};
        put(out, name + ".unit", kUnits[static_cast<int>(o.unit)]);
        put(out, name + ".amount", std::to_string(o.amount));
    };
    auto put_recurrence = [&](const std::string& name, const Recurrence& r) {
        put(out, name + ".rrule", r.rrule);
        put(out, name + ".anchor", format_local_date(r.anchor));
        put(out, name + ".valid_until",
            r.valid_until ? format_local_date(*r.valid_until) : std::string("-"));
    };
    static constexpr const char* kForEach[] = {"once", "systems", "processors", "sample"};
    static constexpr const char* kTriggers[] = {"calendar", "meetings", "event", "completion"};

    put(out, "id", w.id);
    put(out, "title.da", w.title.da);
    put(out, "title.en", w.title.en);
    put(out, "description.da", w.description.da);
    put(out, "description.en", w.description.en);
    put(out, "source", w.source);
    put_assignee("assignee", w.assignee);
    put(out, "for_each.kind", kForEach[static_cast<int>(w.for_each.kind)]);
    put_count("for_each.criticality", w.for_each.criticality.size());
    for (const auto& c : w.for_each.criticality)
        put(out, "for_each.criticality[]", c);
    put_count("for_each.tiers", w.for_each.tiers.size());
    for (const auto& t : w.for_each.tiers)
        put(out, "for_each.tiers[]", t);
    put_recurrence("schedule", w.schedule);
    put(out, "due_days", std::to_string(w.due_days));
    put_count("remind.before_due_days", w.remind.before_due_days.size());
    for (int d : w.remind.before_due_days)
        put(out, "remind.before_due_days[]", std::to_string(d));
    put(out, "remind.overdue_every_days", std::to_string(w.remind.overdue_every_days));
    put(out, "remind_is_default", w.remind_is_default ? "1" : "0");

    put(out, "trigger.kind", kTriggers[static_cast<int>(w.trigger.kind)]);
    put(out, "trigger.name", w.trigger.name);
    put_offset("due", w.due);
    put_count("remind_before_due_hours", w.remind_before_due_hours.size());
    for (int h : w.remind_before_due_hours)
        put(out, "remind_before_due_hours[]", std::to_string(h));
    put(out, "overdue_every_hours", std::to_string(w.overdue_every_hours));
    put(out, "due_next_meeting", w.due_next_meeting);
    put(out, "roll_to_business_day", w.roll_to_business_day ? "1" : "0");
    put(out, "roll_backward", w.roll_backward ? "1" : "0");
    put(out, "cadence", w.cadence == Cadence::Calendar ? "calendar" : "from_completion");
    put_offset("interval", w.interval);
    put_count("depends_on", w.depends_on.size());
    for (const auto& id : w.depends_on)
        put(out, "depends_on[]", id);
    put_count("steps", w.steps.size());
    for (const auto& step : w.steps) {
        put(out, "steps[].id", step.id);
        put(out, "steps[].title.da", step.title.da);
        put(out, "steps[].title.en", step.title.en);
        put(out, "steps[].body", step.body);
        put_assignee("steps[].assignee", step.assignee);
    }
    put(out, "escalate_is_default", w.escalate_is_default ? "1" : "0");
    put_count("channels", w.channels.size());
    for (const auto& c : w.channels)
        put(out, "channels[]", c);
    put_count("escalate", w.escalate.size());
    for (const auto& step : w.escalate) {
        put(out, "escalate[].after", std::to_string(step.after_days_overdue));
        put_assignee("escalate[].to", step.to);
    }
    put(out, "horizon_check", w.horizon_check ? "1" : "0");
    if (w.horizon_check) {
        put(out, "horizon_check.months", std::to_string(w.horizon_check->months));
        put_assignee("horizon_check.assignee", w.horizon_check->assignee);
    }
    put_count("schedule_by_tier", w.schedule_by_tier.size());
    for (const auto& [tier, recurrence] : w.schedule_by_tier) {
        put(out, "schedule_by_tier[].key", tier);
        put_recurrence("schedule_by_tier[]", recurrence);
    }
    put(out, "for_each.sample_size", std::to_string(w.for_each.sample_size));
    put(out, "for_each.sample_seed", w.for_each.sample_seed);
    put(out, "evidence_required", w.evidence_required ? "1" : "0");
    put(out, "enabled", w.enabled ? "1" : "0");
    put(out, "has_on_complete", w.has_on_complete ? "1" : "0");
    put(out, "has_on_overdue", w.has_on_overdue ? "1" : "0");
    put(out, "has_on_event", w.has_on_event ? "1" : "0");
    return sha256_hex(out);
}

WorkflowLoadReport load_workflows(const WorkflowLoadOptions& options) {
    WorkflowLoadReport report;
    std::vector<std::filesystem::path> files;
    for (const auto& dir : options.workflows_dirs) {
        std::error_code ec;
        if (!std::filesystem::is_directory(dir, ec)) {
            report.errors.push_back(Error::at(dir.string(), 0, "workflow folder not found"));
            return report;
        }
        std::vector<std::filesystem::path> here;
        for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end;
             it.increment(ec))
            if (it->path().extension() == ".lua" && it->is_regular_file(ec))
                here.push_back(dir / it->path().filename());
        if (ec) {
            report.errors.push_back(
                Error::at(dir.string(), 0, "cannot read workflow folder: " + ec.message()));
            return report;
        }
        if (here.empty()) {
            report.errors.push_back(Error::at(dir.string(), 0, "no workflows in " + dir.string()));
            return report;
        }
        std::sort(here.begin(), here.end(),
                  [](const auto& a, const auto& b) { return a.filename() < b.filename(); });
        files.insert(files.end(), here.begin(), here.end());
    }
    if (files.empty()) {
        report.errors.push_back(Error::at("", 0, "no workflow folder configured"));
        return report;
    }

    std::map<std::string, std::string> first_at; // id -> "file:line"
    std::vector<WorkflowDef> loaded;
    RunOptions run;
    run.prelude = {kDslModule};
    for (const auto& file : files) {
        auto sandbox = Sandbox::create(options.lua_dir, options.limits);
        if (!sandbox.ok()) {
            report.errors.push_back(sandbox.take_error());
            return report;
        }
        auto ran = (*sandbox)->run_file(file, run);
        if (!ran.ok())
            report.errors.push_back(ran.take_error());
        // Definitions registered before an error are still valid ones.
        auto defs = (*sandbox)->call_module_function(kDslModule, "_definitions");
        if (!defs.ok()) {
            if (ran.ok())
                report.errors.push_back(defs.take_error());
            continue;
        }
        const LuaTable* list = defs->as_table();
        if (!list) {
            report.errors.push_back(Error::at(
                file.string(), 0, std::string(kDslModule) + "._definitions() is not a list"));
            continue;
        }
        for (const auto& item : list->array) {
            auto def = to_workflow(item, file.string());
            if (!def.ok())
                report.errors.push_back(def.take_error());
            else
                loaded.push_back(std::move(def).value());
        }
        auto warnings = (*sandbox)->call_module_function(kDslModule, "_warnings");
        if (!warnings.ok()) {
            report.errors.push_back(warnings.take_error());
            continue;
        }
        const LuaTable* found = warnings->as_table();
        if (!found) {
            report.errors.push_back(Error::at(
                file.string(), 0, std::string(kDslModule) + "._warnings() is not a list"));
            continue;
        }
        for (const auto& item : found->array)
            if (auto read = read_warning(item, file.string(), report.warnings); !read.ok())
                report.errors.push_back(read.take_error());
    }
    // Duplicates: the first definition wins and the later one is the error.
    for (auto& def : loaded) {
        auto [it, fresh] = first_at.emplace(def.id, position(def));
        if (!fresh) {
            report.errors.push_back(Error::at(def.file, def.line,
                                              "duplicate workflow id '" + def.id +
                                                  "' (first defined at " + it->second + ")"));
            continue;
        }
        report.workflows.push_back(std::move(def));
    }
    if (report.workflows.empty() && report.errors.empty()) {
        const std::string where = options.workflows_dirs.front().string();
        report.errors.push_back(Error::at(where, 0, "no workflows in " + where));
    }
    return report;
}

} // namespace aarshjul

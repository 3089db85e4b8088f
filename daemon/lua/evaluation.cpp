// SPDX-License-Identifier: MPL-2.0
#include "lua/evaluation.h"

#include "lua/definition_reader.h"

#include <chrono>
#include <utility>

namespace aarshjul {

namespace {

// `trigger`, or `also` (an event trigger beside the calendar).
Result<Trigger> read_trigger(const DefinitionReader& r, const LuaTable& trigger_table) {
    const LuaTable* trigger = &trigger_table;
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
    if (trigger->field("outcome")) {
        AARSHJUL_TRY_ASSIGN(out.outcome, r.string(*trigger, "outcome", "on_completion.outcome"));
    }
    if (trigger->field("personal_data")) {
        AARSHJUL_TRY_ASSIGN(out.facts.personal_data, r.strings(*trigger, "personal_data"));
    }
    if (trigger->field("significant")) {
        AARSHJUL_TRY_ASSIGN(out.facts.significant, r.strings(*trigger, "significant"));
    }
    return out;
}

// outcomes = { { id, label = { da, en }, action_plan = <follow-up> or none }, ... }, or none.
Result<std::vector<OutcomeDef>> read_outcomes(const DefinitionReader& r, const LuaTable& t) {
    AARSHJUL_TRY_ASSIGN(const LuaTable* list, r.optional_table(t, "outcomes"));
    std::vector<OutcomeDef> out;
    for (std::size_t i = 0; list && i < list->array.size(); ++i) {
        const LuaTable* o = list->array[i].as_table();
        if (!o)
            return r.fail("an outcome is not a table");
        const std::string at = "outcomes[" + std::to_string(i + 1) + "]";
        OutcomeDef outcome;
        AARSHJUL_TRY_ASSIGN(outcome.id, r.string(*o, "id", at + ".id"));
        AARSHJUL_TRY_ASSIGN(outcome.label, r.text(*o, "label", at + ".label"));
        if (const LuaValue* plan = o->field("action_plan")) {
            AARSHJUL_TRY_ASSIGN(outcome.action_plan, read_follow_up(r, *plan));
        }
        out.push_back(std::move(outcome));
    }
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
    AARSHJUL_TRY_ASSIGN(const LuaTable* trigger, r.table(*t, "trigger"));
    AARSHJUL_TRY_ASSIGN(def.trigger, read_trigger(r, *trigger));
    AARSHJUL_TRY_ASSIGN(const LuaTable* also, r.optional_table(*t, "also"));
    if (also) {
        AARSHJUL_TRY_ASSIGN(def.also, read_trigger(r, *also));
    }
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
    AARSHJUL_TRY_ASSIGN(def.outcomes, read_outcomes(r, *t));
    AARSHJUL_TRY_ASSIGN(std::string group, r.string(*t, "group"));
    if (auto known = workflow_group_from_string(group))
        def.group = *known;
    else
        return r.fail("unknown group '" + group + "'");
    // standards = { iso27001 = { ... }, cis = { ... } }, each list optional.
    AARSHJUL_TRY_ASSIGN(const LuaTable* standards, r.optional_table(*t, "standards"));
    if (standards) {
        if (standards->field("iso27001")) {
            AARSHJUL_TRY_ASSIGN(def.standards.iso27001, r.strings(*standards, "iso27001"));
        }
        if (standards->field("cis")) {
            AARSHJUL_TRY_ASSIGN(def.standards.cis, r.strings(*standards, "cis"));
        }
    }
    // check_workflow and the hash follow in the daemon, on the definition as it comes back.
    return def;
}

// One of the DSL's warnings, { file, line, message }.
Result<FileItem> read_warning(const LuaValue& value, const std::string& file) {
    const LuaTable* t = value.as_table();
    const int line = line_in(t, file);
    DefinitionReader r(file, line);
    if (!t)
        return r.fail("a warning is a " + value.type_name() + ", not a table");
    AARSHJUL_TRY_ASSIGN(std::string message, r.string(*t, "message", "warning"));
    return FileItem{std::nullopt, Error::at(file, line, std::move(message)), true};
}

bool known_hook(const std::string& hook) {
    return hook == "on_complete" || hook == "on_overdue" || hook == "on_event";
}

// Errors raised outside the workflow file (by the DSL with no caller line)
// still name the file the hook belongs to.
Error in_file(Error error, const HookCall& call) {
    if (error.file.empty())
        error.file = call.file.string();
    return error;
}

} // namespace

std::vector<FileItem> evaluate_workflow_file(std::shared_ptr<const LuaLibrary> library,
                                             const std::string& file, std::string_view text,
                                             const SandboxLimits& limits) {
    std::vector<FileItem> items;
    auto fail = [&](Error error) { items.push_back(FileItem{std::nullopt, std::move(error)}); };
    auto sandbox = Sandbox::create(std::move(library), limits);
    if (!sandbox.ok()) {
        fail(sandbox.take_error());
        return items;
    }
    (*sandbox)->limit_until(std::chrono::steady_clock::now() + limits.wall_deadline);
    RunOptions run;
    run.prelude = {kDslModule};
    auto ran = (*sandbox)->run_string(text, file, run);
    if (!ran.ok())
        fail(ran.take_error());
    // Definitions registered before an error are still valid ones.
    auto defs = (*sandbox)->call_module_function(kDslModule, "_definitions");
    if (!defs.ok()) {
        if (ran.ok())
            fail(defs.take_error());
        return items;
    }
    const LuaTable* list = defs->as_table();
    if (!list) {
        fail(Error::at(file, 0, std::string(kDslModule) + "._definitions() is not a list"));
        return items;
    }
    if (list->array.size() > kMaxDefinitionsPerFile) {
        fail(Error::at(file, 0,
                       "more than " + std::to_string(kMaxDefinitionsPerFile) +
                           " workflow definitions in one file"));
        return items;
    }
    for (const auto& item : list->array) {
        auto def = to_workflow(item, file);
        if (!def.ok())
            fail(def.take_error());
        else
            items.push_back(FileItem{std::move(def).value(), {}});
    }
    auto warnings = (*sandbox)->call_module_function(kDslModule, "_warnings");
    if (!warnings.ok()) {
        fail(warnings.take_error());
        return items;
    }
    const LuaTable* found = warnings->as_table();
    if (!found || found->array.size() > kMaxDefinitionsPerFile) {
        fail(Error::at(file, 0, std::string(kDslModule) + "._warnings() is not a short list"));
        return items;
    }
    for (const auto& item : found->array) {
        auto warning = read_warning(item, file);
        if (!warning.ok())
            fail(warning.take_error());
        else
            items.push_back(std::move(warning).value());
    }
    return items;
}

Result<std::vector<FollowUpSpec>> evaluate_hook(std::shared_ptr<const LuaLibrary> library,
                                                const HookCall& call, std::string_view text,
                                                const SandboxLimits& limits) {
    if (!known_hook(call.hook))
        return Error::at(call.file.string(), 0,
                         "unknown hook '" + call.hook +
                             "' (expected on_complete, on_overdue or on_event)");
    AARSHJUL_TRY_ASSIGN(std::unique_ptr<Sandbox> sandbox,
                        Sandbox::create(std::move(library), limits));
    sandbox->limit_until(std::chrono::steady_clock::now() + limits.wall_deadline);
    RunOptions run;
    run.prelude = {kDslModule};
    auto loaded = sandbox->run_string(text, call.file.string(), run);
    if (!loaded.ok())
        return in_file(loaded.take_error(), call);

    auto args = std::make_shared<LuaTable>();
    for (const auto& [key, value] : call.args)
        args->fields.emplace(key, LuaValue(value));
    const std::vector<LuaValue> arguments = {
        LuaValue(call.workflow_id), LuaValue(call.hook),
        LuaValue(std::shared_ptr<const LuaTable>(std::move(args)))};
    auto result = sandbox->call_module_function(kDslModule, "_run_hook", arguments);
    if (!result.ok())
        return in_file(result.take_error(), call);

    DefinitionReader reader(call.file.string(), 0);
    reader.set_id(call.workflow_id);
    const LuaTable* list = result->as_table();
    if (!list)
        return reader.fail("_run_hook returned a " + result->type_name() + ", not a list");
    if (list->array.size() > kMaxDefinitionsPerFile)
        return reader.fail("_run_hook returned more than " +
                           std::to_string(kMaxDefinitionsPerFile) + " follow-ups");
    std::vector<FollowUpSpec> follow_ups;
    for (const auto& item : list->array) {
        AARSHJUL_TRY_ASSIGN(FollowUpSpec spec, read_follow_up(reader, item));
        follow_ups.push_back(std::move(spec));
    }
    return follow_ups;
}

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#include "engine/planner.h"

#include "schedule/recurrence.h"

#include <algorithm>
#include <map>
#include <random>
#include <tuple>

namespace aarshjul {

std::string occurrence_key(std::string_view workflow_id, std::string_view entity_id,
                           std::string_view occurrence) {
    std::string key;
    key.reserve(workflow_id.size() + entity_id.size() + occurrence.size() + 2);
    key.append(workflow_id).append("|").append(entity_id).append("|").append(occurrence);
    return key;
}

std::optional<LocalDate> next_meeting(const Directory& directory, std::string_view body,
                                      LocalDate day) {
    const Body* b = directory.find_body(body);
    if (!b)
        return std::nullopt;
    auto it = std::upper_bound(b->meetings.begin(), b->meetings.end(), day);
    if (it == b->meetings.end())
        return std::nullopt;
    return *it;
}

Result<std::string> resolve_person(const AssigneeRef& ref, const Directory& directory,
                                   const Entity& entity, LocalDate day,
                                   const WorkflowDef& workflow) {
    auto fail = [&](std::string message) {
        return Error::at(workflow.file, workflow.line, "workflow " + workflow.id + ": " + message);
    };
    if (ref.kind == AssigneeRef::Kind::Body) {
        if (!directory.find_body(ref.id))
            return fail("unknown body '" + ref.id + "'");
        return std::string(kBodyRecipientPrefix) + ref.id;
    }
    if (ref.kind == AssigneeRef::Kind::Person) {
        if (!directory.find_person(ref.id))
            return fail("unknown person '" + ref.id + "'");
        return ref.id;
    }
    if (ref.id == kRoleSystemOwner || ref.id == kRoleSystemResponsible) {
        if (!entity.system)
            return fail("role '" + ref.id + "' needs for_each = systems {}");
        return ref.id == kRoleSystemOwner ? entity.system->owner : entity.system->responsible;
    }
    if (ref.id == kRoleProcessorResponsible) {
        if (!entity.processor)
            return fail("role '" + ref.id + "' needs for_each = processors {}");
        return entity.processor->responsible;
    }
    std::string holder = directory.holder_of(ref.id, day);
    if (holder.empty())
        return fail("nobody in " + directory.file + " has the role '" + ref.id + "'");
    return holder;
}

std::vector<Entity> workflow_entities(const WorkflowDef& wf, const Directory& directory) {
    std::vector<Entity> out;
    switch (wf.for_each.kind) {
    case ForEach::Kind::Once:
        out.push_back({});
        break;
    case ForEach::Kind::Systems:
    case ForEach::Kind::Sample: // the population; plan_workflow draws from it
        for (const auto& s : directory.systems) {
            const auto& wanted = wf.for_each.criticality;
            if (wanted.empty() ||
                std::find(wanted.begin(), wanted.end(), s.criticality) != wanted.end())
                out.push_back({s.id, s.name, &s, nullptr});
        }
        break;
    case ForEach::Kind::Processors:
        for (const auto& p : directory.processors) {
            const auto& wanted = wf.for_each.tiers;
            if (wanted.empty() || std::find(wanted.begin(), wanted.end(), p.tier) != wanted.end())
                out.push_back({p.id, p.name, nullptr, &p});
        }
        break;
    }
    return out;
}

const Recurrence& schedule_for(const WorkflowDef& wf, const Entity& entity) {
    const std::string& tier = entity.system      ? entity.system->criticality
                              : entity.processor ? entity.processor->tier
                                                 : std::string();
    for (const auto& [name, recurrence] : wf.schedule_by_tier)
        if (name == tier)
            return recurrence;
    return wf.schedule;
}

namespace {

LocalDate add_business_days(const BusinessCalendar& calendar, LocalDate day, int n) {
    day = calendar.roll_forward(day);
    for (int i = 0; i < n; ++i)
        day = calendar.roll_forward(day + date::days{1});
    return day;
}

} // namespace

Result<PlannedTask> plan_occurrence(const WorkflowDef& wf, const Directory& directory,
                                    const PlanContext& ctx, const Entity& entity, LocalDate nominal,
                                    std::optional<Instant> at, std::optional<int> step,
                                    std::string_view key_suffix) {
    PlannedTask task;
    task.workflow = &wf;
    task.entity_id = entity.id;
    task.nominal = nominal;
    std::string occurrence =
        key_suffix.empty() ? format_local_date(nominal) : std::string(key_suffix);
    task.occurrence_key = occurrence_key(wf.id, entity.id, occurrence);
    task.title = wf.title.in("da");
    task.title_en = wf.title.in("en");
    AssigneeRef who = wf.assignee;

    if (step) {
        const ApprovalStep& s = wf.steps.at(static_cast<size_t>(*step));
        task.step_index = *step;
        task.occurrence_key += "#" + s.id;
        task.title += " — " + s.title.in("da");
        task.title_en += " — " + s.title.in("en");
        who = s.assignee;
        if (auto meeting = next_meeting(directory, s.body, nominal)) {
            task.due = *meeting;
        } else {
            task.due = nominal + date::days{30};
            task.note = "no meeting of " + s.body + " booked after " + format_local_date(nominal);
        }
    } else if (!wf.due_next_meeting.empty()) {
        if (auto meeting = next_meeting(directory, wf.due_next_meeting, nominal)) {
            task.due = *meeting;
        } else {
            task.due = nominal + date::days{30};
            task.note = "no meeting of " + wf.due_next_meeting + " booked after " +
                        format_local_date(nominal);
        }
    } else {
        switch (wf.due.unit) {
        case Offset::Unit::Days:
            task.due = nominal + date::days{wf.due.amount};
            break;
        case Offset::Unit::BusinessDays:
            task.due = add_business_days(ctx.calendar, nominal, wf.due.amount);
            break;
        case Offset::Unit::Months:
            task.due = add_months_clamped(nominal, wf.due.amount);
            break;
        case Offset::Unit::Hours: {
            Instant from = at.value_or(
                ctx.zone.to_instant(LocalTime{nominal} + std::chrono::hours{ctx.reminder_hour}));
            task.start_at = from;
            task.due_at = add_hours(from, wf.due.amount);
            task.due = ctx.zone.local_date(*task.due_at);
            break;
        }
        }
    }
    if (wf.roll_to_business_day && !task.due_at)
        task.due = ctx.calendar.roll_forward(task.due);
    else if (wf.roll_backward && !task.due_at)
        task.due = std::max(task.start, ctx.calendar.roll_backward(task.due));
    if (at && !task.start_at)
        task.start_at = at;
    task.start = std::min(nominal, task.due);

    if (!entity.name.empty()) {
        task.title += ": " + entity.name;
        task.title_en += ": " + entity.name;
    }
    AARSHJUL_TRY_ASSIGN(task.assignee, resolve_person(who, directory, entity, nominal, wf));
    return task;
}

std::vector<Entity> draw_sample(const WorkflowDef& wf, const Directory& directory, LocalDate day,
                                std::string* record) {
    std::vector<Entity> population = workflow_entities(wf, directory);
    std::sort(population.begin(), population.end(),
              [](const Entity& a, const Entity& b) { return a.id < b.id; });
    // FNV-1a of "<seed>|<workflow>|<date>" seeds a mt19937_64, whose output the
    // C++ standard fixes: the same inputs draw the same systems on any machine.
    const std::string key = wf.for_each.sample_seed + "|" + wf.id + "|" + format_local_date(day);
    std::uint64_t seed = 14695981039346656037ull;
    for (unsigned char c : key)
        seed = (seed ^ c) * 1099511628211ull;
    std::mt19937_64 rng(seed);
    const std::size_t n = population.size();
    const std::size_t k =
        std::min<std::size_t>(n, static_cast<std::size_t>(wf.for_each.sample_size));
    for (std::size_t i = 0; i < k; ++i) // partial Fisher-Yates
        std::swap(population[i], population[i + static_cast<std::size_t>(rng() % (n - i))]);
    population.resize(k);
    std::sort(population.begin(), population.end(),
              [](const Entity& a, const Entity& b) { return a.id < b.id; });
    if (record) {
        *record = "stikprøve " + format_local_date(day) + " (seed \"" + wf.for_each.sample_seed +
                  "\"): " + std::to_string(k) + " af " + std::to_string(n) + " systemer:";
        for (const auto& e : population)
            *record += " " + e.id;
    }
    return population;
}

Result<void> plan_workflow(const WorkflowDef& wf, const Directory& directory,
                           const PlanContext& ctx, LocalDate from, LocalDate to,
                           const PlanSink& sink) {
    if (!wf.enabled || wf.trigger.kind == Trigger::Kind::Event ||
        wf.trigger.kind == Trigger::Kind::Completion || to < from)
        return {};
    const std::optional<int> first_step = wf.steps.empty() ? std::nullopt : std::optional<int>(0);
    if (wf.for_each.kind == ForEach::Kind::Sample) {
        // A new draw per occurrence, recorded on every task it produced.
        auto expanded = expand_dates(wf.schedule, from, to);
        if (!expanded.ok())
            return Error::at(wf.file, wf.line,
                             "workflow " + wf.id + ": " + expanded.error().message);
        for (LocalDate day : *expanded) {
            std::string record;
            for (const Entity& entity : draw_sample(wf, directory, day, &record)) {
                AARSHJUL_TRY_ASSIGN(auto task, plan_occurrence(wf, directory, ctx, entity, day,
                                                               std::nullopt, first_step));
                task.note = record;
                AARSHJUL_TRY(sink(std::move(task)));
            }
        }
        return {};
    }
    // The entities of one tier share a recurrence: each is expanded once
    // (measured: one libical expansion per system dominated the planning of a
    // national directory, bench/RESULTS.md).
    std::map<const Recurrence*, std::vector<LocalDate>> expansions;
    std::vector<LocalDate> meetings;
    if (wf.trigger.kind == Trigger::Kind::Meetings)
        if (const Body* body = directory.find_body(wf.trigger.name))
            for (LocalDate d : body->meetings)
                if (d >= from && d <= to)
                    meetings.push_back(d);
    for (const Entity& entity : workflow_entities(wf, directory)) {
        const std::vector<LocalDate>* dates = &meetings;
        if (wf.trigger.kind != Trigger::Kind::Meetings) {
            const Recurrence& rule = schedule_for(wf, entity);
            auto known = expansions.find(&rule);
            if (known == expansions.end()) {
                auto expanded = expand_dates(rule, from, to);
                if (!expanded.ok())
                    return Error::at(wf.file, wf.line,
                                     "workflow " + wf.id + ": " + expanded.error().message);
                known = expansions.emplace(&rule, std::move(expanded).value()).first;
            }
            dates = &known->second;
        }
        for (LocalDate day : *dates) {
            AARSHJUL_TRY_ASSIGN(auto task, plan_occurrence(wf, directory, ctx, entity, day,
                                                           std::nullopt, first_step));
            AARSHJUL_TRY(sink(std::move(task)));
        }
    }
    return {};
}

Result<void> plan_workflow(const WorkflowDef& wf, const Directory& directory,
                           const PlanContext& ctx, LocalDate from, LocalDate to,
                           std::vector<PlannedTask>& out) {
    return plan_workflow(wf, directory, ctx, from, to, [&out](PlannedTask&& task) -> Result<void> {
        out.push_back(std::move(task));
        return {};
    });
}

Result<std::vector<PlannedTask>> plan_tasks(const std::vector<WorkflowDef>& workflows,
                                            const Directory& directory, const PlanContext& ctx,
                                            LocalDate from, LocalDate to) {
    std::vector<PlannedTask> tasks;
    for (const auto& wf : workflows)
        AARSHJUL_TRY(plan_workflow(wf, directory, ctx, from, to, tasks));
    std::stable_sort(tasks.begin(), tasks.end(), [](const PlannedTask& a, const PlannedTask& b) {
        return std::tie(a.start, a.workflow->id, a.entity_id) <
               std::tie(b.start, b.workflow->id, b.entity_id);
    });
    return tasks;
}

} // namespace aarshjul

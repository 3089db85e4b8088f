// SPDX-License-Identifier: MPL-2.0
#include "app/catalogue.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <fmt/format.h>
#include <libical/ical.h>

namespace aarshjul {
namespace {

constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 8> kWeekdays{"",    "Sun", "Mon", "Tue",
                                                    "Wed", "Thu", "Fri", "Sat"};

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (const auto& p : parts)
        out += (out.empty() ? "" : std::string(separator)) + p;
    return out;
}

std::string ordinal(int n) {
    if (n < 0)
        return n == -1 ? "last" : std::to_string(-n) + "th last";
    const int mod100 = n % 100;
    const char* suffix = (mod100 >= 11 && mod100 <= 13) ? "th"
                         : n % 10 == 1                  ? "st"
                         : n % 10 == 2                  ? "nd"
                         : n % 10 == 3                  ? "rd"
                                                        : "th";
    return std::to_string(n) + suffix;
}

std::string body_name(const Directory& directory, const std::string& id) {
    const Body* body = directory.find_body(id);
    return body ? body->name : id;
}

std::string who(const AssigneeRef& ref) {
    switch (ref.kind) {
    case AssigneeRef::Kind::Person:
        return "person " + ref.id;
    case AssigneeRef::Kind::Body:
        return "committee " + ref.id;
    case AssigneeRef::Kind::Role:
        break;
    }
    return ref.id;
}

std::string offset_text(const Offset& o) {
    const int n = o.amount;
    switch (o.unit) {
    case Offset::Unit::Days:
        return n < 0 ? std::to_string(-n) + (n == -1 ? " day before" : " days before")
                     : std::to_string(n) + (n == 1 ? " day" : " days");
    case Offset::Unit::BusinessDays:
        return std::to_string(n) + (n == 1 ? " business day" : " business days");
    case Offset::Unit::Hours:
        return std::to_string(n) + (n == 1 ? " hour" : " hours");
    case Offset::Unit::Months:
        return std::to_string(n) + (n == 1 ? " month" : " months");
    }
    return "";
}

// An RRULE in words, from libical's parse of it.
std::string describe_rrule(const Recurrence& schedule) {
    if (schedule.rrule == "FREQ=DAILY;COUNT=1")
        return "once on " + format_local_date(schedule.anchor);
    icalrecurrencetype r = icalrecurrencetype_from_string(schedule.rrule.c_str());
    if (r.freq == ICAL_NO_RECURRENCE)
        return schedule.rrule;
    std::vector<int> months, days;
    std::vector<std::string> weekdays;
    for (int i = 0; i < ICAL_BY_MONTH_SIZE && r.by_month[i] != ICAL_RECURRENCE_ARRAY_MAX; ++i)
        months.push_back(r.by_month[i]);
    for (int i = 0; i < ICAL_BY_MONTHDAY_SIZE && r.by_month_day[i] != ICAL_RECURRENCE_ARRAY_MAX;
         ++i)
        days.push_back(r.by_month_day[i]);
    for (int i = 0; i < ICAL_BY_DAY_SIZE && r.by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; ++i) {
        const int weekday = icalrecurrencetype_day_day_of_week(r.by_day[i]);
        const int position = icalrecurrencetype_day_position(r.by_day[i]);
        std::string name(kWeekdays.at(static_cast<std::size_t>(std::clamp(weekday, 0, 7))));
        weekdays.push_back(position == 0 ? name : ordinal(position) + " " + name);
    }
    const int interval = r.interval > 1 ? r.interval : 1;
    std::string text;
    switch (r.freq) {
    case ICAL_YEARLY_RECURRENCE:
        text = interval == 1 ? "yearly" : "every " + std::to_string(interval) + " years";
        break;
    case ICAL_MONTHLY_RECURRENCE:
        text = interval == 1   ? "monthly"
               : interval == 3 ? "quarterly"
               : interval == 6 ? "half-yearly"
                               : "every " + std::to_string(interval) + " months";
        break;
    case ICAL_WEEKLY_RECURRENCE:
        text = interval == 1 ? "weekly" : "every " + std::to_string(interval) + " weeks";
        break;
    case ICAL_DAILY_RECURRENCE:
        text = interval == 1 ? "daily" : "every " + std::to_string(interval) + " days";
        break;
    default:
        return schedule.rrule;
    }
    // A monthly rule limited to some months reads as "on 1 Jan, Apr, Jul, Oct".
    if (!months.empty() && months.size() < 12) {
        std::vector<std::string> names;
        for (int m : months)
            names.emplace_back(kMonths.at(static_cast<std::size_t>(m - 1)));
        std::vector<std::string> day_names;
        for (int d : days)
            day_names.push_back(r.freq == ICAL_MONTHLY_RECURRENCE ? ordinal(d) : std::to_string(d));
        if (r.freq == ICAL_MONTHLY_RECURRENCE && months.size() >= 6) {
            std::vector<std::string> skipped;
            for (int m = 1; m <= 12; ++m)
                if (std::find(months.begin(), months.end(), m) == months.end())
                    skipped.emplace_back(kMonths.at(static_cast<std::size_t>(m - 1)));
            text = "monthly" + (day_names.empty() ? "" : " on the " + join(day_names, " and ")) +
                   " except " + join(skipped, ", ");
        } else if (r.freq == ICAL_MONTHLY_RECURRENCE) {
            const bool quarterly = months.size() == 4;
            const bool half = months.size() == 2;
            text = (quarterly ? "quarterly"
                    : half    ? "half-yearly"
                              : "monthly in " + join(names, ", ")) +
                   (day_names.empty() ? "" : ", on the " + join(day_names, " and ")) +
                   (quarterly || half ? " (" + join(names, ", ") + ")" : "");
        } else {
            text += " on " + (day_names.empty() ? std::string() : join(day_names, ", ") + " ") +
                    join(names, ", ");
        }
    } else if (r.freq == ICAL_YEARLY_RECURRENCE && days.empty()) {
        // The anchor gives the day: "every year from the approval date".
        const date::year_month_day anchor{schedule.anchor};
        text += " on " + std::to_string(static_cast<unsigned>(anchor.day())) + " " +
                std::string(kMonths.at(static_cast<unsigned>(anchor.month()) - 1));
    } else if (!days.empty()) {
        std::vector<std::string> day_names;
        for (int d : days)
            day_names.push_back(ordinal(d));
        text += " on the " + join(day_names, " and ");
    }
    if (!weekdays.empty())
        text += " (" + join(weekdays, ", ") + ")";
    if (interval > 1 && r.freq == ICAL_YEARLY_RECURRENCE)
        text += " from " + format_local_date(schedule.anchor);
    if (schedule.valid_until)
        text += " until " + format_local_date(*schedule.valid_until);
    return text;
}

} // namespace

std::string describe_cadence(const WorkflowDef& wf, const Directory& directory) {
    std::string text;
    switch (wf.trigger.kind) {
    case Trigger::Kind::Meetings:
        text = "each meeting of " + body_name(directory, wf.trigger.name);
        break;
    case Trigger::Kind::Event:
        text = "on event `" + wf.trigger.name + "`";
        break;
    case Trigger::Kind::Completion:
        text = "after each completed " + wf.trigger.name;
        break;
    case Trigger::Kind::Calendar:
        if (wf.cadence == Cadence::FromCompletion) {
            text = offset_text(wf.interval) +
                   " after the last completion (first: " + describe_rrule(wf.schedule) + ")";
            break;
        }
        if (!wf.schedule_by_tier.empty()) {
            std::vector<std::string> parts;
            for (const auto& [tier, recurrence] : wf.schedule_by_tier)
                parts.push_back(tier + ": " + describe_rrule(recurrence));
            if (!wf.schedule.rrule.empty())
                parts.push_back("others: " + describe_rrule(wf.schedule));
            text = "by criticality — " + join(parts, "; ");
            break;
        }
        text = describe_rrule(wf.schedule);
        break;
    }
    switch (wf.for_each.kind) {
    case ForEach::Kind::Systems:
        text += ", per system";
        break;
    case ForEach::Kind::Processors:
        text += ", per data processor";
        break;
    case ForEach::Kind::Sample:
        text += ", a sample of " + std::to_string(wf.for_each.sample_size) + " systems";
        break;
    case ForEach::Kind::Once:
        break;
    }
    const auto& levels =
        wf.for_each.kind == ForEach::Kind::Processors ? wf.for_each.tiers : wf.for_each.criticality;
    if (!levels.empty())
        text += " (" + join(levels, ", ") + ")";
    if (wf.also)
        text += "; also on event `" + wf.also->name + "`";
    return text;
}

std::string describe_due(const WorkflowDef& wf, const Directory& directory) {
    if (!wf.steps.empty()) {
        std::vector<std::string> bodies;
        for (const auto& step : wf.steps)
            bodies.push_back(body_name(directory, step.body));
        return "approval: " + join(bodies, " → ") + ", each at its next meeting";
    }
    if (!wf.due_next_meeting.empty())
        return "next meeting of " + body_name(directory, wf.due_next_meeting);
    if (wf.due.amount == 0 && !wf.due.is_hours())
        return "same day";
    return offset_text(wf.due) + (wf.roll_to_business_day ? " (rolled forward to a business day)"
                                  : wf.roll_backward      ? " (rolled back to a business day)"
                                                          : "");
}

std::string describe_escalation(const WorkflowDef& wf) {
    if (wf.escalate_is_default)
        return "configured default";
    if (wf.escalate.empty())
        return "never";
    std::vector<std::string> parts;
    for (const auto& step : wf.escalate)
        parts.push_back(who(step.to) + " after " + std::to_string(step.after_days_overdue) + " d");
    return join(parts, ", ");
}

namespace {

boost::json::array strings(const std::vector<std::string>& items) {
    boost::json::array out;
    for (const auto& item : items)
        out.emplace_back(item);
    return out;
}

// "5.24, 5.26; CIS 17.7": the Annex A controls, then the CIS safeguards.
std::string describe_standards(const WorkflowDef& wf) {
    std::string out = join(wf.standards.iso27001, ", ");
    if (!wf.standards.cis.empty())
        out += (out.empty() ? "CIS " : "; CIS ") + join(wf.standards.cis, ", ");
    return out.empty() ? "—" : out;
}

} // namespace

std::string render_catalogue(const std::vector<WorkflowDef>& workflows, const Directory& directory,
                             const std::string& format) {
    std::vector<const WorkflowDef*> sorted;
    for (const auto& wf : workflows)
        sorted.push_back(&wf);
    std::sort(sorted.begin(), sorted.end(),
              [](const WorkflowDef* a, const WorkflowDef* b) { return a->id < b->id; });

    if (format == "json") {
        boost::json::array list;
        for (const WorkflowDef* wf : sorted)
            list.push_back(boost::json::object{
                {"id", wf->id},
                {"title", wf->title.da},
                {"title_en", wf->title.en},
                {"cadence", describe_cadence(*wf, directory)},
                {"due", describe_due(*wf, directory)},
                {"responsible", who(wf->assignee)},
                {"escalation", describe_escalation(*wf)},
                {"evidence", wf->evidence_required},
                {"enabled", wf->enabled},
                {"group", to_string(wf->group)},
                {"standards", boost::json::object{{"iso27001", strings(wf->standards.iso27001)},
                                                  {"cis", strings(wf->standards.cis)}}},
                {"source", wf->source},
                {"file", wf->file}});
        return boost::json::serialize(list) + "\n";
    }
    std::string out;
    if (format == "md") {
        out += "| control | name | cadence | due | responsible | escalation | evidence | ISO 27001 "
               "Annex A | source |\n";
        out += "|---|---|---|---|---|---|---|---|---|\n";
        auto cell = [](std::string text) {
            std::string escaped;
            for (char c : text)
                escaped += c == '|'    ? std::string("\\|")
                           : c == '\n' ? std::string(" ")
                                       : std::string(1, c);
            return escaped;
        };
        for (const WorkflowDef* wf : sorted)
            out += fmt::format("| {}{} | {} | {} | {} | {} | {} | {} | {} | {} |\n", wf->id,
                               wf->enabled ? "" : " (off)", cell(wf->title.da),
                               cell(describe_cadence(*wf, directory)),
                               cell(describe_due(*wf, directory)), cell(who(wf->assignee)),
                               cell(describe_escalation(*wf)),
                               wf->evidence_required ? "required" : "optional",
                               cell(describe_standards(*wf)), cell(wf->source));
        return out;
    }
    out += fmt::format("{:<12}  {:<4}  {:<60}  {}\n", "control", "on", "cadence", "responsible");
    for (const WorkflowDef* wf : sorted)
        out += fmt::format("{:<12}  {:<4}  {:<60}  {}\n", wf->id, wf->enabled ? "yes" : "no",
                           describe_cadence(*wf, directory), who(wf->assignee));
    return out;
}

} // namespace aarshjul

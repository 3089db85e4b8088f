// SPDX-License-Identifier: MPL-2.0
#include "report/report_data.h"

#include "app/wheel.h"
#include "model/standards.h"
#include "report/report_fields.h"
#include "wheel/wheel.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdlib>
#include <map>

namespace aarshjul {

namespace {

namespace json = boost::json;
using namespace report_fields;

struct Cell {
    std::int64_t due = 0, on_time = 0, late = 0, overdue = 0, open = 0, waived = 0;
};

} // namespace

Result<json::object> read_trends(ReadQueries& queries, const Zone& zone,
                                 const std::vector<WorkflowDef>& workflows,
                                 const std::vector<TrendQuarter>& quarters) {
    std::map<std::string, WorkflowGroup, std::less<>> group_of;
    for (const auto& w : workflows)
        group_of.emplace(w.id, w.group);
    // cells[group][quarter index]
    std::map<WorkflowGroup, std::vector<Cell>> cells;
    bool other = false;
    for (std::size_t q = 0; q < quarters.size(); ++q) {
        AARSHJUL_TRY_ASSIGN(auto lines, queries.due_between(format_local_date(quarters[q].first),
                                                            format_local_date(quarters[q].last)));
        for (const DueLine& line : lines) {
            auto known = group_of.find(line.workflow_id);
            const WorkflowGroup group =
                known == group_of.end() ? WorkflowGroup::Other : known->second;
            other = other || group == WorkflowGroup::Other;
            auto& row = cells[group];
            row.resize(quarters.size());
            Cell& cell = row[q];
            ++cell.due;
            if (line.state == "done") {
                // Overdue from the deadline of an hour-based task, else from
                // the start of the day after the due date (engine/task_timing.h).
                std::int64_t overdue_at = 0;
                if (line.due_at)
                    overdue_at = *line.due_at;
                else if (auto due = parse_local_date(line.due_date))
                    overdue_at = to_unix(zone.start_of_day(*due + date::days{1}));
                if (line.completed_at.value_or(0) < overdue_at)
                    ++cell.on_time;
                else
                    ++cell.late;
            } else if (line.state == "waived")
                ++cell.waived;
            else if (line.state == "overdue" || line.state == "escalated")
                ++cell.overdue;
            else
                ++cell.open;
        }
    }
    json::array labels;
    for (const auto& q : quarters)
        labels.emplace_back(q.label);
    json::array groups;
    for (WorkflowGroup group : wheel_rings(workflows, other)) {
        auto& row = cells[group];
        row.resize(quarters.size());
        json::array per_quarter;
        for (std::size_t q = 0; q < quarters.size(); ++q)
            per_quarter.push_back(json::object{{"quarter", quarters[q].label},
                                               {"due", row[q].due},
                                               {"on_time", row[q].on_time},
                                               {"late", row[q].late},
                                               {"overdue", row[q].overdue},
                                               {"open", row[q].open},
                                               {"waived", row[q].waived}});
        groups.push_back(
            json::object{{"group", to_string(group)}, {"quarters", std::move(per_quarter)}});
    }
    return json::object{{"quarters", std::move(labels)}, {"groups", std::move(groups)}};
}

Result<json::object> read_report_wheel(ReadQueries& queries,
                                       const std::vector<WorkflowDef>& workflows, const Zone& zone,
                                       Instant now, int year) {
    WheelRequest request;
    request.year = year;
    request.links = false;
    AARSHJUL_TRY_ASSIGN(WheelInput input, read_wheel(queries, workflows, zone, now, request));
    json::array groups;
    for (WorkflowGroup g : input.groups)
        groups.emplace_back(to_string(g));
    json::array marks;
    for (const WheelMark& m : input.marks)
        marks.push_back(json::object{{"task", m.task_id},
                                     {"workflow", m.workflow_id},
                                     {"title", m.title},
                                     {"title_en", m.title_en},
                                     {"entity", m.entity},
                                     {"group", to_string(m.group)},
                                     {"due", format_local_date(m.due)},
                                     {"state", to_string(m.state)}});
    return json::object{{"year", input.year},
                        {"first_month", static_cast<int>(input.first_month)},
                        {"today", format_local_date(input.today)},
                        {"groups", std::move(groups)},
                        {"marks", std::move(marks)}};
}

Result<json::object> read_coverage(ReadQueries& queries, const Zone& zone,
                                   const std::vector<WorkflowDef>& workflows, LocalDate first,
                                   LocalDate last) {
    AARSHJUL_TRY_ASSIGN(auto finished,
                        queries.finished_between(to_unix(zone.start_of_day(first)),
                                                 to_unix(zone.start_of_day(last + date::days{1}))));
    std::map<std::string, std::vector<const TaskRow*>, std::less<>> done_of;
    for (const TaskRow& t : finished)
        if (t.state == TaskState::Done)
            done_of[t.workflow_id].push_back(&t);
    auto duty = [](const WorkflowDef& w) {
        return json::object{{"workflow", w.id},
                            {"title", w.title.in("da")},
                            {"title_en", w.title.in("en")},
                            {"enabled", w.enabled}};
    };

    json::array controls, without;
    std::int64_t with_duty = 0, evidenced = 0;
    for (const AnnexAControl& control : annex_a_controls()) {
        json::array duties, evidence;
        bool active = false;
        std::int64_t done = 0;
        for (const WorkflowDef& w : workflows) {
            const auto& ids = w.standards.iso27001;
            if (std::find(ids.begin(), ids.end(), control.id) == ids.end())
                continue;
            duties.push_back(duty(w));
            active = active || w.enabled;
            auto found = done_of.find(w.id);
            if (found == done_of.end())
                continue;
            for (const TaskRow* t : found->second) {
                ++done;
                evidence.push_back(
                    json::object{{"task", t->id},
                                 {"workflow", t->workflow_id},
                                 {"title", t->title},
                                 {"title_en", t->title_en},
                                 {"at", zone.format_iso(from_unix(t->completed_at.value_or(0)))},
                                 {"evidence", t->evidence.value_or("")}});
            }
        }
        if (active)
            ++with_duty;
        else
            without.emplace_back(control.id);
        if (duties.empty())
            continue;
        if (done > 0)
            ++evidenced;
        controls.push_back(json::object{{"id", control.id},
                                        {"title", control.title},
                                        {"duties", std::move(duties)},
                                        {"evidenced", done > 0},
                                        {"done", done},
                                        {"evidence", std::move(evidence)}});
    }
    // CIS safeguards as the workflows name them, in numeric order.
    std::map<std::pair<int, int>, std::pair<std::string, json::array>> cis;
    for (const WorkflowDef& w : workflows)
        for (const std::string& id : w.standards.cis) {
            const auto dot = id.find('.');
            const std::pair key{std::atoi(id.substr(0, dot).c_str()),
                                dot == std::string::npos ? 0 : std::atoi(id.c_str() + dot + 1)};
            auto& entry = cis[key];
            entry.first = id;
            entry.second.push_back(duty(w));
        }
    json::array safeguards;
    for (auto& [key, entry] : cis)
        safeguards.push_back(
            json::object{{"id", entry.first}, {"duties", std::move(entry.second)}});
    const auto total = static_cast<std::int64_t>(annex_a_controls().size());
    return json::object{{"standard", kAnnexAName},       {"from", format_local_date(first)},
                        {"to", format_local_date(last)}, {"controls_total", total},
                        {"with_duty", with_duty},        {"without_duty", total - with_duty},
                        {"evidenced", evidenced},        {"controls", std::move(controls)},
                        {"without", std::move(without)}, {"cis", std::move(safeguards)}};
}

Result<std::optional<std::string>> report_wheel_svg(const json::object& report,
                                                    std::string_view language) {
    const json::object* wheel = obj(report, "wheel");
    if (!wheel)
        return std::optional<std::string>{};
    auto bad = [](std::string what) {
        return make_error(ErrorKind::Invalid, "the report's wheel has " + std::move(what), "wheel");
    };
    WheelRequest request;
    request.year = static_cast<int>(int_of(*wheel, "year"));
    request.first_month = static_cast<unsigned>(int_of(*wheel, "first_month"));
    request.language = language == "en" ? "en" : "da";
    WheelInput input;
    input.year = request.year;
    input.first_month = request.first_month;
    input.language = request.language;
    input.heading = wheel_heading(request, str(report, "organisation"));
    if (auto today = parse_local_date(str(*wheel, "today")))
        input.today = *today;
    for (const auto& g : arr(*wheel, "groups")) {
        auto group = g.is_string() ? workflow_group_from_string(g.as_string()) : std::nullopt;
        if (!group)
            return bad("an unknown group");
        input.groups.push_back(*group);
    }
    for (const auto& v : arr(*wheel, "marks")) {
        if (!v.is_object())
            return bad("a mark that is not an object");
        const auto& m = v.as_object();
        auto group = workflow_group_from_string(str(m, "group"));
        auto due = parse_local_date(str(m, "due"));
        std::optional<MarkState> state;
        for (std::size_t i = 0; i < kMarkStateNames.size(); ++i)
            if (kMarkStateNames[i] == str(m, "state"))
                state = static_cast<MarkState>(i);
        if (!group || !due || !state)
            return bad("a mark without a group, a due date or a state");
        input.marks.push_back(WheelMark{.task_id = int_of(m, "task"),
                                        .workflow_id = str(m, "workflow"),
                                        .title = in_language(m, "title", input.language),
                                        .title_en = str(m, "title_en"),
                                        .entity = str(m, "entity"),
                                        .group = *group,
                                        .due = *due,
                                        .state = *state,
                                        .link = {}});
    }
    AARSHJUL_TRY_ASSIGN(std::string svg, render_wheel(input));
    return std::optional<std::string>{std::move(svg)};
}

} // namespace aarshjul

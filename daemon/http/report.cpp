// SPDX-License-Identifier: MPL-2.0
#include "http/report.h"

#include "http/context.h"
#include "http/handlers.h"
#include "http/json_util.h"
#include "report/report_data.h"
#include "report/report_fields.h"
#include "report/report_pdf.h"
#include "store/task_repository.h"

#include <boost/json.hpp>
#include <fmt/format.h>
#include <map>

namespace aarshjul::http {

namespace {

namespace json = boost::json;

std::string iso(const Zone& zone, std::int64_t unix_seconds) {
    return zone.format_iso(from_unix(unix_seconds));
}

std::string name_of(const Definitions* d, const std::string& id) {
    if (d)
        if (const Person* p = d->directory.find_person(id))
            return p->name;
    return id;
}

const WorkflowDef* workflow_of(const Definitions* d, std::string_view id) {
    if (d)
        for (const auto& wf : d->workflows)
            if (wf.id == id)
                return &wf;
    return nullptr;
}

// The outcome's label in both languages; empty when the workflow does not declare it.
std::pair<std::string, std::string> outcome_label(const WorkflowDef* wf, std::string_view outcome) {
    if (const OutcomeDef* o = wf ? wf->find_outcome(outcome) : nullptr)
        return {o->label.in("da"), o->label.in("en")};
    return {};
}

// Evidence links shown per Annex A control; the JSON has them all.
constexpr int kCoverageLinks = 5;

using report_fields::arr;
using report_fields::in_language;
using report_fields::num;
using report_fields::obj;
using report_fields::str;

} // namespace

std::optional<Quarter> parse_quarter(std::string_view text) {
    if (text.size() != 6 || (text[4] != 'Q' && text[4] != 'q') || text[5] < '1' || text[5] > '4')
        return std::nullopt;
    for (int i = 0; i < 4; ++i)
        if (text[i] < '0' || text[i] > '9')
            return std::nullopt;
    const int year = std::stoi(std::string(text.substr(0, 4)));
    if (year < 2000)
        return std::nullopt;
    Quarter q;
    q.year = year;
    q.number = text[5] - '0';
    const auto first_month = static_cast<unsigned>(3 * (q.number - 1) + 1);
    q.first = LocalDate{date::year{year} / date::month{first_month} / 1};
    q.last = LocalDate{date::year{year} / date::month{first_month + 2} / date::last};
    q.label = fmt::format("{}Q{}", year, q.number);
    return q;
}

Quarter quarter_of(LocalDate day) {
    const date::year_month_day ymd{day};
    const int n = static_cast<int>((static_cast<unsigned>(ymd.month()) - 1) / 3 + 1);
    return *parse_quarter(fmt::format("{:04}Q{}", static_cast<int>(ymd.year()), n));
}

Result<boost::json::object> build_report(Store& store, const Zone& zone,
                                         const Definitions* definitions,
                                         const std::string& organisation, const Quarter& quarter,
                                         Instant now) {
    ReadQueries& queries = store.queries();
    static const std::vector<WorkflowDef> no_workflows;
    const auto& workflows = definitions ? definitions->workflows : no_workflows;
    const std::string first = format_local_date(quarter.first);
    const std::string last = format_local_date(quarter.last);
    const std::int64_t from = to_unix(zone.start_of_day(quarter.first));
    const std::int64_t to = to_unix(zone.start_of_day(quarter.last + date::days{1}));
    const LocalDate today = zone.local_date(now);

    json::array controls;
    AARSHJUL_TRY_ASSIGN(auto counts, queries.controls_due(first, last));
    for (const auto& c : counts) {
        std::string title = c.workflow_id, title_en = c.workflow_id, source;
        if (const WorkflowDef* wf = workflow_of(definitions, c.workflow_id)) {
            title = wf->title.da;
            title_en = wf->title.en;
            source = wf->source;
        }
        controls.push_back(json::object{
            {"workflow", c.workflow_id},
            {"title", title},
            {"title_en", title_en},
            {"source", source},
            {"tasks", c.tasks},
            {"done", c.done},
            {"waived", c.waived},
            {"overdue", c.overdue},
            {"open", c.open},
            {"status", c.overdue > 0 ? "behind" : (c.open > 0 ? "in_progress" : "complete")},
        });
    }
    json::array overdue;
    AARSHJUL_TRY_ASSIGN(auto late, queries.deadlines(Deadlines::Overdue, -1));
    for (const auto& t : late) {
        const auto due = parse_local_date(t.due_date);
        const auto days_late = due ? (today - *due).count() : 0;
        overdue.push_back(json::object{{"id", t.id},
                                       {"workflow", t.workflow_id},
                                       {"title", t.title},
                                       {"title_en", t.title_en},
                                       {"assignee", t.assignee},
                                       {"assignee_name", name_of(definitions, t.assignee)},
                                       {"due", t.due_date},
                                       {"days_late", days_late},
                                       {"state", to_string(t.state)},
                                       {"system", t.entity_id}});
    }
    json::array completions;
    AARSHJUL_TRY_ASSIGN(auto finished, queries.finished_between(from, to));
    // What the quarter's controls found: per workflow and outcome, in the
    // order the workflow declares its outcomes.
    std::map<std::pair<std::string, std::string>, std::int64_t> found;
    for (const auto& t : finished) {
        const std::string by = t.completed_by.value_or("");
        const WorkflowDef* wf = workflow_of(definitions, t.workflow_id);
        const auto [label, label_en] = outcome_label(wf, t.outcome.value_or(""));
        if (t.state == TaskState::Done && t.outcome)
            ++found[{t.workflow_id, *t.outcome}];
        completions.push_back(json::object{{"id", t.id},
                                           {"workflow", t.workflow_id},
                                           {"title", t.title},
                                           {"title_en", t.title_en},
                                           {"kind", to_string(t.state)},
                                           {"by", by},
                                           {"by_name", name_of(definitions, by)},
                                           {"at", iso(zone, t.completed_at.value_or(0))},
                                           {"note", t.note.value_or("")},
                                           {"evidence", t.evidence.value_or("")},
                                           {"outcome", t.outcome.value_or("")},
                                           {"outcome_label", label},
                                           {"outcome_label_en", label_en},
                                           {"due", t.due_date}});
    }
    json::array outcomes;
    for (const auto& [key, count] : found) {
        const WorkflowDef* wf = workflow_of(definitions, key.first);
        const auto [label, label_en] = outcome_label(wf, key.second);
        std::size_t order = wf ? wf->outcomes.size() : 0;
        if (wf)
            for (std::size_t i = 0; i < wf->outcomes.size(); ++i)
                if (wf->outcomes[i].id == key.second)
                    order = i;
        outcomes.push_back(json::object{{"workflow", key.first},
                                        {"title", wf ? wf->title.in("da") : key.first},
                                        {"title_en", wf ? wf->title.in("en") : key.first},
                                        {"outcome", key.second},
                                        {"label", label.empty() ? key.second : label},
                                        {"label_en", label_en.empty() ? key.second : label_en},
                                        {"order", order},
                                        {"count", count}});
    }
    std::stable_sort(outcomes.begin(), outcomes.end(),
                     [](const json::value& a, const json::value& b) {
                         const auto& x = a.as_object();
                         const auto& y = b.as_object();
                         return std::pair(x.at("workflow").as_string(), x.at("order").as_uint64()) <
                                std::pair(y.at("workflow").as_string(), y.at("order").as_uint64());
                     });
    for (auto& o : outcomes)
        o.as_object().erase("order");
    // Open deviations: each unfinished action plan with the task that found it.
    json::array plans;
    AARSHJUL_TRY_ASSIGN(auto open_plans, queries.open_action_plans());
    for (const auto& t : open_plans) {
        json::object plan{
            {"id", t.id},
            {"workflow", t.workflow_id},
            {"title", t.title},
            {"title_en", t.title_en},
            {"assignee", t.assignee},
            {"assignee_name", name_of(definitions, t.assignee)},
            {"due", t.due_date},
            {"state", to_string(t.state)},
            {"found_by", t.parent_task_id ? json::value(*t.parent_task_id) : json::value(nullptr)}};
        // The control that found the deviation: what, when, and its note.
        if (t.parent_task_id) {
            AARSHJUL_TRY_ASSIGN(auto parent, store.tasks().find(*t.parent_task_id));
            if (parent) {
                const auto [label, label_en] = outcome_label(
                    workflow_of(definitions, parent->workflow_id), parent->outcome.value_or(""));
                plan["found_title"] = parent->title;
                plan["found_title_en"] = parent->title_en;
                plan["found_outcome"] = parent->outcome.value_or("");
                plan["found_outcome_label"] = label;
                plan["found_outcome_label_en"] = label_en;
                plan["found_note"] = parent->note.value_or("");
                plan["found_at"] =
                    parent->completed_at ? iso(zone, *parent->completed_at) : std::string();
            }
        }
        plans.push_back(std::move(plan));
    }
    json::array escalations;
    AARSHJUL_TRY_ASSIGN(auto escalated, queries.escalations_between(from, to));
    for (const auto& e : escalated)
        escalations.push_back(json::object{{"task", e.task_id},
                                           {"workflow", e.workflow_id},
                                           {"title", e.title},
                                           {"assignee", e.assignee},
                                           {"at", iso(zone, e.at)},
                                           {"detail", e.detail}});
    json::array failed;
    AARSHJUL_TRY_ASSIGN(auto given_up, queries.failed_notices_between(from, to));
    for (const auto& n : given_up)
        failed.push_back(json::object{{"id", n.id},
                                      {"channel", n.channel},
                                      {"recipient", n.recipient},
                                      {"recipient_name", name_of(definitions, n.recipient)},
                                      {"kind", n.kind},
                                      {"subject", n.subject},
                                      {"attempts", n.attempts},
                                      {"last_error", n.last_error},
                                      {"created_at", iso(zone, n.created_at)}});
    AARSHJUL_TRY_ASSIGN(auto wheel, read_report_wheel(queries, workflows, zone, now, quarter.year));
    // This quarter beside the four before it, oldest first.
    std::vector<TrendQuarter> spans;
    for (int back = 4; back >= 0; --back) {
        const int n = quarter.year * 4 + (quarter.number - 1) - back;
        const auto q = *parse_quarter(fmt::format("{:04}Q{}", n / 4, n % 4 + 1));
        spans.push_back({q.label, q.first, q.last});
    }
    AARSHJUL_TRY_ASSIGN(auto trends, read_trends(queries, zone, workflows, spans));
    // Coverage: the year so far, to the quarter's end.
    const LocalDate year_first{date::year{quarter.year} / 1 / 1};
    AARSHJUL_TRY_ASSIGN(auto coverage,
                        read_coverage(queries, zone, workflows, year_first, quarter.last));
    return json::object{{"organisation", organisation},
                        {"quarter", quarter.label},
                        {"from", first},
                        {"to", last},
                        {"generated_at", zone.format_iso(now)},
                        {"frozen", false},
                        {"meeting", nullptr},
                        {"wheel", std::move(wheel)},
                        {"trends", std::move(trends)},
                        {"controls", std::move(controls)},
                        {"outcomes", std::move(outcomes)},
                        {"overdue", std::move(overdue)},
                        {"completions", std::move(completions)},
                        {"action_plans", std::move(plans)},
                        {"escalations", std::move(escalations)},
                        {"failed_deliveries", std::move(failed)},
                        {"coverage", std::move(coverage)}};
}

std::string render_report_html(const json::object& r, std::string_view lang) {
    const bool en = lang == "en";
    auto t = [&](const char* da, const char* english) { return en ? english : da; };
    auto e = [](const std::string& s) { return escape_markup(s); };
    std::string out;
    out += fmt::format("<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">"
                       "<title>{} {}</title>\n",
                       en ? "en" : "da", t("Kvartalsrapport", "Quarterly report"),
                       e(str(r, "quarter")));
    out += "<style>body{font-family:sans-serif;margin:2em;color:#111}table{border-collapse:"
           "collapse;width:100%;margin-bottom:1.5em}th,td{border:1px solid #999;padding:4px 6px;"
           "text-align:left;vertical-align:top}th{background:#eee}.behind{color:#a00;font-weight:"
           "bold}.wheel{max-width:36em;margin:0 auto 1.5em}@media "
           "print{body{margin:0}h2{page-break-after:avoid}tr{page-break-inside:"
           "avoid}}</style></head><body>\n";
    out += fmt::format("<h1>{} {} – {}</h1>\n", t("Kvartalsrapport", "Quarterly report"),
                       e(str(r, "quarter")), e(str(r, "organisation")));
    out += fmt::format("<p>{} {} – {}. {} {}.", t("Perioden", "Period"), e(str(r, "from")),
                       e(str(r, "to")), t("Udarbejdet", "Generated"), e(str(r, "generated_at")));
    if (auto m = r.find("meeting"); m != r.end() && m->value().is_string())
        out += fmt::format(" <strong>{} {}</strong>.",
                           t("Fastfrosset til mødet", "Frozen for the meeting of"),
                           e(std::string(m->value().as_string())));
    out += "</p>\n";

    if (auto wheel = report_wheel_svg(r, lang); !wheel.ok())
        out += fmt::format("<p class=\"behind\">{}</p>\n", e(wheel.error().to_string()));
    else if (*wheel)
        out += fmt::format("<h2>{}</h2>\n<div class=\"wheel\">{}</div>\n",
                           t("Årshjulet", "The annual cycle"), **wheel);

    if (const json::object* trends = obj(r, "trends")) {
        out += fmt::format("<h2>{}</h2>\n<p><small>{}</small></p>\n<table class=\"trends\"><tr>"
                           "<th>{}</th>",
                           t("Udvikling pr. gruppe: dette kvartal og de fire før",
                             "Trends per group: this quarter and the four before"),
                           t("Hver celle: udført til tiden · for sent · overskredet, af forfaldne "
                             "i kvartalet (som de står nu).",
                             "Each cell: done on time · late · overdue, of those due in the "
                             "quarter (as they stand now)."),
                           t("Gruppe", "Group"));
        for (const auto& q : arr(*trends, "quarters"))
            out += fmt::format("<th>{}</th>", e(q.is_string() ? std::string(q.as_string()) : ""));
        out += "</tr>\n";
        for (const auto& g : arr(*trends, "groups")) {
            const auto& group = g.as_object();
            const auto id = workflow_group_from_string(str(group, "group"));
            out += fmt::format("<tr data-group=\"{}\"><td>{}</td>", e(str(group, "group")),
                               e(id ? std::string(group_label(*id, lang)) : str(group, "group")));
            for (const auto& c : arr(group, "quarters")) {
                const auto& cell = c.as_object();
                const auto overdue = report_fields::int_of(cell, "overdue");
                out += fmt::format(
                    "<td{}>{} · {} · {} / {}</td>", overdue > 0 ? " class=\"behind\"" : "",
                    report_fields::int_of(cell, "on_time"), report_fields::int_of(cell, "late"),
                    overdue, report_fields::int_of(cell, "due"));
            }
            out += "</tr>\n";
        }
        out += "</table>\n";
    }

    out += fmt::format("<h2>{}</h2>\n<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th>"
                       "<th>{}</th><th>{}</th><th>{}</th></tr>\n",
                       t("Status pr. kontrol", "Status per control"), t("Kontrol", "Control"),
                       t("Opgaver", "Tasks"), t("Udført", "Done"), t("Fritaget", "Waived"),
                       t("Åbne", "Open"), t("Overskredet", "Overdue"), t("Status", "Status"));
    for (const auto& v : arr(r, "controls")) {
        const auto& c = v.as_object();
        const std::string status = str(c, "status");
        const char* label = status == "behind"        ? t("Bagud", "Behind")
                            : status == "in_progress" ? t("I gang", "In progress")
                                                      : t("Gennemført", "Complete");
        out += fmt::format("<tr><td>{} <small>({})</small></td><td>{}</td><td>{}</td><td>{}</td>"
                           "<td>{}</td><td>{}</td><td class=\"{}\">{}</td></tr>\n",
                           e(str(c, en ? "title_en" : "title")), e(str(c, "workflow")),
                           num(c, "tasks"), num(c, "done"), num(c, "waived"), num(c, "open"),
                           num(c, "overdue"), e(status), label);
    }
    out += "</table>\n";

    out += fmt::format("<h2>{}</h2>\n", t("Resultater af kontrollerne", "What the controls found"));
    if (arr(r, "outcomes").empty())
        out += fmt::format("<p>{}</p>\n", t("Ingen.", "None."));
    else {
        out += fmt::format("<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>\n",
                           t("Kontrol", "Control"), t("Resultat", "Outcome"), t("Antal", "Count"));
        for (const auto& v : arr(r, "outcomes")) {
            const auto& o = v.as_object();
            out += fmt::format("<tr><td>{} <small>({})</small></td><td>{}</td><td>{}</td></tr>\n",
                               e(in_language(o, "title", lang)), e(str(o, "workflow")),
                               e(in_language(o, "label", lang)), num(o, "count"));
        }
        out += "</table>\n";
    }

    out += fmt::format("<h2>{}</h2>\n", t("Overskredne opgaver", "Overdue tasks"));
    if (arr(r, "overdue").empty())
        out += fmt::format("<p>{}</p>\n", t("Ingen.", "None."));
    else {
        out +=
            fmt::format("<table><tr><th>#</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>\n",
                        t("Opgave", "Task"), t("Ansvarlig", "Owner"), t("Frist", "Due"),
                        t("Dage over", "Days late"));
        for (const auto& v : arr(r, "overdue")) {
            const auto& o = v.as_object();
            out +=
                fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"behind\">"
                            "{}</td></tr>\n",
                            num(o, "id"), e(in_language(o, "title", lang)),
                            e(str(o, "assignee_name")), e(str(o, "due")), num(o, "days_late"));
        }
        out += "</table>\n";
    }

    out += fmt::format("<h2>{}</h2>\n", t("Gennemførte opgaver", "Completed tasks"));
    if (arr(r, "completions").empty())
        out += fmt::format("<p>{}</p>\n", t("Ingen.", "None."));
    else {
        out += fmt::format("<table><tr><th>#</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>"
                           "<th>{}</th><th>{}</th></tr>\n",
                           t("Opgave", "Task"), t("Af", "By"), t("Tidspunkt", "When"),
                           t("Resultat", "Outcome"), t("Note", "Note"),
                           t("Dokumentation", "Evidence"));
        for (const auto& v : arr(r, "completions")) {
            const auto& c = v.as_object();
            const std::string evidence = str(c, "evidence");
            std::string title = e(in_language(c, "title", lang));
            std::string outcome = in_language(c, "outcome_label", lang);
            if (outcome.empty())
                outcome = str(c, "outcome");
            if (str(c, "kind") == "waived")
                title += t(" (fritaget)", " (waived)");
            out += fmt::format(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}"
                "</td></tr>\n",
                num(c, "id"), title, e(str(c, "by_name")), e(str(c, "at")), e(outcome),
                e(str(c, "note")),
                evidence.empty() ? "" : "<a href=\"" + e(evidence) + "\">" + e(evidence) + "</a>");
        }
        out += "</table>\n";
    }

    out += fmt::format("<h2>{}</h2>\n",
                       t("Åbne afvigelser og handlingsplaner", "Open deviations and action plans"));
    if (arr(r, "action_plans").empty())
        out += fmt::format("<p>{}</p>\n", t("Ingen.", "None."));
    else {
        out += fmt::format("<table class=\"action-plans\"><tr><th>#</th><th>{}</th><th>{}</th>"
                           "<th>{}</th><th>{}</th><th>{}</th></tr>\n",
                           t("Handlingsplan", "Action plan"), t("Fundet ved", "Found by"),
                           t("Afvigelsen", "The deviation"), t("Ansvarlig", "Owner"),
                           t("Frist", "Due"));
        for (const auto& v : arr(r, "action_plans")) {
            const auto& p = v.as_object();
            const std::string found_by = num(p, "found_by");
            std::string found;
            if (!found_by.empty()) {
                found = "#" + e(found_by) + " " + e(in_language(p, "found_title", lang)) +
                        " <small>(" + e(str(p, "workflow")) + ")</small>";
                if (auto label = in_language(p, "found_outcome_label", lang); !label.empty())
                    found += " – " + e(label);
                if (auto at = str(p, "found_at"); !at.empty())
                    found += " " + e(at.substr(0, 10));
            }
            const std::string state = str(p, "state");
            const bool late = state == "overdue" || state == "escalated";
            out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
                               "<td{}>{}</td></tr>\n",
                               num(p, "id"), e(in_language(p, "title", lang)), found,
                               e(str(p, "found_note")), e(str(p, "assignee_name")),
                               late ? " class=\"behind\"" : "", e(str(p, "due")));
        }
        out += "</table>\n";
    }

    out += fmt::format("<h2>{}</h2>\n", t("Eskalationer", "Escalations"));
    if (arr(r, "escalations").empty())
        out += fmt::format("<p>{}</p>\n", t("Ingen.", "None."));
    else {
        out += "<ul>\n";
        for (const auto& v : arr(r, "escalations")) {
            const auto& x = v.as_object();
            out += fmt::format("<li>{}: #{} {} – {}</li>\n", e(str(x, "at")), num(x, "task"),
                               e(str(x, "title")), e(str(x, "detail")));
        }
        out += "</ul>\n";
    }

    out += fmt::format("<h2>{}</h2>\n", t("Fejlede leveringer", "Failed deliveries"));
    if (arr(r, "failed_deliveries").empty())
        out += fmt::format("<p>{}</p>\n", t("Ingen.", "None."));
    else {
        out += fmt::format("<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>\n",
                           t("Kanal", "Channel"), t("Modtager", "Recipient"), t("Emne", "Subject"),
                           t("Fejl", "Error"));
        for (const auto& v : arr(r, "failed_deliveries")) {
            const auto& f = v.as_object();
            out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                               e(str(f, "channel")), e(str(f, "recipient_name")),
                               e(str(f, "subject")), e(str(f, "last_error")));
        }
        out += "</table>\n";
    }
    if (const json::object* coverage = obj(r, "coverage")) {
        out += fmt::format("<h2>{} {}</h2>\n", t("Dækning af", "Coverage of"),
                           e(str(*coverage, "standard")));
        std::string without;
        for (const auto& id : arr(*coverage, "without"))
            if (id.is_string())
                without += (without.empty() ? "" : ", ") + e(std::string(id.as_string()));
        out += fmt::format(
            "<p class=\"coverage-summary\">{} {} {} {}; {} {} {} – {}. {} {}{}</p>\n",
            num(*coverage, "with_duty"), t("af", "of"), num(*coverage, "controls_total"),
            t("kontroller har en pligt i årshjulet", "controls have a duty in the cycle"),
            num(*coverage, "evidenced"), t("er dokumenteret", "were evidenced"),
            e(str(*coverage, "from")), e(str(*coverage, "to")), num(*coverage, "without_duty"),
            t("har ingen", "have none"), without.empty() ? "" : ": " + without + ".");
        if (arr(*coverage, "controls").empty())
            out += fmt::format("<p>{}</p>\n", t("Ingen.", "None."));
        else
            out += fmt::format("<table class=\"coverage\"><tr><th>{}</th><th>{}</th><th>{}</th>"
                               "<th>{}</th><th>{}</th></tr>\n",
                               t("Kontrol", "Control"), t("Titel", "Title"), t("Pligter", "Duties"),
                               t("Dokumenteret i år", "Evidenced this year"),
                               t("Dokumentation", "Evidence"));
        for (const auto& v : arr(*coverage, "controls")) {
            const auto& c = v.as_object();
            std::string duties;
            for (const auto& d : arr(c, "duties")) {
                const auto& duty = d.as_object();
                duties += (duties.empty() ? "" : "<br>") + e(str(duty, "workflow")) + " " +
                          e(in_language(duty, "title", lang));
                if (auto on = duty.find("enabled"); on != duty.end() && on->value() == false)
                    duties += t(" <small>(slået fra)</small>", " <small>(switched off)</small>");
            }
            std::string links;
            int shown = 0, more = 0;
            for (const auto& x : arr(c, "evidence")) {
                const std::string link = str(x.as_object(), "evidence");
                if (link.empty())
                    continue;
                if (shown++ < kCoverageLinks)
                    links += (links.empty() ? "" : "<br>") + std::string("<a href=\"") + e(link) +
                             "\">" + e(link) + "</a>";
                else
                    ++more;
            }
            if (more > 0)
                links += fmt::format("<br>{} {}", t("og", "and"), more) + t(" flere", " more");
            const bool evidenced = c.find("evidenced") != c.end() && c.at("evidenced") == true;
            out += fmt::format(
                "<tr data-control=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td{}>{}</td><td>{}"
                "</td></tr>\n",
                e(str(c, "id")), e(str(c, "id")), e(str(c, "title")), duties,
                evidenced ? "" : " class=\"behind\"",
                evidenced ? fmt::format("{} ({})", t("Ja", "Yes"), num(c, "done"))
                          : std::string(t("Nej", "No")),
                links);
        }
        if (!arr(*coverage, "controls").empty())
            out += "</table>\n";
    }
    out += "</body></html>\n";
    return out;
}

Result<std::optional<json::object>> load_snapshot(ReadQueries& queries, const std::string& quarter,
                                                  const std::string& meeting) {
    AARSHJUL_TRY_ASSIGN(auto body, queries.snapshot(quarter, meeting));
    if (!body)
        return std::optional<json::object>{};
    boost::system::error_code ec;
    auto value = json::parse(*body, ec);
    if (ec || !value.is_object())
        return make_error("report snapshot " + quarter + "/" + meeting + " is not valid JSON");
    return std::optional<json::object>{std::move(value.as_object())};
}

Result<json::object> freeze_snapshot(ReadQueries& queries, const json::object& report,
                                     const std::string& meeting, const std::string& by, Instant now,
                                     bool* created) {
    const std::string quarter = str(report, "quarter");
    json::object frozen = report;
    frozen["frozen"] = true;
    frozen["meeting"] = meeting;
    frozen["frozen_by"] = by;
    AARSHJUL_TRY_ASSIGN(*created, queries.add_snapshot({quarter, meeting, to_unix(now), by},
                                                       json::serialize(frozen)));
    AARSHJUL_TRY_ASSIGN(auto stored, load_snapshot(queries, quarter, meeting));
    if (!stored)
        return make_error("the report snapshot was not stored");
    return std::move(*stored);
}

namespace {

enum class Format { Json, Html, Pdf };

Format format_of(const Request& request) {
    const std::string format = request.query_value("format");
    if (format == "pdf")
        return Format::Pdf;
    if (format == "html")
        return Format::Html;
    if (!format.empty())
        return Format::Json;
    return request.header("accept").find("text/html") != std::string::npos ? Format::Html
                                                                           : Format::Json;
}

// `language` as the wheel's API spells it, `lang` as the status page does.
std::string lang_of(const Request& request) {
    std::string lang = request.query_value("language");
    if (lang.empty())
        lang = request.query_value("lang");
    return lang == "en" ? "en" : "da";
}

Response report_response(const Request& request, const json::object& report) {
    switch (format_of(request)) {
    case Format::Html:
        return html_response(200, render_report_html(report, lang_of(request)));
    case Format::Pdf: {
        auto pdf = render_report_pdf(report, lang_of(request));
        if (!pdf.ok())
            return json_error(500, "internal", pdf.error().to_string());
        Response response = text_response(200, std::move(*pdf), "application/pdf");
        std::string name = "kvartalsrapport-" + str(report, "quarter");
        if (auto meeting = str(report, "meeting"); !meeting.empty())
            name += "-" + meeting;
        response.headers.emplace_back("Content-Disposition",
                                      "inline; filename=\"" + name + ".pdf\"");
        return response;
    }
    case Format::Json:
        break;
    }
    return json_response(200, report);
}

} // namespace

Response get_report(const Request& request, Context& context) {
    const std::string format = request.query_value("format");
    if (!format.empty() && format != "html" && format != "json" && format != "pdf")
        return json_error(400, "bad_parameter", "format must be json, html or pdf");
    std::optional<Quarter> quarter;
    if (auto q = request.query_value("quarter"); !q.empty()) {
        quarter = parse_quarter(q);
        if (!quarter)
            return json_error(400, "bad_parameter", "quarter must look like 2026Q4");
    } else {
        quarter = quarter_of(context.zone.local_date(context.clock.now()));
    }
    if (auto meeting = request.query_value("meeting"); !meeting.empty()) {
        if (!parse_local_date(meeting))
            return json_error(400, "bad_parameter", "meeting must be a date YYYY-MM-DD");
        auto stored = load_snapshot(context.store.queries(), quarter->label, meeting);
        if (!stored.ok())
            return json_error(500, "internal", stored.error().to_string());
        if (!*stored)
            return json_error(404, "not_found",
                              "no snapshot of " + quarter->label + " for the meeting of " +
                                  meeting + " (freeze one with POST /api/v1/report/snapshots)");
        return report_response(request, **stored);
    }
    auto report = build_report(context.store, context.zone, context.definitions.get(),
                               context.organisation, *quarter, context.clock.now());
    if (!report.ok())
        return json_error(500, "internal", report.error().to_string());
    return report_response(request, *report);
}

Response get_snapshots(const Request&, Context& context) {
    auto stored = context.store.queries().snapshots();
    if (!stored.ok())
        return json_error(500, "internal", stored.error().to_string());
    json::array items;
    for (const auto& snapshot : *stored)
        items.push_back(json::object{{"quarter", snapshot.quarter},
                                     {"meeting", snapshot.meeting},
                                     {"frozen_at", iso(context.zone, snapshot.created_at)},
                                     {"frozen_by", snapshot.created_by}});
    return json_response(200, json::object{{"snapshots", std::move(items)}});
}

Response post_snapshot(const Request& request, Context& context) {
    auto body = json_body(request);
    if (auto* refused = std::get_if<Response>(&body))
        return std::move(*refused);
    const auto& object = std::get<json::object>(body);
    auto q = string_member(object, "quarter");
    auto m = string_member(object, "meeting");
    if (std::holds_alternative<std::string>(q) || std::holds_alternative<std::string>(m))
        return json_error(400, "bad_field", "quarter and meeting must be strings");
    const auto quarter = parse_quarter(std::get<0>(q).value_or(""));
    const std::string meeting = std::get<0>(m).value_or("");
    if (!quarter || !parse_local_date(meeting))
        return json_error(422, "missing_field",
                          "give \"quarter\" (e.g. 2026Q4) and \"meeting\" (YYYY-MM-DD)");
    auto report = build_report(context.store, context.zone, context.definitions.get(),
                               context.organisation, *quarter, context.clock.now());
    if (!report.ok())
        return json_error(500, "internal", report.error().to_string());
    bool created = false;
    auto frozen = freeze_snapshot(context.store.queries(), *report, meeting,
                                  request.principal->name, context.clock.now(), &created);
    if (!frozen.ok())
        return json_error(500, "internal", frozen.error().to_string());
    return json_response(created ? 201 : 200, *frozen);
}

} // namespace aarshjul::http

// SPDX-License-Identifier: MPL-2.0
#include "http/report.h"

#include "http/context.h"
#include "http/handlers.h"
#include "http/json_util.h"

#include <boost/json.hpp>
#include <fmt/format.h>

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

std::string str(const json::object& o, std::string_view key) {
    auto it = o.find(key);
    if (it == o.end() || !it->value().is_string())
        return {};
    return std::string(it->value().as_string());
}

std::string num(const json::object& o, std::string_view key) {
    auto it = o.find(key);
    if (it == o.end())
        return {};
    return json::serialize(it->value());
}

const json::array& arr(const json::object& o, std::string_view key) {
    static const json::array empty;
    auto it = o.find(key);
    return it != o.end() && it->value().is_array() ? it->value().as_array() : empty;
}

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

Result<boost::json::object> build_report(ReadQueries& queries, const Zone& zone,
                                         const Definitions* definitions,
                                         const std::string& organisation, const Quarter& quarter,
                                         Instant now) {
    const std::string first = format_local_date(quarter.first);
    const std::string last = format_local_date(quarter.last);
    const std::int64_t from = to_unix(zone.start_of_day(quarter.first));
    const std::int64_t to = to_unix(zone.start_of_day(quarter.last + date::days{1}));
    const LocalDate today = zone.local_date(now);

    json::array controls;
    AARSHJUL_TRY_ASSIGN(auto counts, queries.controls_due(first, last));
    for (const auto& c : counts) {
        std::string title = c.workflow_id, title_en = c.workflow_id, source;
        if (definitions)
            for (const auto& wf : definitions->workflows)
                if (wf.id == c.workflow_id) {
                    title = wf.title.da;
                    title_en = wf.title.en;
                    source = wf.source;
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
                                       {"assignee", t.assignee},
                                       {"assignee_name", name_of(definitions, t.assignee)},
                                       {"due", t.due_date},
                                       {"days_late", days_late},
                                       {"state", to_string(t.state)},
                                       {"system", t.entity_id}});
    }
    json::array completions;
    AARSHJUL_TRY_ASSIGN(auto finished, queries.finished_between(from, to));
    for (const auto& t : finished) {
        const std::string by = t.completed_by.value_or("");
        completions.push_back(json::object{{"id", t.id},
                                           {"workflow", t.workflow_id},
                                           {"title", t.title},
                                           {"kind", to_string(t.state)},
                                           {"by", by},
                                           {"by_name", name_of(definitions, by)},
                                           {"at", iso(zone, t.completed_at.value_or(0))},
                                           {"note", t.note.value_or("")},
                                           {"evidence", t.evidence.value_or("")},
                                           {"outcome", t.outcome.value_or("")},
                                           {"due", t.due_date}});
    }
    // Open deviations: each unfinished action plan with the task that found it.
    json::array plans;
    AARSHJUL_TRY_ASSIGN(auto open_plans, queries.open_action_plans());
    for (const auto& t : open_plans)
        plans.push_back(json::object{{"id", t.id},
                                     {"workflow", t.workflow_id},
                                     {"title", t.title},
                                     {"assignee", t.assignee},
                                     {"assignee_name", name_of(definitions, t.assignee)},
                                     {"due", t.due_date},
                                     {"state", to_string(t.state)},
                                     {"found_by", t.parent_task_id ? json::value(*t.parent_task_id)
                                                                   : json::value(nullptr)}});
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
    return json::object{{"organisation", organisation},
                        {"quarter", quarter.label},
                        {"from", first},
                        {"to", last},
                        {"generated_at", zone.format_iso(now)},
                        {"frozen", false},
                        {"meeting", nullptr},
                        {"controls", std::move(controls)},
                        {"overdue", std::move(overdue)},
                        {"completions", std::move(completions)},
                        {"action_plans", std::move(plans)},
                        {"escalations", std::move(escalations)},
                        {"failed_deliveries", std::move(failed)}};
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
           "bold}@media print{body{margin:0}h2{page-break-after:avoid}tr{page-break-inside:"
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
                            num(o, "id"), e(str(o, "title")), e(str(o, "assignee_name")),
                            e(str(o, "due")), num(o, "days_late"));
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
            std::string title = e(str(c, "title"));
            if (str(c, "kind") == "waived")
                title += t(" (fritaget)", " (waived)");
            out += fmt::format(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}"
                "</td></tr>\n",
                num(c, "id"), title, e(str(c, "by_name")), e(str(c, "at")), e(str(c, "outcome")),
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
        out += fmt::format("<table><tr><th>#</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>"
                           "</tr>\n",
                           t("Handlingsplan", "Action plan"), t("Fundet ved", "Found by"),
                           t("Ansvarlig", "Owner"), t("Frist", "Due"));
        for (const auto& v : arr(r, "action_plans")) {
            const auto& p = v.as_object();
            const std::string found_by = num(p, "found_by");
            out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                               num(p, "id"), e(str(p, "title")),
                               found_by.empty() || found_by == "null"
                                   ? ""
                                   : "#" + e(found_by) + " (" + e(str(p, "workflow")) + ")",
                               e(str(p, "assignee_name")), e(str(p, "due")));
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

bool wants_html(const Request& request) {
    const std::string format = request.query_value("format");
    if (!format.empty())
        return format == "html";
    return request.header("accept").find("text/html") != std::string::npos;
}

std::string lang_of(const Request& request) {
    return request.query_value("lang") == "en" ? "en" : "da";
}

Response report_response(const Request& request, const json::object& report) {
    if (wants_html(request))
        return html_response(200, render_report_html(report, lang_of(request)));
    return json_response(200, report);
}

} // namespace

Response get_report(const Request& request, Context& context) {
    const std::string format = request.query_value("format");
    if (!format.empty() && format != "html" && format != "json")
        return json_error(400, "bad_parameter", "format must be json or html");
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
    auto report = build_report(context.store.queries(), context.zone, context.definitions.get(),
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
    auto report = build_report(context.store.queries(), context.zone, context.definitions.get(),
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

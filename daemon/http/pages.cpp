// Server-rendered pages: the status page at / and the one-click confirmation
// pages under /act. Plain HTML and CSS, no scripts; Danish by default, English
// with ?lang=en (and, on the confirmation pages, an English Accept-Language).

#include "app/status.h"
#include "http/handlers.h"
#include "http/json_util.h"

#include <charconv>
#include <fmt/format.h>

namespace aarshjul::http {

namespace {

// ?lang= decides; otherwise the confirmation pages follow the reader's
// browser, while the status page stays Danish (a meeting room's projector
// browser says little about its audience).
enum class Negotiate { No, Yes };

bool english(const Request& request, Negotiate negotiate) {
    const std::string lang = request.query_value("lang");
    if (!lang.empty())
        return lang == "en";
    return negotiate == Negotiate::Yes && request.header("accept-language").starts_with("en");
}

struct Words {
    bool en;
    const char* operator()(const char* da, const char* english) const { return en ? english : da; }
};

std::string page(bool en, const std::string& title, const std::string& body) {
    return fmt::format(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>{}</title><style>"
        "body{{font-family:system-ui,sans-serif;font-size:22px;margin:1.5em;background:#fff;"
        "color:#111;line-height:1.35}}h1{{font-size:2em;margin:0 0 .3em}}"
        "h2{{font-size:1.4em;margin-top:1.2em}}table{{border-collapse:collapse;width:100%}}"
        "th,td{{text-align:left;padding:.3em .6em;border-bottom:1px solid #bbb}}"
        ".overdue{{background:#fde2e2}}.bad{{color:#b00000;font-weight:bold}}"
        ".good{{color:#0a6b2a;font-weight:bold}}.num{{text-align:right}}.date{{white-space:nowrap}}"
        ".tiles{{display:flex;gap:1em;flex-wrap:wrap}}.tile{{border:2px solid #333;"
        "padding:.5em 1em;min-width:8em}}.tile b{{display:block;font-size:2em}}"
        "button{{font-size:1em;padding:.4em 1.2em}}textarea{{width:100%;font-size:.9em}}"
        "</style></head><body>\n{}</body></html>\n",
        en ? "en" : "da", html_escape(title), body);
}

std::string lines_table(const std::vector<DeadlineLine>& lines, const Context& context, Words t,
                        bool overdue) {
    std::string out = fmt::format(
        "<table><tr><th>#</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>\n",
        t("Frist", "Due"), t("Opgave", "Task"), t("Ansvarlig", "Owner"), t("Kontrol", "Control"));
    for (const auto& l : lines)
        out += fmt::format(
            "<tr{}><td>{}</td><td class=\"date\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            overdue ? " class=\"overdue\"" : "", l.task_id, html_escape(l.due_date),
            html_escape(l.title), html_escape(person_name(context, l.assignee)),
            html_escape(l.workflow_id));
    return out + "</table>\n";
}

// Decodes an application/x-www-form-urlencoded body; nullopt when malformed.
std::optional<std::map<std::string, std::string>> parse_form(std::string_view body) {
    auto decode = [](std::string_view in) -> std::optional<std::string> {
        std::string out;
        for (std::size_t i = 0; i < in.size(); ++i) {
            if (in[i] == '+') {
                out += ' ';
            } else if (in[i] == '%') {
                unsigned value = 0;
                if (i + 2 >= in.size())
                    return std::nullopt;
                auto [end, ec] = std::from_chars(in.data() + i + 1, in.data() + i + 3, value, 16);
                if (ec != std::errc() || end != in.data() + i + 3)
                    return std::nullopt;
                out += static_cast<char>(value);
                i += 2;
            } else {
                out += in[i];
            }
        }
        return out;
    };
    std::map<std::string, std::string> fields;
    while (!body.empty()) {
        const auto amp = body.find('&');
        const std::string_view pair = body.substr(0, amp);
        body = amp == std::string_view::npos ? "" : body.substr(amp + 1);
        if (pair.empty())
            continue;
        const auto eq = pair.find('=');
        auto key = decode(pair.substr(0, eq));
        auto value = decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1));
        if (!key || !value)
            return std::nullopt;
        fields.emplace(std::move(*key), std::move(*value));
    }
    return fields;
}

std::optional<std::int64_t> parse_id(std::string_view text) {
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || id <= 0)
        return std::nullopt;
    return id;
}

Response message_page(int status, bool en, const std::string& title, const std::string& text) {
    return html_response(
        status,
        page(en, title, "<h1>" + html_escape(title) + "</h1>\n<p>" + html_escape(text) + "</p>\n"));
}

// Checks a one-click link's parameters; the task or the refusing page.
std::variant<ActionClaims, Response> verify_link(Context& context, const std::string& id_text,
                                                 const std::string& p, const std::string& e,
                                                 const std::string& s, bool en) {
    Words t{en};
    if (!context.links)
        return message_page(
            503, en, t("Ikke tilgængelig", "Not available"),
            t("Links i påmindelser er ikke slået til.", "Links in reminders are not enabled."));
    const auto id = parse_id(id_text);
    if (!id)
        return message_page(404, en, t("Ukendt opgave", "Unknown task"),
                            t("Linket peger ikke på en opgave.", "The link names no task."));
    auto claims = context.links->verify(*id, p, e, s, context.clock.now());
    if (!claims.ok()) {
        const bool expired = claims.error().message.find("expired") != std::string::npos;
        return message_page(
            403, en,
            expired ? t("Linket er udløbet", "The link has expired")
                    : t("Linket er ugyldigt", "The link is not valid"),
            expired ? t("Linket i påmindelsen er for gammelt. Markér opgaven som udført på en "
                        "anden måde, eller vent på den næste påmindelse.",
                        "The link in the reminder is too old. Complete the task another way or "
                        "wait for the next reminder.")
                    : t("Linket er ændret eller ufuldstændigt. Brug linket præcis som det står i "
                        "påmindelsen.",
                        "The link was changed or is incomplete. Use it exactly as it appears in "
                        "the reminder."));
    }
    return std::move(*claims);
}

Response already_finished_page(const TaskRecord& task, Context& context, bool en) {
    Words t{en};
    std::string when =
        task.completed_at ? context.zone.format_iso(from_unix(*task.completed_at)) : std::string();
    return message_page(
        409, en, t("Opgaven er allerede afsluttet", "The task is already finished"),
        fmt::format("{} #{} ({}) {} {} {}.", t("Opgave", "Task"), task.id, task.title,
                    task.state == "waived" ? t("blev fritaget", "was waived")
                                           : t("blev markeret som udført", "was completed"),
                    task.completed_by ? t("af ", "by ") + person_name(context, *task.completed_by)
                                      : std::string(),
                    when));
}

} // namespace

Response get_status_page(const Request& request, Context& context) {
    const bool en = english(request, Negotiate::No);
    Words t{en};
    auto report = read_status(context.db, context.zone, context.clock.now());
    if (!report.ok())
        return message_page(500, en, "aarshjul", report.error().to_string());
    const auto& r = *report;
    std::string body;
    body += fmt::format("<h1>{} – {}</h1>\n<p>{} {}</p>\n", t("Årshjulet", "Annual cycle"),
                        html_escape(context.organisation), t("Status pr.", "Status as of"),
                        html_escape(r.today));
    body += "<div class=\"tiles\">";
    body +=
        fmt::format("<div class=\"tile\"><b class=\"{}\">{}</b>{}</div>",
                    r.total.overdue ? "bad" : "good", r.total.overdue, t("overskredet", "overdue"));
    body += fmt::format("<div class=\"tile\"><b>{}</b>{}</div>", r.total.due_soon,
                        fmt::format("{} {} {}", t("frist inden for", "due within"), r.due_soon_days,
                                    t("dage", "days")));
    body += fmt::format("<div class=\"tile\"><b>{}</b>{}</div>", r.total.on_track,
                        t("planlagt", "on track"));
    body += fmt::format("<div class=\"tile\"><b>{}</b>{} {}</div>", r.total.done_this_cycle,
                        t("udført siden", "done since"), html_escape(r.cycle_start));
    body += "</div>\n";
    body += fmt::format("<h2>{} ({})</h2>\n", t("Overskredne opgaver", "Overdue tasks"),
                        r.overdue.size());
    body += r.overdue.empty() ? fmt::format("<p class=\"good\">{}</p>\n",
                                            t("Ingen overskredne opgaver.", "Nothing is overdue."))
                              : lines_table(r.overdue, context, t, true);
    body += fmt::format("<h2>{}</h2>\n<table><tr><th>{}</th><th class=\"num\">{}</th>"
                        "<th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}"
                        "</th></tr>\n",
                        t("Kontroller", "Controls"), t("Kontrol", "Control"),
                        t("Overskredet", "Overdue"), t("Snart", "Due soon"),
                        t("Planlagt", "On track"), t("Udført i år", "Done this cycle"));
    for (const auto& wf : r.workflows) {
        std::string title = wf.workflow_id;
        if (context.definitions)
            for (const auto& def : context.definitions->workflows)
                if (def.id == wf.workflow_id)
                    title = en ? def.title.en : def.title.da;
        body +=
            fmt::format("<tr><td>{} <small>({})</small></td><td class=\"num{}\">{}</td>"
                        "<td class=\"num\">{}</td><td class=\"num\">{}</td>"
                        "<td class=\"num\">{}</td></tr>\n",
                        html_escape(title), html_escape(wf.workflow_id), wf.overdue ? " bad" : "",
                        wf.overdue, wf.due_soon, wf.on_track, wf.done_this_cycle);
    }
    body += "</table>\n";
    body += fmt::format("<h2>{}</h2>\n", t("Næste frister", "Next deadlines"));
    body += lines_table(r.upcoming, context, t, false);
    int failed = 0;
    for (const auto& c : r.channels)
        failed += c.failed;
    if (failed)
        body +=
            fmt::format("<p class=\"bad\">{} {}</p>\n", failed,
                        t("påmindelser kunne ikke leveres.", "notices could not be delivered."));
    const std::string token = request.query_value("token");
    const std::string keep = token.empty() ? "" : "&amp;token=" + html_escape(token);
    body += fmt::format("<p><a href=\"/?lang={}{}\">{}</a></p>\n", en ? "da" : "en", keep,
                        en ? "Dansk" : "English");
    Response response = html_response(
        200,
        page(en, t("Årshjulet", "Annual cycle") + std::string(" – ") + context.organisation, body));
    response.headers.emplace_back("Refresh", "300");
    return response;
}

Response get_action_page(const Request& request, Context& context) {
    const bool en = english(request, Negotiate::Yes);
    Words t{en};
    const std::string id = request.params.at(0);
    auto verified = verify_link(context, id, request.query_value("p"), request.query_value("e"),
                                request.query_value("s"), en);
    if (auto* refused = std::get_if<Response>(&verified))
        return std::move(*refused);
    const auto& claims = std::get<ActionClaims>(verified);
    auto task = get_task(context.db, claims.task_id);
    if (!task.ok())
        return message_page(500, en, "aarshjul", task.error().to_string());
    if (!*task)
        return message_page(404, en, t("Ukendt opgave", "Unknown task"),
                            t("Opgaven findes ikke.", "There is no such task."));
    if ((*task)->state == "done" || (*task)->state == "waived" || (*task)->state == "cancelled")
        return already_finished_page(**task, context, en);
    const auto& tr = **task;
    std::string body = fmt::format(
        "<h1>{}</h1>\n<p><strong>{}</strong><br>{} {} · {} {}</p>\n"
        "<form method=\"post\" action=\"/act/{}{}\">\n"
        "<input type=\"hidden\" name=\"p\" value=\"{}\">\n"
        "<input type=\"hidden\" name=\"e\" value=\"{}\">\n"
        "<input type=\"hidden\" name=\"s\" value=\"{}\">\n"
        "<p><label>{}<br><textarea name=\"note\" rows=\"3\" maxlength=\"4000\"></textarea>"
        "</label></p>\n<p><button type=\"submit\">{}</button></p>\n</form>\n",
        t("Markér opgaven som udført", "Mark the task as done"),
        html_escape(en ? tr.title_en : tr.title), t("Frist", "Due"), html_escape(tr.due_date),
        t("ansvarlig", "owner"), html_escape(person_name(context, claims.person)), tr.id,
        en ? "?lang=en" : "", html_escape(claims.person), claims.expires,
        html_escape(request.query_value("s")), t("Note (valgfri)", "Note (optional)"),
        t("Bekræft: opgaven er udført", "Confirm: the task is done"));
    return html_response(200, page(en, t("Bekræft", "Confirm"), body));
}

Response post_action(const Request& request, Context& context) {
    const bool en = english(request, Negotiate::Yes);
    Words t{en};
    const std::string type = request.header("content-type");
    if (type.find("application/x-www-form-urlencoded") == std::string::npos)
        return message_page(415, en, t("Forkert formular", "Wrong form"),
                            t("Send formularen fra bekræftelsessiden.",
                              "Submit the form of the confirmation page."));
    auto form = parse_form(request.body);
    if (!form)
        return message_page(400, en, t("Forkert formular", "Wrong form"),
                            t("Formularen kunne ikke læses.", "The form could not be read."));
    auto field = [&](const char* name) {
        auto it = form->find(name);
        return it == form->end() ? std::string() : it->second;
    };
    auto verified =
        verify_link(context, request.params.at(0), field("p"), field("e"), field("s"), en);
    if (auto* refused = std::get_if<Response>(&verified))
        return std::move(*refused);
    const auto& claims = std::get<ActionClaims>(verified);
    std::string note = field("note");
    if (note.size() > 4000)
        note.resize(4000);
    if (note.empty())
        note = "one-click link";
    auto finished = finish_task(context, std::to_string(claims.task_id), claims.person, note, "",
                                CompletionKind::Done);
    if (auto* refused = std::get_if<Response>(&finished)) {
        if (refused->status == 409)
            if (auto task = get_task(context.db, claims.task_id); task.ok() && *task)
                return already_finished_page(**task, context, en);
        return message_page(refused->status, en, t("Ikke gennemført", "Not completed"),
                            refused->body);
    }
    const auto& task = std::get<TaskRecord>(finished);
    return message_page(200, en, t("Tak – opgaven er udført", "Thank you – the task is done"),
                        fmt::format("{} #{} ({}) {} {}.", t("Opgave", "Task"), task.id,
                                    en ? task.title_en : task.title,
                                    t("er registreret som udført af", "is recorded as done by"),
                                    person_name(context, claims.person)));
}

} // namespace aarshjul::http

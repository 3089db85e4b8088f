// SPDX-License-Identifier: MPL-2.0
// Server-rendered pages for everyone: the status page at /, the one-click
// completion page under /act and "Mine opgaver" under /me. Plain HTML from the
// templates of daemon/http/pages, no scripts; each speaks the reader's language
// (see page_lang).

#include "app/status.h"
#include "http/handlers.h"
#include "http/json_util.h"
#include "http/page_common.h"
#include "http/wheel.h"
#include "util/error_kind.h"
#include "util/utf8.h"

#include <charconv>
#include <fmt/format.h>

namespace aarshjul::http {

namespace {

constexpr std::size_t kMaxNote = 4000;
constexpr int kMyTasksLimit = 200;
constexpr int kRecentLimit = 15;
constexpr int kCalendarLinkDays = 366;

std::optional<std::int64_t> parse_id(std::string_view text) {
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || id <= 0)
        return std::nullopt;
    return id;
}

PageData deadline_lines(const std::vector<DeadlineLine>& lines, const Context& context,
                        bool overdue) {
    PageData list = page_list();
    for (const auto& l : lines) {
        PageData line = page_object();
        line.set("id", std::to_string(l.task_id));
        line.set("due", l.due_date);
        line.set("title", l.title);
        line.set("assignee", person_name(context, l.assignee));
        line.set("workflow", l.workflow_id);
        line.set("overdue", page_bool(overdue));
        list.push_back(line);
    }
    PageData out = page_object();
    out.set("lines", list);
    return out;
}

// Checks a one-click link's parameters: the claims, or the refusing page.
std::variant<ActionClaims, Response> verify_link(const Request& request, Context& context,
                                                 const std::string& id_text, const std::string& p,
                                                 const std::string& e, const std::string& s,
                                                 Lang lang) {
    if (!context.links)
        return message_page(503, request, context, lang, "unavailable_heading", "links_disabled",
                            "refused");
    const auto id = parse_id(id_text);
    if (!id)
        return message_page(404, request, context, lang, "unknown_task_heading",
                            "unknown_task_text", "refused");
    auto claims = context.links->verify(*id, p, e, s, context.clock.now());
    if (!claims.ok()) {
        const bool expired = claims.error().message.find("expired") != std::string::npos;
        return message_page(403, request, context, lang,
                            expired ? "link_expired_heading" : "link_invalid_heading",
                            expired ? "link_expired_text" : "link_invalid_text", "refused");
    }
    return std::move(*claims);
}

Response finished_page(const Request& request, Context& context, const TaskRow& task, Lang lang) {
    PageData data = page_object();
    const std::string who =
        task.completed_by ? person_name(context, *task.completed_by) : std::string("?");
    const std::string when =
        task.completed_at ? context.zone.format_iso(from_unix(*task.completed_at)).substr(0, 16)
                          : std::string();
    data.set("heading", word(lang, "finished_heading"));
    data.set("text", fmt::format("{} #{} ({}) {} {} {}.", word(lang, "task"), task.id,
                                 lang == Lang::En ? task.title_en : task.title,
                                 word(lang, task.state == TaskState::Waived      ? "was_waived_by"
                                            : task.state == TaskState::Cancelled ? "was_withdrawn"
                                                                                 : "was_done_by"),
                                 task.state == TaskState::Cancelled ? std::string() : who, when));
    data.set("id", std::string("finished"));
    data.set("error", page_bool(true));
    return page_response(409, request, context, lang, "message", word(lang, "finished_heading"),
                         std::move(data));
}

// The one-click page for `task`, with what was typed and why it was refused.
Response act_page(int status, const Request& request, Context& context, const TaskRow& task,
                  const ActionClaims& claims, const std::string& signature, Lang lang,
                  const CompletionForm& typed) {
    CompletionForm form = typed;
    form.form_id = "complete";
    form.action =
        "/act/" + std::to_string(task.id) +
        (request.query_value("lang").empty() ? "" : "?lang=" + std::string(lang_code(lang)));
    form.hidden = {{"p", claims.person}, {"e", std::to_string(claims.expires)}, {"s", signature}};
    PageData data = page_object();
    data.set("task", task_data(context, task, lang));
    data.set("person_name", person_name(context, claims.person));
    data.set("form", completion_form(context, task, lang, form));
    return page_response(status, request, context, lang, "act", word(lang, "act_heading"),
                         std::move(data));
}

// The person a /me request is for: the signed personal link's, or whoever is
// signed in. Empty with a refusing page otherwise.
struct MeAccess {
    std::string person;
    std::vector<std::pair<std::string, std::string>> hidden; // what its forms carry
    std::optional<Response> refused;
};

MeAccess me_access(const Request& request, Context& context, const std::string& p,
                   const std::string& e, const std::string& s, Lang lang) {
    MeAccess out;
    if (!p.empty() || !s.empty()) {
        if (!context.links) {
            out.refused = message_page(503, request, context, lang, "unavailable_heading",
                                       "links_disabled", "refused");
            return out;
        }
        auto claims =
            context.links->verify_personal(PersonalLink::MyTasks, p, e, s, context.clock.now());
        if (!claims.ok()) {
            const bool expired = claims.error().message.find("expired") != std::string::npos;
            out.refused =
                message_page(403, request, context, lang,
                             expired ? "link_expired_heading" : "link_invalid_heading",
                             expired ? "me_link_expired_text" : "link_invalid_text", "refused");
            return out;
        }
        out.person = claims->person;
        out.hidden = {{"p", p}, {"e", e}, {"s", s}};
        return out;
    }
    if (request.web && !request.web->principal.person.empty()) {
        out.person = request.web->principal.person;
        out.hidden = {{"csrf", request.web->csrf}};
        return out;
    }
    if (request.web) { // the first-start admin is nobody in the directory
        out.refused =
            message_page(403, request, context, lang, "refused_heading", "me_no_person", "refused");
        return out;
    }
    out.refused = see_other("/signin?next=%2Fme");
    return out;
}

struct MeTyped {
    std::int64_t task_id = 0;
    CompletionForm form;
};

Response me_page(int status, const Request& request, Context& context, const MeAccess& access,
                 Lang lang, const std::optional<MeTyped>& typed, const std::string& flash) {
    const std::vector<std::string> systems = systems_of(context, access.person);
    auto open = context.store.queries().tasks_of_person(access.person, systems, TaskSet::Open,
                                                        kMyTasksLimit);
    auto recent = context.store.queries().tasks_of_person(access.person, systems, TaskSet::Finished,
                                                          kRecentLimit);
    if (!open.ok() || !recent.ok())
        return message_page(500, request, context, lang, "error_heading", "error_text");
    PageData tasks = page_list();
    for (const auto& task : *open) {
        PageData t = task_data(context, task, lang);
        CompletionForm form;
        if (typed && typed->task_id == task.id)
            form = typed->form;
        form.id_prefix = "t" + std::to_string(task.id) + "-";
        form.action = "/me/tasks/" + std::to_string(task.id) + "/complete";
        form.hidden = access.hidden;
        if (!request.query_value("lang").empty())
            form.hidden.emplace_back("lang", std::string(lang_code(lang)));
        std::string why;
        if (task.assignee != access.person)
            why = word(lang, "me_why_system") + " " + person_name(context, task.assignee);
        t.set("why", page_text(why));
        t.set("form", completion_form(context, task, lang, form));
        tasks.push_back(t);
    }
    PageData done = page_list();
    for (const auto& task : *recent) {
        PageData t = task_data(context, task, lang);
        t.set("when", task.completed_at
                          ? context.zone.format_iso(from_unix(*task.completed_at)).substr(0, 10)
                          : std::string());
        done.push_back(t);
    }
    PageData data = page_object();
    data.set("person_name", person_name(context, access.person));
    const Person* person =
        context.definitions ? context.definitions->directory.find_person(access.person) : nullptr;
    data.set("email", page_text(person ? person->email : std::string()));
    data.set("tasks", tasks);
    data.set("open_count", std::to_string(open->size()));
    data.set("recent", done);
    data.set("has_recent", page_bool(!recent->empty()));
    data.set("flash", page_text(flash));
    std::string calendar;
    if (context.links)
        calendar = context.links->personal_link(PersonalLink::Calendar, access.person,
                                                to_unix(context.clock.now()) +
                                                    std::int64_t{kCalendarLinkDays} * 24 * 3600);
    data.set("calendar_url", calendar);
    return page_response(status, request, context, lang, "me", word(lang, "me_heading"),
                         std::move(data));
}

} // namespace

Response get_status_page(const Request& request, Context& context) {
    // A meeting room's projector says little about its audience: Danish unless
    // asked, or the signed-in person's language.
    const Lang lang = request.query_value("lang").empty() && !request.web
                          ? Lang::Da
                          : page_lang(request, context);
    auto report = read_status(context.store.queries(), context.zone, context.clock.now());
    if (!report.ok())
        return message_page(500, request, context, lang, "error_heading", "error_text");
    const auto& r = *report;
    PageData data = page_object();
    data.set("today", r.today);
    data.set("cycle_start", r.cycle_start);
    data.set("due_soon_days", std::to_string(r.due_soon_days));
    PageData total = page_object();
    total.set("overdue", std::to_string(r.total.overdue));
    total.set("due_soon", std::to_string(r.total.due_soon));
    total.set("on_track", std::to_string(r.total.on_track));
    total.set("done", std::to_string(r.total.done_this_cycle));
    data.set("total", total);
    data.set("action_plans", page_text(r.open_action_plans > 0 ? std::to_string(r.open_action_plans)
                                                               : std::string()));
    data.set("any_overdue", page_bool(r.total.overdue > 0));
    data.set("overdue_count", std::to_string(r.overdue.size()));
    data.set("any_overdue_lines", page_bool(!r.overdue.empty()));
    data.set("overdue", deadline_lines(r.overdue, context, true));
    data.set("upcoming", deadline_lines(r.upcoming, context, false));
    PageData workflows = page_list();
    for (const auto& wf : r.workflows) {
        std::string title = wf.workflow_id;
        const WorkflowDef* found = nullptr;
        if (context.definitions)
            for (const auto& def : context.definitions->workflows)
                if (def.id == wf.workflow_id) {
                    title = lang == Lang::En ? def.title.en : def.title.da;
                    found = &def;
                }
        // "Ingen bemærkninger 3 · Kritisk afvigelse 1", in the workflow's words.
        std::string outcomes;
        for (const auto& [outcome, n] : wf.outcomes_this_cycle) {
            const OutcomeDef* o = found ? found->find_outcome(outcome) : nullptr;
            outcomes += (outcomes.empty() ? "" : " · ") +
                        (o ? o->label.in(lang_code(lang)) : outcome) + " " + std::to_string(n);
        }
        PageData w = page_object();
        w.set("outcomes", outcomes);
        w.set("id", wf.workflow_id);
        w.set("title", title);
        w.set("overdue", std::to_string(wf.overdue));
        w.set("overdue_any", page_bool(wf.overdue > 0));
        w.set("due_soon", std::to_string(wf.due_soon));
        w.set("on_track", std::to_string(wf.on_track));
        w.set("done", std::to_string(wf.done_this_cycle));
        workflows.push_back(w);
    }
    data.set("workflows", workflows);
    int failed = 0;
    for (const auto& c : r.channels)
        failed += c.failed;
    data.set("failed", page_text(failed ? std::to_string(failed) : std::string()));
    // This year's wheel, drawn inline (no JavaScript, no second request); its
    // marks link to the task pages only for those who may open them.
    WheelRequest wheel;
    wheel.first_month = context.wheel_first_month;
    wheel.year = wheel_year_of(*parse_local_date(r.today), wheel.first_month);
    wheel.language = std::string(lang_code(lang));
    wheel.due_soon_days = r.due_soon_days;
    const auto* who =
        request.web ? &request.web->principal : (request.principal ? &*request.principal : nullptr);
    wheel.links = who && who->role >= Role::Coordinator;
    auto svg = wheel_svg(context, std::move(wheel));
    ignore_error(svg, "the status page shows its tables without the wheel");
    data.set("wheel", page_text(svg.ok() ? *svg : std::string()));
    Response response =
        page_response(200, request, context, lang, "status", context.organisation, std::move(data));
    response.headers.emplace_back("Refresh", "300");
    return response;
}

Response get_action_page(const Request& request, Context& context) {
    const std::string p = request.query_value("p");
    const Lang lang = page_lang(request, context, p);
    auto verified = verify_link(request, context, request.params.at(0), p, request.query_value("e"),
                                request.query_value("s"), lang);
    if (auto* refused = std::get_if<Response>(&verified))
        return std::move(*refused);
    const auto& claims = std::get<ActionClaims>(verified);
    auto task = context.store.tasks().find(claims.task_id);
    if (!task.ok())
        return message_page(500, request, context, lang, "error_heading", "error_text");
    if (!*task)
        return message_page(404, request, context, lang, "unknown_task_heading",
                            "unknown_task_text", "refused");
    if (is_terminal((*task)->state))
        return finished_page(request, context, **task, lang);
    return act_page(200, request, context, **task, claims, request.query_value("s"), lang, {});
}

Response post_action(const Request& request, Context& context) {
    Lang lang = page_lang(request, context);
    if (request.header("content-type").find("application/x-www-form-urlencoded") ==
        std::string::npos)
        return message_page(415, request, context, lang, "wrong_form_heading", "wrong_form_text",
                            "refused");
    auto form = parse_form(request.body);
    if (!form)
        return message_page(400, request, context, lang, "wrong_form_heading",
                            "form_unreadable_text", "refused");
    const std::string p = form_field(*form, "p");
    lang = page_lang(request, context, p);
    auto verified = verify_link(request, context, request.params.at(0), p, form_field(*form, "e"),
                                form_field(*form, "s"), lang);
    if (auto* refused = std::get_if<Response>(&verified))
        return std::move(*refused);
    const auto& claims = std::get<ActionClaims>(verified);
    CompletionForm typed;
    typed.note = std::string(truncate_utf8(form_field(*form, "note"), kMaxNote));
    typed.evidence = form_field(*form, "evidence");
    typed.outcome = form_field(*form, "outcome");
    auto task = context.store.tasks().find(claims.task_id);
    if (!task.ok() || !*task)
        return message_page(404, request, context, lang, "unknown_task_heading",
                            "unknown_task_text", "refused");
    if (!typed.evidence.empty() && !valid_evidence(typed.evidence)) {
        typed.error = word(lang, "refused_evidence_format");
        return act_page(422, request, context, **task, claims, form_field(*form, "s"), lang, typed);
    }
    auto done = complete_task(context, std::to_string(claims.task_id), claims.person,
                              typed.note.empty() ? "one-click link" : typed.note, typed.evidence,
                              CompletionKind::Done, typed.outcome);
    if (!done.ok()) {
        if (done.error().kind == ErrorKind::Conflict)
            if (auto now = context.store.tasks().find(claims.task_id); now.ok() && *now)
                return finished_page(request, context, **now, lang);
        typed.error = refusal_text(done.error(), lang);
        return act_page(http_status(done.error().kind), request, context, **task, claims,
                        form_field(*form, "s"), lang, typed);
    }
    PageData data = page_object();
    data.set("heading", word(lang, "done_heading"));
    data.set("text",
             fmt::format("{} #{} ({}) {} {}.", word(lang, "task"), done->id,
                         lang == Lang::En ? done->title_en : done->title,
                         word(lang, "recorded_done_by"), person_name(context, claims.person)));
    data.set("id", std::string("done"));
    if (context.links)
        data.set("link_url", context.links->personal_link(
                                 PersonalLink::MyTasks, claims.person,
                                 to_unix(context.clock.now()) +
                                     std::int64_t{context.link_valid_days} * 24 * 3600));
    data.set("link_text", word(lang, "nav_my_tasks"));
    return page_response(200, request, context, lang, "message", word(lang, "done_heading"),
                         std::move(data));
}

Response get_my_tasks(const Request& request, Context& context) {
    const std::string p = request.query_value("p");
    const Lang lang = page_lang(request, context, p);
    MeAccess access =
        me_access(request, context, p, request.query_value("e"), request.query_value("s"), lang);
    if (access.refused)
        return std::move(*access.refused);
    const std::string flash =
        request.query_value("done").empty() ? std::string() : word(lang, "me_flash_done");
    return me_page(200, request, context, access, lang, std::nullopt, flash);
}

Response post_my_task_complete(const Request& request, Context& context) {
    Lang lang = page_lang(request, context);
    auto form = parse_form(request.body);
    if (!form)
        return message_page(400, request, context, lang, "wrong_form_heading",
                            "form_unreadable_text", "refused");
    const std::string p = form_field(*form, "p");
    lang = page_lang(request, context, p);
    if (!form_field(*form, "lang").empty())
        lang = form_field(*form, "lang") == "en" ? Lang::En : Lang::Da;
    MeAccess access =
        me_access(request, context, p, form_field(*form, "e"), form_field(*form, "s"), lang);
    if (access.refused)
        return access.refused->status == 303 ? refused_page(request, context, lang, "refused_csrf")
                                             : std::move(*access.refused);
    // A session's form must carry its CSRF token; a personal link's carries
    // the link's signature instead (checked above).
    if (p.empty() && !same_secret(form_field(*form, "csrf"), request.web->csrf))
        return refused_page(request, context, lang, "refused_csrf");
    const auto id = parse_id(request.params.at(0));
    auto task = id ? context.store.tasks().find(*id) : Result<std::optional<TaskRow>>(std::nullopt);
    if (!task.ok() || !*task || !task_is_persons(context, **task, access.person))
        return message_page(404, request, context, lang, "unknown_task_heading",
                            "not_your_task_text", "refused");
    MeTyped typed;
    typed.task_id = (*task)->id;
    typed.form.note = std::string(truncate_utf8(form_field(*form, "note"), kMaxNote));
    typed.form.evidence = form_field(*form, "evidence");
    typed.form.outcome = form_field(*form, "outcome");
    if (!typed.form.evidence.empty() && !valid_evidence(typed.form.evidence)) {
        typed.form.error = word(lang, "refused_evidence_format");
        return me_page(422, request, context, access, lang, typed, {});
    }
    auto done = complete_task(context, std::to_string((*task)->id), access.person,
                              typed.form.note.empty() ? "Mine opgaver" : typed.form.note,
                              typed.form.evidence, CompletionKind::Done, typed.form.outcome);
    if (!done.ok()) {
        if (done.error().kind == ErrorKind::Conflict)
            if (auto now = context.store.tasks().find((*task)->id); now.ok() && *now)
                return finished_page(request, context, **now, lang);
        typed.form.error = refusal_text(done.error(), lang);
        return me_page(http_status(done.error().kind), request, context, access, lang, typed, {});
    }
    // Back to the list (POST/redirect/GET), keeping how the page was opened.
    std::string back = "/me?";
    if (!p.empty())
        back += context.links->personal_query(PersonalLink::MyTasks, p,
                                              std::stoll(form_field(*form, "e"))) +
                "&";
    back += "done=" + std::to_string(done->id);
    if (!form_field(*form, "lang").empty())
        back += "&lang=" + form_field(*form, "lang");
    return see_other(back);
}

Response get_my_calendar(const Request& request, Context& context) {
    if (!context.links)
        return json_error(503, "unavailable", "links are not enabled");
    auto claims = context.links->verify_personal(PersonalLink::Calendar, request.query_value("p"),
                                                 request.query_value("e"), request.query_value("s"),
                                                 context.clock.now());
    if (!claims.ok())
        return json_error(403, "forbidden",
                          "the calendar link is not valid: " + claims.error().message);
    // The person's feed, as /api/v1/calendar.ics?person= gives it.
    Request feed = request;
    feed.query = {{"person", claims->person}};
    return get_calendar(feed, context);
}

} // namespace aarshjul::http

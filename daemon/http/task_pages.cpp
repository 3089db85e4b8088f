// SPDX-License-Identifier: MPL-2.0
// The coordinator's task pages: the list with its filters (/tasks), one task
// with its history (/tasks/<id>) and the two forms on it, completing for
// someone (/tasks/<id>/complete) and waiving (/tasks/<id>/waive). Plain HTML
// from the templates of daemon/http/pages; the router lets only coordinators
// and admins in and checks every POST's CSRF token.

#include "engine/notice_text.h"
#include "engine/task_timing.h"
#include "http/handlers.h"
#include "http/json_util.h"
#include "http/page_common.h"
#include "util/utf8.h"

#include <algorithm>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <charconv>

namespace aarshjul::http {

namespace {

constexpr int kPageSize = 50;
constexpr std::size_t kMaxText = 4000; // notes and reasons, as the API

// The state choices of the filter: everything, two groups and each state.
// A group is the comma-separated list the API takes as well.
struct StateChoice {
    std::string_view value;
    std::string_view word_key; // "" = the state's own word
};
constexpr StateChoice kStateChoices[] = {
    {"", "filter_all"},
    {"open,due,overdue,escalated", "filter_unfinished"},
    {"overdue,escalated", "filter_overdue"},
    {"scheduled", ""},
    {"open", ""},
    {"due", ""},
    {"overdue", ""},
    {"escalated", ""},
    {"done", ""},
    {"waived", ""},
    {"cancelled", ""},
};

// What the list was asked for, as read from the query.
struct ListQuery {
    TaskFilter filter;
    std::string state; // as given, to select the choice again
    std::string person;
    int page = 1;
    std::string error; // why a parameter was not understood
};

ListQuery read_list_query(const Request& request, Lang lang) {
    ListQuery q;
    // Several state= parameters (a multiple select) and comma lists both work.
    for (auto [it, end] = request.query.equal_range("state"); it != end; ++it) {
        q.state += (q.state.empty() || it->second.empty() ? "" : ",") + it->second;
        std::string_view list = it->second;
        while (!list.empty()) {
            const auto comma = list.find(',');
            std::string state(list.substr(0, comma));
            if (!state.empty() && task_state_from_string(state))
                q.filter.states.push_back(std::move(state));
            else if (!state.empty())
                q.error = word(lang, "filter_bad_state");
            list = comma == std::string_view::npos ? "" : list.substr(comma + 1);
        }
    }
    q.filter.workflow = request.query_value("workflow");
    q.person = request.query_value("person");
    q.filter.assignee = q.person;
    q.filter.system = request.query_value("system");
    for (auto [name, out] :
         {std::pair{"due_from", &q.filter.due_from}, std::pair{"due_to", &q.filter.due_to}}) {
        *out = request.query_value(name);
        if (!out->empty() && !parse_local_date(*out)) {
            q.error = word(lang, "filter_bad_date");
            out->clear();
        }
    }
    if (const std::string page = request.query_value("page"); !page.empty()) {
        int n = 0;
        auto [end, ec] = std::from_chars(page.data(), page.data() + page.size(), n);
        if (ec != std::errc() || end != page.data() + page.size() || n < 1 || n > 1'000'000)
            q.error = word(lang, "filter_bad_page");
        else
            q.page = n;
    }
    q.filter.limit = kPageSize;
    q.filter.offset = (q.page - 1) * kPageSize;
    return q;
}

// The list's URL for another page, keeping the filters and the language.
std::string list_url(const Request& request, int page) {
    std::string query;
    for (const auto& [key, value] : request.query) {
        if (key == "page" || value.empty())
            continue;
        query += query.empty() ? "?" : "&";
        query += boost::urls::encode(key, boost::urls::unreserved_chars) + "=" +
                 boost::urls::encode(value, boost::urls::unreserved_chars);
    }
    if (page > 1)
        query += (query.empty() ? "?" : "&") + std::string("page=") + std::to_string(page);
    return "/tasks" + query;
}

// (value, label, selected) options of a select, with a first "all" option.
PageData select_options(const std::vector<std::pair<std::string, std::string>>& choices,
                        const std::string& chosen, Lang lang) {
    PageData list = page_list();
    PageData all = page_object();
    all.set("value", std::string());
    all.set("label", word(lang, "filter_all"));
    all.set("selected", page_bool(chosen.empty()));
    list.push_back(all);
    for (const auto& [value, label] : choices) {
        PageData o = page_object();
        o.set("value", value);
        o.set("label", label);
        o.set("selected", page_bool(value == chosen));
        list.push_back(o);
    }
    return list;
}

PageData filter_data(const Context& context, const ListQuery& q, Lang lang) {
    PageData f = page_object();
    PageData states = page_list();
    for (const auto& choice : kStateChoices) {
        PageData o = page_object();
        o.set("value", std::string(choice.value));
        o.set("label", choice.word_key.empty() ? state_word(choice.value, lang)
                                               : word(lang, choice.word_key));
        o.set("selected", page_bool(choice.value == q.state));
        states.push_back(o);
    }
    // A combination the choices do not have (from a link) is still shown.
    bool known = false;
    for (const auto& choice : kStateChoices)
        known = known || choice.value == q.state;
    if (!known) {
        std::string label;
        for (const auto& state : q.filter.states)
            label += (label.empty() ? "" : ", ") + state_word(state, lang);
        PageData o = page_object();
        o.set("value", q.state);
        o.set("label", label);
        o.set("selected", page_bool(true));
        states.push_back(o);
    }
    f.set("states", states);
    std::vector<std::pair<std::string, std::string>> controls, systems;
    if (context.definitions) {
        for (const auto& wf : context.definitions->workflows)
            controls.emplace_back(wf.id,
                                  wf.id + " – " + (lang == Lang::En ? wf.title.en : wf.title.da));
        for (const auto& s : context.definitions->directory.systems)
            systems.emplace_back(s.id, s.name.empty() ? s.id : s.name);
        std::sort(controls.begin(), controls.end());
        std::sort(systems.begin(), systems.end(),
                  [](const auto& a, const auto& b) { return a.second < b.second; });
    }
    f.set("workflows", select_options(controls, q.filter.workflow, lang));
    f.set("people", select_options(directory_choices(context), q.person, lang));
    f.set("systems", select_options(systems, q.filter.system, lang));
    f.set("due_from", q.filter.due_from);
    f.set("due_to", q.filter.due_to);
    return f;
}

// A task's row in a table: its display fields, its control's id and its link.
PageData task_row(const Context& context, const TaskRow& task, Lang lang,
                  const std::string& lang_query) {
    PageData row = task_data(context, task, lang);
    row.set("workflow", task.workflow_id);
    row.set("href", "/tasks/" + std::to_string(task.id) + lang_query);
    return row;
}

// The words of a history entry's kind: its own, a state's, or the kind itself.
std::string history_kind(std::string_view kind, Lang lang) {
    return word_or(lang, "history_" + std::string(kind),
                   task_state_from_string(kind) ? state_word(kind, lang) : std::string(kind));
}

// What was typed into the task page's forms, kept when one is refused.
struct TaskTyped {
    CompletionForm complete;
    std::string reason;
    std::string waive_by;
    std::string waive_error;
};

// The principal's own person, or "" (the first-start admin is nobody).
std::string own_person(const Request& request) {
    return request.principal ? request.principal->person : std::string();
}

std::vector<std::pair<std::string, std::string>> csrf_field(const Request& request) {
    if (!request.web)
        return {}; // a bearer token: no session, no CSRF token
    return {{"csrf", request.web->csrf}};
}

Response task_page(int status, const Request& request, Context& context, const TaskRow& task,
                   Lang lang, const TaskTyped& typed) {
    auto history = context.store.queries().task_history(task.id);
    if (!history.ok())
        return message_page(500, request, context, lang, "error_heading", "error_text");
    const std::string lang_query = kept_lang_query(request, lang);
    const std::string base = "/tasks/" + std::to_string(task.id);
    PageData data = page_object();
    PageData t = task_data(context, task, lang);
    const auto start = parse_local_date(task.start_date);
    t.set("start", start ? format_day(*start, lang_code(lang)) : task.start_date);
    if (task.completed_at)
        t.set("completed_at", local_minutes(context, from_unix(*task.completed_at)));
    t.set("origin", word_or(lang, "origin_" + task.origin, task.origin));
    t.set("reminders_sent", std::to_string(task.reminders_sent));
    t.set("escalations_sent", std::to_string(task.escalations_sent));
    empty_text_as_false(t, {"system", "completed_by"});
    data.set("task", t);
    PageData events = page_list();
    for (const auto& e : *history) {
        PageData row = page_object();
        row.set("at", local_minutes(context, from_unix(e.at)));
        row.set("kind", history_kind(e.kind, lang));
        row.set("actor", e.actor.empty() ? std::string() : person_name(context, e.actor));
        row.set("detail", e.detail);
        events.push_back(row);
    }
    data.set("history", events);
    data.set("has_history", page_bool(!history->empty()));
    const bool open = !is_terminal(task.state);
    data.set("open", page_bool(open));
    // A form refused because the task was finished meanwhile is not shown
    // again: its reason goes to the top of the page.
    data.set("error",
             open ? std::string()
                  : (typed.complete.error.empty() ? typed.waive_error : typed.complete.error));
    if (open) {
        CompletionForm form = typed.complete;
        form.form_id = "complete-for";
        form.id_prefix = "cf-";
        form.action = base + "/complete" + lang_query;
        form.hidden = csrf_field(request);
        form.by_choices = directory_choices(context);
        if (form.by.empty())
            form.by = task.assignee;
        PageData complete = completion_form(context, task, lang, form);
        empty_text_as_false(complete, {"error"});
        data.set("complete", complete);
        PageData waive = page_object();
        waive.set("action", base + "/waive" + lang_query);
        PageData hidden = page_list();
        for (const auto& [name, value] : csrf_field(request)) {
            PageData h = page_object();
            h.set("name", name);
            h.set("value", value);
            hidden.push_back(h);
        }
        waive.set("hidden", hidden);
        waive.set("reason", typed.reason);
        waive.set("error", typed.waive_error);
        // Who waives is who is signed in; the first-start admin names someone.
        const bool name_someone = own_person(request).empty();
        waive.set("has_by_choices", page_bool(name_someone));
        PageData choices = page_list();
        if (name_someone)
            for (const auto& [id, name] : directory_choices(context)) {
                PageData c = page_object();
                c.set("id", id);
                c.set("name", name);
                c.set("selected", page_bool(id == typed.waive_by));
                choices.push_back(c);
            }
        waive.set("by_choices", choices);
        empty_text_as_false(waive, {"error"});
        data.set("waive", waive);
    }
    data.set("back", "/tasks" + lang_query);
    empty_text_as_false(data, {"error"});
    return page_response(status, request, context, lang, "task",
                         word(lang, "task") + " #" + std::to_string(task.id), std::move(data));
}

// The task a /tasks/<id> route names, or the page that says there is none.
std::variant<TaskRow, Response> named_task(const Request& request, Context& context, Lang lang) {
    const auto id = parse_page_id(request.params.at(0));
    auto task = id ? context.store.tasks().find(*id) : Result<std::optional<TaskRow>>(std::nullopt);
    if (!task.ok())
        return message_page(500, request, context, lang, "error_heading", "error_text");
    if (!*task)
        return message_page(404, request, context, lang, "unknown_task_heading", "refused_no_task",
                            "refused");
    return std::move(**task);
}

} // namespace

Response get_task_list_page(const Request& request, Context& context) {
    const Lang lang = page_lang(request, context);
    const ListQuery q = read_list_query(request, lang);
    auto page = context.store.queries().list_tasks(q.filter);
    if (!page.ok())
        return message_page(500, request, context, lang, "error_heading", "error_text");
    const std::string lang_query = kept_lang_query(request, lang);
    PageData data = page_object();
    data.set("filters", filter_data(context, q, lang));
    data.set("lang_kept", page_bool(!lang_query.empty()));
    data.set("reset", "/tasks" + lang_query);
    data.set("error", q.error);
    PageData rows = page_list();
    for (const auto& task : page->tasks)
        rows.push_back(task_row(context, task, lang, lang_query));
    data.set("tasks", rows);
    data.set("has_tasks", page_bool(!page->tasks.empty()));
    data.set("total", std::to_string(page->total));
    const std::int64_t first = page->tasks.empty() ? 0 : q.filter.offset + 1;
    data.set("first", std::to_string(first));
    data.set("last",
             std::to_string(q.filter.offset + static_cast<std::int64_t>(page->tasks.size())));
    const std::int64_t pages = (page->total + kPageSize - 1) / kPageSize;
    data.set("page", std::to_string(q.page));
    data.set("pages", std::to_string(std::max<std::int64_t>(pages, 1)));
    data.set("prev", q.page > 1 ? list_url(request, q.page - 1) : std::string());
    data.set("next", q.page < pages ? list_url(request, q.page + 1) : std::string());
    empty_text_as_false(data, {"error", "prev", "next"});
    return page_response(q.error.empty() ? 200 : 400, request, context, lang, "tasks",
                         word(lang, "tasks_heading"), std::move(data));
}

Response get_task_page(const Request& request, Context& context) {
    const Lang lang = page_lang(request, context);
    auto task = named_task(request, context, lang);
    if (auto* refused = std::get_if<Response>(&task))
        return std::move(*refused);
    return task_page(200, request, context, std::get<TaskRow>(task), lang, {});
}

Response post_task_complete_page(const Request& request, Context& context) {
    const Lang lang = page_lang(request, context);
    auto form = parse_form(request.body);
    if (!form)
        return message_page(400, request, context, lang, "wrong_form_heading",
                            "form_unreadable_text", "refused");
    auto found = named_task(request, context, lang);
    if (auto* refused = std::get_if<Response>(&found))
        return std::move(*refused);
    const TaskRow& task = std::get<TaskRow>(found);
    TaskTyped typed;
    typed.complete.by = form_field(*form, "by");
    typed.complete.note = std::string(truncate_utf8(form_field(*form, "note"), kMaxText));
    typed.complete.evidence = form_field(*form, "evidence");
    typed.complete.outcome = form_field(*form, "outcome");
    if (typed.complete.by.empty()) {
        typed.complete.error = word(lang, "refused_person");
        return task_page(422, request, context, task, lang, typed);
    }
    if (!typed.complete.evidence.empty() && !valid_evidence(typed.complete.evidence)) {
        typed.complete.error = word(lang, "refused_evidence_format");
        return task_page(422, request, context, task, lang, typed);
    }
    auto done =
        complete_task(context, std::to_string(task.id), typed.complete.by, typed.complete.note,
                      typed.complete.evidence, CompletionKind::Done, typed.complete.outcome);
    if (!done.ok()) {
        typed.complete.error = refusal_text(done.error(), lang);
        // Finished meanwhile: the page shows who finished it, without the forms.
        auto now = context.store.tasks().find(task.id);
        return task_page(http_status(done.error().kind), request, context,
                         now.ok() && *now ? **now : task, lang, typed);
    }
    return see_other("/tasks/" + std::to_string(task.id) + kept_lang_query(request, lang));
}

Response post_task_waive_page(const Request& request, Context& context) {
    const Lang lang = page_lang(request, context);
    auto form = parse_form(request.body);
    if (!form)
        return message_page(400, request, context, lang, "wrong_form_heading",
                            "form_unreadable_text", "refused");
    auto found = named_task(request, context, lang);
    if (auto* refused = std::get_if<Response>(&found))
        return std::move(*refused);
    const TaskRow& task = std::get<TaskRow>(found);
    TaskTyped typed;
    typed.reason = std::string(truncate_utf8(form_field(*form, "reason"), kMaxText));
    typed.waive_by = form_field(*form, "by");
    std::string by = own_person(request);
    if (by.empty())
        by = typed.waive_by;
    if (typed.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
        typed.waive_error = word(lang, "waive_reason_missing");
        return task_page(422, request, context, task, lang, typed);
    }
    auto waived = complete_task(context, std::to_string(task.id), by, typed.reason, "",
                                CompletionKind::Waived);
    if (!waived.ok()) {
        typed.waive_error = waived.error().kind == ErrorKind::Invalid
                                ? word(lang, "refused_person")
                                : refusal_text(waived.error(), lang);
        auto now = context.store.tasks().find(task.id);
        return task_page(http_status(waived.error().kind), request, context,
                         now.ok() && *now ? **now : task, lang, typed);
    }
    return see_other("/tasks/" + std::to_string(task.id) + kept_lang_query(request, lang));
}

} // namespace aarshjul::http

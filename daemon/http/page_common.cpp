// SPDX-License-Identifier: MPL-2.0
#include "http/page_common.h"

#include "engine/notice_text.h"
#include "http/json_util.h"
#include "util/utf8.h"

#include <algorithm>
#include <boost/url/encode.hpp>
#include <boost/url/params_view.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <charconv>

namespace aarshjul::http {

namespace {

// The request's path and query with lang= set to the other language.
std::string other_lang_url(const Request& request, Lang lang) {
    std::string url = request.path.empty() ? "/" : request.path;
    std::string query;
    for (const auto& [key, value] : request.query) {
        if (key == "lang")
            continue;
        query += query.empty() ? "?" : "&";
        query += boost::urls::encode(key, boost::urls::unreserved_chars) + "=" +
                 boost::urls::encode(value, boost::urls::unreserved_chars);
    }
    query += query.empty() ? "?" : "&";
    return url + query + "lang=" + (lang == Lang::En ? "da" : "en");
}

} // namespace

Lang page_lang(const Request& request, const Context& context, std::string_view person) {
    const std::string lang = request.query_value("lang");
    if (!lang.empty())
        return lang == "en" ? Lang::En : Lang::Da;
    std::string who(person);
    if (who.empty() && request.web)
        who = request.web->principal.person;
    if (!who.empty() && context.definitions)
        if (const Person* p = context.definitions->directory.find_person(who); p && p->language_set)
            return p->language == "en" ? Lang::En : Lang::Da;
    return request.header("accept-language").starts_with("en") ? Lang::En : Lang::Da;
}

std::string word(Lang lang, std::string_view key) {
    return PageTemplates::builtin().word(lang, key);
}

Response page_response(int status, const Request& request, Context& context, Lang lang,
                       std::string_view name, const std::string& title, PageData data) {
    Chrome chrome;
    chrome.title = title + " – " + word(lang, "app_name");
    chrome.organisation = context.organisation;
    chrome.other_lang_url = other_lang_url(request, lang);
    if (request.web) {
        const Principal& who = request.web->principal;
        chrome.signed_in = true;
        chrome.person_name =
            who.person.empty() ? word(lang, "first_start_user") : person_name(context, who.person);
        chrome.coordinator = who.role >= Role::Coordinator;
        chrome.admin = who.role >= Role::Admin;
        chrome.csrf = request.web->csrf;
    } else if (request.principal) {
        chrome.coordinator = request.principal->role >= Role::Coordinator;
        chrome.admin = request.principal->role >= Role::Admin;
    }
    data.set("organisation", context.organisation);
    Response response =
        html_response(status, PageTemplates::builtin().render(name, lang, chrome, std::move(data)));
    // Pages show personal data and carry CSRF tokens: never cached, never framed.
    response.headers.emplace_back("Cache-Control", "no-store");
    response.headers.emplace_back("X-Frame-Options", "DENY");
    response.headers.emplace_back("Content-Security-Policy",
                                  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' "
                                  "data:; form-action 'self'; frame-ancestors 'none'");
    response.headers.emplace_back("Referrer-Policy", "no-referrer");
    return response;
}

Response message_page(int status, const Request& request, Context& context, Lang lang,
                      std::string_view heading_key, std::string_view text_key,
                      std::string_view id) {
    PageData data = page_object();
    data.set("heading", word(lang, heading_key));
    data.set("text", word(lang, text_key));
    data.set("id", std::string(id));
    data.set("error", page_bool(status >= 400));
    return page_response(status, request, context, lang, "message", word(lang, heading_key),
                         std::move(data));
}

Response refused_page(const Request& request, Context& context, Lang lang,
                      std::string_view text_key) {
    return message_page(403, request, context, lang, "refused_heading", text_key, "refused");
}

std::optional<Form> parse_form(std::string_view body) {
    // application/x-www-form-urlencoded is a query string with '+' for space
    // (Boost.URL decodes it); every name and value must be UTF-8.
    if (!boost::urls::parse_query(body))
        return std::nullopt;
    boost::urls::encoding_opts options;
    options.space_as_plus = true;
    Form fields;
    for (const auto& param : boost::urls::params_view(body, options)) {
        if (param.key.empty() && !param.has_value)
            continue;
        if (!valid_utf8(param.key) || !valid_utf8(param.value))
            return std::nullopt;
        fields.emplace(param.key, param.value);
    }
    return fields;
}

std::string form_field(const Form& form, std::string_view name) {
    auto it = form.find(std::string(name));
    return it == form.end() ? std::string() : it->second;
}

Response see_other(std::string_view location) {
    Response r = text_response(303, "", "text/plain; charset=utf-8");
    r.headers.emplace_back("Location", std::string(location));
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

std::string state_word(std::string_view state, Lang lang) {
    return word(lang, "state_" + std::string(state));
}

PageData task_data(const Context& context, const TaskRow& task, Lang lang) {
    PageData t = page_object();
    t.set("id", std::to_string(task.id));
    t.set("key", task.occurrence_key);
    t.set("title", lang == Lang::En ? task.title_en : task.title);
    std::string system;
    std::string control = task.workflow_id;
    std::string outcome = task.outcome.value_or("");
    if (context.definitions) {
        if (const System* s = context.definitions->directory.find_system(task.entity_id))
            system = s->name;
        for (const auto& wf : context.definitions->workflows)
            if (wf.id == task.workflow_id) {
                control = (lang == Lang::En ? wf.title.en : wf.title.da) + " (" + wf.id + ")";
                if (const OutcomeDef* o = wf.find_outcome(outcome))
                    outcome = o->label.in(lang_code(lang));
            }
    }
    // What the control found, in words ("Afvigelse"); the id when its workflow no longer says.
    t.set("outcome", page_text(outcome));
    t.set("outcome_id", task.outcome.value_or(""));
    t.set("parent_id", page_text(task.parent_task_id ? std::to_string(*task.parent_task_id) : ""));
    t.set("system", page_text(system));
    t.set("control", control);
    const std::string language(lang_code(lang));
    std::string due = task.due_date;
    if (task.due_at) {
        due = context.zone.format_iso(from_unix(*task.due_at));
        const Instant at = from_unix(*task.due_at);
        const auto local = context.zone.local_date(at);
        const std::string iso = context.zone.format_iso(at); // YYYY-MM-DDTHH:MM:SS+hh:mm
        due =
            format_day(local, language) + (lang == Lang::En ? " at " : " kl. ") + iso.substr(11, 5);
    } else if (auto day = parse_local_date(task.due_date)) {
        due = format_day(*day, language);
    }
    t.set("due", due);
    t.set("due_iso", task.due_date);
    t.set("overdue",
          page_bool(task.state == TaskState::Overdue || task.state == TaskState::Escalated));
    t.set("state", state_word(to_string(task.state), lang));
    t.set("state_id", std::string(to_string(task.state)));
    t.set("assignee", person_name(context, task.assignee));
    t.set("assignee_id", task.assignee);
    t.set("evidence", task.evidence.value_or(""));
    t.set("evidence_is_link", page_bool(task.evidence && valid_link(*task.evidence)));
    t.set("note", task.note.value_or(""));
    t.set("completed_by",
          page_text(task.completed_by ? person_name(context, *task.completed_by) : std::string()));
    t.set("completed_at", task.completed_at
                              ? context.zone.format_iso(from_unix(*task.completed_at)).substr(0, 16)
                              : std::string());
    return t;
}

PageData completion_form(const Context& context, const TaskRow& task, Lang lang,
                         const CompletionForm& form) {
    const WorkflowDef* wf = nullptr;
    if (context.definitions)
        for (const auto& w : context.definitions->workflows)
            if (w.id == task.workflow_id)
                wf = &w;
    PageData f = page_object();
    f.set("form_id", page_text(form.form_id));
    f.set("id_prefix", form.id_prefix);
    f.set("action", form.action);
    PageData hidden = page_list();
    for (const auto& [name, value] : form.hidden) {
        PageData h = page_object();
        h.set("name", name);
        h.set("value", value);
        hidden.push_back(h);
    }
    f.set("hidden", hidden);
    f.set("evidence_required", page_bool(wf && wf->evidence_required));
    f.set("evidence", form.evidence);
    f.set("note", form.note);
    f.set("error", page_text(form.error));
    // What the control found, when its workflow declares outcomes: one must be chosen.
    PageData outcomes = page_list();
    bool has_outcomes = false;
    if (wf && takes_outcome(task))
        for (const auto& o : wf->outcomes) {
            has_outcomes = true;
            PageData item = page_object();
            item.set("id", o.id);
            item.set("label", o.label.in(lang_code(lang)));
            item.set("checked", page_bool(o.id == form.outcome));
            outcomes.push_back(item);
        }
    f.set("has_outcomes", page_bool(has_outcomes));
    f.set("outcomes", outcomes);
    PageData choices = page_list();
    for (const auto& [id, name] : form.by_choices) {
        PageData c = page_object();
        c.set("id", id);
        c.set("name", name);
        c.set("selected", page_bool(id == form.by));
        choices.push_back(c);
    }
    f.set("has_by_choices", page_bool(!form.by_choices.empty()));
    f.set("by_choices", choices);
    return f;
}

std::string refusal_text(const Error& error, Lang lang) {
    if (error.kind == ErrorKind::Invalid && error.field == "evidence")
        return word(lang, "refused_evidence");
    if (error.kind == ErrorKind::Invalid && error.field == "by")
        return word(lang, "refused_person");
    if (error.kind == ErrorKind::Invalid && error.field == "outcome")
        return word(lang, "refused_outcome");
    if (error.kind == ErrorKind::Conflict)
        return word(lang, "refused_finished");
    if (error.kind == ErrorKind::NotFound)
        return word(lang, "refused_no_task");
    return word(lang, "refused_internal") + " (" + error.to_string() + ")";
}

std::string word_or(Lang lang, std::string_view key, std::string_view fallback) {
    std::string w = word(lang, key);
    return w == key ? std::string(fallback) : w;
}

void empty_text_as_false(PageData& object, std::initializer_list<std::string_view> keys) {
    for (std::string_view key : keys) {
        const std::string name(key);
        if (const PageData* value = object.get(name);
            value && value->is_string() && value->string_value().empty())
            object.set(name, page_bool(false));
    }
}

std::optional<std::int64_t> parse_page_id(std::string_view text) {
    std::int64_t id = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size() || id <= 0)
        return std::nullopt;
    return id;
}

std::string kept_lang_query(const Request& request, Lang lang) {
    if (request.query_value("lang").empty())
        return {};
    return "?lang=" + std::string(lang_code(lang));
}

std::vector<std::pair<std::string, std::string>> directory_choices(const Context& context) {
    std::vector<std::pair<std::string, std::string>> out;
    if (context.definitions)
        for (const auto& p : context.definitions->directory.people)
            out.emplace_back(p.id, p.name.empty() ? p.id : p.name);
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.second < b.second; });
    return out;
}

std::string local_minutes(const Context& context, Instant at) {
    std::string iso = context.zone.format_iso(at); // YYYY-MM-DDTHH:MM:SS+hh:mm
    iso[10] = ' ';
    return iso.substr(0, 16);
}

std::string local_day_time(const Context& context, Instant at, Lang lang) {
    const std::string iso = context.zone.format_iso(at); // YYYY-MM-DDTHH:MM:SS+hh:mm
    return format_day(context.zone.local_date(at), lang_code(lang)) +
           (lang == Lang::En ? " at " : " kl. ") + iso.substr(11, 5);
}

} // namespace aarshjul::http

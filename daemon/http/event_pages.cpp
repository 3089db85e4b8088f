// SPDX-License-Identifier: MPL-2.0
// The coordinator's event pages: the form that reports an incident or another
// event (/events/new, POST /events) and the page of a reported event with the
// tasks it started (/events/<id>). Recording is report_event's, as for the
// API; the router lets only coordinators and admins in and checks every
// POST's CSRF token.

#include "http/handlers.h"
#include "http/json_util.h"
#include "http/page_common.h"

#include <algorithm>
#include <charconv>

namespace aarshjul::http {

namespace {

// What was typed into the event form, kept when it is refused.
struct EventTyped {
    std::string type, title, at, detail, by;
    std::string error;
    EventFacts facts{}; // the triage answers, kept on a refusal
};

// The yes / no / unknown radios of one triage question.
PageData answer_choices(const std::string& chosen, Lang lang) {
    PageData list = page_list();
    for (const char* answer : {"yes", "no", "unknown"}) {
        PageData a = page_object();
        a.set("value", std::string(answer));
        a.set("label", word(lang, std::string("answer_") + answer));
        a.set("checked", page_bool(chosen == answer));
        list.push_back(a);
    }
    return list;
}

// A datetime-local value ("2027-04-15T08:30", seconds optional) read as local
// time in the organisation's zone. A time in the spring-forward gap or the
// repeated hour of autumn resolves as Zone::to_instant says.
std::optional<Instant> parse_local_minutes(const Zone& zone, std::string_view text) {
    if ((text.size() != 16 && text.size() != 19) || (text[10] != 'T' && text[10] != ' ') ||
        text[13] != ':' || (text.size() == 19 && text[16] != ':'))
        return std::nullopt;
    const auto day = parse_local_date(text.substr(0, 10));
    auto two_digits = [&](std::size_t at) -> std::optional<int> {
        int value = 0;
        auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + 2, value);
        if (ec != std::errc() || end != text.data() + at + 2)
            return std::nullopt;
        return value;
    };
    const auto hour = two_digits(11);
    const auto minute = two_digits(14);
    const auto second = text.size() == 19 ? two_digits(17) : std::optional<int>(0);
    if (!day || !hour || !minute || !second || *hour > 23 || *minute > 59 || *second > 59)
        return std::nullopt;
    const LocalTime local = *day + std::chrono::hours{*hour} + std::chrono::minutes{*minute} +
                            std::chrono::seconds{*second};
    return zone.to_instant(local);
}

// The words of an event type ("incident"), or the type itself.
std::string event_type_word(const std::string& type, Lang lang) {
    return word_or(lang, "event_type_" + type, type);
}

// The event types the loaded workflows are triggered by, in the order of the
// workflows, each with the controls it starts.
std::vector<std::pair<std::string, std::string>> event_types(const Context& context, Lang lang) {
    std::vector<std::pair<std::string, std::string>> types; // (type, controls)
    if (context.definitions)
        for (const auto& wf : context.definitions->workflows) {
            const std::string& type = wf.event_type();
            if (type.empty())
                continue;
            auto it = std::find_if(types.begin(), types.end(),
                                   [&](const auto& t) { return t.first == type; });
            if (it == types.end())
                types.emplace_back(type, wf.id);
            else
                it->second += ", " + wf.id;
        }
    // The type that starts the most controls (an incident) comes first.
    std::stable_sort(types.begin(), types.end(), [](const auto& a, const auto& b) {
        return std::count(a.second.begin(), a.second.end(), ',') >
               std::count(b.second.begin(), b.second.end(), ',');
    });
    for (auto& [type, controls] : types)
        controls = event_type_word(type, lang) + " (" + type + "): " + controls;
    return types;
}

Response event_form(int status, const Request& request, Context& context, Lang lang,
                    const EventTyped& typed) {
    PageData data = page_object();
    const auto known = event_types(context, lang);
    PageData types = page_list();
    for (const auto& [type, label] : known) {
        PageData o = page_object();
        o.set("value", type);
        o.set("label", label);
        o.set("selected", page_bool(type == typed.type));
        types.push_back(o);
    }
    data.set("has_types", page_bool(!known.empty()));
    data.set("types", types);
    data.set("action", "/events" + kept_lang_query(request, lang));
    data.set("csrf", request.web ? request.web->csrf : std::string());
    data.set("title", typed.title);
    data.set("at", typed.at);
    data.set("detail", typed.detail);
    data.set("zone", context.zone.name());
    data.set("error", typed.error);
    // Who reports is who is signed in; the first-start admin names someone.
    const bool name_someone = !request.principal || request.principal->person.empty();
    data.set("has_by_choices", page_bool(name_someone));
    PageData choices = page_list();
    if (name_someone)
        for (const auto& [id, name] : directory_choices(context)) {
            PageData c = page_object();
            c.set("id", id);
            c.set("name", name);
            c.set("selected", page_bool(id == typed.by));
            choices.push_back(c);
        }
    data.set("by_choices", choices);
    // Triage: which clocks start (unknown starts them: a missed deadline cannot be undone).
    data.set("personal_data_answers", answer_choices(typed.facts.personal_data, lang));
    data.set("significant_answers", answer_choices(typed.facts.significant, lang));
    PageData systems = page_list();
    if (context.definitions)
        for (const auto& sys : context.definitions->directory.systems) {
            PageData o = page_object();
            o.set("id", sys.id);
            o.set("name", sys.name);
            o.set("selected",
                  page_bool(std::find(typed.facts.systems.begin(), typed.facts.systems.end(),
                                      sys.id) != typed.facts.systems.end()));
            systems.push_back(o);
        }
    data.set("systems", systems);
    PageData suppliers = page_list();
    if (context.definitions)
        for (const auto& p : context.definitions->directory.processors) {
            PageData o = page_object();
            o.set("id", p.id);
            o.set("name", p.name);
            o.set("selected", page_bool(p.id == typed.facts.supplier));
            suppliers.push_back(o);
        }
    data.set("suppliers", suppliers);
    PageData people = page_list();
    for (const auto& [id, name] : directory_choices(context)) {
        PageData c = page_object();
        c.set("id", id);
        c.set("name", name);
        c.set("selected", page_bool(id == typed.facts.person));
        people.push_back(c);
    }
    data.set("people", people);
    empty_text_as_false(data, {"error", "csrf"});
    return page_response(status, request, context, lang, "event_new", word(lang, "event_heading"),
                         std::move(data));
}

// What a refused event says, by the field report_event names.
std::string event_refusal(const Error& error, Lang lang) {
    if (error.field == "systems" || error.field == "supplier" || error.field == "person" ||
        error.field == "personal_data" || error.field == "significant")
        return error.message;
    if (error.field == "type")
        return word(lang, "event_refused_type");
    if (error.field == "title")
        return word(lang, "event_refused_title");
    if (error.field == "detail")
        return word(lang, "event_refused_detail");
    return word(lang, "event_refused_by");
}

} // namespace

Response get_event_form(const Request& request, Context& context) {
    return event_form(200, request, context, page_lang(request, context), {});
}

Response post_event_form(const Request& request, Context& context) {
    const Lang lang = page_lang(request, context);
    auto form = parse_form(request.body);
    if (!form)
        return message_page(400, request, context, lang, "wrong_form_heading",
                            "form_unreadable_text", "refused");
    EventTyped typed{form_field(*form, "type"), form_field(*form, "title"),
                     form_field(*form, "at"),   form_field(*form, "detail"),
                     form_field(*form, "by"),   {}};
    typed.facts.personal_data = form_field(*form, "personal_data");
    typed.facts.significant = form_field(*form, "significant");
    if (typed.facts.personal_data.empty())
        typed.facts.personal_data = "unknown";
    if (typed.facts.significant.empty())
        typed.facts.significant = "unknown";
    // One system from the form (the API and the CLI take several).
    if (const std::string system = form_field(*form, "system"); !system.empty())
        typed.facts.systems.push_back(system);
    typed.facts.supplier = form_field(*form, "supplier");
    typed.facts.person = form_field(*form, "person");
    EventReport event{typed.type, typed.title, std::nullopt, typed.detail,
                      request.principal->person.empty() ? typed.by : request.principal->person};
    event.facts = typed.facts;
    if (!typed.at.empty()) {
        event.at = parse_local_minutes(context.zone, typed.at);
        if (!event.at) {
            typed.error = word(lang, "event_refused_at");
            return event_form(422, request, context, lang, typed);
        }
    }
    auto recorded = report_event(context, event);
    if (!recorded.ok()) {
        if (recorded.error().kind != ErrorKind::Invalid)
            return message_page(500, request, context, lang, "error_heading", "error_text");
        typed.error = event_refusal(recorded.error(), lang);
        return event_form(422, request, context, lang, typed);
    }
    return see_other("/events/" + std::to_string(recorded->id) + kept_lang_query(request, lang));
}

Response get_event_page(const Request& request, Context& context) {
    const Lang lang = page_lang(request, context);
    const auto id = parse_page_id(request.params.at(0));
    auto event = id ? context.store.reported_events().find(*id)
                    : Result<std::optional<StoredEvent>>(std::nullopt);
    if (!event.ok())
        return message_page(500, request, context, lang, "error_heading", "error_text");
    if (!*event)
        return message_page(404, request, context, lang, "unknown_event_heading",
                            "unknown_event_text", "refused");
    auto tasks = context.store.queries().tasks_of_event((*event)->id);
    if (!tasks.ok())
        return message_page(500, request, context, lang, "error_heading", "error_text");
    const StoredEvent& e = **event;
    const std::string lang_query = kept_lang_query(request, lang);
    PageData data = page_object();
    data.set("id", std::to_string(e.id));
    data.set("type", event_type_word(e.type, lang) + " (" + e.type + ")");
    data.set("title", e.title);
    data.set("aware", local_day_time(context, from_unix(e.occurred_at), lang));
    data.set("recorded", local_day_time(context, from_unix(e.created_at), lang));
    data.set("by", e.reported_by.empty() ? std::string() : person_name(context, e.reported_by));
    data.set("detail", e.detail);
    data.set("personal_data", word(lang, "answer_" + e.facts.personal_data));
    data.set("significant", word(lang, "answer_" + e.facts.significant));
    std::string concerns;
    if (context.definitions) {
        const Directory& dir = context.definitions->directory;
        for (const auto& id : e.facts.systems)
            if (const System* sys = dir.find_system(id))
                concerns += (concerns.empty() ? "" : ", ") + sys->name;
        for (const auto& p : dir.processors)
            if (p.id == e.facts.supplier)
                concerns += (concerns.empty() ? "" : ", ") + p.name;
        if (!e.facts.person.empty())
            concerns += (concerns.empty() ? "" : ", ") + person_name(context, e.facts.person);
    }
    data.set("concerns", page_text(concerns));
    PageData rows = page_list();
    for (const auto& task : *tasks) {
        PageData row = task_data(context, task, lang);
        row.set("workflow", task.workflow_id);
        row.set("href", "/tasks/" + std::to_string(task.id) + lang_query);
        rows.push_back(row);
    }
    data.set("tasks", rows);
    data.set("has_tasks", page_bool(!tasks->empty()));
    data.set("task_count", std::to_string(tasks->size()));
    data.set("new_event", "/events/new" + lang_query);
    return page_response(200, request, context, lang, "event",
                         word(lang, "event_page_heading") + " #" + std::to_string(e.id),
                         std::move(data));
}

} // namespace aarshjul::http

// SPDX-License-Identifier: MPL-2.0
#pragma once
// What every server-rendered page shares: the reader's language, the layout's
// chrome for whoever is signed in, forms, and the refusal page.

#include "http/context.h"
#include "http/message.h"
#include "http/page_render.h"
#include "store/read_queries.h"
#include "store/reported_events.h"
#include "store/task_repository.h"

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aarshjul::http {

using Form = std::map<std::string, std::string>;

// ?lang= decides; then the directory language of `person` (the recipient of a
// link, or whoever is signed in); then the browser's Accept-Language; Danish.
Lang page_lang(const Request& request, const Context& context, std::string_view person = {});

// The words of strings.toml, in a language.
std::string word(Lang lang, std::string_view key);

// A page inside the layout, with the chrome of the request's signed-in person.
Response page_response(int status, const Request& request, Context& context, Lang lang,
                       std::string_view name, const std::string& title, PageData data);

// A page with a heading and one paragraph (element id `id`), from word keys.
Response message_page(int status, const Request& request, Context& context, Lang lang,
                      std::string_view heading_key, std::string_view text_key,
                      std::string_view id = "message");
// A 403 page #refused saying why.
Response refused_page(const Request& request, Context& context, Lang lang,
                      std::string_view text_key);

// Decodes an application/x-www-form-urlencoded body; nullopt when malformed or
// not UTF-8.
std::optional<Form> parse_form(std::string_view body);
// A form field, or "".
std::string form_field(const Form& form, std::string_view name);

// A redirect (303 See Other) to a path on this server.
Response see_other(std::string_view location);

// The values of the completion form (_complete_form.mustache) for a task.
struct CompletionForm {
    std::string form_id;   // "" on pages with several forms
    std::string id_prefix; // makes the fields' ids unique on the page
    std::string action;
    std::vector<std::pair<std::string, std::string>> hidden;
    std::string evidence, note, outcome; // what was typed, kept on a refusal
    std::string error;                   // why the last try was refused
    std::vector<std::pair<std::string, std::string>> by_choices; // (id, name); "" = none
    std::string by;                                              // the chosen one
};
PageData completion_form(const Context& context, const TaskRow& task, Lang lang,
                         const CompletionForm& form);

// The task's fields shown on pages: title in the language, system name, due
// ("3. marts 2027", "kl. 14:30" for hour deadlines), overdue, control.
PageData task_data(const Context& context, const TaskRow& task, Lang lang);

// What a refused completion says, in the reader's language: the field at
// fault when the engine names one.
std::string refusal_text(const Error& error, Lang lang);

// A task's state in words.
std::string state_word(std::string_view state, Lang lang);

// For the coordinator pages (task_pages.cpp, event_pages.cpp):

// The word of `key`, or `fallback` when strings.toml has none (words for
// values that may be new: a history entry's kind, an event type).
std::string word_or(Lang lang, std::string_view key, std::string_view fallback);

// kainjow-mustache renders a section {{#key}}…{{/key}} for an empty string
// too: this sets each of `keys` of `object` that holds "" to false, so that
// the section is left out (an empty p.error, a link without an address).
void empty_text_as_false(PageData& object, std::initializer_list<std::string_view> keys);

// A positive number from a path segment (a task's or an event's id).
std::optional<std::int64_t> parse_page_id(std::string_view text);

// "?lang=en" (or "?lang=da") when the reader chose the language with ?lang=,
// so that a form's action and a redirect keep it; else "".
std::string kept_lang_query(const Request& request, Lang lang);

// Everyone in the directory as (id, name), sorted by name: the choices of a
// "done by" or "reported by" select.
std::vector<std::pair<std::string, std::string>> directory_choices(const Context& context);

// An instant as local time to the minute: "2027-04-15 08:30".
std::string local_minutes(const Context& context, Instant at);

// An instant as a local day and time in words: "15. april 2027 kl. 08:30"
// ("15 April 2027 at 08:30"), as task_data shows hour deadlines.
std::string local_day_time(const Context& context, Instant at, Lang lang);

} // namespace aarshjul::http

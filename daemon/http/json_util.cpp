// SPDX-License-Identifier: MPL-2.0
#include "http/json_util.h"

#include "util/utf8.h"

#include <boost/json/parse.hpp>
#include <boost/url/parse.hpp>
#include <optional>

namespace aarshjul::http {

namespace {

// The name of the first string or key in `value` that is not UTF-8 ("note",
// "items[2].title"), or nullopt. The parser bounds the depth (32 by default).
std::optional<std::string> invalid_utf8_in(const boost::json::value& value,
                                           const std::string& path) {
    if (const auto* text = value.if_string())
        return valid_utf8(*text) ? std::nullopt : std::optional<std::string>(path);
    if (const auto* array = value.if_array()) {
        for (std::size_t i = 0; i < array->size(); ++i)
            if (auto bad = invalid_utf8_in((*array)[i], path + "[" + std::to_string(i) + "]"))
                return bad;
        return std::nullopt;
    }
    if (const auto* object = value.if_object())
        for (const auto& member : *object) {
            const std::string name = to_valid_utf8(member.key());
            const std::string at = path.empty() ? name : path + "." + name;
            if (!valid_utf8(member.key()))
                return at;
            if (auto bad = invalid_utf8_in(member.value(), at))
                return bad;
        }
    return std::nullopt;
}

} // namespace

std::variant<boost::json::object, Response> json_body(const Request& request) {
    if (request.body.empty())
        return boost::json::object{};
    const std::string type = request.header("content-type");
    if (!type.empty() && type.find("application/json") == std::string::npos)
        return json_error(415, "unsupported_media_type", "send the body as application/json");
    // The parser lets bytes that are not UTF-8 through so that the refusal can
    // name the field; every string and key is then checked here, once per body.
    boost::json::parse_options options;
    options.allow_invalid_utf8 = true;
    boost::system::error_code ec;
    boost::json::value value = boost::json::parse(request.body, ec, {}, options);
    if (ec)
        return json_error(400, "invalid_json", "the body is not valid JSON: " + ec.message());
    if (!value.is_object())
        return json_error(400, "invalid_json", "the body must be a JSON object");
    if (auto field = invalid_utf8_in(value, ""))
        return json_error(400, "invalid_utf8", "'" + *field + "' is not valid UTF-8");
    return std::move(value.as_object());
}

std::variant<std::optional<std::string>, std::string> string_member(const boost::json::object& body,
                                                                    std::string_view key) {
    auto it = body.find(key);
    if (it == body.end() || it->value().is_null())
        return std::optional<std::string>{};
    if (!it->value().is_string())
        return "'" + std::string(key) + "' must be a string";
    return std::optional<std::string>{std::string(it->value().as_string())};
}

std::string person_name(const Context& context, const std::string& id) {
    if (context.definitions)
        if (const Person* p = context.definitions->directory.find_person(id))
            return p->name;
    return id;
}

boost::json::object task_json(const TaskRow& t, const Context& context) {
    auto instant = [&](std::optional<std::int64_t> at) -> boost::json::value {
        if (!at)
            return nullptr;
        return boost::json::value(context.zone.format_iso(from_unix(*at)));
    };
    auto text = [](const std::optional<std::string>& s) -> boost::json::value {
        if (!s)
            return nullptr;
        return boost::json::value(*s);
    };
    return boost::json::object{
        {"id", t.id},
        {"key", t.occurrence_key},
        {"workflow", t.workflow_id},
        {"system",
         t.entity_id.empty() ? boost::json::value(nullptr) : boost::json::value(t.entity_id)},
        {"title", t.title},
        {"title_en", t.title_en},
        {"assignee", t.assignee},
        {"assignee_name", person_name(context, t.assignee)},
        {"start", t.start_date},
        {"due", t.due_date},
        {"due_at", instant(t.due_at)},
        {"state", to_string(t.state)},
        {"origin", t.origin},
        {"reminders_sent", t.reminders_sent},
        {"escalations_sent", t.escalations_sent},
        {"completed_by", text(t.completed_by)},
        {"completed_at", instant(t.completed_at)},
        {"note", text(t.note)},
        {"evidence", text(t.evidence)},
        {"outcome", text(t.outcome)},
        {"parent_task_id",
         t.parent_task_id ? boost::json::value(*t.parent_task_id) : boost::json::value(nullptr)},
    };
}

bool valid_link(std::string_view url) {
    if (!(url.starts_with("https://") || url.starts_with("http://")) || url.size() > 2048)
        return false;
    return boost::urls::parse_absolute_uri(url).has_value();
}

bool valid_evidence(std::string_view text) {
    if (text.starts_with("http://") || text.starts_with("https://"))
        return valid_link(text);
    if (text.empty() || text.size() > 200)
        return false;
    // "javascript:…", "data:…": a scheme other than http(s) is not a reference.
    if (const auto colon = text.find(':');
        colon != std::string_view::npos && colon > 0 &&
        text.substr(0, colon).find_first_not_of(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") == std::string_view::npos)
        return false;
    bool visible = false;
    for (unsigned char c : text) {
        if (c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '"')
            return false;
        visible = visible || c != ' ';
    }
    return visible;
}

bool task_is_persons(const Context& context, const TaskRow& task, std::string_view person) {
    if (task.assignee == person)
        return true;
    const System* system =
        context.definitions ? context.definitions->directory.find_system(task.entity_id) : nullptr;
    return system && (system->owner == person || system->responsible == person);
}

std::vector<std::string> systems_of(const Context& context, std::string_view person) {
    std::vector<std::string> out;
    if (context.definitions)
        for (const auto& system : context.definitions->directory.systems)
            if (system.owner == person || system.responsible == person)
                out.push_back(system.id);
    return out;
}

} // namespace aarshjul::http

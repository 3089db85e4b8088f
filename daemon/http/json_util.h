#pragma once
// Small helpers shared by the handlers: reading a JSON request body and
// turning stored tasks into JSON.

#include "http/context.h"
#include "http/message.h"
#include "http/task_query.h"

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <variant>

namespace aarshjul::http {

// The request body as a JSON object (an empty body is an empty object), or the
// 400/415 response that refuses it.
std::variant<boost::json::object, Response> json_body(const Request& request);

// A string member: absent -> nullopt; present but not a string -> error message.
std::variant<std::optional<std::string>, std::string> string_member(const boost::json::object& body,
                                                                    std::string_view key);

// A person's name from the directory, or the id itself.
std::string person_name(const Context& context, const std::string& id);

boost::json::object task_json(const TaskRecord& task, const Context& context);

// An http(s) URL without spaces or quotes (evidence links).
bool valid_link(std::string_view url);

} // namespace aarshjul::http

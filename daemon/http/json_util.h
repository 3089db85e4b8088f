// SPDX-License-Identifier: MPL-2.0
#pragma once
// Small helpers shared by the handlers: reading a JSON request body and
// turning stored tasks into JSON.

#include "http/context.h"
#include "http/message.h"
#include "store/read_queries.h"
#include "store/reported_events.h"
#include "store/task_repository.h"

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

boost::json::object task_json(const TaskRow& task, const Context& context);

// An http(s) URL without spaces or quotes (evidence links).
bool valid_link(std::string_view url);

// Evidence: an http(s) link, or a case or document reference of the records
// system (ESDH: "27.00.00-G01-12-27", "Sag 2027-1234"): 1 to 200 printable
// characters without <, > or quotes, not starting with a scheme ("javascript:").
bool valid_evidence(std::string_view text);

// Whether a task is `person`'s: assigned to them, or of a system they own or
// are responsible for (what an owner may complete).
bool task_is_persons(const Context& context, const TaskRow& task, std::string_view person);

// The systems `person` owns or is responsible for.
std::vector<std::string> systems_of(const Context& context, std::string_view person);

} // namespace aarshjul::http

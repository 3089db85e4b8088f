// SPDX-License-Identifier: MPL-2.0
#pragma once
// The facts behind a notice (aarshjul_notice.facts_json, ABI v2) as JSON, for
// the payloads that show structure. Pure functions; thread-safe.

#include "aarshjul_plugin.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

namespace aarshjul_webhook {

// The facts object; empty when facts_json is missing, unparsable or not an object.
boost::json::object notice_facts(const aarshjul_notice& notice);

// The facts' "items" array; empty when there is none.
boost::json::array fact_items(const boost::json::object& facts);

// The string member `key` of `object` (an object value), or "" when absent or not a string.
std::string string_of(const boost::json::value& object, std::string_view key);

} // namespace aarshjul_webhook

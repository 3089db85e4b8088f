// SPDX-License-Identifier: MPL-2.0
#include "webhook/facts.h"

#include <boost/json/parse.hpp>

namespace aarshjul_webhook {

boost::json::object notice_facts(const aarshjul_notice& notice) {
    if (!notice.facts_json)
        return {};
    boost::system::error_code ec;
    boost::json::value facts = boost::json::parse(notice.facts_json, ec);
    if (ec || !facts.is_object())
        return {};
    return std::move(facts.as_object());
}

boost::json::array fact_items(const boost::json::object& facts) {
    const auto* items = facts.if_contains("items");
    return items && items->is_array() ? items->as_array() : boost::json::array{};
}

std::string string_of(const boost::json::value& object, std::string_view key) {
    if (!object.is_object())
        return {};
    const auto* value = object.as_object().if_contains(key);
    return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

} // namespace aarshjul_webhook

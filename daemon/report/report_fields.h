// SPDX-License-Identifier: MPL-2.0
#pragma once
// Reading the report's JSON (http/report.h builds it) for the HTML and the
// PDF: a missing or mistyped member reads as empty, because a snapshot
// frozen by an older version lacks what later versions added.
// Stateless; safe from any thread.

#include <boost/json.hpp>
#include <string>
#include <string_view>

namespace aarshjul::report_fields {

inline std::string str(const boost::json::object& o, std::string_view key) {
    auto it = o.find(key);
    if (it == o.end() || !it->value().is_string())
        return {};
    return std::string(it->value().as_string());
}

// A number (or any value) as its JSON text; empty when missing or null.
inline std::string num(const boost::json::object& o, std::string_view key) {
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null())
        return {};
    return boost::json::serialize(it->value());
}

inline std::int64_t int_of(const boost::json::object& o, std::string_view key) {
    auto it = o.find(key);
    return it != o.end() && it->value().is_int64() ? it->value().as_int64() : 0;
}

inline const boost::json::array& arr(const boost::json::object& o, std::string_view key) {
    static const boost::json::array empty;
    auto it = o.find(key);
    return it != o.end() && it->value().is_array() ? it->value().as_array() : empty;
}

inline const boost::json::object* obj(const boost::json::object& o, std::string_view key) {
    auto it = o.find(key);
    return it != o.end() && it->value().is_object() ? &it->value().as_object() : nullptr;
}

// The Danish member `key`, or `key`_en in English (falling back to Danish).
inline std::string in_language(const boost::json::object& o, std::string_view key,
                               std::string_view language) {
    if (language == "en") {
        std::string en = str(o, std::string(key) + "_en");
        if (!en.empty())
            return en;
    }
    return str(o, key);
}

} // namespace aarshjul::report_fields

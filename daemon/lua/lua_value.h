// SPDX-License-Identifier: MPL-2.0
#pragma once
// LuaValue: a Lua value copied out of a sandbox as plain C++ data.
//
// The sandbox hands results back as LuaValue trees so that no code outside
// daemon/lua/ touches the Lua stack. Tables become LuaTable: the sequence
// part t[1..n] in `array`, string keys in `fields`. Functions, coroutines and
// userdata are kept only as a marker of their type. Values are immutable once
// built; copies share their tables.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace aarshjul {

struct LuaTable;

class LuaValue {
public:
    enum class Type { Nil, Boolean, Integer, Number, String, Table, Function, Other };

    // An opaque value (function, thread, userdata): only its Lua type name survives.
    struct Opaque {
        Type type = Type::Other;
        std::string type_name;
    };

    LuaValue() = default;
    explicit LuaValue(bool b) : m_v(b) {}
    explicit LuaValue(std::int64_t i) : m_v(i) {}
    explicit LuaValue(double d) : m_v(d) {}
    explicit LuaValue(std::string s) : m_v(std::move(s)) {}
    explicit LuaValue(std::shared_ptr<const LuaTable> t) : m_v(std::move(t)) {}
    explicit LuaValue(Opaque o) : m_v(std::move(o)) {}

    Type type() const;
    // The Lua name of the type: "nil", "boolean", "number", "string", "table", "function", ...
    std::string type_name() const;

    bool is_nil() const { return type() == Type::Nil; }
    std::optional<bool> as_boolean() const;
    // Integers, and floats with an exact integer value (3.0).
    std::optional<std::int64_t> as_integer() const;
    std::optional<double> as_number() const;
    const std::string* as_string() const { return std::get_if<std::string>(&m_v); }
    const LuaTable* as_table() const;

private:
    std::variant<std::monostate, bool, std::int64_t, double, std::string,
                 std::shared_ptr<const LuaTable>, Opaque>
        m_v;
};

struct LuaTable {
    std::vector<LuaValue> array;                         // t[1], t[2], ... up to the first nil
    std::map<std::string, LuaValue, std::less<>> fields; // every string key

    // The value at string key `name`, or nullptr when the table has none.
    const LuaValue* field(std::string_view name) const {
        auto it = fields.find(name);
        return it == fields.end() ? nullptr : &it->second;
    }
};

inline LuaValue::Type LuaValue::type() const {
    switch (m_v.index()) {
    case 0:
        return Type::Nil;
    case 1:
        return Type::Boolean;
    case 2:
        return Type::Integer;
    case 3:
        return Type::Number;
    case 4:
        return Type::String;
    case 5:
        return Type::Table;
    default:
        return std::get<Opaque>(m_v).type;
    }
}

inline std::string LuaValue::type_name() const {
    switch (type()) {
    case Type::Nil:
        return "nil";
    case Type::Boolean:
        return "boolean";
    case Type::Integer:
    case Type::Number:
        return "number";
    case Type::String:
        return "string";
    case Type::Table:
        return "table";
    default:
        return std::get<Opaque>(m_v).type_name;
    }
}

inline std::optional<bool> LuaValue::as_boolean() const {
    if (auto* b = std::get_if<bool>(&m_v))
        return *b;
    return std::nullopt;
}

inline std::optional<std::int64_t> LuaValue::as_integer() const {
    if (auto* i = std::get_if<std::int64_t>(&m_v))
        return *i;
    if (auto* d = std::get_if<double>(&m_v)) {
        // The range check keeps the cast defined; 2^63 itself is out of range.
        if (*d >= -9223372036854775808.0 && *d < 9223372036854775808.0 &&
            static_cast<double>(static_cast<std::int64_t>(*d)) == *d)
            return static_cast<std::int64_t>(*d);
    }
    return std::nullopt;
}

inline std::optional<double> LuaValue::as_number() const {
    if (auto* i = std::get_if<std::int64_t>(&m_v))
        return static_cast<double>(*i);
    if (auto* d = std::get_if<double>(&m_v))
        return *d;
    return std::nullopt;
}

inline const LuaTable* LuaValue::as_table() const {
    if (auto* t = std::get_if<std::shared_ptr<const LuaTable>>(&m_v))
        return t->get();
    return nullptr;
}

} // namespace aarshjul

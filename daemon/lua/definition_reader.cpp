// SPDX-License-Identifier: MPL-2.0
#include "lua/definition_reader.h"

#include "util/utf8.h"

#include <cstdio>

namespace aarshjul {

namespace {

constexpr int kMaxAmount = 1'000'000;

} // namespace

Error DefinitionReader::fail(const std::string& what) const {
    return Error::at(m_file, m_line, m_prefix + "internal error in " + kDslModule + ": " + what);
}

Error DefinitionReader::invalid(std::string_view field, const std::string& what) const {
    return Error{m_prefix + what, m_file, m_line, ErrorKind::Invalid, std::string(field)};
}

Result<std::string> DefinitionReader::utf8(const std::string& value, std::string_view label) const {
    const std::size_t at = invalid_utf8_at(value);
    if (at == std::string::npos)
        return value;
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(value[at]));
    return invalid(label, std::string(label) + " is not valid UTF-8 (byte " + byte + " at offset " +
                              std::to_string(at) + "); save the file as UTF-8");
}

Result<const LuaTable*> DefinitionReader::table(const LuaTable& parent,
                                                std::string_view name) const {
    const LuaValue* v = parent.field(name);
    if (!v || !v->as_table())
        return fail("field '" + std::string(name) + "' is not a table");
    return v->as_table();
}

Result<const LuaTable*> DefinitionReader::optional_table(const LuaTable& parent,
                                                         std::string_view name) const {
    const LuaValue* v = parent.field(name);
    if (!v || v->is_nil())
        return static_cast<const LuaTable*>(nullptr);
    return table(parent, name);
}

Result<std::string> DefinitionReader::string(const LuaTable& parent, std::string_view name,
                                             std::string_view label) const {
    const LuaValue* v = parent.field(name);
    if (!v || !v->as_string())
        return fail("field '" + std::string(name) + "' is not a string");
    return utf8(*v->as_string(), label.empty() ? name : label);
}

Result<bool> DefinitionReader::boolean(const LuaTable& parent, std::string_view name) const {
    const LuaValue* v = parent.field(name);
    if (!v || !v->as_boolean())
        return fail("field '" + std::string(name) + "' is not a boolean");
    return *v->as_boolean();
}

Result<int> DefinitionReader::integer(const LuaValue& v, std::string_view name, int low) const {
    auto n = v.as_integer();
    if (!n || *n < low || *n > kMaxAmount)
        return fail("field '" + std::string(name) + "' is not a whole number from " +
                    std::to_string(low) + " to " + std::to_string(kMaxAmount));
    return static_cast<int>(*n);
}

Result<int> DefinitionReader::integer(const LuaTable& parent, std::string_view name,
                                      int low) const {
    const LuaValue* v = parent.field(name);
    if (!v)
        return fail("field '" + std::string(name) + "' is missing");
    return integer(*v, name, low);
}

Result<std::vector<std::string>> DefinitionReader::strings(const LuaTable& parent,
                                                           std::string_view name) const {
    AARSHJUL_TRY_ASSIGN(const LuaTable* list, table(parent, name));
    std::vector<std::string> out;
    for (const auto& item : list->array) {
        if (!item.as_string())
            return fail("an item of '" + std::string(name) + "' is not a string");
        AARSHJUL_TRY_ASSIGN(std::string text,
                            utf8(*item.as_string(),
                                 std::string(name) + "[" + std::to_string(out.size() + 1) + "]"));
        out.push_back(std::move(text));
    }
    return out;
}

Result<LocalDate> DefinitionReader::date(const std::string& text, std::string_view name) const {
    auto day = parse_local_date(text);
    if (!day)
        return fail("field '" + std::string(name) + "' is not a date: " + text);
    return *day;
}

Result<LocalizedText> DefinitionReader::text(const LuaTable& parent, std::string_view name,
                                             std::string_view label) const {
    AARSHJUL_TRY_ASSIGN(const LuaTable* t, table(parent, name));
    const std::string prefix(label.empty() ? name : label);
    AARSHJUL_TRY_ASSIGN(std::string da, string(*t, "da", prefix + ".da"));
    AARSHJUL_TRY_ASSIGN(std::string en, string(*t, "en", prefix + ".en"));
    return LocalizedText{std::move(da), std::move(en)};
}

Result<AssigneeRef> DefinitionReader::assignee(const LuaTable& parent,
                                               std::string_view name) const {
    AARSHJUL_TRY_ASSIGN(const LuaTable* t, table(parent, name));
    AARSHJUL_TRY_ASSIGN(std::string kind, string(*t, "kind"));
    AssigneeRef out;
    if (kind == "role")
        out.kind = AssigneeRef::Kind::Role;
    else if (kind == "person")
        out.kind = AssigneeRef::Kind::Person;
    else if (kind == "body")
        out.kind = AssigneeRef::Kind::Body;
    else
        return fail("unknown assignee kind '" + kind + "'");
    AARSHJUL_TRY_ASSIGN(out.id, string(*t, "id", name));
    return out;
}

Result<Offset> DefinitionReader::offset(const LuaTable& parent, std::string_view name) const {
    AARSHJUL_TRY_ASSIGN(const LuaTable* t, table(parent, name));
    AARSHJUL_TRY_ASSIGN(std::string unit, string(*t, "unit"));
    Offset out;
    if (unit == "days")
        out.unit = Offset::Unit::Days;
    else if (unit == "business_days")
        out.unit = Offset::Unit::BusinessDays;
    else if (unit == "hours")
        out.unit = Offset::Unit::Hours;
    else if (unit == "months")
        out.unit = Offset::Unit::Months;
    else
        return fail("unknown offset unit '" + unit + "'");
    // Only days may count backwards ("the day before").
    AARSHJUL_TRY_ASSIGN(out.amount,
                        integer(*t, "amount", out.unit == Offset::Unit::Days ? -kMaxAmount : 0));
    return out;
}

Result<Recurrence> DefinitionReader::recurrence(const LuaTable& parent,
                                                std::string_view name) const {
    AARSHJUL_TRY_ASSIGN(const LuaTable* t, table(parent, name));
    Recurrence out;
    AARSHJUL_TRY_ASSIGN(out.rrule, string(*t, "rrule", name));
    AARSHJUL_TRY_ASSIGN(std::string from, string(*t, "from"));
    AARSHJUL_TRY_ASSIGN(out.anchor, date(from, std::string(name) + ".from"));
    if (t->field("valid_until")) {
        AARSHJUL_TRY_ASSIGN(std::string until, string(*t, "valid_until"));
        AARSHJUL_TRY_ASSIGN(out.valid_until, date(until, std::string(name) + ".valid_until"));
    }
    return out;
}

Result<FollowUpSpec> read_follow_up(const DefinitionReader& r, const LuaValue& value) {
    const LuaTable* t = value.as_table();
    if (!t)
        return r.fail("a follow-up is a " + value.type_name() + ", not a table");
    FollowUpSpec out;
    AARSHJUL_TRY_ASSIGN(out.id, r.string(*t, "id"));
    AARSHJUL_TRY_ASSIGN(out.title, r.text(*t, "title"));
    AARSHJUL_TRY_ASSIGN(out.assignee, r.assignee(*t, "assignee"));
    AARSHJUL_TRY_ASSIGN(out.due, r.offset(*t, "due"));
    return out;
}

} // namespace aarshjul

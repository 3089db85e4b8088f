#pragma once
// DefinitionReader: turns the plain tables that lua/aarshjul/dsl.lua hands
// back (workflow definitions, hook follow-ups) into model values.
//
// The DSL has validated everything already, so a mismatch here is a bug in
// the DSL; it is reported as such, at the definition's file and line. Used by
// the workflow loader and the hook runner only. Stateless apart from the
// position; use one per definition.

#include "lua/lua_value.h"
#include "model/workflow.h"
#include "util/result.h"

#include <string>
#include <string_view>

namespace aarshjul {

inline constexpr const char* kDslModule = "aarshjul.dsl";

class DefinitionReader {
public:
    DefinitionReader(std::string file, int line) : m_file(std::move(file)), m_line(line) {}

    // "file:line: [workflow <id>: ]internal error in aarshjul.dsl: <what>".
    Error fail(const std::string& what) const;
    void set_id(const std::string& id) { m_prefix = "workflow " + id + ": "; }

    Result<const LuaTable*> table(const LuaTable& parent, std::string_view name) const;
    // The table at `name`, or nullptr when the field is absent.
    Result<const LuaTable*> optional_table(const LuaTable& parent, std::string_view name) const;
    Result<std::string> string(const LuaTable& parent, std::string_view name) const;
    Result<bool> boolean(const LuaTable& parent, std::string_view name) const;
    // A whole number from `low` to 1000000.
    Result<int> integer(const LuaValue& v, std::string_view name, int low = 0) const;
    Result<int> integer(const LuaTable& parent, std::string_view name, int low = 0) const;
    Result<std::vector<std::string>> strings(const LuaTable& parent, std::string_view name) const;
    Result<LocalDate> date(const std::string& text, std::string_view name) const;
    Result<LocalizedText> text(const LuaTable& parent, std::string_view name) const;
    // { kind = "role" | "person" | "body", id = "..." }
    Result<AssigneeRef> assignee(const LuaTable& parent, std::string_view name) const;
    // { unit = "days" | "business_days" | "hours" | "months", amount = n }
    Result<Offset> offset(const LuaTable& parent, std::string_view name) const;
    // { rrule = "...", from = "YYYY-MM-DD", valid_until = "YYYY-MM-DD" | nil }
    Result<Recurrence> recurrence(const LuaTable& parent, std::string_view name) const;

private:
    std::string m_file;
    int m_line;
    std::string m_prefix;
};

// One follow-up table of dsl.lua's _run_hook result.
Result<FollowUpSpec> read_follow_up(const DefinitionReader& reader, const LuaValue& value);

} // namespace aarshjul

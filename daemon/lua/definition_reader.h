// SPDX-License-Identifier: MPL-2.0
#pragma once
// DefinitionReader: turns the plain tables that lua/aarshjul/dsl.lua hands
// back (workflow definitions, hook follow-ups) into model values.
//
// This is the one place where strings cross from Lua into the model: every
// string it returns is valid UTF-8, or the definition is refused, at the file
// and line of its workflow { } call, naming the field. A value of the wrong
// type or an unknown kind is a bug in the DSL (or a file tampering with it)
// and is reported as such. Used only by the evaluations the Lua worker runs
// (evaluation.h). Stateless apart from the position; use one per definition.

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
    // "file:line: [workflow <id>: ]<what>", ErrorKind::Invalid about `field`: the file is wrong.
    Error invalid(std::string_view field, const std::string& what) const;
    void set_id(const std::string& id) { m_prefix = "workflow " + id + ": "; }

    Result<const LuaTable*> table(const LuaTable& parent, std::string_view name) const;
    // The table at `name`, or nullptr when the field is absent.
    Result<const LuaTable*> optional_table(const LuaTable& parent, std::string_view name) const;
    // A string in valid UTF-8; `label` names it in messages (default: `name`).
    Result<std::string> string(const LuaTable& parent, std::string_view name,
                               std::string_view label = {}) const;
    Result<bool> boolean(const LuaTable& parent, std::string_view name) const;
    // A whole number from `low` to 1000000.
    Result<int> integer(const LuaValue& v, std::string_view name, int low = 0) const;
    Result<int> integer(const LuaTable& parent, std::string_view name, int low = 0) const;
    Result<std::vector<std::string>> strings(const LuaTable& parent, std::string_view name) const;
    Result<LocalDate> date(const std::string& text, std::string_view name) const;
    // { da = "...", en = "..." }; `label` as for string().
    Result<LocalizedText> text(const LuaTable& parent, std::string_view name,
                               std::string_view label = {}) const;
    // { kind = "role" | "person" | "body", id = "..." }
    Result<AssigneeRef> assignee(const LuaTable& parent, std::string_view name) const;
    // { unit = "days" | "business_days" | "hours" | "months", amount = n }
    Result<Offset> offset(const LuaTable& parent, std::string_view name) const;
    // { rrule = "...", from = "YYYY-MM-DD", valid_until = "YYYY-MM-DD" | nil }
    Result<Recurrence> recurrence(const LuaTable& parent, std::string_view name) const;

private:
    Result<std::string> utf8(const std::string& value, std::string_view label) const;

    std::string m_file;
    int m_line;
    std::string m_prefix;
};

// One follow-up table of dsl.lua's _run_hook result.
Result<FollowUpSpec> read_follow_up(const DefinitionReader& reader, const LuaValue& value);

} // namespace aarshjul

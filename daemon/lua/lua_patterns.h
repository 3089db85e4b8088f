#pragma once
// Lua's pattern functions (string.find, match, gmatch, gsub) with a budget.
//
// Lua's own matcher is C code that backtracks without ever reaching the
// count hook: string.find(("a"):rep(65536), ".-b") runs for half a minute and
// nothing can stop it. This is a rewrite of the same language (Lua 5.4
// reference manual, section 6.4.1) that charges every matcher step to a
// budget and raises once the budget says no, and refuses subjects longer
// than a limit. Results and error messages follow Lua 5.4.

#include <cstddef>
#include <cstdint>

struct lua_State;

namespace aarshjul::lua_patterns {

// Charges `steps` matcher steps to the running evaluation; returns the
// message to raise when a limit is exceeded, or nullptr to go on.
using Budget = const char* (*)(lua_State* L, std::uint64_t steps);

// Replaces find, match, gmatch and gsub in the string library table at `string_table`.
void install(lua_State* L, int string_table, Budget budget, std::size_t max_subject_bytes);

} // namespace aarshjul::lua_patterns

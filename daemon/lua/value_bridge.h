// SPDX-License-Identifier: MPL-2.0
#pragma once
// Copies values between the Lua stack and LuaValue (lua_value.h).
//
// read_value uses only API calls that never raise (lua_type, lua_next,
// lua_rawgeti, lua_to*, lua_checkstack), so it may run outside lua_pcall.
// push_value allocates and so must run under lua_pcall; it keeps no C++
// object that owns memory, so a Lua error may leave it at any point.
// Both refuse tables nested more than 32 levels deep (or cyclic ones).

#include "lua/lua_value.h"
#include "util/result.h"

struct lua_State;

namespace aarshjul {

// The value at `index`: the sequence t[1..#t] and the string keys of tables;
// other keys are an error. Functions and other values become opaque markers.
Result<LuaValue> read_value(lua_State* L, int index);

// Pushes a copy of `value` (opaque values as nil).
void push_value(lua_State* L, const LuaValue& value);

} // namespace aarshjul

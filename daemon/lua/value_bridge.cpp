// SPDX-License-Identifier: MPL-2.0
#include "lua/value_bridge.h"

#include <algorithm>
#include <lua.hpp>

namespace aarshjul {

namespace {

constexpr int kMaxValueDepth = 32; // nesting of tables copied across

Result<LuaValue> read_value(lua_State* L, int index, int depth) {
    index = lua_absindex(L, index);
    switch (lua_type(L, index)) {
    case LUA_TNIL:
    case LUA_TNONE:
        return LuaValue();
    case LUA_TBOOLEAN:
        return LuaValue(lua_toboolean(L, index) != 0);
    case LUA_TNUMBER:
        if (lua_isinteger(L, index))
            return LuaValue(static_cast<std::int64_t>(lua_tointeger(L, index)));
        return LuaValue(static_cast<double>(lua_tonumber(L, index)));
    case LUA_TSTRING: {
        std::size_t length = 0;
        const char* text = lua_tolstring(L, index, &length);
        return LuaValue(std::string(text, length));
    }
    case LUA_TTABLE: {
        if (depth >= kMaxValueDepth)
            return make_error("table nested more than " + std::to_string(kMaxValueDepth) +
                              " levels deep (or cyclic)");
        if (!lua_checkstack(L, 4))
            return make_error("Lua stack exhausted while reading a table");
        auto table = std::make_shared<LuaTable>();
        const auto length = static_cast<lua_Integer>(lua_rawlen(L, index));
        for (lua_Integer i = 1; i <= length; ++i) {
            lua_rawgeti(L, index, i);
            auto item = read_value(L, -1, depth + 1);
            lua_pop(L, 1);
            if (!item.ok())
                return item.take_error();
            table->array.push_back(std::move(item).value());
        }
        lua_pushnil(L);
        while (lua_next(L, index)) {
            const int key_type = lua_type(L, -2);
            if (key_type == LUA_TNUMBER && lua_isinteger(L, -2) && lua_tointeger(L, -2) >= 1 &&
                lua_tointeger(L, -2) <= length) {
                lua_pop(L, 1);
                continue;
            }
            if (key_type != LUA_TSTRING) {
                lua_pop(L, 2);
                return make_error(std::string("table key of type ") + lua_typename(L, key_type) +
                                  " outside the sequence 1..n is not supported");
            }
            std::size_t key_length = 0;
            const char* key = lua_tolstring(L, -2, &key_length);
            auto item = read_value(L, -1, depth + 1);
            if (!item.ok()) {
                lua_pop(L, 2);
                return item.take_error();
            }
            table->fields.emplace(std::string(key, key_length), std::move(item).value());
            lua_pop(L, 1);
        }
        return LuaValue(std::shared_ptr<const LuaTable>(std::move(table)));
    }
    case LUA_TFUNCTION:
        return LuaValue(LuaValue::Opaque{LuaValue::Type::Function, "function"});
    default:
        return LuaValue(
            LuaValue::Opaque{LuaValue::Type::Other, lua_typename(L, lua_type(L, index))});
    }
}

// Pushes a copy of `value`; runs under lua_pcall and creates no C++ object
// that owns memory, so a Lua error can leave at any point.
void push_value(lua_State* L, const LuaValue& value, int depth) {
    if (depth >= kMaxValueDepth)
        luaL_error(L, "argument nested more than %d levels deep", kMaxValueDepth);
    luaL_checkstack(L, 3, "argument nested too deeply");
    switch (value.type()) {
    case LuaValue::Type::Boolean:
        lua_pushboolean(L, *value.as_boolean());
        return;
    case LuaValue::Type::Integer:
        lua_pushinteger(L, static_cast<lua_Integer>(*value.as_integer()));
        return;
    case LuaValue::Type::Number:
        lua_pushnumber(L, static_cast<lua_Number>(*value.as_number()));
        return;
    case LuaValue::Type::String:
        lua_pushlstring(L, value.as_string()->data(), value.as_string()->size());
        return;
    case LuaValue::Type::Table: {
        const LuaTable* table = value.as_table();
        lua_createtable(L, static_cast<int>(std::min<std::size_t>(table->array.size(), 1 << 20)),
                        static_cast<int>(std::min<std::size_t>(table->fields.size(), 1 << 20)));
        lua_Integer index = 0;
        for (const LuaValue& item : table->array) {
            push_value(L, item, depth + 1);
            lua_rawseti(L, -2, ++index);
        }
        for (const auto& field : table->fields) {
            lua_pushlstring(L, field.first.data(), field.first.size());
            push_value(L, field.second, depth + 1);
            lua_rawset(L, -3);
        }
        return;
    }
    default:
        lua_pushnil(L);
        return;
    }
}

} // namespace

Result<LuaValue> read_value(lua_State* L, int index) {
    return read_value(L, index, 0);
}

void push_value(lua_State* L, const LuaValue& value) {
    push_value(L, value, 0);
}

} // namespace aarshjul

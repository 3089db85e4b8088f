// SPDX-License-Identifier: MPL-2.0
#include "lua/sandbox.h"

#include "lua/lua_library.h"
#include "lua/lua_state.h"
#include "lua/value_bridge.h"
#include "util/utf8.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <lua.hpp>
#include <sstream>
#include <system_error>

// How the C functions below stay safe: Lua reports errors with longjmp, which
// must not cross a C++ frame whose locals have destructors. So every function
// that Lua calls, and every body run under lua_pcall, holds only trivially
// destructible locals (pointers, sizes, lua_Debug) while it calls the Lua API;
// C++ work that allocates (paths, file reads, messages) happens in member
// functions that return before the next Lua call, with results kept in
// members of the Sandbox. Code that runs outside lua_pcall uses only API calls
// that cannot raise (lua_type, lua_next, lua_rawgeti, lua_to*, lua_checkstack).

namespace aarshjul {

namespace {

constexpr int kHookEvery = 1000;               // VM instructions between budget checks
constexpr std::size_t kMaxOutputBytes = 65536; // what print() keeps

// The address of this variable keys the sandbox's private table in the registry.
char g_internals_key = 0;
// ... and this one marks a read-only proxy's metatable (the value: the table's
// name). Scripts cannot make a light userdata, so they cannot forge the mark.
char g_frozen_key = 0;

// Base functions every environment gets as they are (rawset is wrapped below).
constexpr const char* kSafeBase[] = {
    "assert", "error",  "getmetatable", "ipairs",   "next",     "pairs", "pcall",    "rawequal",
    "rawget", "rawlen", "select",       "tonumber", "tostring", "type",  "_VERSION",
};
constexpr const char* kSafeOs[] = {"time", "date", "clock", "difftime"};

void push_internals(lua_State* L) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &g_internals_key);
}

// Raises the string on top of the stack at the first frame that runs Lua code,
// so that a write made through a C function (table.insert) names the script's line.
int error_at_script(lua_State* L) {
    lua_Debug ar;
    for (int level = 1; lua_getstack(L, level, &ar); ++level)
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
            luaL_where(L, level);
            lua_insert(L, -2);
            lua_concat(L, 2);
            break;
        }
    return lua_error(L);
}

// __newindex of every read-only proxy. Upvalue 1: the table's name.
int l_readonly(lua_State* L) {
    lua_pushfstring(L, "attempt to modify read-only table '%s'",
                    lua_tostring(L, lua_upvalueindex(1)));
    return error_at_script(L);
}

// The iterator that __pairs hands out. Upvalue 1: the real table, never given to scripts.
int l_proxy_next(lua_State* L) {
    lua_settop(L, 2);
    if (lua_next(L, lua_upvalueindex(1)))
        return 2;
    lua_pushnil(L);
    return 1;
}

// __pairs of every read-only proxy. Upvalue 1: the iterator above.
int l_proxy_pairs(lua_State* L) {
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

// Pushes a metatable that makes an empty table a read-only view of the table at `real`.
void push_proxy_metatable(lua_State* L, int real, const char* name) {
    real = lua_absindex(L, real);
    lua_createtable(L, 0, 5);
    lua_pushstring(L, name);
    lua_rawsetp(L, -2, &g_frozen_key);
    lua_pushvalue(L, real);
    lua_setfield(L, -2, "__index");
    lua_pushstring(L, name);
    lua_pushcclosure(L, l_readonly, 1);
    lua_setfield(L, -2, "__newindex");
    lua_pushvalue(L, real);
    lua_pushcclosure(L, l_proxy_next, 1);
    lua_pushcclosure(L, l_proxy_pairs, 1);
    lua_setfield(L, -2, "__pairs");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
}

// Replaces the table at `index` by a copy without the fields whose names start
// with '_': those are the module's internals, for the host only.
void strip_internals(lua_State* L, int index) {
    index = lua_absindex(L, index);
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, index)) {
        if (lua_type(L, -2) == LUA_TSTRING && lua_tostring(L, -2)[0] == '_') {
            lua_pop(L, 1);
            continue;
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
    lua_replace(L, index);
}

// Replaces the table at `real` by a read-only proxy of it.
void make_proxy(lua_State* L, int real, const char* name) {
    real = lua_absindex(L, real);
    lua_newtable(L);
    push_proxy_metatable(L, real, name);
    lua_setmetatable(L, -2);
    lua_replace(L, real);
}

// Calls the original C function kept in upvalue 1 within the current frame,
// so that its errors name the script's line rather than this wrapper's. The
// originals wrapped here (from lbaselib and lstrlib) use no upvalues of their own.
int call_original(lua_State* L) {
    return lua_tocfunction(L, lua_upvalueindex(1))(L);
}

// load(chunk [, chunkname [, mode [, env]]]): always text mode; the default
// environment is the caller's. Upvalues: the original load, the environment.
int l_load(lua_State* L) {
    const int args = lua_gettop(L);
    lua_settop(L, 4);
    lua_pushliteral(L, "t");
    lua_replace(L, 3);
    if (args < 4) {
        lua_pushvalue(L, lua_upvalueindex(2));
        lua_replace(L, 4);
    }
    return call_original(L);
}

// rawset that refuses a read-only table. A proxy is an empty table whose
// metatable forwards reads and refuses writes, but rawset skips the metatable
// and would write into the proxy itself, shadowing the library for whoever
// holds that proxy (a module's proxy is shared by every script of the
// sandbox). So rawset refuses any table whose metatable is protected (has a
// __metatable field): the sandbox's proxies, and read-only tables made in Lua
// (the DSL's hook arguments) alike. Removing rawset would break plain scripts
// for nothing; a list of frozen tables would miss the Lua-made ones. Upvalue 1:
// the original.
int l_rawset(lua_State* L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    if (lua_getmetatable(L, 1)) {
        if (lua_rawgetp(L, -1, &g_frozen_key) == LUA_TSTRING) {
            lua_pushfstring(L, "rawset: attempt to modify read-only table '%s'",
                            lua_tostring(L, -1));
            return error_at_script(L);
        }
        lua_pop(L, 1);
        lua_pushliteral(L, "__metatable");
        if (lua_rawget(L, -2) != LUA_TNIL) {
            lua_pushliteral(L, "rawset: attempt to modify a read-only table");
            return error_at_script(L);
        }
        lua_pop(L, 2);
    }
    return call_original(L);
}

// setmetatable that refuses __gc: Lua runs finalizers with hooks off, so a
// finalizer could loop past every budget. Upvalue 1: the original.
int l_setmetatable(lua_State* L) {
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)
            return luaL_error(L, "setmetatable: __gc metamethods are not allowed in the sandbox");
        lua_pop(L, 1);
    }
    return call_original(L);
}

// A coroutine that died of an error raised by the count hook keeps hooks off
// for good (Lua restores them only at a pcall boundary), so its pending
// to-be-closed variables must never run: coroutine.close and coroutine.wrap
// below leave a coroutine that died of any error as it is.

// coroutine.close(co): as Lua's, but an errored coroutine is not closed, only
// reported. Upvalue 1: the original.
int l_coroutine_close(lua_State* L) {
    lua_State* co = lua_tothread(L, 1);
    luaL_argexpected(L, co, 1, "coroutine");
    const int status = lua_status(co);
    if (status != LUA_OK && status != LUA_YIELD) {
        lua_pushboolean(L, 0);
        lua_pushvalue(co, -1);
        lua_xmove(co, L, 1);
        return 2;
    }
    return call_original(L);
}

// The function that coroutine.wrap returns. Upvalue 1: the coroutine.
int l_wrap_resume(lua_State* L) {
    lua_State* co = lua_tothread(L, lua_upvalueindex(1));
    const int args = lua_gettop(L);
    if (!lua_checkstack(co, args + 1))
        return luaL_error(L, "too many arguments to resume");
    lua_xmove(L, co, args);
    int results = 0;
    const int status = lua_resume(co, L, args, &results);
    if (status == LUA_OK || status == LUA_YIELD) {
        if (!lua_checkstack(L, results + 1)) {
            lua_pop(co, results);
            return luaL_error(L, "too many results to resume");
        }
        lua_xmove(co, L, results);
        return results;
    }
    lua_pushvalue(co, -1);
    lua_xmove(co, L, 1);
    if (lua_type(L, -1) == LUA_TSTRING) {
        luaL_where(L, 1);
        lua_insert(L, -2);
        lua_concat(L, 2);
    }
    return lua_error(L);
}

// coroutine.wrap(f): as Lua's, but see the note above.
int l_coroutine_wrap(lua_State* L) {
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_State* co = lua_newthread(L);
    lua_pushvalue(L, 1);
    lua_xmove(L, co, 1);
    lua_pushcclosure(L, l_wrap_resume, 1);
    return 1;
}

// collectgarbage("count") only.
int l_collectgarbage(lua_State* L) {
    const char* option = luaL_optstring(L, 1, "collect");
    if (std::strcmp(option, "count") != 0)
        return luaL_error(L, "collectgarbage: option '%s' is not allowed in the sandbox", option);
    const int kb = lua_gc(L, LUA_GCCOUNT);
    const int bytes = lua_gc(L, LUA_GCCOUNTB);
    lua_pushnumber(L, static_cast<lua_Number>(kb) + static_cast<lua_Number>(bytes) / 1024);
    return 1;
}

// sandbox.where([level]) -> file, line of the first Lua function at or above
// `level` (1 = the caller of where); nothing when there is none.
int l_where(lua_State* L) {
    lua_Debug ar;
    for (int level = static_cast<int>(luaL_optinteger(L, 1, 1));
         level >= 0 && lua_getstack(L, level, &ar); ++level) {
        if (!lua_getinfo(L, "Sl", &ar) || ar.currentline <= 0)
            continue;
        const char* source = ar.source;
        if (source[0] == '@' || source[0] == '=')
            lua_pushstring(L, source + 1);
        else
            lua_pushstring(L, ar.short_src);
        lua_pushinteger(L, ar.currentline);
        return 2;
    }
    return 0;
}

bool valid_module_name(const char* name, std::size_t length) {
    if (length == 0 || length > 200 || name[0] == '.' || name[length - 1] == '.')
        return false;
    for (std::size_t i = 0; i < length; ++i) {
        const char c = name[i];
        const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (c == '.') {
            if (name[i + 1] == '.')
                return false;
        } else if (!word) {
            return false;
        }
    }
    return true;
}

// Splits "<file>:<line>: message" where <file> is a known chunk (possibly in
// Lua's shortened "...tail" form) or any text without a newline.
Error split_position(const std::string& message, const std::vector<std::string>& chunks,
                     const std::string& default_file) {
    // Reads ":<digits>: " at `at`; returns the line and moves `at` past it.
    auto read_line = [&](std::size_t& at) -> int {
        if (at >= message.size() || message[at] != ':')
            return 0;
        std::size_t i = at + 1;
        int line = 0;
        while (i < message.size() && message[i] >= '0' && message[i] <= '9' && line < 100'000'000)
            line = line * 10 + (message[i++] - '0');
        if (i == at + 1 || i + 1 >= message.size() || message[i] != ':' || message[i + 1] != ' ')
            return 0;
        at = i + 2;
        return line;
    };
    const std::string* best = nullptr;
    for (const auto& chunk : chunks)
        if (message.compare(0, chunk.size(), chunk) == 0 &&
            (!best || chunk.size() > best->size())) {
            std::size_t at = chunk.size();
            if (read_line(at) > 0)
                best = &chunk;
        }
    if (best) {
        std::size_t at = best->size();
        const int line = read_line(at);
        return Error::at(*best, line, message.substr(at));
    }
    const std::size_t newline = std::min(message.find('\n'), message.size());
    for (std::size_t colon = message.find(':'); colon != std::string::npos && colon < newline;
         colon = message.find(':', colon + 1)) {
        std::size_t at = colon;
        const int line = read_line(at);
        if (line <= 0)
            continue;
        std::string file = message.substr(0, colon);
        if (file.rfind("...", 0) == 0) {
            const std::string tail = file.substr(3);
            for (const auto& chunk : chunks)
                if (chunk.size() >= tail.size() &&
                    chunk.compare(chunk.size() - tail.size(), tail.size(), tail) == 0) {
                    file = chunk;
                    break;
                }
        }
        return Error::at(std::move(file), line, message.substr(at));
    }
    return Error::at(default_file, 0, message);
}

} // namespace

// What a protected body needs, as plain pointers (see the note at the top).
struct Sandbox::Call {
    Sandbox* self = nullptr;
    const char* code = nullptr;
    std::size_t code_length = 0;
    const char* chunk_name = nullptr; // with the leading '@'
    const std::vector<std::string>* prelude = nullptr;
    const char* module = nullptr;
    std::size_t module_length = 0;
    const char* function = nullptr;
    const std::vector<LuaValue>* arguments = nullptr;
};

Sandbox::Sandbox(std::filesystem::path lua_dir, SandboxLimits limits)
    : m_lua_dir(std::move(lua_dir)), m_limits(limits) {}

Sandbox::~Sandbox() = default;

Result<std::unique_ptr<Sandbox>> Sandbox::create(const std::filesystem::path& lua_dir,
                                                 SandboxLimits limits) {
    std::error_code ec;
    if (!std::filesystem::is_directory(lua_dir, ec))
        return Error::at(lua_dir.string(), 0, "Lua library folder not found");
    std::unique_ptr<Sandbox> sandbox(new Sandbox(lua_dir, limits));
    AARSHJUL_TRY(sandbox->open());
    return sandbox;
}

Result<std::unique_ptr<Sandbox>> Sandbox::create(std::shared_ptr<const LuaLibrary> library,
                                                 SandboxLimits limits) {
    if (!library)
        return make_error("no Lua library");
    std::unique_ptr<Sandbox> sandbox(new Sandbox(library->dir, limits));
    sandbox->m_library = std::move(library);
    AARSHJUL_TRY(sandbox->open());
    return sandbox;
}

std::size_t Sandbox::memory_used() const {
    return m_state->memory_used();
}

Sandbox* Sandbox::from(lua_State* L) {
    return *static_cast<Sandbox**>(lua_getextraspace(L));
}

Result<void> Sandbox::open() {
    m_state = LuaState::create(m_limits.memory_cap_bytes);
    if (!m_state)
        return make_error("cannot create a Lua state within the memory cap");
    lua_State* L = m_state->get();
    // Threads copy the main thread's extra space and hook when they are created.
    *static_cast<Sandbox**>(lua_getextraspace(L)) = this;
    lua_sethook(L, count_hook, LUA_MASKCOUNT, kHookEvery);
    Call call;
    call.self = this;
    auto opened = protected_call(open_body, call);
    if (!opened.ok())
        return make_error("cannot set up the Lua sandbox: " + opened.error().to_string());
    return {};
}

// Opens the libraries, trims them and builds the private table:
//   base    = functions copied into every environment
//   libs    = library name -> proxy metatable (one per library, shared)
//   load    = the original load
//   loaded  = module name -> value returned by require
//   modules = module name -> the module's own table, '_' fields included
//   loading = module name -> true while it loads
int Sandbox::open_body(lua_State* L) {
    luaL_requiref(L, "_G", luaopen_base, 0);
    const int globals = lua_gettop(L);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 0);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 0);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 0);
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 0);
    luaL_requiref(L, LUA_COLIBNAME, luaopen_coroutine, 0);
    luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 0);
    const int os_full = lua_gettop(L);
    const int string_lib = os_full - 4;

    lua_newtable(L);
    const int internals = lua_gettop(L);
    lua_pushvalue(L, internals);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &g_internals_key);

    // base
    lua_newtable(L);
    const int base = lua_gettop(L);
    for (const char* name : kSafeBase) {
        lua_getfield(L, globals, name);
        lua_setfield(L, base, name);
    }
    lua_getfield(L, globals, "setmetatable");
    lua_pushcclosure(L, l_setmetatable, 1);
    lua_setfield(L, base, "setmetatable");
    lua_getfield(L, globals, "rawset");
    lua_pushcclosure(L, l_rawset, 1);
    lua_setfield(L, base, "rawset");
    lua_getfield(L, globals, "xpcall");
    lua_pushcclosure(L, l_xpcall, 1);
    lua_setfield(L, base, "xpcall");
    lua_pushcfunction(L, l_collectgarbage);
    lua_setfield(L, base, "collectgarbage");
    lua_pushcfunction(L, l_print);
    lua_setfield(L, base, "print");
    lua_pushcfunction(L, l_require);
    lua_setfield(L, base, "require");
    lua_setfield(L, internals, "base");
    lua_getfield(L, globals, "load");
    lua_setfield(L, internals, "load");
    lua_newtable(L);
    lua_setfield(L, internals, "loaded");
    lua_newtable(L);
    lua_setfield(L, internals, "modules");
    lua_newtable(L);
    lua_setfield(L, internals, "loading");

    // string: the stock library without dump (see the header on why nothing
    // else is wrapped); its metatable hidden.
    lua_pushnil(L);
    lua_setfield(L, string_lib, "dump");
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);

    // coroutine: close and wrap that never run the closers of a coroutine that died of an error.
    const int coroutine_lib = os_full - 1;
    lua_getfield(L, coroutine_lib, "close");
    lua_pushcclosure(L, l_coroutine_close, 1);
    lua_setfield(L, coroutine_lib, "close");
    lua_pushcfunction(L, l_coroutine_wrap);
    lua_setfield(L, coroutine_lib, "wrap");

    // os: only the clock and calendar functions.
    lua_newtable(L);
    for (const char* name : kSafeOs) {
        lua_getfield(L, os_full, name);
        lua_setfield(L, -2, name);
    }
    lua_replace(L, os_full);

    // sandbox: helpers for the Lua library in lua/.
    lua_newtable(L);
    lua_pushcfunction(L, l_where);
    lua_setfield(L, -2, "where");
    const int sandbox_lib = lua_gettop(L);

    lua_newtable(L);
    const int libs = lua_gettop(L);
    const struct {
        const char* name;
        int index;
    } tables[] = {
        {LUA_TABLIBNAME, os_full - 5},  {LUA_STRLIBNAME, string_lib},
        {LUA_MATHLIBNAME, os_full - 3}, {LUA_UTF8LIBNAME, os_full - 2},
        {LUA_COLIBNAME, os_full - 1},   {LUA_OSLIBNAME, os_full},
        {"sandbox", sandbox_lib},
    };
    for (const auto& t : tables) {
        push_proxy_metatable(L, t.index, t.name);
        lua_setfield(L, libs, t.name);
    }
    lua_setfield(L, internals, "libs");

    // Nothing may reach the full libraries: chunks always get an environment of their own.
    lua_newtable(L);
    lua_rawseti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    return 0;
}

// Pushes a fresh environment: the safe base functions, a read-only proxy of
// every library, a load bound to this environment, and _G.
int Sandbox::push_env(lua_State* L) {
    push_internals(L);
    const int internals = lua_gettop(L);
    lua_newtable(L);
    const int env = lua_gettop(L);
    lua_getfield(L, internals, "base");
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, env);
    }
    lua_pop(L, 1);
    lua_getfield(L, internals, "libs");
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_newtable(L);
        lua_insert(L, -2);
        lua_setmetatable(L, -2);
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, env);
    }
    lua_pop(L, 1);
    lua_getfield(L, internals, "load");
    lua_pushvalue(L, env);
    lua_pushcclosure(L, l_load, 2);
    lua_setfield(L, env, "load");
    lua_pushvalue(L, env);
    lua_setfield(L, env, "_G");
    lua_remove(L, internals);
    return 1;
}

int Sandbox::l_print(lua_State* L) {
    Sandbox* self = from(L);
    const int args = lua_gettop(L);
    for (int i = 1; i <= args; ++i) {
        std::size_t length = 0;
        const char* text = luaL_tolstring(L, i, &length);
        const std::size_t room = kMaxOutputBytes - std::min(kMaxOutputBytes, self->m_output.size());
        try {
            if (i > 1 && room > 0)
                self->m_output.push_back('\t');
            self->m_output.append(text, std::min(length, room > 0 ? room - 1 : 0));
        } catch (...) {
        }
        lua_pop(L, 1);
    }
    try {
        if (self->m_output.size() < kMaxOutputBytes)
            self->m_output.push_back('\n');
    } catch (...) {
    }
    return 0;
}

bool Sandbox::read_module(const char* name, std::size_t length) {
    try {
        if (m_library) {
            const std::string module(name, length);
            auto found = m_library->modules.find(module);
            if (found == m_library->modules.end()) {
                std::string relative = module;
                std::replace(relative.begin(), relative.end(), '.', '/');
                m_scratch_error = "require: module '" + module + "' not found (looked for " +
                                  (m_library->dir / (relative + ".lua")).string() + ")";
                return false;
            }
            if (!found->second.error.empty()) {
                m_scratch_error = found->second.error;
                return false;
            }
            m_scratch = found->second.source;
            m_scratch_name = "@" + found->second.file;
            if (std::find(m_chunk_names.begin(), m_chunk_names.end(), found->second.file) ==
                m_chunk_names.end())
                m_chunk_names.push_back(found->second.file);
            return true;
        }
        std::string relative(name, length);
        std::replace(relative.begin(), relative.end(), '.', '/');
        const auto file = m_lua_dir / (relative + ".lua");
        std::error_code ec;
        if (!std::filesystem::is_regular_file(file, ec)) {
            m_scratch_error = "require: module '" + std::string(name, length) +
                              "' not found (looked for " + file.string() + ")";
            return false;
        }
        // A symbolic link must not lead out of the Lua folder.
        const auto root = std::filesystem::canonical(m_lua_dir, ec);
        const auto real = std::filesystem::canonical(file, ec);
        auto rel = real.lexically_relative(root);
        if (ec || rel.empty() || *rel.begin() == "..") {
            m_scratch_error = "require: module '" + std::string(name, length) + "' lies outside " +
                              m_lua_dir.string();
            return false;
        }
        if (std::filesystem::file_size(file, ec) > m_limits.max_string_bytes || ec) {
            m_scratch_error = "require: " + file.string() + " is too large or unreadable";
            return false;
        }
        std::ifstream in(file, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        if (!in.is_open() || in.bad()) {
            m_scratch_error = "require: cannot read " + file.string();
            return false;
        }
        m_scratch = text.str();
        if (m_scratch.rfind("\xEF\xBB\xBF", 0) == 0)
            m_scratch.erase(0, 3);
        m_scratch_name = "@" + file.string();
        if (std::find(m_chunk_names.begin(), m_chunk_names.end(), file.string()) ==
            m_chunk_names.end())
            m_chunk_names.push_back(file.string());
        return true;
    } catch (const std::exception& e) {
        try {
            m_scratch_error = std::string("require: ") + e.what();
        } catch (...) {
        }
        return false;
    }
}

// require(name): "a.b" -> <lua_dir>/a/b.lua, run once per sandbox in an
// environment of its own; a table result is handed out as a read-only proxy
// of a copy without its '_' fields (kept in internals.modules for the host).
int Sandbox::l_require(lua_State* L) {
    std::size_t length = 0;
    const char* name = luaL_checklstring(L, 1, &length);
    lua_settop(L, 1);
    push_internals(L);
    const int internals = 2;
    lua_getfield(L, internals, "loaded");
    const int loaded = 3;
    lua_pushvalue(L, 1);
    if (lua_rawget(L, loaded) != LUA_TNIL)
        return 1;
    lua_pop(L, 1);
    if (!valid_module_name(name, length))
        return luaL_error(L,
                          "require: invalid module name '%s' (modules are dotted names such as "
                          "'aarshjul.dsl', found only in the Lua library folder)",
                          name);
    lua_getfield(L, internals, "loading");
    const int loading = 4;
    lua_pushvalue(L, 1);
    if (lua_rawget(L, loading) != LUA_TNIL)
        return luaL_error(L, "require: module '%s' requires itself while loading", name);
    lua_pop(L, 1);

    Sandbox* self = from(L);
    if (!self->read_module(name, length))
        return luaL_error(L, "%s", self->m_scratch_error.c_str());
    if (luaL_loadbufferx(L, self->m_scratch.data(), self->m_scratch.size(),
                         self->m_scratch_name.c_str(), "t") != LUA_OK)
        return lua_error(L);
    const int chunk = lua_gettop(L);
    push_env(L);
    if (!lua_setupvalue(L, chunk, 1))
        lua_pop(L, 1);

    lua_pushvalue(L, 1);
    lua_pushboolean(L, 1);
    lua_rawset(L, loading);
    lua_pushvalue(L, 1);
    const int status = lua_pcall(L, 1, 1, 0);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    lua_rawset(L, loading);
    if (status != LUA_OK)
        return lua_error(L);

    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    } else if (lua_type(L, -1) == LUA_TTABLE) {
        lua_getfield(L, internals, "modules");
        lua_pushvalue(L, 1);
        lua_pushvalue(L, -3);
        lua_rawset(L, -3);
        lua_pop(L, 1);
        strip_internals(L, -1);
        make_proxy(L, -1, name);
    }
    lua_pushvalue(L, 1);
    lua_pushvalue(L, -2);
    lua_rawset(L, loaded);
    return 1;
}

// xpcall(f, handler, ...) with the handler behind l_message_handler. Upvalue 1: the original.
int Sandbox::l_xpcall(lua_State* L) {
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, l_message_handler, 1);
    lua_replace(L, 2);
    return call_original(L);
}

// Lua calls the message handler for an error raised by the count hook while
// hooks are still off, so once a limit is hit the script's handler must not
// run at all: the error goes through unchanged. Upvalue 1: the handler.
int Sandbox::l_message_handler(lua_State* L) {
    if (from(L)->m_stop != Stop::None)
        return 1;
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

void Sandbox::start_budget() {
    m_instructions = 0;
    m_deadline = std::chrono::steady_clock::now() + m_limits.wall_deadline;
    if (m_until && *m_until < m_deadline)
        m_deadline = *m_until;
    m_stop = Stop::None;
    m_state->clear_refused();
    lua_sethook(m_state->get(), count_hook, LUA_MASKCOUNT, kHookEvery);
}

const char* Sandbox::check_budget(lua_State* L, std::uint64_t used) {
    if (m_stop == Stop::None) {
        m_instructions += used;
        if (m_state->memory_refused())
            m_stop = Stop::Memory;
        else if (m_instructions > m_limits.instruction_budget)
            m_stop = Stop::Instructions;
        else if (std::chrono::steady_clock::now() > m_deadline)
            m_stop = Stop::Deadline;
        if (m_stop == Stop::None) {
            // A coroutine may still run at every instruction from an earlier call.
            if (lua_gethookcount(L) != kHookEvery)
                lua_sethook(L, count_hook, LUA_MASKCOUNT, kHookEvery);
            return nullptr;
        }
    }
    switch (m_stop) {
    case Stop::Memory:
        return "memory limit exceeded";
    case Stop::Instructions:
        return "instruction budget exceeded";
    default:
        return "wall-clock deadline exceeded";
    }
}

void Sandbox::count_hook(lua_State* L, lua_Debug*) {
    const char* message = from(L)->check_budget(L, static_cast<std::uint64_t>(lua_gethookcount(L)));
    if (!message)
        return;
    // From now on this thread stops at its next instruction, wherever a pcall caught this.
    lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
    luaL_where(L, 0);
    lua_pushstring(L, message);
    lua_concat(L, 2);
    lua_error(L);
}

Result<LuaValue> Sandbox::protected_call(int (*body)(lua_State*), Call& call) {
    lua_State* L = m_state->get();
    const int top = lua_gettop(L);
    start_budget();
    lua_pushcfunction(L, body);
    lua_pushlightuserdata(L, &call);
    const int status = lua_pcall(L, 1, 1, 0);
    const std::string file = call.chunk_name ? std::string(call.chunk_name + 1) : std::string();
    // A limit hit inside a coroutine fails the call even if the main thread then finished.
    if (status != LUA_OK || m_stop != Stop::None) {
        auto error = error_from_stack(status, file);
        lua_settop(L, top);
        return error;
    }
    auto value = read_value(L, -1);
    lua_settop(L, top);
    return value;
}

Error Sandbox::error_from_stack(int status, const std::string& default_file) {
    lua_State* L = m_state->get();
    std::string limit_message;
    switch (m_stop) {
    case Stop::Memory:
        limit_message =
            "memory limit exceeded (" + std::to_string(m_limits.memory_cap_bytes) + " bytes)";
        break;
    case Stop::Instructions:
        limit_message = "instruction budget exceeded (" +
                        std::to_string(m_limits.instruction_budget) + " instructions)";
        break;
    case Stop::Deadline:
        limit_message = "wall-clock deadline exceeded (" +
                        std::to_string(m_limits.wall_deadline.count()) + " ms)";
        break;
    case Stop::None:
        if (status == LUA_ERRMEM || m_state->memory_refused())
            limit_message =
                "memory limit exceeded (" + std::to_string(m_limits.memory_cap_bytes) + " bytes)";
        break;
    }
    std::string message;
    if (lua_type(L, -1) == LUA_TSTRING)
        message = to_valid_utf8(lua_tostring(L, -1)); // a script's text, echoed to logs and pages
    else if (lua_type(L, -1) == LUA_TNUMBER)
        message = lua_isinteger(L, -1) ? std::to_string(lua_tointeger(L, -1))
                                       : std::to_string(lua_tonumber(L, -1));
    else
        message = std::string("(error object is a ") + luaL_typename(L, -1) + " value)";
    Error error = split_position(message, m_chunk_names, default_file);
    if (!limit_message.empty()) {
        // Report the limit even when a script caught it and raised something else.
        const bool about_limit =
            error.message.rfind(limit_message.substr(0, limit_message.find(" (")), 0) == 0;
        if (!about_limit)
            error = Error::at(default_file, 0, limit_message);
        else
            error.message = limit_message;
    }
    return error;
}

int Sandbox::run_body(lua_State* L) {
    auto* call = static_cast<Call*>(lua_touserdata(L, 1));
    if (luaL_loadbufferx(L, call->code, call->code_length, call->chunk_name, "t") != LUA_OK)
        return lua_error(L);
    const int chunk = lua_gettop(L);
    push_env(L);
    const int env = lua_gettop(L);
    for (std::size_t i = 0; call->prelude && i < call->prelude->size(); ++i) {
        const std::string& module = (*call->prelude)[i];
        lua_pushcfunction(L, l_require);
        lua_pushlstring(L, module.data(), module.size());
        lua_call(L, 1, 1);
        // Modules come back as read-only proxies; copy from the table behind one.
        if (lua_type(L, -1) == LUA_TTABLE && lua_getmetatable(L, -1)) {
            lua_getfield(L, -1, "__index");
            lua_replace(L, -3);
            lua_pop(L, 1);
        }
        if (lua_type(L, -1) != LUA_TTABLE)
            return luaL_error(L, "prelude module '%s' did not return a table", module.c_str());
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            if (lua_type(L, -2) == LUA_TSTRING && lua_tostring(L, -2)[0] != '_') {
                lua_pushvalue(L, -2);
                lua_insert(L, -2);
                lua_rawset(L, env);
            } else {
                lua_pop(L, 1);
            }
        }
        lua_pop(L, 1);
    }
    lua_setupvalue(L, chunk, 1);
    lua_call(L, 0, 1);
    return 1;
}

// The host's path to a module: its own table, internals ('_' fields) included.
int Sandbox::call_body(lua_State* L) {
    auto* call = static_cast<Call*>(lua_touserdata(L, 1));
    lua_pushcfunction(L, l_require);
    lua_pushlstring(L, call->module, call->module_length);
    lua_call(L, 1, 0);
    push_internals(L);
    lua_getfield(L, -1, "modules");
    lua_pushlstring(L, call->module, call->module_length);
    if (lua_rawget(L, -2) != LUA_TTABLE)
        return luaL_error(L, "module '%s' is not a table", call->module);
    lua_getfield(L, -1, call->function);
    if (lua_type(L, -1) != LUA_TFUNCTION)
        return luaL_error(L, "module '%s' has no function '%s'", call->module, call->function);
    const int count = call->arguments ? static_cast<int>(call->arguments->size()) : 0;
    luaL_checkstack(L, count, "too many arguments");
    for (int i = 0; i < count; ++i)
        push_value(L, (*call->arguments)[static_cast<std::size_t>(i)]);
    lua_call(L, count, 1);
    return 1;
}

Result<LuaValue> Sandbox::run_chunk(std::string_view code, std::string chunk_name,
                                    const RunOptions& options) {
    if (code.rfind("\xEF\xBB\xBF", 0) == 0)
        code.remove_prefix(3);
    if (std::find(m_chunk_names.begin(), m_chunk_names.end(), chunk_name) == m_chunk_names.end())
        m_chunk_names.push_back(chunk_name);
    const std::string source = "@" + chunk_name;
    Call call;
    call.self = this;
    call.code = code.data();
    call.code_length = code.size();
    call.chunk_name = source.c_str();
    call.prelude = &options.prelude;
    return protected_call(run_body, call);
}

Result<LuaValue> Sandbox::run_file(const std::filesystem::path& file, const RunOptions& options) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (ec)
        return Error::at(file.string(), 0, "cannot read: " + ec.message());
    if (size > m_limits.max_string_bytes)
        return Error::at(file.string(), 0, "file too large (" + std::to_string(size) + " bytes)");
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in.is_open() || in.bad())
        return Error::at(file.string(), 0, "cannot read");
    return run_chunk(text.str(), file.string(), options);
}

Result<LuaValue> Sandbox::run_string(std::string_view code, std::string_view chunk_name,
                                     const RunOptions& options) {
    return run_chunk(code, std::string(chunk_name), options);
}

Result<LuaValue> Sandbox::call_module_function(std::string_view module, std::string_view function,
                                               const std::vector<LuaValue>& arguments) {
    const std::string module_name(module);
    const std::string function_name(function);
    Call call;
    call.self = this;
    call.module = module_name.c_str();
    call.module_length = module_name.size();
    call.function = function_name.c_str();
    call.arguments = &arguments;
    return protected_call(call_body, call);
}

} // namespace aarshjul

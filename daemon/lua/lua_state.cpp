// SPDX-License-Identifier: MPL-2.0
#include "lua/lua_state.h"

#include <cstdio>
#include <cstdlib>
#include <lua.hpp>

namespace aarshjul {

namespace {

// Every entry into Lua goes through lua_pcall, so a panic means a bug in
// daemon/lua/: say so before Lua aborts the process.
int on_panic(lua_State* L) {
    const char* message = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "(no message)";
    std::fprintf(stderr, "aarshjul: unprotected Lua error: %s\n", message);
    return 0;
}

} // namespace

std::unique_ptr<LuaState> LuaState::create(std::size_t memory_cap) {
    std::unique_ptr<LuaState> state(new LuaState(memory_cap));
    state->m_state = lua_newstate(&LuaState::allocate, state.get());
    if (!state->m_state)
        return nullptr;
    lua_atpanic(state->m_state, on_panic);
    return state;
}

LuaState::~LuaState() {
    if (m_state)
        lua_close(m_state);
}

void* LuaState::allocate(void* self, void* block, std::size_t old_size, std::size_t new_size) {
    auto* state = static_cast<LuaState*>(self);
    // With a null block, old_size tells the kind of object, not a size.
    const std::size_t old_bytes = block ? old_size : 0;
    if (new_size == 0) {
        std::free(block);
        state->m_used -= old_bytes;
        return nullptr;
    }
    const std::size_t others = state->m_used - old_bytes;
    // Lua assumes that shrinking never fails, so only growth is checked.
    // Lua retries a refused request once after a full collection; if that
    // succeeds, the script stayed within the cap after all.
    const bool retry = state->m_refused && block == state->m_last_refused.block &&
                       old_size == state->m_last_refused.old_size &&
                       new_size == state->m_last_refused.new_size;
    auto refuse = [&]() -> void* {
        state->m_refused = true;
        state->m_last_refused = Request{block, old_size, new_size};
        return nullptr;
    };
    if (new_size > old_bytes && (new_size > state->m_cap || others > state->m_cap - new_size))
        return refuse();
    void* grown = std::realloc(block, new_size);
    if (!grown) {
        if (new_size > old_bytes)
            return refuse();
        // A failed shrink keeps the old block, which is still large enough;
        // Lua will free it as a block of new_size bytes.
        grown = block;
    }
    state->m_used = others + new_size;
    if (retry)
        state->m_refused = false;
    return grown;
}

} // namespace aarshjul

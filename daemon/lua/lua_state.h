// SPDX-License-Identifier: MPL-2.0
#pragma once
// LuaState: owns one lua_State and the allocator that meters its memory.
//
// The state is created with lua_newstate and a counting allocator that
// refuses any allocation that would take the state past `memory_cap` bytes
// (Lua then raises a memory error). lua_close runs in the destructor. The
// object is neither copyable nor movable: the allocator keeps a pointer to
// it. Not thread-safe; one thread uses a state at a time.

#include <cstddef>
#include <memory>

struct lua_State;

namespace aarshjul {

class LuaState {
public:
    // A fresh state with no libraries opened, or nullptr when even that does not fit the cap.
    static std::unique_ptr<LuaState> create(std::size_t memory_cap);
    ~LuaState();
    LuaState(const LuaState&) = delete;
    LuaState& operator=(const LuaState&) = delete;

    lua_State* get() const { return m_state; }
    std::size_t memory_used() const { return m_used; }
    std::size_t memory_cap() const { return m_cap; }
    // True once the allocator has refused a request since the last clear_refused()
    // that Lua's retry after an emergency collection did not then satisfy.
    bool memory_refused() const { return m_refused; }
    void clear_refused() { m_refused = false; }

private:
    explicit LuaState(std::size_t memory_cap) : m_cap(memory_cap) {}
    static void* allocate(void* self, void* block, std::size_t old_size, std::size_t new_size);

    lua_State* m_state = nullptr;
    std::size_t m_used = 0;
    std::size_t m_cap = 0;
    bool m_refused = false;
    struct Request {
        void* block = nullptr;
        std::size_t old_size = 0;
        std::size_t new_size = 0;
    } m_last_refused; // to recognise Lua's retry of a refused request
};

} // namespace aarshjul

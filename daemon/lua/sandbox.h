// SPDX-License-Identifier: MPL-2.0
#pragma once
// Sandbox: one evaluation context for untrusted Lua (workflow files, hooks).
//
// Each Sandbox owns a fresh lua_State (see LuaState) holding only the base,
// table, string, math, utf8 and coroutine libraries and os.time, os.date,
// os.clock and os.difftime. There is no io, debug, dofile, loadfile,
// string.dump or binary chunk; `load` always runs in text mode; `require`
// resolves "a.b" only to <lua_dir>/a/b.lua (read from a LuaLibrary held in
// memory when the Sandbox is made from one, see lua_library.h). Every script runs in an
// environment table of its own whose library tables are read-only proxies
// (`rawset` refuses them too), and the string metatable is hidden, so no
// script can change what another one sees. A module's fields whose names
// start with '_' are hidden from scripts; only call_module_function reaches
// them (the DSL's _definitions, _warnings and _run_hook are for the loader alone).
//
// Limits: a counting allocator refuses memory past memory_cap_bytes; a count
// hook enforces the instruction budget and the wall-clock deadline, and once
// either is exceeded (or memory ran out) it raises on every following
// instruction of every coroutine, so a pcall that catches the error cannot go
// on. C functions do not run the hook: the stock string library runs
// unchanged, and a C call that runs long (a pathological string.find, a
// string.rep of megabytes in a loop) is stopped by the Lua worker process's
// limits (worker/lua_worker.h: the daemon kills it at its wall deadline, the
// kernel at its CPU limit), not here; the allocator cap bounds every string a
// C function builds, string.rep's included, since Lua asks for the whole
// result at once. So a Sandbox in the daemon's own process is for trusted
// code and tests only. Lua runs two kinds
// of Lua code with hooks off, so neither may run unbounded: a `setmetatable`
// with a __gc field is refused (finalizers), and an xpcall message handler is
// skipped once a limit has been hit (the hook's own error calls it).
//
// Extra globals: `print` appends to output() instead of stdout, and
// `sandbox.where(level)` returns the file and line of a caller (level 1 is
// the function that calls where, as for error()), for libraries that must
// point at their caller's line without the debug library.
//
// Every public call (run_file, run_string, call_module_function) starts a
// fresh instruction budget and deadline; memory is counted for the state's
// whole life. Not thread-safe: one Sandbox per thread.

#include "lua/lua_value.h"
#include "util/result.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct lua_State;
struct lua_Debug;

namespace aarshjul {

class LuaState;
struct LuaLibrary;

struct SandboxLimits {
    std::uint64_t instruction_budget = 50'000'000; // VM instructions per public call
    std::size_t memory_cap_bytes = 64 * 1024 * 1024;
    std::chrono::milliseconds wall_deadline{2000};   // per public call
    std::size_t max_string_bytes = 16 * 1024 * 1024; // workflow and module files read
};

struct RunOptions {
    // Modules to require before the script runs; every field of a module's
    // table whose name does not start with '_' becomes a global of the script.
    std::vector<std::string> prelude;
};

class Sandbox {
public:
    static Result<std::unique_ptr<Sandbox>> create(const std::filesystem::path& lua_dir,
                                                   SandboxLimits limits = {});
    // A Sandbox whose require reads only `library`: it opens no file.
    static Result<std::unique_ptr<Sandbox>> create(std::shared_ptr<const LuaLibrary> library,
                                                   SandboxLimits limits = {});
    ~Sandbox();
    Sandbox(const Sandbox&) = delete;
    Sandbox& operator=(const Sandbox&) = delete;

    // Runs a file in a fresh environment, chunk name "@<file as given>", and
    // returns the chunk's first result. Errors carry file and line when known.
    Result<LuaValue> run_file(const std::filesystem::path& file, const RunOptions& options = {});
    // Runs `code` in a fresh environment under the chunk name "@<chunk_name>".
    Result<LuaValue> run_string(std::string_view code, std::string_view chunk_name,
                                const RunOptions& options = {});
    // Calls require(module)[function](arguments...) and returns its first
    // result; `function` may be one of the module's '_' internals. Tables in the arguments reach
    // Lua as fresh tables; opaque values (functions and the like) as nil.
    Result<LuaValue> call_module_function(std::string_view module, std::string_view function,
                                          const std::vector<LuaValue>& arguments = {});

    // No public call runs past `until`, whatever its own deadline: a file's
    // run and the collection of its definitions share one deadline.
    void limit_until(std::chrono::steady_clock::time_point until) { m_until = until; }

    // What the scripts printed, capped at 64 KiB.
    const std::string& output() const { return m_output; }
    std::size_t memory_used() const;
    const SandboxLimits& limits() const { return m_limits; }

private:
    enum class Stop { None, Instructions, Deadline, Memory };
    struct Call;

    Sandbox(std::filesystem::path lua_dir, SandboxLimits limits);
    Result<void> open();
    Result<LuaValue> run_chunk(std::string_view code, std::string chunk_name,
                               const RunOptions& options);
    Result<LuaValue> protected_call(int (*body)(lua_State*), Call& call);
    void start_budget();
    Error error_from_stack(int status, const std::string& default_file);

    // Charges `used` instructions; returns the message to raise, or nullptr.
    const char* check_budget(lua_State* L, std::uint64_t used);
    // For require: reads <lua_dir>/<module path>.lua into m_scratch and its
    // chunk name into m_scratch_name; on failure m_scratch_error says why.
    bool read_module(const char* name, std::size_t length);

    static Sandbox* from(lua_State* L);
    static void count_hook(lua_State* L, lua_Debug* ar);
    static int open_body(lua_State* L);
    static int run_body(lua_State* L);
    static int call_body(lua_State* L);
    static int push_env(lua_State* L);
    static int l_require(lua_State* L);
    static int l_print(lua_State* L);
    static int l_xpcall(lua_State* L);
    static int l_message_handler(lua_State* L);

    std::filesystem::path m_lua_dir;
    std::shared_ptr<const LuaLibrary> m_library; // when set, require reads only this
    std::optional<std::chrono::steady_clock::time_point> m_until;
    SandboxLimits m_limits;
    std::unique_ptr<LuaState> m_state;

    std::uint64_t m_instructions = 0;
    std::chrono::steady_clock::time_point m_deadline{};
    Stop m_stop = Stop::None;
    std::string m_stop_message;

    std::vector<std::string> m_chunk_names; // every chunk loaded, to map error positions
    std::string m_output;
    std::string m_scratch;       // module source being loaded by require
    std::string m_scratch_name;  // its chunk name
    std::string m_scratch_error; // why require could not read it
};

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#include "lua/sandbox.h"
#include "support/temp_dir.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace aarshjul {
namespace {

using ::testing::HasSubstr;

const std::filesystem::path kLuaDir = std::filesystem::path(AARSHJUL_SOURCE_DIR) / "lua";
const std::filesystem::path kTestData = std::filesystem::path(AARSHJUL_TEST_DATA) / "lua";

// Small limits keep the runaway tests fast.
SandboxLimits small_limits() {
    SandboxLimits limits;
    limits.instruction_budget = 2'000'000;
    limits.memory_cap_bytes = 16 * 1024 * 1024;
    limits.wall_deadline = std::chrono::milliseconds(5000);
    return limits;
}

std::unique_ptr<Sandbox> make_sandbox(SandboxLimits limits = small_limits()) {
    auto sandbox = Sandbox::create(kLuaDir, limits);
    if (!sandbox.ok())
        ADD_FAILURE() << sandbox.error().to_string();
    return std::move(sandbox).value();
}

// Runs `code` and returns its error, failing the test when it succeeds.
Error run_error(Sandbox& sandbox, const std::string& code,
                const std::string& chunk = "script.lua") {
    auto result = sandbox.run_string(code, chunk);
    if (result.ok()) {
        ADD_FAILURE() << "expected an error from: " << code;
        return Error{};
    }
    return result.error();
}

std::chrono::milliseconds elapsed_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start);
}

// Plain Lua runs and hands its result back as data.
TEST(Sandbox, RunsPlainLuaAndReturnsItsResult) {
    auto sandbox = make_sandbox();
    auto result = sandbox->run_string(R"(
        local t = { ("abc"):upper(), string.format("%03d", 7), math.max(2, 9), utf8.char(229) }
        t.n = #t
        t.ok = select("#", 1, 2) == 2 and os.date("!%Y", 0) == "1970"
        return t)",
                                      "plain.lua");
    ASSERT_TRUE(result.ok()) << result.error().to_string();
    const LuaTable* t = result->as_table();
    ASSERT_TRUE(t);
    ASSERT_EQ(t->array.size(), 4u);
    EXPECT_EQ(*t->array[0].as_string(), "ABC");
    EXPECT_EQ(*t->array[1].as_string(), "007");
    EXPECT_EQ(t->array[2].as_integer(), 9);
    EXPECT_EQ(*t->array[3].as_string(), "\xC3\xA5");
    EXPECT_EQ(t->field("n")->as_integer(), 4);
    EXPECT_EQ(t->field("ok")->as_boolean(), true);
}

struct EscapeCase {
    const char* name;
    const char* code;
    const char* message; // a part of the expected error
};

// Every way out of the sandbox is refused with an error that names the problem and the line.
TEST(Sandbox, RefusesEveryEscape) {
    const EscapeCase cases[] = {
        {.name = "io.open", .code = "io.open('/etc/passwd')", .message = "global 'io'"},
        {.name = "os.execute", .code = "os.execute('true')", .message = "field 'execute'"},
        {.name = "os.getenv", .code = "os.getenv('HOME')", .message = "field 'getenv'"},
        {.name = "os.remove", .code = "os.remove('/tmp/x')", .message = "field 'remove'"},
        {.name = "binary chunk",
         .code = "assert(load('\\27Lua\\84\\0\\25\\147\\13\\10\\26\\10\\4\\8\\8'))",
         .message = "attempt to load a binary chunk (mode is 't')"},
        {.name = "binary chunk, mode b",
         .code = "assert(load('\\27Lua\\84\\0', 'x', 'b'))",
         .message = "attempt to load a binary chunk (mode is 't')"},
        {.name = "binary chunk, mode bt",
         .code = "assert(load('\\27Lua\\84\\0', 'x', 'bt'))",
         .message = "attempt to load a binary chunk (mode is 't')"},
        {.name = "string.dump", .code = "string.dump(print)", .message = "field 'dump'"},
        {.name = "string.dump as method", .code = "local s = ('x').dump", .message = ""},
        {.name = "dofile", .code = "dofile('/etc/passwd')", .message = "global 'dofile'"},
        {.name = "loadfile", .code = "loadfile('/etc/passwd')", .message = "global 'loadfile'"},
        {.name = "debug", .code = "debug.getinfo(1)", .message = "global 'debug'"},
        {.name = "package", .code = "package.loadlib('x', 'y')", .message = "global 'package'"},
        {.name = "require ..", .code = "require('../x')", .message = "invalid module name '../x'"},
        {.name = "require dots",
         .code = "require('aarshjul..dsl')",
         .message = "invalid module name"},
        {.name = "require absolute",
         .code = "require('/etc/passwd')",
         .message = "invalid module name '/etc/passwd'"},
        {.name = "require outside lua/",
         .code = "require('outside_module')",
         .message = "module 'outside_module' not found"},
        {.name = "collectgarbage", .code = "collectgarbage('stop')", .message = "not allowed"},
        {.name = "__gc", .code = "setmetatable({}, { __gc = print })", .message = "__gc"},
        {.name = "string metatable",
         .code = "getmetatable('').__index.rep = nil",
         .message = "attempt to index a boolean value"},
        {.name = "library metatable",
         .code = "setmetatable(string, {})",
         .message = "cannot change a protected metatable"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        auto sandbox = make_sandbox();
        // The method lookup itself works (strings have methods) but finds nothing.
        if (std::string_view(c.message).empty()) {
            auto result = sandbox->run_string(std::string(c.code) + " return s", "escape.lua");
            ASSERT_TRUE(result.ok());
            EXPECT_TRUE(result->is_nil());
            continue;
        }
        Error e = run_error(*sandbox, std::string("\n") + c.code, "escape.lua");
        EXPECT_THAT(e.message, HasSubstr(c.message));
        EXPECT_EQ(e.file, "escape.lua");
        EXPECT_EQ(e.line, 2) << e.to_string();
    }
    // The outside module really exists, so only the sandbox stopped require from reaching it.
    EXPECT_TRUE(std::filesystem::exists(kTestData / "outside_module.lua"));
}

// A module reached through a symbolic link that leads out of lua/ is refused.
TEST(Sandbox, RequireDoesNotFollowLinksOutOfTheLuaFolder) {
    testing::TempDir dir;
    dir.write("lua/ok.lua", "return { answer = 42 }");
    std::filesystem::create_symlink(kTestData / "outside_module.lua",
                                    dir.path() / "lua" / "link.lua");
    auto sandbox = Sandbox::create(dir.path() / "lua", small_limits());
    ASSERT_TRUE(sandbox.ok());
    auto ok = (*sandbox)->run_string("return require('ok').answer", "req.lua");
    ASSERT_TRUE(ok.ok()) << ok.error().to_string();
    EXPECT_EQ(ok->as_integer(), 42);
    Error e = run_error(**sandbox, "return require('link')");
    EXPECT_THAT(e.message, HasSubstr("lies outside"));

    // A module that fails to load says why, every time it is required.
    dir.write("lua/bad.lua", "\nerror('not today')");
    for (int i = 0; i < 2; ++i) {
        Error bad = run_error(**sandbox, "return require('bad')");
        EXPECT_EQ(bad.to_string(), (dir.path() / "lua" / "bad.lua").string() + ":2: not today");
    }
    dir.write("lua/loop.lua", "return require('loop')");
    Error loop = run_error(**sandbox, "return require('loop')");
    EXPECT_THAT(loop.message, HasSubstr("module 'loop' requires itself while loading"));
}

// A script cannot change a library for another script, in the same sandbox or a new one.
TEST(Sandbox, LibraryTablesAreReadOnlyAndPerScript) {
    auto sandbox = make_sandbox();
    Error e = run_error(*sandbox, "string.format = function() return 'pwned' end");
    EXPECT_THAT(e.message, HasSubstr("attempt to modify read-only table 'string'"));
    EXPECT_EQ(e.line, 1);

    // A global set by one script is not seen by the next.
    auto own = sandbox->run_string("leaked = true return string.format('%d', 1)", "a.lua");
    ASSERT_TRUE(own.ok()) << own.error().to_string();
    EXPECT_EQ(*own->as_string(), "1");

    auto next = sandbox->run_string("return string.format('%d', 1) .. tostring(leaked)", "b.lua");
    ASSERT_TRUE(next.ok()) << next.error().to_string();
    EXPECT_EQ(*next->as_string(), "1nil");

    auto fresh = make_sandbox()->run_string("return string.format('%d', 3)", "c.lua");
    ASSERT_TRUE(fresh.ok());
    EXPECT_EQ(*fresh->as_string(), "3");

    // Library proxies still iterate.
    auto listed =
        sandbox->run_string("local n = 0 for k in pairs(math) do n = n + 1 end return n", "d.lua");
    ASSERT_TRUE(listed.ok());
    EXPECT_GT(*listed->as_integer(), 10);
}

// Every way of writing into a library or module table, rawset included, is
// refused at the script's line, and the table is unchanged afterwards.
TEST(Sandbox, LibraryTablesRefuseEveryWrite) {
    const EscapeCase cases[] = {
        {.name = "rawset string",
         .code = "rawset(string, 'format', print)",
         .message = "rawset: attempt to modify read-only table 'string'"},
        {.name = "rawset math",
         .code = "rawset(math, 'pi', 3)",
         .message = "rawset: attempt to modify read-only table 'math'"},
        {.name = "rawset table",
         .code = "rawset(table, 'concat', print)",
         .message = "read-only table 'table'"},
        {.name = "rawset through _G",
         .code = "rawset(_G.os, 'time', print)",
         .message = "read-only table 'os'"},
        {.name = "rawset sandbox",
         .code = "rawset(sandbox, 'where', print)",
         .message = "read-only table 'sandbox'"},
        {.name = "rawset the DSL",
         .code = "rawset(require('aarshjul.dsl'), '_definitions', function() return {} end)",
         .message = "rawset: attempt to modify read-only table 'aarshjul.dsl'"},
        {.name = "rawset a read-only table made in Lua",
         .code = "rawset(setmetatable({}, { __metatable = false }), 'x', 1)",
         .message = "rawset: attempt to modify a read-only table"},
        {.name = "table.insert",
         .code = "table.insert(math, 1)",
         .message = "attempt to modify read-only table 'math'"},
        {.name = "setmetatable nil",
         .code = "setmetatable(string, nil)",
         .message = "cannot change a protected metatable"},
        {.name = "string metatable hidden",
         .code = "getmetatable('').__index = {}",
         .message = "attempt to index a boolean value"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        auto sandbox = make_sandbox();
        Error e = run_error(*sandbox, std::string("\n") + c.code, "tamper.lua");
        EXPECT_THAT(e.message, HasSubstr(c.message));
        EXPECT_EQ(e.line, 2) << e.to_string();
        auto after = sandbox->run_string(
            "local dsl = require('aarshjul.dsl') "
            "return string.format('%d', 1) .. math.pi .. type(table.concat) .. #table.pack() .. "
            "type(os.time) .. type(sandbox.where) .. type(dsl._definitions) .. ('x'):rep(2)",
            "after.lua");
        ASSERT_TRUE(after.ok()) << after.error().to_string();
        EXPECT_EQ(*after->as_string(), "13.1415926535898function0functionfunctionnilxx");
    }
    // rawset on a script's own tables works as before.
    auto own = make_sandbox()->run_string("local t = {} rawset(t, 'a', 1) return t.a", "own.lua");
    ASSERT_TRUE(own.ok()) << own.error().to_string();
    EXPECT_EQ(own->as_integer(), 1);
}

// A module's '_' fields are for the host only: a script sees neither the
// field nor its value, by index, pairs or the prelude, while the host still
// calls them.
TEST(Sandbox, ModuleInternalsAreHiddenFromScripts) {
    auto sandbox = make_sandbox();
    auto seen = sandbox->run_string(R"(
        local dsl = require("aarshjul.dsl")
        local hidden = 0
        for key in pairs(dsl) do
          if key:sub(1, 1) == "_" then hidden = hidden + 1 end
        end
        return tostring(dsl._definitions) .. " " .. tostring(dsl._run_hook) .. " " .. hidden)",
                                    "peek.lua");
    ASSERT_TRUE(seen.ok()) << seen.error().to_string();
    EXPECT_EQ(*seen->as_string(), "nil nil 0");
    Error e = run_error(*sandbox, "\nreturn require('aarshjul.dsl')._definitions()", "grab.lua");
    EXPECT_EQ(e.line, 2);
    EXPECT_THAT(e.message, HasSubstr("_definitions"));
    auto defs = sandbox->call_module_function("aarshjul.dsl", "_definitions");
    ASSERT_TRUE(defs.ok()) << defs.error().to_string();
    EXPECT_TRUE(defs->as_table());
}

// An error message that is not UTF-8 comes back with U+FFFD in place of the bad bytes.
TEST(Sandbox, ErrorMessagesAreUtf8) {
    auto sandbox = make_sandbox();
    Error e = run_error(*sandbox, "error('bad \\255 byte')", "bytes.lua");
    EXPECT_EQ(e.to_string(), "bytes.lua:1: bad \xEF\xBF\xBD byte");
}

// Modules load once per sandbox, in text mode, and come back read-only.
TEST(Sandbox, RequireLoadsProjectModulesReadOnly) {
    auto sandbox = make_sandbox();
    auto same = sandbox->run_string("return require('aarshjul.dsl') == require('aarshjul.dsl') and "
                                    "type(require('aarshjul.dsl').yearly)",
                                    "m.lua");
    ASSERT_TRUE(same.ok()) << same.error().to_string();
    EXPECT_EQ(*same->as_string(), "function");
    Error e = run_error(*sandbox, "require('aarshjul.dsl').yearly = nil");
    EXPECT_THAT(e.message, HasSubstr("read-only table 'aarshjul.dsl'"));
}

// load works in text mode and defaults to the caller's environment.
TEST(Sandbox, LoadRunsTextInTheCallersEnvironment) {
    auto sandbox = make_sandbox();
    auto result = sandbox->run_string(
        "x = 20 return load('return x + 1')() + load('return 1', 'c', 'bt')()", "load.lua");
    ASSERT_TRUE(result.ok()) << result.error().to_string();
    EXPECT_EQ(result->as_integer(), 22);
}

// A runaway loop is stopped by the instruction budget, at its line.
TEST(Sandbox, StopsRunawayLoop) {
    auto sandbox = make_sandbox();
    Error e = run_error(*sandbox, "local x = 0\nwhile true do x = x + 1 end", "loop.lua");
    EXPECT_EQ(e.message, "instruction budget exceeded (2000000 instructions)");
    EXPECT_EQ(e.file, "loop.lua");
    EXPECT_EQ(e.line, 2);
    // The next call gets a fresh budget.
    auto again =
        sandbox->run_string("local n = 0 for i = 1, 1000 do n = n + i end return n", "after.lua");
    ASSERT_TRUE(again.ok()) << again.error().to_string();
    EXPECT_EQ(again->as_integer(), 500500);
}

// Catching the budget error with pcall does not let the script go on.
TEST(Sandbox, StopsRunawayLoopInsidePcall) {
    const char* scripts[] = {
        "while true do pcall(function() while true do end end) end",
        "while true do pcall(pcall, pcall, function() while true do end end) end",
        // Lua runs the message handler of the hook's error with hooks off.
        "while true do xpcall(function() while true do end end, function() while true do end end) "
        "end",
        "xpcall(function() while true do end end, function() while true do end end)",
        "local t = setmetatable({}, { __index = function() while true do end end })\n"
        "while true do pcall(function() return t.x end) end",
    };
    for (const char* script : scripts) {
        SCOPED_TRACE(script);
        auto sandbox = make_sandbox();
        const auto start = std::chrono::steady_clock::now();
        Error e = run_error(*sandbox, script);
        EXPECT_THAT(e.message, HasSubstr("instruction budget exceeded"));
        EXPECT_LT(elapsed_since(start).count(), 3000);
    }
}

// A runaway loop inside a coroutine is stopped too, however it is resumed.
TEST(Sandbox, StopsRunawayLoopInCoroutines) {
    const char* scripts[] = {
        "coroutine.wrap(function() while true do end end)()",
        "local co = coroutine.create(function() while true do pcall(function() while true do end "
        "end) end end)\n"
        "while true do coroutine.resume(co) end",
        "while true do coroutine.resume(coroutine.create(function() while true do end end)) end",
        "coroutine.wrap(function() coroutine.wrap(function() while true do end end)() end)()",
        // The main thread ends at once, but the budget was spent: the call still fails.
        "print(coroutine.resume(coroutine.create(function() while true do end end)))",
        // A dead coroutine's closers would run with hooks off; they must not run at all.
        "coroutine.wrap(function()\n"
        "  local x <close> = setmetatable({}, { __close = function() while true do end end })\n"
        "  while true do end\n"
        "end)()",
        "local co = coroutine.create(function()\n"
        "  local x <close> = setmetatable({}, { __close = function() while true do end end })\n"
        "  while true do end\n"
        "end)\n"
        "coroutine.resume(co) coroutine.close(co)",
    };
    for (const char* script : scripts) {
        SCOPED_TRACE(script);
        auto sandbox = make_sandbox();
        const auto start = std::chrono::steady_clock::now();
        Error e = run_error(*sandbox, script);
        EXPECT_THAT(e.message, HasSubstr("instruction budget exceeded"));
        EXPECT_LT(elapsed_since(start).count(), 3000);
    }
}

// Coroutines and xpcall keep working as in plain Lua when no limit is hit.
TEST(Sandbox, CoroutinesAndXpcallBehaveNormally) {
    auto sandbox = make_sandbox();
    auto result = sandbox->run_string(R"(
        local out = {}
        local g = coroutine.wrap(function(a) local b = coroutine.yield(a + 1) return b * 2 end)
        out[#out + 1] = g(1) + g(10)
        local ok, err = pcall(coroutine.wrap(function() error("boom") end))
        out[#out + 1] = tostring(ok) .. " " .. err
        local co = coroutine.create(function()
          local x <close> = setmetatable({}, { __close = function() out[#out + 1] = "closed" end })
          coroutine.yield()
        end)
        coroutine.resume(co)
        local closed = coroutine.close(co)
        out[#out + 1] = tostring(closed)
        out[#out + 1] = select(2, xpcall(error, function(m) return "handled " .. m end, "x"))
        return table.concat(out, ";"))",
                                      "co.lua");
    ASSERT_TRUE(result.ok()) << result.error().to_string();
    EXPECT_EQ(*result->as_string(), "22;false co.lua:5: boom;closed;true;handled x");
}

// The wall-clock deadline stops a script that stays within its instruction budget.
TEST(Sandbox, StopsAtTheWallClockDeadline) {
    SandboxLimits limits = small_limits();
    limits.instruction_budget = 1'000'000'000'000;
    limits.wall_deadline = std::chrono::milliseconds(200);
    auto sandbox = make_sandbox(limits);
    const auto start = std::chrono::steady_clock::now();
    Error e = run_error(*sandbox, "while true do pcall(function() while true do end end) end");
    EXPECT_EQ(e.message, "wall-clock deadline exceeded (200 ms)");
    EXPECT_GE(elapsed_since(start).count(), 200);
    EXPECT_LT(elapsed_since(start).count(), 2000);
}

// A memory bomb is stopped by the allocator's cap, caught by pcall or not.
TEST(Sandbox, StopsMemoryBomb) {
    const char* scripts[] = {
        "local t = {} local i = 0 while true do i = i + 1 t[i] = { i } end",
        "local t = {} while true do pcall(function() for i = 1, 1e9 do t[#t + 1] = ('x'):rep(64) "
        ".. i end end) end",
        "local s = 'x' while true do s = s .. s end",
        "return table.concat({ ('x'):rep(1024 * 1024) }, '', 1, 1) .. ('y'):rep(16 * 1024 * 1024)",
    };
    for (const char* script : scripts) {
        SCOPED_TRACE(script);
        SandboxLimits limits = small_limits();
        limits.instruction_budget = 1'000'000'000;
        auto sandbox = make_sandbox(limits);
        Error e = run_error(*sandbox, script);
        EXPECT_THAT(e.message, HasSubstr("memory limit exceeded (16777216 bytes)"));
        EXPECT_LE(sandbox->memory_used(), limits.memory_cap_bytes);
        // The garbage goes and the sandbox is usable again.
        auto after = sandbox->run_string("local t = {} for i = 1, 10000 do t[i] = i end return #t",
                                         "after.lua");
        ASSERT_TRUE(after.ok()) << after.error().to_string();
        EXPECT_EQ(after->as_integer(), 10000);
    }
}

// string.rep cannot build a huge string in one C call: the stock function
// refuses results past 2 GB and asks for the whole result at once, which the
// allocator's cap refuses.
TEST(Sandbox, RefusesHugeStringRepQuickly) {
    auto sandbox = make_sandbox();
    const auto start = std::chrono::steady_clock::now();
    Error e = run_error(*sandbox, "return string.rep('x', 2^31)");
    EXPECT_THAT(e.message, HasSubstr("resulting string too large"));
    Error method = run_error(*sandbox, "return ('ab'):rep(1e9, ',')");
    EXPECT_THAT(method.message, HasSubstr("resulting string too large"));
    Error capped = run_error(*sandbox, "return string.rep('x', 2^30)");
    EXPECT_THAT(capped.message, HasSubstr("memory limit exceeded (16777216 bytes)"));
    EXPECT_LT(elapsed_since(start).count(), 500);
    auto ok = sandbox->run_string("return #string.rep('ab', 3, ',')", "rep.lua");
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(ok->as_integer(), 8);
}

// The pattern functions are the stock ones: ordinary patterns work as documented.
// (A pathological pattern is one C call the count hook cannot interrupt; the
// Lua worker's kill at the deadline stops it: tests/worker/lua_worker_test.cpp.)
TEST(Sandbox, PatternFunctionsAreTheStockOnes) {
    auto sandbox = make_sandbox();
    auto gsub = sandbox->run_string("return ('a,b,c'):gsub(',', ';')", "gsub.lua");
    ASSERT_TRUE(gsub.ok());
    EXPECT_EQ(*gsub->as_string(), "a;b;c");
    auto find = sandbox->run_string(
        "local s = string.rep('a', 1000000) .. 'b' return s:find('a*b')", "find.lua");
    ASSERT_TRUE(find.ok()) << find.error().to_string();
    EXPECT_EQ(find->as_integer(), 1);
    auto balanced = sandbox->run_string("return ('x(a(b)c)y'):match('%b()')", "b.lua");
    ASSERT_TRUE(balanced.ok());
    EXPECT_EQ(*balanced->as_string(), "(a(b)c)");
}

// A loop of pattern calls is Lua code between the calls, so the deadline
// stops it even when each call's error is caught.
TEST(Sandbox, StopsALoopOfPatternCallsByTheDeadline) {
    SandboxLimits limits = small_limits();
    limits.instruction_budget = 1'000'000'000'000;
    limits.wall_deadline = std::chrono::milliseconds(300);
    auto sandbox = make_sandbox(limits);
    auto result = sandbox->run_string(
        "local s = string.rep('a', 200) while true do pcall(string.find, s, '.-b') end",
        "pattern.lua");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().to_string(), "pattern.lua:1: wall-clock deadline exceeded (300 ms)");
}

// Finalizers run with hooks off, so __gc cannot be set even through a later metatable change.
TEST(Sandbox, RefusesFinalizers) {
    auto sandbox = make_sandbox();
    Error e = run_error(
        *sandbox, "local mt = { __gc = function() while true do end end } setmetatable({}, mt)");
    EXPECT_THAT(e.message, HasSubstr("__gc metamethods are not allowed"));
    // A __gc added after setmetatable does not mark the table for finalization (Lua 5.4 rule).
    auto late = sandbox->run_string(
        "local mt = {} setmetatable({}, mt) mt.__gc = function() while true do end end",
        "late.lua");
    EXPECT_TRUE(late.ok());
}

// Syntax and runtime errors read "file:line: message".
TEST(Sandbox, ReportsErrorsWithFileAndLine) {
    testing::TempDir dir;
    auto file = dir.write("broken.lua", "local a = 1\nlocal b = = 2\n");
    auto sandbox = make_sandbox();
    auto result = sandbox->run_file(file);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().file, file.string());
    EXPECT_EQ(result.error().line, 2);
    EXPECT_THAT(result.error().message, HasSubstr("unexpected symbol near '='"));

    Error runtime = run_error(*sandbox, "\n\nlocal x = nil + 1", "rt.lua");
    EXPECT_EQ(runtime.to_string(), "rt.lua:3: attempt to perform arithmetic on a nil value");

    Error table_error = run_error(*sandbox, "error({})", "obj.lua");
    EXPECT_EQ(table_error.to_string(), "obj.lua: (error object is a table value)");

    auto missing = sandbox->run_file(dir.path() / "missing.lua");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().file, (dir.path() / "missing.lua").string());
}

// A long path keeps its full name in errors although Lua shortens it in messages.
TEST(Sandbox, MapsShortenedChunkNamesBack) {
    testing::TempDir dir;
    const std::string deep =
        "a-rather-long-folder-name/another-long-folder-name/and-one-more-folder/x.lua";
    auto file = dir.write(deep, "\nlocal x = nil .. 'y'\n");
    auto sandbox = make_sandbox();
    auto result = sandbox->run_file(file);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().file, file.string());
    EXPECT_EQ(result.error().line, 2);
}

// print goes to output(), sandbox.where names the caller's position.
TEST(Sandbox, CapturesPrintAndReportsCallerPosition) {
    auto sandbox = make_sandbox();
    auto result =
        sandbox->run_string("print('a', 1, true)\nlocal function f() return sandbox.where(2) end\n"
                            "local file, line = f()\nreturn file .. ':' .. line",
                            "where.lua");
    ASSERT_TRUE(result.ok()) << result.error().to_string();
    EXPECT_EQ(sandbox->output(), "a\t1\ttrue\n");
    EXPECT_EQ(*result->as_string(), "where.lua:3");
}

// A module function can be called later with data arguments, under a fresh budget each time.
TEST(Sandbox, CallsModuleFunctionsWithArguments) {
    testing::TempDir dir;
    dir.write("lua/hooks.lua",
              "local M = {}\n"
              "function M.describe(task, n)\n"
              "  return { text = task.id .. ' x' .. n .. ' ' .. table.concat(task.tags, '+') }\n"
              "end\n"
              "function M.spin() while true do end end\n"
              "return M\n");
    auto sandbox = Sandbox::create(dir.path() / "lua", small_limits());
    ASSERT_TRUE(sandbox.ok());
    auto task = std::make_shared<LuaTable>();
    task->fields.emplace("id", LuaValue(std::string("RISK-SYS")));
    auto tags = std::make_shared<LuaTable>();
    tags->array = {LuaValue(std::string("a")), LuaValue(std::string("b"))};
    task->fields.emplace("tags", LuaValue(std::shared_ptr<const LuaTable>(tags)));
    const std::vector<LuaValue> args = {LuaValue(std::shared_ptr<const LuaTable>(task)),
                                        LuaValue(std::int64_t{3})};
    auto result = (*sandbox)->call_module_function("hooks", "describe", args);
    ASSERT_TRUE(result.ok()) << result.error().to_string();
    EXPECT_EQ(*result->as_table()->field("text")->as_string(), "RISK-SYS x3 a+b");

    auto spin = (*sandbox)->call_module_function("hooks", "spin");
    ASSERT_FALSE(spin.ok());
    EXPECT_EQ(spin.error().line, 5);
    EXPECT_THAT(spin.error().message, HasSubstr("instruction budget exceeded"));
    // The budget is fresh for the next call.
    EXPECT_TRUE((*sandbox)->call_module_function("hooks", "describe", args).ok());
}

// Prelude modules put their public fields into the script's globals.
TEST(Sandbox, PreludeExportsPublicModuleFields) {
    auto sandbox = make_sandbox();
    RunOptions options;
    options.prelude = {"aarshjul.dsl"};
    auto result =
        sandbox->run_string("return type(yearly) .. ' ' .. type(_definitions)", "p.lua", options);
    ASSERT_TRUE(result.ok()) << result.error().to_string();
    EXPECT_EQ(*result->as_string(), "function nil");
}

} // namespace
} // namespace aarshjul

#include "lua/sandbox.h"

#include <gtest/gtest.h>

namespace aarshjul {
namespace {

const std::filesystem::path kLuaDir = std::filesystem::path(AARSHJUL_SOURCE_DIR) / "lua";

struct PatternCase {
    const char* code;     // a Lua expression
    const char* expected; // its results, joined by "," (errors as "error: message")
};

// The sandbox's own find/match/gmatch/gsub give Lua 5.4's results and errors.
// (During development they were also compared with Lua's matcher on millions of
// random subjects and patterns without a difference.)
TEST(LuaPatterns, BehaveAsLua54) {
    const PatternCase cases[] = {
        {"string.find('hello world', 'o w')", "5,7"},
        {"string.find('hello', 'l+')", "3,4"},
        {"string.find('hello', '(h)(e)')", "1,2,h,e"},
        {"string.find('a.b', '.', 1, true)", "2,2"},
        {"string.find('abc', 'b', -1)", "nil"},
        {"string.find('abc', '', 10)", "nil"},
        {"string.find('abc', '', 4)", "4,3"},
        {"string.find('abc', '^b')", "nil"},
        {"string.find('abc', '^a')", "1,1"},
        {"string.match('key = value', '(%w+)%s*=%s*(%w+)')", "key,value"},
        {"string.match('  trim me  ', '^%s*(.-)%s*$')", "trim me"},
        {"string.match('hello', '()ll()')", "3,5"},
        {"string.match('2024-03-01', '(%d+)-(%d+)-(%d+)')", "2024,03,01"},
        {"string.match('[[x]]', '%b[]')", "[[x]]"},
        {"string.match('THE (quick) fox', '%f[%a]%a+')", "THE"},
        {"string.match('abcabc', '(abc)%1')", "abc"},
        {"string.match('x', '[]x]')", "x"},
        {"string.match('-', '[a-]')", "-"},
        {"string.match('\\0a', '%z')", "\\0"},
        {"string.match('aaa', 'a-b')", "nil"},
        {"string.match('aaab', 'a-b')", "aaab"},
        {"string.match('ab', 'a?b')", "ab"},
        {"string.match('hello', '.-$')", "hello"},
        {"string.gsub('hello world', 'o', '0')", "hell0 w0rld,2"},
        {"string.gsub('hello world', '(%w+)', '<%1>')", "<hello> <world>,2"},
        {"string.gsub('abc', '%w', '%0%0')", "aabbcc,3"},
        {"string.gsub('abc', '', '-')", "-a-b-c-,4"},
        {"string.gsub('hello', 'l', { l = 'L' })", "heLLo,2"},
        {"string.gsub('hello', '.', function(c) if c == 'l' then return 'L' end end)", "heLLo,5"},
        {"string.gsub('abc', '%w', '%%')", "%%%,3"},
        {"string.gsub('abc', 'b', 'x', 0)", "abc,0"},
        {"string.gsub('aaa', '^a', 'b')", "baa,1"},
        {"table.concat({ string.gmatch('one two  three', '%a+')() })", "one"},
        {"(function() local t = {} for k, v in string.gmatch('a=1, b=2', '(%w+)=(%w+)') do "
         "t[#t + 1] = k .. v end return table.concat(t, ';') end)()",
         "a1;b2"},
        {"(function() local n = 0 for _ in ('abc'):gmatch('') do n = n + 1 end return n end)()",
         "4"},
        {"string.find('a', '%')", "error: malformed pattern (ends with '%')"},
        {"string.find('a', '[a')", "error: malformed pattern (missing ']')"},
        {"string.find('a', '(a')", "error: unfinished capture"},
        {"string.find('a', 'a)')", "nil"}, // no special characters: a plain search
        {"string.match('a', 'a)')", "error: invalid pattern capture"},
        {"string.find('a', '%1')", "error: invalid capture index %1"},
        {"string.find('a', '%f')", "error: missing '[' after '%f' in pattern"},
        {"string.find('a', '%b')", "error: malformed pattern (missing arguments to '%b')"},
        {"string.gsub('a', 'a', '%2')", "error: invalid capture index %2"},
        {"string.gsub('a', 'a', '%x')", "error: invalid use of '%' in replacement string"},
        {"string.gsub('a', 'a', function() return {} end)",
         "error: invalid replacement value (a table)"},
        {"string.find(string.rep('a', 300), string.rep('a?', 250) .. string.rep('a', 250))",
         "error: pattern too complex"},
    };
    auto sandbox = Sandbox::create(kLuaDir);
    ASSERT_TRUE(sandbox.ok());
    for (const auto& c : cases) {
        SCOPED_TRACE(c.code);
        const std::string code =
            std::string("local r = table.pack(pcall(function() return ") + c.code +
            " end))\n"
            "if not r[1] then return 'error: ' .. tostring(r[2]):gsub('^[^:]*:%d+: ', '') end\n"
            "local out = {}\n"
            "for i = 2, r.n do out[#out + 1] = (tostring(r[i]):gsub('%z', '\\\\0')) end\n"
            "return table.concat(out, ',')";
        auto result = (*sandbox)->run_string(code, "patterns.lua");
        ASSERT_TRUE(result.ok()) << result.error().to_string();
        ASSERT_TRUE(result->as_string());
        EXPECT_EQ(*result->as_string(), c.expected);
    }
}

} // namespace
} // namespace aarshjul

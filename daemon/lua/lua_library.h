// SPDX-License-Identifier: MPL-2.0
#pragma once
// LuaLibrary: the modules `require` may load, read into memory up front.
//
// read_lua_library reads every *.lua below the Lua folder (lua/) once; the
// Sandbox's require then looks modules up here and never opens a file, so
// the Lua worker process can read its library before its system-call filter
// forbids open() (worker/seccomp_filter.h). "a.b" is the file <dir>/a/b.lua.
// A file that cannot be a module (a link leading out of the folder, too
// large, unreadable) is kept with the error require reports for it.
// Immutable once read; share it between threads freely.

#include "util/result.h"

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>

namespace aarshjul {

struct LuaModule {
    std::string file;   // <dir>/a/b.lua: the chunk name and the name in messages
    std::string source; // the text, without a UTF-8 byte order mark
    std::string error;  // not empty: why require refuses the module
};

struct LuaLibrary {
    std::filesystem::path dir;
    std::map<std::string, LuaModule> modules; // "aarshjul.dsl" -> module
};

// Every module of `dir`, each at most `max_file_bytes`; an error when `dir`
// is not a folder or holds more than 64 MB of modules in all.
Result<LuaLibrary> read_lua_library(const std::filesystem::path& dir, std::size_t max_file_bytes);

// The text of `file`, at most `max_bytes`: "<file>: cannot read: ..." or
// "<file>: file too large (N bytes)" otherwise.
Result<std::string> read_source_file(const std::filesystem::path& file, std::size_t max_bytes);

} // namespace aarshjul

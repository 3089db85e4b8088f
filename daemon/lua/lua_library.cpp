// SPDX-License-Identifier: MPL-2.0
#include "lua/lua_library.h"

#include <fstream>
#include <sstream>
#include <system_error>

namespace aarshjul {

namespace {

constexpr std::size_t kMaxLibraryBytes = 64 * 1024 * 1024;
constexpr std::size_t kMaxModules = 10'000;

// "a/b.lua" -> "a.b"; empty when a part of the path is no module name part.
std::string module_name(const std::filesystem::path& relative) {
    std::string name;
    for (auto part = relative.begin(); part != relative.end(); ++part) {
        std::string text = part->string();
        if (std::next(part) == relative.end())
            text = part->stem().string();
        if (text.empty() || text.find('.') != std::string::npos)
            return {};
        if (!name.empty())
            name += '.';
        name += text;
    }
    return name;
}

} // namespace

Result<std::string> read_source_file(const std::filesystem::path& file, std::size_t max_bytes) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    if (ec)
        return Error::at(file.string(), 0, "cannot read: " + ec.message());
    if (size > max_bytes)
        return Error::at(file.string(), 0, "file too large (" + std::to_string(size) + " bytes)");
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in.is_open() || in.bad())
        return Error::at(file.string(), 0, "cannot read");
    return text.str();
}

Result<LuaLibrary> read_lua_library(const std::filesystem::path& dir, std::size_t max_file_bytes) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        return Error::at(dir.string(), 0, "Lua library folder not found");
    LuaLibrary library;
    library.dir = dir;
    const auto root = std::filesystem::canonical(dir, ec);
    if (ec)
        return Error::at(dir.string(), 0, "cannot read the Lua library folder: " + ec.message());
    std::size_t total = 0;
    std::filesystem::recursive_directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        const auto& path = it->path();
        if (path.extension() != ".lua" || !it->is_regular_file(ec))
            continue;
        const std::string name = module_name(path.lexically_relative(dir));
        if (name.empty())
            continue;
        if (library.modules.size() >= kMaxModules)
            return Error::at(dir.string(), 0, "more than 10000 Lua modules");
        // The path require names: <dir>/a/b.lua, as the module's chunk name.
        std::string relative = name;
        for (char& c : relative)
            if (c == '.')
                c = '/';
        LuaModule module;
        module.file = (dir / (relative + ".lua")).string();
        // A symbolic link must not lead out of the Lua folder.
        std::error_code link_ec;
        const auto real = std::filesystem::canonical(path, link_ec);
        const auto rel = real.lexically_relative(root);
        if (link_ec || rel.empty() || *rel.begin() == "..") {
            module.error = "require: module '" + name + "' lies outside " + dir.string();
        } else if (auto text = read_source_file(path, max_file_bytes); !text.ok()) {
            module.error = "require: " + module.file + " is too large or unreadable";
        } else {
            module.source = std::move(text).value();
            if (module.source.rfind("\xEF\xBB\xBF", 0) == 0)
                module.source.erase(0, 3);
            total += module.source.size();
            if (total > kMaxLibraryBytes)
                return Error::at(dir.string(), 0, "the Lua modules exceed 64 MB in all");
        }
        library.modules.emplace(name, std::move(module));
    }
    if (ec)
        return Error::at(dir.string(), 0, "cannot read the Lua library folder: " + ec.message());
    return library;
}

} // namespace aarshjul

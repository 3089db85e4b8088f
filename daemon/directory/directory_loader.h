#pragma once
// Loading the directory of people and systems (config/directory.toml).
//
// The file holds [[person]] (id, name, email, roles) and [[system]] (id, name,
// owner, responsible, criticality) entries. Every problem in the file is
// collected: the returned Error carries the first one's file and line, and its
// message lists the others, one "file:line: message" per line, so to_string()
// prints them all. Stateless functions; safe from any thread.

#include "model/directory.h"
#include "util/result.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace aarshjul {

Result<Directory> load_directory(const std::filesystem::path& file);

// Parses directory text as if read from `file_for_messages`.
Result<Directory> parse_directory(std::string_view toml_text, const std::string& file_for_messages);

// Person and system ids: ^[a-z0-9][a-z0-9._-]*$
bool valid_directory_id(std::string_view id);
// Role ids: ^[a-z][a-z0-9_]*$ (snake_case).
bool valid_role_id(std::string_view role);
// A plausible address: one '@', a non-empty local part, a dotted domain, no spaces.
bool plausible_email(std::string_view email);

} // namespace aarshjul

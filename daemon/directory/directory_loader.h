// SPDX-License-Identifier: MPL-2.0
#pragma once
// Loading the directory (config/directory.toml).
//
// The file holds [[person]] (id, name, email, roles, digest, language),
// [[system]] (id, name, owner, responsible, criticality), [[assignment]] (role,
// person, from, to: a role held for a period), [[body]] (id, name, chair,
// secretary, meetings) and [[processor]] (id, name, systems, tier, responsible)
// entries. People, systems, bodies and processors each have their own id space;
// every reference must name an entry of the file; dates are TOML local dates or
// "YYYY-MM-DD" strings; a body's meetings come back sorted and without repeats;
// two assignments of one role may not cover the same day. Every problem in the
// file is collected: the returned Error carries the first one's file and line,
// and its message lists the others, one "file:line: message" per line, so
// to_string() prints them all. Stateless functions; safe from any thread.

#include "model/directory.h"
#include "util/result.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace aarshjul {

Result<Directory> load_directory(const std::filesystem::path& file);

// Parses directory text as if read from `file_for_messages`.
Result<Directory> parse_directory(std::string_view toml_text, const std::string& file_for_messages);

} // namespace aarshjul

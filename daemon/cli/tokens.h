// SPDX-License-Identifier: MPL-2.0
#pragma once
// `aarshjul token add|list|revoke`: API tokens kept in the database.
//
// They work beside a running daemon: each command opens its own connection
// (WAL), and the daemon looks a presented token up on every request, so a new
// or revoked token counts at once. Only the token's SHA-256 is stored; `add`
// prints the token itself once, alone on stdout, so `T=$(aarshjul token add …)`
// captures it. Each function returns the command's exit code.

#include "clock/clock.h"

#include <filesystem>
#include <iosfwd>
#include <string>

namespace aarshjul::cli {

struct TokenAddArgs {
    std::string name;
    std::string role;
    std::string person;  // "" for none
    std::string expires; // "YYYY-MM-DD" or "" for never
};

int token_add(const std::filesystem::path& config_file, const TokenAddArgs& args,
              const Clock& clock, std::ostream& out, std::ostream& err);
int token_list(const std::filesystem::path& config_file, const Clock& clock, std::ostream& out,
               std::ostream& err);
int token_revoke(const std::filesystem::path& config_file, const std::string& name,
                 const Clock& clock, std::ostream& out, std::ostream& err);

} // namespace aarshjul::cli

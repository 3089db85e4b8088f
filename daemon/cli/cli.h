// SPDX-License-Identifier: MPL-2.0
#pragma once
// The command line: one binary, one subcommand per job (serve, check, plan,
// complete, status, token, ...). Every command loads through app/setup so they
// report problems the same way: `file:line: message` on stderr and a non-zero
// exit. The global options (--config, --log-level) go before or after the
// command.

#include "clock/clock.h"

#include <iosfwd>
#include <string>
#include <vector>

namespace aarshjul::cli {

// Exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1; // the command ran and failed (e.g. unknown task)
inline constexpr int kExitInvalid = 2; // configuration, directory, workflows or input invalid

int run(int argc, char** argv);

// The same, writing to the given streams (for tests).
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
// The same with another clock for "now" (tests: token expiry, status at a date).
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
        const Clock& clock);

} // namespace aarshjul::cli

// SPDX-License-Identifier: MPL-2.0
// The README's two set-up commands are real: both scripts exist and are
// executable, and CI (.ci/run) runs exactly the README's test command.
#include "support/temp_dir.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <sstream>
#include <string_view>
#include <unistd.h>
#include <vector>

namespace aarshjul {
namespace {

namespace fs = std::filesystem;
const fs::path kRepo = AARSHJUL_SOURCE_DIR;

std::string trim(std::string s) {
    if (auto hash = s.find(" #"); hash != std::string::npos)
        s.erase(hash);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.pop_back();
    while (!s.empty() && s.front() == ' ')
        s.erase(s.begin());
    return s;
}

// The commands of the first ```sh block after "## The two commands".
std::vector<std::string> readme_commands() {
    std::istringstream readme(testing::read_file(kRepo / "README.md"));
    std::string line;
    while (std::getline(readme, line) && line != "## The two commands") {
    }
    while (std::getline(readme, line) && line != "```sh") {
    }
    std::vector<std::string> commands;
    while (std::getline(readme, line) && line != "```")
        if (!trim(line).empty())
            commands.push_back(trim(line));
    return commands;
}

TEST(ReadmeCommands, CiRunsTheReadmesTestCommand) {
    const auto commands = readme_commands();
    ASSERT_EQ(commands.size(), 2u) << "the README gives exactly two set-up commands";
    EXPECT_EQ(commands[0], "scripts/run.sh");
    EXPECT_EQ(commands[1], "scripts/test.sh");

    // The last command of .ci/run is the README's test command, word for word.
    std::istringstream ci(testing::read_file(kRepo / ".ci" / "run"));
    std::string line, last;
    while (std::getline(ci, line))
        if (!trim(line).empty() && line.front() != '#')
            last = trim(line);
    EXPECT_EQ(last, commands[1]);

    for (const auto& script : {kRepo / ".ci" / "run", kRepo / commands[0], kRepo / commands[1]})
        EXPECT_EQ(::access(script.c_str(), X_OK), 0) << script << " is not executable";
}

// The lines of a shell script that are not comments or blank, trimmed.
std::vector<std::string> script_lines(const fs::path& script) {
    std::istringstream text(testing::read_file(script));
    std::vector<std::string> lines;
    for (std::string line; std::getline(text, line);) {
        line = trim(line);
        if (!line.empty() && line.front() != '#')
            lines.push_back(line);
    }
    return lines;
}

// The lines of `lines` that contain `word`.
std::vector<std::string> lines_with(const std::vector<std::string>& lines, std::string_view word) {
    std::vector<std::string> out;
    for (const auto& line : lines)
        if (line.find(word) != std::string::npos)
            out.push_back(line);
    return out;
}

// The test command turns the tests on whatever the build/ cache says and fails
// when ctest finds none, so running the README's first command before it
// cannot make it pass on an empty test list.
TEST(ReadmeCommands, TestScriptAlwaysBuildsAndRequiresTests) {
    const auto lines = script_lines(kRepo / "scripts" / "test.sh");
    const auto configures = lines_with(lines, "cmake -S");
    ASSERT_FALSE(configures.empty()) << "scripts/test.sh configures no build";
    for (const auto& line : configures)
        EXPECT_NE(line.find("-DAARSHJUL_TESTS=ON"), std::string::npos) << line;
    const auto ctests = lines_with(lines, "ctest ");
    ASSERT_FALSE(ctests.empty()) << "scripts/test.sh runs no ctest";
    for (const auto& line : ctests)
        EXPECT_NE(line.find("--no-tests=error"), std::string::npos) << line;
}

// The run command builds build/aarshjul (as the README says) without turning
// the tests off in the build/ cache that the test command shares.
TEST(ReadmeCommands, RunScriptLeavesTheTestsOnInBuild) {
    const auto lines = script_lines(kRepo / "scripts" / "run.sh");
    EXPECT_EQ(lines_with(lines, "AARSHJUL_TESTS=OFF").size(), 0u);
    const auto configures = lines_with(lines, "cmake -S . -B build ");
    EXPECT_EQ(configures.size(), 1u) << "scripts/run.sh configures build/ once";
    EXPECT_FALSE(lines_with(lines, "./build/aarshjul").empty())
        << "scripts/run.sh runs no build/aarshjul";
}

} // namespace
} // namespace aarshjul

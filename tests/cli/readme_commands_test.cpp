// The README's two set-up commands are real: both scripts exist and are
// executable, and CI (.ci/run) runs exactly the README's test command.
#include "support/temp_dir.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <sstream>
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

} // namespace
} // namespace aarshjul

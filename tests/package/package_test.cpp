// SPDX-License-Identifier: MPL-2.0
// The Debian package built by CPack from this build: its contents, control
// files and conffiles; its unit passes `systemd-analyze verify` and
// `systemd-analyze security` stays at or below 2.0; its binary runs `check` on
// its own configuration and shipped cycle (paths moved into the extracted root).
#include "plugins/server_process.h"
#include "support/temp_dir.h"

#include <cstdio>
#include <filesystem>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <regex>

namespace aarshjul {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

// Runs a shell command; its combined output, and the exit status in `status`.
std::string shell(const std::string& command, int& status) {
    std::string out;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe) {
        status = -1;
        return out;
    }
    char buffer[4096];
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe))
        out.append(buffer, n);
    const int raw = ::pclose(pipe);
    status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    return out;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    return text;
}

struct Package : ::testing::Test {
    static inline testing::TempDir* dir = nullptr;
    static inline fs::path deb;

    static void SetUpTestSuite() {
        dir = new testing::TempDir();
        int status = 0;
        const std::string out =
            shell("cd '" + std::string(AARSHJUL_BINARY_DIR) + "' && cpack -G DEB -B '" +
                      (dir->path() / "out").string() + "'",
                  status);
        ASSERT_EQ(status, 0) << out;
        for (const auto& entry : fs::directory_iterator(dir->path() / "out"))
            if (entry.path().extension() == ".deb")
                deb = entry.path();
        ASSERT_FALSE(deb.empty()) << out;
    }
    static void TearDownTestSuite() {
        delete dir;
        dir = nullptr;
    }
};

TEST_F(Package, HoldsTheDaemonPluginsCycleConfigAndUnit) {
    int status = 0;
    const std::string contents = shell("dpkg-deb -c '" + deb.string() + "'", status);
    ASSERT_EQ(status, 0) << contents;
    for (const char* path :
         {"./usr/bin/aarshjul", "./usr/lib/aarshjul/plugins/aarshjul-smtp.so",
          "./usr/lib/aarshjul/plugins/aarshjul-webhook.so",
          "./usr/lib/aarshjul/plugins/aarshjul-log.so",
          "./usr/share/aarshjul/workflows/common/risk-sys.lua",
          "./usr/share/aarshjul/workflows/municipality/pol-rev.lua",
          "./usr/share/aarshjul/workflows/region/rsi-mail.lua",
          "./usr/share/aarshjul/lua/aarshjul/dsl.lua",
          "./usr/share/aarshjul/lua/templates/da/reminder.mustache", "./etc/aarshjul/aarshjul.toml",
          "./etc/aarshjul/directory.toml", "./lib/systemd/system/aarshjul.service",
          "./usr/lib/sysusers.d/aarshjul.conf", "./usr/lib/tmpfiles.d/aarshjul.conf",
          "./usr/share/doc/aarshjul/README.md"})
        EXPECT_THAT(contents, HasSubstr(std::string(path) + "\n")) << path;
    // The loader tests' broken plugins never ship.
    EXPECT_THAT(contents, Not(HasSubstr("bad_version")));

    const std::string depends = shell("dpkg-deb -f '" + deb.string() + "' Depends", status);
    EXPECT_THAT(depends, HasSubstr("systemd"));
    EXPECT_THAT(depends, HasSubstr("libsqlite3-0"));
    EXPECT_THAT(depends, HasSubstr("libxlsxwriter4")); // the year's export (daemon/sheet/xlsx.h)
    // The report's PDF: cairo, Pango and librsvg (found by shlibdeps) and its typeface.
    EXPECT_THAT(depends, HasSubstr("libcairo2"));
    EXPECT_THAT(depends, HasSubstr("libpangocairo-1.0-0"));
    EXPECT_THAT(depends, HasSubstr("librsvg2-2"));
    EXPECT_THAT(depends, HasSubstr("fonts-dejavu-core"));

    const fs::path control = dir->path() / "control";
    shell("dpkg-deb -e '" + deb.string() + "' '" + control.string() + "'", status);
    ASSERT_EQ(status, 0);
    EXPECT_EQ(testing::read_file(control / "conffiles"),
              "/etc/aarshjul/aarshjul.toml\n/etc/aarshjul/directory.toml\n");
    EXPECT_THAT(testing::read_file(control / "postinst"), HasSubstr("systemd-sysusers"));
}

TEST_F(Package, UnitVerifiesAndIsHardened) {
    int status = 0;
    const fs::path root = dir->path() / "root";
    shell("dpkg-deb -x '" + deb.string() + "' '" + root.string() + "'", status);
    ASSERT_EQ(status, 0);
    // verify checks that the executables exist: point them into the extracted root.
    const std::string unit =
        replace_all(testing::read_file(root / "lib/systemd/system/aarshjul.service"),
                    "/usr/bin/aarshjul", (root / "usr/bin/aarshjul").string());
    const fs::path copy = dir->write("unit/aarshjul.service", unit);
    const std::string verify = shell("systemd-analyze verify '" + copy.string() + "'", status);
    EXPECT_EQ(status, 0) << verify;
    EXPECT_EQ(verify, "");

    const std::string security =
        shell("systemd-analyze security --offline=true '" + copy.string() + "'", status);
    std::smatch m;
    ASSERT_TRUE(
        std::regex_search(security, m, std::regex(R"(Overall exposure level for \S+: ([0-9.]+))")))
        << security;
    EXPECT_LE(std::stod(m[1].str()), 2.0) << security;
}

TEST_F(Package, PackagedConfigurationChecksWithTheShippedCycle) {
    int status = 0;
    const fs::path root = dir->path() / "root2";
    shell("dpkg-deb -x '" + deb.string() + "' '" + root.string() + "'", status);
    ASSERT_EQ(status, 0);
    std::string config = testing::read_file(root / "etc/aarshjul/aarshjul.toml");
    for (const char* prefix : {"/usr/share/aarshjul", "/usr/lib/aarshjul", "/etc/aarshjul"})
        config = replace_all(config, prefix, (root / std::string(prefix).substr(1)).string());
    config = replace_all(config, "/var/lib/aarshjul", (dir->path() / "state").string());
    const fs::path moved = dir->write("etc/aarshjul.toml", config);
    const std::string check = shell("'" + (root / "usr/bin/aarshjul").string() + "' --config '" +
                                        moved.string() + "' check",
                                    status);
    EXPECT_EQ(status, 0) << check;
    EXPECT_THAT(check, HasSubstr("ok: "));
}

} // namespace
} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#include "cli/cli.h"
#include "support/temp_dir.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <sstream>

namespace aarshjul {
namespace {

namespace fs = std::filesystem;

struct CommandResult {
    int code;
    std::string out;
    std::string err;
};

// `aarshjul export` on a configuration of its own: the basic workflows, the
// sample directory and a fresh database in a temporary folder. (The rows
// themselves are checked against the API by tests/sheet/readback_xlsx.py.)
struct ExportCommand : ::testing::Test {
    testing::TempDir dir;
    fs::path config;

    void SetUp() override {
        const fs::path src = AARSHJUL_SOURCE_DIR;
        testing::copy_basic_workflows(dir.path() / "workflows");
        config =
            dir.write("aarshjul.toml", "[organisation]\nname = \"Testkommune\"\n"
                                       "[paths]\ndatabase = \"" +
                                           (dir.path() / "a.db").string() + "\"\nworkflows = \"" +
                                           (dir.path() / "workflows").string() + "\"\nlua = \"" +
                                           (src / "lua").string() + "\"\ndirectory = \"" +
                                           (src / "config" / "directory.toml").string() + "\"\n");
    }

    CommandResult run(std::vector<std::string> args) {
        std::ostringstream out, err;
        args.insert(args.begin(), {"--config", config.string(), "--log-level", "warn"});
        const int code = cli::run(args, out, err);
        return {code, out.str(), err.str()};
    }
};

// --format json writes the sheet's header and columns (no tasks yet: an
// empty year is a sheet without rows, not an error).
TEST_F(ExportCommand, JsonOnStandardOutput) {
    auto r = run({"export", "--year", "2027", "--format", "json", "--language", "en"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto json = boost::json::parse(r.out);
    EXPECT_EQ(json.at("organisation"), "Testkommune");
    EXPECT_EQ(json.at("year"), 2027);
    EXPECT_EQ(json.at("language"), "en");
    EXPECT_EQ(json.at("columns").at(0).at("header"), "Task id");
    EXPECT_TRUE(json.at("rows").as_array().empty());
}

// --format csv writes the header line; --output writes the workbook to the
// file, whole, and says so.
TEST_F(ExportCommand, CsvAndAWorkbookFile) {
    auto csv = run({"export", "--year", "2027", "--format", "csv"});
    ASSERT_EQ(csv.code, 0) << csv.err;
    EXPECT_TRUE(csv.out.starts_with("Opgave-id,Kontrol,Kontrollens titel,")) << csv.out;

    const fs::path file = dir.path() / "out" / "aarshjul-2027.xlsx";
    fs::create_directories(file.parent_path());
    auto xlsx = run({"export", "--year", "2027", "--output", file.string()});
    ASSERT_EQ(xlsx.code, 0) << xlsx.err;
    EXPECT_EQ(xlsx.out, "export: 0 tasks of 2027 written to " + file.string() + "\n");
    EXPECT_TRUE(testing::read_file(file).starts_with("PK\x03\x04"));
    EXPECT_FALSE(fs::exists(file.string() + ".part"));
}

// A bad group or an unknown person is exit 2 with a message; a year or
// format out of range is refused by the parser; an unwritable file is exit 1.
TEST_F(ExportCommand, RefusesBadInput) {
    auto group = run({"export", "--group", "finance", "--format", "json"});
    EXPECT_EQ(group.code, 2);
    EXPECT_NE(group.err.find("export: --group must be"), std::string::npos) << group.err;
    auto person = run({"export", "--person", "nobody", "--format", "json"});
    EXPECT_EQ(person.code, 2);
    EXPECT_NE(person.err.find("export: unknown person 'nobody'"), std::string::npos);
    EXPECT_NE(run({"export", "--year", "1969", "--format", "json"}).code, 0);
    EXPECT_NE(run({"export", "--format", "pdf"}).code, 0);
    auto unwritable = run({"export", "--output", (dir.path() / "no" / "such.xlsx").string()});
    EXPECT_EQ(unwritable.code, 1);
    EXPECT_NE(unwritable.err.find("export: cannot write"), std::string::npos) << unwritable.err;
}

} // namespace
} // namespace aarshjul

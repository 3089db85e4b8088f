#include "config/config.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <string>

namespace aarshjul {
namespace {

const std::filesystem::path kFile = "config/aarshjul.toml";

struct ErrorCase {
    const char* name;
    const char* text;
    const char* expected; // the full "file:line: message" of the first error
};

// Each malformed config is refused with the file, the line and the key in the message.
TEST(Config, ErrorsNameFileLineAndKey) {
    const ErrorCase cases[] = {
        {.name = "unknown key",
         .text = "[organisation]\n"
                 "name = \"Eksempel Kommune\"\n"
                 "\n"
                 "[schedule]\n"
                 "reminder_hour = 8\n"
                 "\n"
                 "reminder_hours = 9\n",
         .expected = "config/aarshjul.toml:7: unknown key 'schedule.reminder_hours'"},
        {.name = "wrong type",
         .text = "[organisation]\n"
                 "name = \"Eksempel Kommune\"\n"
                 "[schedule]\n"
                 "reminder_hour = \"8\"\n",
         .expected = "config/aarshjul.toml:4: key 'schedule.reminder_hour' must be an integer"},
        {.name = "float for an integer",
         .text = "[organisation]\nname = \"E\"\n[schedule]\nhorizon_days = 400.0\n",
         .expected = "config/aarshjul.toml:4: key 'schedule.horizon_days' must be an integer"},
        {.name = "hour out of range",
         .text = "[organisation]\nname = \"E\"\n[schedule]\nreminder_hour = 24\n",
         .expected = "config/aarshjul.toml:4: key 'schedule.reminder_hour' must be between 0 "
                     "and 23 (is 24)"},
        {.name = "horizon shorter than 13 months",
         .text = "[organisation]\nname = \"E\"\n[schedule]\nhorizon_days = 365\n",
         .expected = "config/aarshjul.toml:4: key 'schedule.horizon_days' must be between 396 "
                     "and 3660 (is 365)"},
        {.name = "syntax error",
         .text = "[organisation]\nname = \"E\"\n[http]\nlisten = \n",
         .expected = nullptr},
        {.name = "missing organisation name",
         .text = "[organisation]\ntime_zone = \"Europe/Copenhagen\"\n",
         .expected = "config/aarshjul.toml:1: missing required key 'organisation.name'"},
        {.name = "empty organisation name",
         .text = "[organisation]\nname = \"\"\n",
         .expected = "config/aarshjul.toml:2: key 'organisation.name' must not be empty"},
        {.name = "unknown section",
         .text = "[organisation]\nname = \"E\"\n[smtp]\nhost = \"mail\"\n",
         .expected = "config/aarshjul.toml:3: unknown key 'smtp'"},
        {.name = "section that is not a table",
         .text = "schedule = 5\n[organisation]\nname = \"E\"\n",
         .expected = "config/aarshjul.toml:1: key 'schedule' must be a table"},
        {.name = "unknown time zone",
         .text = "[organisation]\nname = \"E\"\ntime_zone = \"Europe/Kobenhavn\"\n",
         .expected = "config/aarshjul.toml:3: key 'organisation.time_zone': unknown time zone "
                     "'Europe/Kobenhavn' (an IANA name such as Europe/Copenhagen)"},
        {.name = "listen without port",
         .text = "[organisation]\nname = \"E\"\n[http]\nlisten = \"localhost\"\n",
         .expected = "config/aarshjul.toml:4: key 'http.listen' must be host:port with a port "
                     "from 0 to 65535 (is 'localhost')"},
        {.name = "listen port too large",
         .text = "[organisation]\nname = \"E\"\n[http]\nlisten = \"127.0.0.1:70000\"\n",
         .expected = "config/aarshjul.toml:4: key 'http.listen' must be host:port with a port "
                     "from 0 to 65535 (is '127.0.0.1:70000')"},
        {.name = "unknown log level",
         .text = "[organisation]\nname = \"E\"\n[log]\nlevel = \"verbose\"\n",
         .expected = "config/aarshjul.toml:4: key 'log.level' must be one of trace, debug, info, "
                     "warn, error, critical, off (is 'verbose')"},
        {.name = "empty path",
         .text = "[organisation]\nname = \"E\"\n[paths]\ndatabase = \"\"\n",
         .expected = "config/aarshjul.toml:4: key 'paths.database' must not be empty"},
        {.name = "dotted key in the wrong place",
         .text = "[organisation]\nname = \"E\"\nschedule.reminder_hour = 8\n",
         .expected = "config/aarshjul.toml:3: unknown key 'organisation.schedule'"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        auto config = parse_config(c.text, kFile);
        ASSERT_FALSE(config.ok());
        if (c.expected != nullptr) {
            EXPECT_EQ(config.error().to_string(), c.expected);
        } else {
            EXPECT_EQ(config.error().file, kFile.string());
            EXPECT_EQ(config.error().line, 4);
            EXPECT_NE(config.error().message.find("TOML syntax error"), std::string::npos)
                << config.error().message;
        }
    }
}

// Several problems in one file are all reported, in line order, one per line.
TEST(Config, CollectsAllErrorsInLineOrder) {
    const char* text = "[organisation]\n"
                       "name = \"E\"\n"
                       "[log]\n"
                       "level = \"loud\"\n"
                       "[schedule]\n"
                       "reminder_hour = -1\n"
                       "colour = \"red\"\n";
    auto config = parse_config(text, kFile);
    ASSERT_FALSE(config.ok());
    EXPECT_EQ(config.error().line, 4);
    const std::string all = config.error().to_string();
    const auto level = all.find("config/aarshjul.toml:4: key 'log.level'");
    const auto hour = all.find("\nconfig/aarshjul.toml:6: key 'schedule.reminder_hour' must be "
                               "between 0 and 23 (is -1)");
    const auto colour = all.find("\nconfig/aarshjul.toml:7: unknown key 'schedule.colour'");
    ASSERT_NE(level, std::string::npos) << all;
    ASSERT_NE(hour, std::string::npos) << all;
    ASSERT_NE(colour, std::string::npos) << all;
    EXPECT_LT(level, hour);
    EXPECT_LT(hour, colour);
}

// A file that cannot be read is reported with its path and the system's reason.
TEST(Config, MissingFile) {
    testing::TempDir dir;
    const auto path = dir.path() / "x.toml";
    auto config = load_config(path);
    ASSERT_FALSE(config.ok());
    EXPECT_EQ(config.error().to_string(),
              path.string() + ": cannot read: No such file or directory");
}

// A folder given as the config file is refused rather than read as empty.
TEST(Config, FolderIsNotAFile) {
    testing::TempDir dir;
    auto config = load_config(dir.path());
    ASSERT_FALSE(config.ok());
    EXPECT_NE(config.error().message.find("cannot read"), std::string::npos);
}

// A config with only the organisation's name gets every default, paths next to the file.
TEST(Config, DefaultsApplied) {
    const auto file = std::filesystem::path(AARSHJUL_TEST_DATA) / "config" / "minimal.toml";
    auto config = load_config(file);
    ASSERT_TRUE(config.ok()) << config.error().to_string();
    const auto folder = file.parent_path();
    EXPECT_EQ(config->file, file);
    EXPECT_EQ(config->organisation, "Minimal Kommune");
    EXPECT_EQ(config->time_zone, "Europe/Copenhagen");
    EXPECT_EQ(config->reminder_hour, 8);
    EXPECT_EQ(config->horizon_days, 400);
    EXPECT_EQ(config->listen, "127.0.0.1:8080");
    EXPECT_EQ(config->log_level, "info");
    EXPECT_EQ(config->database, folder / "aarshjul.db");
    EXPECT_EQ(config->workflows_dir, folder / "workflows");
    EXPECT_EQ(config->lua_dir, folder / "lua");
    EXPECT_EQ(config->directory_file, folder / "directory.toml");
}

// Every key set explicitly is read, and relative paths resolve against the config's folder.
TEST(Config, ValuesReadAndRelativePathsResolved) {
    testing::TempDir dir;
    const auto file = dir.write("etc/aarshjul/aarshjul.toml", R"(
[organisation]
name = "Region Eksempel"
time_zone = "America/New_York"

[paths]
database = "../../var/lib/aarshjul/state.db"
workflows = "flows"
lua = "/usr/share/aarshjul/lua"
directory = "./people/directory.toml"

[schedule]
reminder_hour = 0
horizon_days = 3660

[http]
listen = "[::1]:0"

[log]
level = "debug"
)");
    auto config = load_config(file);
    ASSERT_TRUE(config.ok()) << config.error().to_string();
    const auto root = dir.path();
    EXPECT_EQ(config->organisation, "Region Eksempel");
    EXPECT_EQ(config->time_zone, "America/New_York");
    EXPECT_EQ(config->database, root / "var/lib/aarshjul/state.db");
    EXPECT_EQ(config->workflows_dir, root / "etc/aarshjul/flows");
    EXPECT_EQ(config->lua_dir, std::filesystem::path("/usr/share/aarshjul/lua"));
    EXPECT_EQ(config->directory_file, root / "etc/aarshjul/people/directory.toml");
    EXPECT_EQ(config->reminder_hour, 0);
    EXPECT_EQ(config->horizon_days, 3660);
    EXPECT_EQ(config->listen, "[::1]:0");
    EXPECT_EQ(config->log_level, "debug");
}

// A config named by a relative path still gets absolute paths, so a later chdir cannot move them.
TEST(Config, RelativeConfigPathGivesAbsolutePaths) {
    auto config = parse_config("[organisation]\nname = \"E\"\n", "conf/aarshjul.toml");
    ASSERT_TRUE(config.ok()) << config.error().to_string();
    EXPECT_TRUE(config->database.is_absolute());
    EXPECT_EQ(config->database, std::filesystem::current_path() / "conf" / "aarshjul.db");
    EXPECT_EQ(config->file, std::filesystem::current_path() / "conf" / "aarshjul.toml");
}

// The shipped config/aarshjul.toml loads and points at the repository's folders.
TEST(Config, ShippedConfigLoads) {
    const std::filesystem::path repo = AARSHJUL_SOURCE_DIR;
    auto config = load_config(repo / "config" / "aarshjul.toml");
    ASSERT_TRUE(config.ok()) << config.error().to_string();
    EXPECT_EQ(config->organisation, "Eksempel Kommune");
    EXPECT_EQ(config->time_zone, "Europe/Copenhagen");
    EXPECT_EQ(config->database, repo / "state" / "aarshjul.db");
    EXPECT_EQ(config->workflows_dir, repo / "workflows");
    EXPECT_EQ(config->lua_dir, repo / "lua");
    EXPECT_EQ(config->directory_file, repo / "config" / "directory.toml");
    EXPECT_GE(config->horizon_days, kMinHorizonDays);
}

} // namespace
} // namespace aarshjul

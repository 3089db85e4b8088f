// SPDX-License-Identifier: MPL-2.0
#include "config/config.h"
#include "support/temp_dir.h"

#include <functional>
#include <gtest/gtest.h>
#include <string>
#include <utility>
#include <vector>

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
        {.name = "wheel first month out of range",
         .text = "[organisation]\nname = \"E\"\nwheel_first_month = 13\n",
         .expected = "config/aarshjul.toml:3: key 'organisation.wheel_first_month' must be "
                     "between 1 and 12 (is 13)"},
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
        {.name = "negative reminder day",
         .text = "[organisation]\nname = \"E\"\n[reminders]\nbefore_due = [30, -1, 0]\n",
         .expected = "config/aarshjul.toml:4: key 'reminders.before_due': every element must be "
                     "between 0 and 366 (is -1)"},
        {.name = "reminder day beyond a year",
         .text = "[organisation]\nname = \"E\"\n[reminders]\nbefore_due = [\n  400,\n  7,\n]\n",
         .expected = "config/aarshjul.toml:5: key 'reminders.before_due': every element must be "
                     "between 0 and 366 (is 400)"},
        {.name = "reminder days not an array",
         .text = "[organisation]\nname = \"E\"\n[reminders]\nbefore_due = 7\n",
         .expected = "config/aarshjul.toml:4: key 'reminders.before_due' must be an array of "
                     "integers"},
        {.name = "reminder day as a string",
         .text = "[organisation]\nname = \"E\"\n[reminders]\nbefore_due = [7, \"1\"]\n",
         .expected = "config/aarshjul.toml:4: key 'reminders.before_due' must be an array of "
                     "integers"},
        {.name = "negative overdue interval",
         .text = "[organisation]\nname = \"E\"\n[reminders]\noverdue_every = -7\n",
         .expected = "config/aarshjul.toml:4: key 'reminders.overdue_every' must be between 0 "
                     "and 366 (is -7)"},
        {.name = "business_days_only not a boolean",
         .text = "[organisation]\nname = \"E\"\n[reminders]\nbusiness_days_only = \"yes\"\n",
         .expected = "config/aarshjul.toml:4: key 'reminders.business_days_only' must be true or "
                     "false"},
        {.name = "digest not a boolean",
         .text = "[organisation]\nname = \"E\"\n[reminders]\ndigest = 1\n",
         .expected = "config/aarshjul.toml:4: key 'reminders.digest' must be true or false"},
        {.name = "unknown reminders key",
         .text = "[organisation]\nname = \"E\"\n[reminders]\nbefore = [7]\n",
         .expected = "config/aarshjul.toml:4: unknown key 'reminders.before'"},
        {.name = "escalation steps not increasing",
         .text = "[organisation]\nname = \"E\"\n[escalation]\nsteps = [\n"
                 "  { after = 7, to = \"system_owner\" },\n"
                 "  { after = 7, to = \"coordinator\" },\n]\n",
         .expected = "config/aarshjul.toml:6: key 'escalation.steps.after' must increase along "
                     "the ladder (7 follows 7)"},
        {.name = "escalation steps decreasing",
         .text = "[organisation]\nname = \"E\"\n[escalation]\nsteps = [\n"
                 "  { after = 21, to = \"coordinator\" },\n"
                 "  { after = 7, to = \"system_owner\" },\n]\n",
         .expected = "config/aarshjul.toml:6: key 'escalation.steps.after' must increase along "
                     "the ladder (7 follows 21)"},
        {.name = "negative escalation delay",
         .text = "[organisation]\nname = \"E\"\n[escalation]\n"
                 "steps = [{ after = -1, to = \"coordinator\" }]\n",
         .expected = "config/aarshjul.toml:4: key 'escalation.steps.after' must be between 0 and "
                     "366 (is -1)"},
        {.name = "escalation role not snake_case",
         .text = "[organisation]\nname = \"E\"\n[escalation]\n"
                 "steps = [{ after = 7, to = \"System Owner\" }]\n",
         .expected = "config/aarshjul.toml:4: key 'escalation.steps.to': role 'System Owner' must "
                     "be snake_case (^[a-z][a-z0-9_]*$)"},
        {.name = "escalation step without a role",
         .text = "[organisation]\nname = \"E\"\n[escalation]\nsteps = [\n  { after = 7 },\n]\n",
         .expected = "config/aarshjul.toml:5: missing required key 'escalation.steps.to'"},
        {.name = "unknown key in an escalation step",
         .text = "[organisation]\nname = \"E\"\n[[escalation.steps]]\nafter = 7\n"
                 "to = \"coordinator\"\nrole = \"coordinator\"\n",
         .expected = "config/aarshjul.toml:6: unknown key 'escalation.steps.role'"},
        {.name = "escalation steps not tables",
         .text = "[organisation]\nname = \"E\"\n[escalation]\nsteps = [7, 21]\n",
         .expected = "config/aarshjul.toml:4: key 'escalation.steps' must be an array of tables "
                     "([[escalation.steps]])"},
        {.name = "closed day with month 13",
         .text = "[organisation]\nname = \"E\"\n[calendar]\nextra_closed_days = [\"13-01\"]\n",
         .expected = "config/aarshjul.toml:4: key 'calendar.extra_closed_days': '13-01' is not a "
                     "day of the year (MM-DD)"},
        {.name = "closed day 30 February",
         .text = "[organisation]\nname = \"E\"\n[calendar]\nextra_closed_days = [\"02-30\"]\n",
         .expected = "config/aarshjul.toml:4: key 'calendar.extra_closed_days': '02-30' is not a "
                     "day of the year (MM-DD)"},
        {.name = "closed day without leading zeros",
         .text = "[organisation]\nname = \"E\"\n[calendar]\nextra_closed_days = [\"6-5\"]\n",
         .expected = "config/aarshjul.toml:4: key 'calendar.extra_closed_days': '6-5' is not a "
                     "day of the year (MM-DD)"},
        {.name = "closed day with a slash",
         .text = "[organisation]\nname = \"E\"\n[calendar]\nextra_closed_days = [\"06/05\"]\n",
         .expected = "config/aarshjul.toml:4: key 'calendar.extra_closed_days': '06/05' is not a "
                     "day of the year (MM-DD)"},
        {.name = "closed day with a sign",
         .text = "[organisation]\nname = \"E\"\n[calendar]\nextra_closed_days = [\"+6-05\"]\n",
         .expected = "config/aarshjul.toml:4: key 'calendar.extra_closed_days': '+6-05' is not a "
                     "day of the year (MM-DD)"},
        {.name = "closed day as a date",
         .text = "[organisation]\nname = \"E\"\n[calendar]\nextra_closed_days = [2026-06-05]\n",
         .expected = "config/aarshjul.toml:4: key 'calendar.extra_closed_days' must be an array "
                     "of strings"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        auto config = parse_config(c.text, kFile);
        ASSERT_FALSE(config.ok());
        if (c.expected != nullptr) {
            // The whole message: exactly this error and no other.
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

// A configuration string that is not UTF-8 is refused at its line, naming the byte.
TEST(Config, RefusesBytesThatAreNotUtf8) {
    auto config = parse_config("[organisation]\nname = \"Eksempel Kommune \xe6\"\n", kFile);
    ASSERT_FALSE(config.ok());
    EXPECT_EQ(config.error().to_string(),
              "config/aarshjul.toml:2: not valid UTF-8 (byte 0xE6 in column 26); save the file as "
              "UTF-8");
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
    EXPECT_EQ(config->wheel_first_month, 1);
    EXPECT_EQ(config->reminder_hour, 8);
    EXPECT_EQ(config->horizon_days, 400);
    EXPECT_EQ(config->listen, "127.0.0.1:8080");
    EXPECT_EQ(config->log_level, "info");
    EXPECT_EQ(config->database, folder / "aarshjul.db");
    EXPECT_EQ(config->workflows_dirs, std::vector<std::filesystem::path>{folder / "workflows"});
    EXPECT_EQ(config->lua_dir, folder / "lua");
    EXPECT_EQ(config->directory_file, folder / "directory.toml");
    EXPECT_EQ(config->remind_before_due, (std::vector<int>{30, 7, 1, 0}));
    EXPECT_EQ(config->remind_overdue_every, 7);
    EXPECT_TRUE(config->business_days_only);
    EXPECT_TRUE(config->digest);
    ASSERT_EQ(config->escalation.size(), 2u);
    EXPECT_EQ(config->escalation[0].after, 7);
    EXPECT_EQ(config->escalation[0].to_role, "system_owner");
    EXPECT_EQ(config->escalation[1].after, 21);
    EXPECT_EQ(config->escalation[1].to_role, "coordinator");
    using MonthDay = std::pair<unsigned, unsigned>;
    EXPECT_EQ(config->extra_closed_days, (std::vector<MonthDay>{{6, 5}, {12, 24}, {12, 31}}));
}

struct ValueCase {
    const char* name;
    const char* section; // appended to a config that names the organisation
    std::function<void(const Config&)> check;
};

std::vector<std::pair<int, std::string>> ladder_of(const Config& config) {
    std::vector<std::pair<int, std::string>> out;
    for (const auto& step : config.escalation)
        out.emplace_back(step.after, step.to_role);
    return out;
}

// Each reminder, escalation and calendar key is read, normalised where the file's order is free.
TEST(Config, ReminderEscalationAndCalendarValues) {
    using Ladder = std::vector<std::pair<int, std::string>>;
    using MonthDays = std::vector<std::pair<unsigned, unsigned>>;
    const ValueCase cases[] = {
        {.name = "reminder days sorted from the earliest",
         .section = "[reminders]\nbefore_due = [0, 14, 3]\n",
         .check =
             [](const Config& c) {
                 EXPECT_EQ(c.remind_before_due, (std::vector{14, 3, 0}));
             }},
        {.name = "repeated reminder day kept once",
         .section = "[reminders]\nbefore_due = [7, 1, 7]\n",
         .check =
             [](const Config& c) {
                 EXPECT_EQ(c.remind_before_due, (std::vector{7, 1}));
             }},
        {.name = "no reminders before the due date",
         .section = "[reminders]\nbefore_due = []\n",
         .check = [](const Config& c) { EXPECT_TRUE(c.remind_before_due.empty()); }},
        {.name = "no overdue reminders, every day, no digests",
         .section = "[reminders]\noverdue_every = 0\nbusiness_days_only = false\ndigest = false\n",
         .check =
             [](const Config& c) {
                 EXPECT_EQ(c.remind_overdue_every, 0);
                 EXPECT_FALSE(c.business_days_only);
                 EXPECT_FALSE(c.digest);
                 EXPECT_EQ(c.remind_before_due, (std::vector{30, 7, 1, 0}));
             }},
        {.name = "escalation ladder as inline tables",
         .section = "[escalation]\nsteps = [{ after = 0, to = \"coordinator\" },\n"
                    "         { after = 14, to = \"top_security_owner\" },\n"
                    "         { after = 30, to = \"executive_board\" }]\n",
         .check =
             [](const Config& c) {
                 EXPECT_EQ(ladder_of(c), (Ladder{{0, "coordinator"},
                                                 {14, "top_security_owner"},
                                                 {30, "executive_board"}}));
             }},
        {.name = "escalation ladder as an array of tables",
         .section = "[[escalation.steps]]\nafter = 3\nto = \"head_of_it\"\n",
         .check =
             [](const Config& c) {
                 EXPECT_EQ(ladder_of(c), (Ladder{{3, "head_of_it"}}));
             }},
        {.name = "no default escalation",
         .section = "[escalation]\nsteps = []\n",
         .check = [](const Config& c) { EXPECT_TRUE(c.escalation.empty()); }},
        {.name = "escalation section without steps keeps the default",
         .section = "[escalation]\n",
         .check =
             [](const Config& c) {
                 EXPECT_EQ(ladder_of(c), (Ladder{{7, "system_owner"}, {21, "coordinator"}}));
             }},
        {.name = "closed days sorted, repeats dropped, leap day allowed",
         .section =
             "[calendar]\nextra_closed_days = [\"12-31\", \"02-29\", \"12-24\", \"12-24\"]\n",
         .check =
             [](const Config& c) {
                 EXPECT_EQ(c.extra_closed_days, (MonthDays{{2, 29}, {12, 24}, {12, 31}}));
             }},
        {.name = "no extra closed days",
         .section = "[calendar]\nextra_closed_days = []\n",
         .check = [](const Config& c) { EXPECT_TRUE(c.extra_closed_days.empty()); }},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const std::string text = std::string("[organisation]\nname = \"E\"\n") + c.section;
        auto config = parse_config(text, kFile);
        ASSERT_TRUE(config.ok()) << config.error().to_string();
        c.check(*config);
    }
}

// Every bad escalation step is reported, each with what is wrong with it.
TEST(Config, EveryBadEscalationStepReported) {
    auto config = parse_config("[organisation]\nname = \"E\"\n[escalation]\n"
                               "steps = [{ after = 7, to = \"a\" }, { after = 3, to = \"B\" }]\n",
                               kFile);
    ASSERT_FALSE(config.ok());
    const std::string all = config.error().to_string();
    EXPECT_NE(all.find("role 'B' must be snake_case"), std::string::npos) << all;
    EXPECT_NE(all.find("must increase along the ladder (3 follows 7)"), std::string::npos) << all;
}

// The shipped config/aarshjul.toml loads and points at the repository's folders.
TEST(Config, ShippedConfigLoads) {
    const std::filesystem::path repo = AARSHJUL_SOURCE_DIR;
    auto config = load_config(repo / "config" / "aarshjul.toml");
    ASSERT_TRUE(config.ok()) << config.error().to_string();
    EXPECT_EQ(config->organisation, "Eksempel Kommune");
    EXPECT_EQ(config->time_zone, "Europe/Copenhagen");
    EXPECT_EQ(config->database, repo / "state" / "aarshjul.db");
    EXPECT_EQ(config->workflows_dirs,
              (std::vector<std::filesystem::path>{repo / "workflows" / "common",
                                                  repo / "workflows" / "municipality"}));
    EXPECT_EQ(config->lua_dir, repo / "lua");
    EXPECT_EQ(config->directory_file, repo / "config" / "directory.toml");
    EXPECT_GE(config->horizon_days, kMinHorizonDays);
    EXPECT_EQ(config->remind_before_due, (std::vector<int>{30, 7, 1, 0}));
    EXPECT_EQ(config->remind_overdue_every, 7);
    EXPECT_TRUE(config->business_days_only);
    EXPECT_TRUE(config->digest);
    EXPECT_EQ(ladder_of(*config),
              (std::vector<std::pair<int, std::string>>{{7, "system_owner"}, {21, "coordinator"}}));
    using MonthDay = std::pair<unsigned, unsigned>;
    EXPECT_EQ(config->extra_closed_days, (std::vector<MonthDay>{{6, 5}, {12, 24}, {12, 31}}));
}

} // namespace
} // namespace aarshjul

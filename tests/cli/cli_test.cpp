// SPDX-License-Identifier: MPL-2.0
#include "cli/cli.h"
#include "store/sqlite/database.h"
#include "support/temp_dir.h"
#include "time/civil.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <optional>
#include <sstream>

namespace aarshjul {
namespace {

const std::string kConfig = std::string(AARSHJUL_SOURCE_DIR) + "/config/aarshjul.toml";

struct Run {
    int code;
    std::string out;
    std::string err;
};

Run run(std::vector<std::string> args) {
    std::ostringstream out, err;
    args.insert(args.begin(), {"--config", kConfig, "--log-level", "warn"});
    int code = cli::run(args, out, err);
    return {code, out.str(), err.str()};
}

// The shipped configuration, directory and workflows pass `check`, without a warning.
TEST(Cli, CheckPassesOnTheShippedSet) {
    auto r = run({"check"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("ok: ", 0), 0u) << r.out;
    EXPECT_EQ(r.err, "");
}

// `check` prints each old spelling as file:line: warning: and still exits 0.
TEST(Cli, CheckWarnsAboutOldSpellings) {
    testing::TempDir dir;
    auto file = dir.write("old.lua", R"(-- written before units
workflow {
  id = "DRAFT",
  title = { da = "Udkast", en = "Draft" },
  source = "test",
  assignee = role "coordinator",
  schedule = yearly { month = 5, day = 1 },
  remind = { before_due = { 14, 3, 0 }, overdue_every = days(7) },
}
)");
    auto r = run({"check", "--workflows", dir.path().string()});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("ok: 1 workflows", 0), 0u) << r.out;
    EXPECT_EQ(r.err, file.string() +
                         ":2: warning: workflow DRAFT: remind.before_due = { 14, 3, 0 } is in days "
                         "without saying so; write before_due = days{14, 3, 0}\n");
}

// Warnings are printed beside the errors of a file that does not load.
TEST(Cli, CheckPrintsWarningsWithErrors) {
    testing::TempDir dir;
    auto file = dir.write("old.lua", R"(workflow {
  id = "DRAFT",
  title = { da = "Udkast", en = "Draft" },
  source = "test",
  assignee = role "chief_wizard",
  schedule = yearly { month = 5, day = 1 },
  escalate = { { after = 7, to = role "coordinator" } },
}
)");
    auto r = run({"check", "--workflows", dir.path().string()});
    EXPECT_EQ(r.code, cli::kExitInvalid);
    EXPECT_NE(r.err.find(file.string() + ":1: workflow DRAFT: assignee: unknown role"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find(file.string() + ":1: warning: workflow DRAFT: escalate[1].after = 7"),
              std::string::npos)
        << r.err;
}

// A workflow with a syntax error is reported as file:line: and exits non-zero.
TEST(Cli, CheckReportsSyntaxErrorsWithFileAndLine) {
    testing::TempDir dir;
    auto file = dir.write("broken.lua", "workflow {\n  id = \"X\",\n  title = { da = \"a\" en = "
                                        "\"b\" },\n}\n");
    auto r = run({"check", "--workflows", dir.path().string()});
    EXPECT_EQ(r.code, cli::kExitInvalid);
    EXPECT_NE(r.err.find(file.string() + ":3:"), std::string::npos) << r.err;
}

// A workflow naming a role nobody holds is refused with its file and line.
TEST(Cli, CheckReportsUnknownRoles) {
    testing::TempDir dir;
    auto file = dir.write("role.lua", R"(-- a draft
workflow {
  id = "DRAFT",
  title = { da = "Udkast", en = "Draft" },
  source = "test",
  assignee = role "chief_wizard",
  schedule = yearly { month = 5, day = 1 },
}
)");
    auto r = run({"check", "--workflows", dir.path().string()});
    EXPECT_EQ(r.code, cli::kExitInvalid);
    EXPECT_NE(r.err.find(file.string() + ":2:"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("chief_wizard"), std::string::npos) << r.err;
}

// A workflow whose title is not UTF-8 (issue 14, item 4) fails `check` with
// file:line and exit code 2, and `plan` refuses to print it.
TEST(Cli, CheckRefusesTitlesThatAreNotUtf8) {
    testing::TempDir dir;
    auto file =
        dir.write("latin1.lua", "-- saved as Latin-1\n"
                                "workflow {\n"
                                "  id = \"LATIN\",\n"
                                "  title = { da = \"\xc5rlig kontrol\", en = \"Yearly\" },\n"
                                "  source = \"test\",\n"
                                "  assignee = role \"coordinator\",\n"
                                "  schedule = yearly { month = 5, day = 1 },\n"
                                "}\n");
    auto r = run({"check", "--workflows", dir.path().string()});
    EXPECT_EQ(r.code, cli::kExitInvalid);
    EXPECT_NE(r.err.find(file.string() + ":2: workflow LATIN: title.da is not valid UTF-8"),
              std::string::npos)
        << r.err;
    auto plan = run({"plan", "--workflows", dir.path().string(), "--from", "2027-01-01", "--to",
                     "2027-12-31", "--format", "json"});
    EXPECT_EQ(plan.code, cli::kExitInvalid);
    EXPECT_EQ(plan.out.find('\xc5'), std::string::npos);
}

// An id with the occurrence keys' separators that slipped past the DSL
// (issue 14, item 5) fails `check` with file:line and exit code 2.
TEST(Cli, CheckRefusesIdsWithKeySeparators) {
    testing::TempDir dir;
    auto file = dir.write("evil.lua", testing::read_file(std::filesystem::path(AARSHJUL_TEST_DATA) /
                                                         "lua/attacks/flip_id.lua"));
    auto r = run({"check", "--workflows", dir.path().string()});
    EXPECT_EQ(r.code, cli::kExitInvalid);
    EXPECT_NE(r.err.find(file.string() + ":9: workflow: id must be"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("(got 'EVIL|KEY#x y')"), std::string::npos) << r.err;
}

// `plan --format json` lists every task of 2027 with due dates and assignees.
TEST(Cli, PlanListsTheYearAsJson) {
    auto r = run({"plan", "--from", "2027-01-01", "--to", "2027-12-31", "--format", "json"});
    ASSERT_EQ(r.code, 0) << r.err;
    auto items = boost::json::parse(r.out).as_array();
    int risk = 0, aware = 0, qstat = 0;
    for (const auto& v : items) {
        const auto& o = v.as_object();
        const std::string wf(o.at("workflow").as_string());
        EXPECT_FALSE(o.at("assignee").as_string().empty());
        if (wf == "RISK-SYS") {
            ++risk;
            EXPECT_EQ(o.at("start").as_string(), "2027-03-01");
            EXPECT_EQ(o.at("due").as_string(), "2027-03-31");
            EXPECT_TRUE(o.at("system").is_string());
        } else if (wf == "AWARE-EVAL") {
            ++aware;
        } else if (wf == "ISU-QSTAT") {
            ++qstat;
        }
    }
    EXPECT_GE(risk, 30); // one per registered system of the sample municipality
    EXPECT_EQ(aware, 2);
    EXPECT_EQ(qstat, 4);
}

// Bad dates for plan are refused with a message.
TEST(Cli, PlanRefusesBadDates) {
    auto r = run({"plan", "--from", "2027-02-30", "--to", "2027-12-31"});
    EXPECT_EQ(r.code, cli::kExitFailure);
    EXPECT_NE(r.err.find("--from"), std::string::npos);
}

} // namespace
} // namespace aarshjul

namespace aarshjul {
namespace {

// A configuration in a temp folder: its own database, the example workflows.
struct ExampleConfig {
    testing::TempDir dir;
    std::string config;

    ExampleConfig() {
        const std::filesystem::path src = AARSHJUL_SOURCE_DIR;
        config = dir.write("aarshjul.toml",
                           "[organisation]\nname = \"Testkommune\"\n[paths]\n"
                           "database = \"state/aarshjul.db\"\nworkflows = \"" +
                               (src / "examples" / "workflows").string() + "\"\nlua = \"" +
                               (src / "lua").string() + "\"\ndirectory = \"" +
                               (src / "config" / "directory.toml").string() + "\"\n")
                     .string();
    }

    Run run(std::vector<std::string> args) const {
        std::ostringstream out, err;
        args.insert(args.begin(), {"--config", config, "--log-level", "warn"});
        int code = cli::run(args, out, err);
        return {code, out.str(), err.str()};
    }
};

// Runs the command line with exactly these arguments.
Run run_exactly(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    int code = cli::run(args, out, err);
    return {code, out.str(), err.str()};
}

// The global options work before and after the command, for one-word and
// two-word commands alike, and the one given after the command is the one
// used; an option nobody knows is still refused.
TEST(CliGlobalOptions, WorkBeforeAndAfterTheCommand) {
    ExampleConfig example;
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"check", "--config", example.config},
             {"--config", example.config, "check"},
             {"check", "--log-level", "warn", "--config", example.config},
         }) {
        auto r = run_exactly(args);
        EXPECT_EQ(r.code, 0) << args[0] << ": " << r.err;
        EXPECT_NE(r.out.find("(" + example.config + ")"), std::string::npos) << r.out;
    }
    auto status = run_exactly({"status", "--log-level", "debug", "--config", example.config});
    EXPECT_EQ(status.code, 0) << status.err;
    EXPECT_EQ(status.out.rfind("Testkommune\n", 0), 0u) << status.out;
    auto audit =
        run_exactly({"--log-level", "warn", "audit", "verify", "--config", example.config});
    EXPECT_EQ(audit.code, 0) << audit.err;

    auto missing = run_exactly({"check", "--config", example.dir.path().string() + "/none.toml"});
    EXPECT_EQ(missing.code, cli::kExitInvalid);
    EXPECT_NE(missing.err.find("none.toml"), std::string::npos) << missing.err;
    auto unknown = run_exactly({"check", "--config", example.config, "--bogus"});
    EXPECT_NE(unknown.code, 0);
    EXPECT_NE(unknown.err.find("--bogus"), std::string::npos) << unknown.err;
}

// The example workflows, one per pattern of the annual cycle, pass `check` without a warning.
TEST(CliExamples, ExampleWorkflowsPassCheck) {
    ExampleConfig example;
    auto r = example.run({"check"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err, "");
}

// `event` records an incident and prints its hour-based deadlines in local time across DST.
TEST(CliExamples, EventCreatesTasksWithHourDeadlines) {
    ExampleConfig example;
    auto r = example.run({"event", "incident", "--title", "Ransomware på filserver", "--at",
                          "2026-10-24T09:00:00+02:00"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("NIS2-EW  due 2026-10-25T08:00:00+01:00"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("NIS2-NOT  due 2026-10-27T08:00:00+01:00"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("INC-INT  due 2026-10-24T13:00:00+02:00"), std::string::npos) << r.out;
    auto unknown = example.run({"event", "meteor", "--title", "x"});
    EXPECT_EQ(unknown.code, cli::kExitFailure);
    EXPECT_NE(unknown.err.find("no workflow is triggered by events of type 'meteor'"),
              std::string::npos);
}

// `complete` exits by the kind of its error: 2 for input the engine refuses
// (a person not in the directory), 1 for a task that is finished or unknown.
TEST(CliExamples, CompleteExitsByTheKindOfItsError) {
    ExampleConfig example;
    auto event = example.run(
        {"event", "incident", "--title", "Phishing", "--at", "2026-10-24T09:00:00+02:00"});
    ASSERT_EQ(event.code, 0) << event.err;
    const auto at = event.out.find("  task ");
    ASSERT_NE(at, std::string::npos) << event.out;
    const std::string task = std::to_string(std::stoi(event.out.substr(at + 7)));

    auto stranger = example.run({"complete", task, "--by", "nobody"});
    EXPECT_EQ(stranger.code, cli::kExitInvalid) << stranger.err;
    EXPECT_NE(stranger.err.find("unknown person 'nobody'"), std::string::npos) << stranger.err;
    auto done = example.run({"complete", task, "--by", "henrik.moeller"});
    EXPECT_EQ(done.code, cli::kExitOk) << done.err;
    auto again = example.run({"complete", task, "--by", "henrik.moeller"});
    EXPECT_EQ(again.code, cli::kExitFailure) << again.err;
    EXPECT_NE(again.err.find("is already done"), std::string::npos) << again.err;
    auto unknown = example.run({"complete", "999999", "--by", "henrik.moeller"});
    EXPECT_EQ(unknown.code, cli::kExitFailure) << unknown.err;
}

// `simulate --format json` prints one object per line, in time order, with ISO 8601 offsets.
TEST(CliExamples, SimulatePrintsOrderedJsonLines) {
    ExampleConfig example;
    auto r =
        example.run({"simulate", "--from", "2027-01-01", "--to", "2027-12-31", "--format", "json"});
    ASSERT_EQ(r.code, 0) << r.err;
    std::istringstream lines(r.out);
    std::string line, previous_at;
    int count = 0, rsi = 0, approvals = 0;
    std::optional<Instant> last;
    while (std::getline(lines, line)) {
        auto item = boost::json::parse(line).as_object();
        const std::string at(item.at("at").as_string());
        auto instant = parse_instant(at);
        ASSERT_TRUE(instant) << at;
        EXPECT_TRUE(at.ends_with("+01:00") || at.ends_with("+02:00")) << at;
        if (last) {
            EXPECT_LE(*last, *instant) << line;
        }
        last = instant;
        const std::string workflow(item.at("workflow").as_string());
        rsi += workflow == "RSI-MAIL" && item.at("kind") == "due";
        approvals += workflow == "POL-REV";
        ++count;
    }
    EXPECT_GT(count, 100);
    EXPECT_EQ(rsi, 22); // 24 mailings minus the two of July
    EXPECT_GT(approvals, 0);
}

} // namespace
} // namespace aarshjul

namespace aarshjul {
namespace {

// `audit verify` accepts the daemon's own records and names a tampered one;
// `audit export` gives the auditor JSON lines; `backup` and `db check` work on
// the configured database.
TEST(CliOperations, AuditBackupAndDbCheck) {
    ExampleConfig example;
    ASSERT_EQ(
        example
            .run({"event", "incident", "--title", "Phishing", "--at", "2026-10-24T09:00:00+02:00"})
            .code,
        0);
    auto verified = example.run({"audit", "verify"});
    ASSERT_EQ(verified.code, 0) << verified.err;
    EXPECT_EQ(verified.out.rfind("ok: ", 0), 0u) << verified.out;
    EXPECT_NE(verified.out.find("chain head "), std::string::npos);

    auto exported = example.run({"audit", "export", "--from", "2020-01-01", "--to", "2030-12-31"});
    ASSERT_EQ(exported.code, 0) << exported.err;
    std::istringstream lines(exported.out);
    std::string line;
    int n = 0;
    while (std::getline(lines, line)) {
        auto event = boost::json::parse(line).as_object();
        EXPECT_EQ(event.at("hash").as_string().size(), 64u);
        EXPECT_FALSE(event.at("task_key").as_string().empty());
        ++n;
    }
    EXPECT_GT(n, 0);

    const auto backup = example.dir.path() / "backup.db";
    auto copied = example.run({"backup", backup.string()});
    ASSERT_EQ(copied.code, 0) << copied.err;
    EXPECT_TRUE(std::filesystem::exists(backup));
    auto checked = example.run({"db", "check"});
    EXPECT_EQ(checked.code, 0) << checked.err;
    EXPECT_EQ(checked.out.rfind("ok: ", 0), 0u) << checked.out;

    {
        auto db = Database::open(example.dir.path() / "state" / "aarshjul.db");
        ASSERT_TRUE(db.ok());
        ASSERT_TRUE(
            db->exec("UPDATE task_events SET detail = 'nothing happened' WHERE id = 2").ok());
    }
    auto broken = example.run({"audit", "verify"});
    EXPECT_EQ(broken.code, cli::kExitInvalid);
    EXPECT_NE(broken.err.find("the chain is broken at event 2"), std::string::npos) << broken.err;
}

} // namespace
} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#include "worker/hook_runner.h"
#include "support/temp_dir.h"

#include <chrono>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace aarshjul {
namespace {

using ::testing::HasSubstr;

const std::filesystem::path kLuaDir = std::filesystem::path(AARSHJUL_SOURCE_DIR) / "lua";

// Line numbers below refer to this file.
const char* const kRiskSys = R"(-- RISK-SYS with hooks
local counter = 0
workflow {
  id = "RISK-SYS",
  title = { da = "Risikovurdering", en = "Risk assessment" },
  source = "S4",
  for_each = systems {},
  assignee = role "system_responsible",
  schedule = yearly { month = 3, day = 1 },
  on_complete = function(task)
    counter = counter + 1
    follow_up { id = "REVIEW-" .. counter, title = { da = "Gennemgå " .. task.system,
                en = "Review " .. task.system }, assignee = role "system_owner", due = days(14) }
    follow_up { id = "NOTIFY-DPO", title = { da = "Orienter DPO", en = "Inform the DPO" },
                assignee = person "dpo.jensen", due = hours(24) }
  end,
  on_overdue = function(task)
    error("no escalation contact for " .. task.system)
  end,
}
)";

const char* const kIncident = R"(workflow {
  id = "INC-INT",
  title = { da = "Hændelse", en = "Incident" },
  source = "S4",
  assignee = role "head_of_it",
  schedule = on_event "incident",
  due = hours(4),
  on_event = function(event)
    if event.personal_data == "yes" then
      follow_up { id = "GDPR-33", title = { da = "Anmeld", en = "Notify" },
                  assignee = role "dpo", due = hours(72) }
    end
    local keys = {}
    for key in pairs(event) do keys[#keys + 1] = key end
    table.sort(keys)
    follow_up { id = "LOG", title = { da = table.concat(keys, ","), en = "log" },
                assignee = role "coordinator", due = business_days(1) }
  end,
  on_complete = function(task)
    task.state = "changed"
  end,
  on_overdue = function(task)
    while true do end
  end,
}
)";

struct HookFiles {
    testing::TempDir dir;
    std::filesystem::path risk = dir.write("wf/risk.lua", kRiskSys);
    std::filesystem::path incident = dir.write("wf/incident.lua", kIncident);
};

// on_complete sees its argument table and returns every follow_up it asked for, in order.
TEST(HookRunner, ReturnsTheFollowUpsOfAHook) {
    HookFiles files;
    HookCall call{files.risk, "RISK-SYS", "on_complete", {{"system", "KMD Opus"}}};
    auto result = run_hook(kLuaDir, call);
    ASSERT_TRUE(result.ok()) << result.error().to_string();
    ASSERT_EQ(result->size(), 2u);
    const FollowUpSpec& review = (*result)[0];
    EXPECT_EQ(review.id, "REVIEW-1");
    EXPECT_EQ(review.title.da, "Gennemgå KMD Opus");
    EXPECT_EQ(review.title.en, "Review KMD Opus");
    EXPECT_EQ(review.assignee.kind, AssigneeRef::Kind::Role);
    EXPECT_EQ(review.assignee.id, "system_owner");
    EXPECT_EQ(review.due.unit, Offset::Unit::Days);
    EXPECT_EQ(review.due.amount, 14);
    const FollowUpSpec& notify = (*result)[1];
    EXPECT_EQ(notify.id, "NOTIFY-DPO");
    EXPECT_EQ(notify.assignee.kind, AssigneeRef::Kind::Person);
    EXPECT_EQ(notify.assignee.id, "dpo.jensen");
    EXPECT_EQ(notify.due.unit, Offset::Unit::Hours);
    EXPECT_EQ(notify.due.amount, 24);
}

// Each call re-evaluates the file in a fresh sandbox, so a hook's locals start over.
TEST(HookRunner, KeepsNoStateBetweenCalls) {
    HookFiles files;
    HookCall call{files.risk, "RISK-SYS", "on_complete", {{"system", "A"}}};
    for (int i = 0; i < 2; ++i) {
        auto result = run_hook(kLuaDir, call);
        ASSERT_TRUE(result.ok()) << result.error().to_string();
        EXPECT_EQ(result->at(0).id, "REVIEW-1") << "call " << i;
    }
}

// on_event gets the event's fields; a hook may ask for nothing conditionally.
TEST(HookRunner, PassesEventFieldsToOnEvent) {
    HookFiles files;
    HookCall breach{
        files.incident, "INC-INT", "on_event", {{"personal_data", "yes"}, {"type", "incident"}}};
    auto with = run_hook(kLuaDir, breach);
    ASSERT_TRUE(with.ok()) << with.error().to_string();
    ASSERT_EQ(with->size(), 2u);
    EXPECT_EQ((*with)[0].id, "GDPR-33");
    EXPECT_EQ((*with)[0].due.amount, 72);
    // pairs() over the read-only argument lists every field.
    EXPECT_EQ((*with)[1].title.da, "personal_data,type");
    EXPECT_EQ((*with)[1].due.unit, Offset::Unit::BusinessDays);

    HookCall plain{files.incident, "INC-INT", "on_event", {{"type", "incident"}}};
    auto without = run_hook(kLuaDir, plain);
    ASSERT_TRUE(without.ok()) << without.error().to_string();
    ASSERT_EQ(without->size(), 1u);
    EXPECT_EQ((*without)[0].id, "LOG");
}

// A hook that raises an error is reported at its file and line.
TEST(HookRunner, ReportsAHookErrorWithItsLine) {
    HookFiles files;
    HookCall call{files.risk, "RISK-SYS", "on_overdue", {{"system", "KMD Opus"}}};
    auto result = run_hook(kLuaDir, call);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().file, files.risk.string());
    EXPECT_EQ(result.error().line, 18);
    EXPECT_THAT(result.error().message, HasSubstr("no escalation contact for KMD Opus"));
}

// The argument table is read-only: writing to it is an error at the hook's line.
TEST(HookRunner, ArgumentsAreReadOnly) {
    HookFiles files;
    HookCall call{files.incident, "INC-INT", "on_complete", {{"state", "done"}}};
    auto result = run_hook(kLuaDir, call);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().file, files.incident.string());
    EXPECT_EQ(result.error().line, 20);
    EXPECT_THAT(result.error().message, HasSubstr("read-only"));
}

// A runaway hook is stopped by the instruction budget, quickly.
TEST(HookRunner, StopsARunawayHook) {
    HookFiles files;
    SandboxLimits limits;
    limits.instruction_budget = 200'000;
    HookCall call{files.incident, "INC-INT", "on_overdue", {}};
    const auto start = std::chrono::steady_clock::now();
    auto result = run_hook(kLuaDir, call, limits);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().to_string(),
              files.incident.string() + ":23: instruction budget exceeded (200000 instructions)");
    EXPECT_LT(elapsed, std::chrono::seconds(1));
}

// A hook the workflow does not declare, an unknown workflow or hook name are clear errors.
TEST(HookRunner, RefusesMissingHooksAndWorkflows) {
    HookFiles files;
    auto no_hook = run_hook(kLuaDir, HookCall{files.risk, "RISK-SYS", "on_event", {}});
    ASSERT_FALSE(no_hook.ok());
    EXPECT_EQ(no_hook.error().to_string(),
              files.risk.string() + ":3: workflow RISK-SYS has no on_event hook");

    auto no_workflow = run_hook(kLuaDir, HookCall{files.risk, "ROPA", "on_complete", {}});
    ASSERT_FALSE(no_workflow.ok());
    EXPECT_EQ(no_workflow.error().file, files.risk.string());
    EXPECT_THAT(no_workflow.error().message, HasSubstr("no workflow 'ROPA'"));

    auto bad_name = run_hook(kLuaDir, HookCall{files.risk, "RISK-SYS", "on_start", {}});
    ASSERT_FALSE(bad_name.ok());
    EXPECT_THAT(bad_name.error().message, HasSubstr("unknown hook 'on_start'"));

    auto no_file =
        run_hook(kLuaDir, HookCall{files.dir.path() / "wf" / "gone.lua", "X", "on_complete", {}});
    ASSERT_FALSE(no_file.ok());
    EXPECT_THAT(no_file.error().to_string(), HasSubstr("gone.lua: cannot read"));
}

struct BadFollowUp {
    const char* name;
    const char* call; // on line 8 of the file
    const char* message;
};

// A malformed follow_up inside a hook is an error at its line.
TEST(HookRunner, RefusesBadFollowUps) {
    const BadFollowUp cases[] = {
        {"a repeated id",
         "follow_up { id = 'A', title = { da = 'a', en = 'a' }, assignee = role 'x', due = "
         "days(1) } follow_up { id = 'A', title = { da = 'a', en = 'a' }, assignee = role 'x', "
         "due = days(2) }",
         "follow_up A: id is used twice in this hook"},
        {"no due", "follow_up { id = 'A', title = { da = 'a', en = 'a' }, assignee = role 'x' }",
         "follow_up A: missing field 'due'"},
        {"a negative due",
         "follow_up { id = 'A', title = { da = 'a', en = 'a' }, assignee = role 'x', due = "
         "days(-1) }",
         "follow_up A: due must not be negative"},
        {"a due at the next meeting",
         "follow_up { id = 'A', title = { da = 'a', en = 'a' }, assignee = role 'x', due = "
         "next_meeting 'isu' }",
         "follow_up A: due must be days(n), business_days(n), hours(n) or months(n)"},
        {"a lowercase id",
         "follow_up { id = 'a', title = { da = 'a', en = 'a' }, assignee = role 'x', due = "
         "days(1) }",
         "follow_up: id must be capitals"},
        {"an unknown field",
         "follow_up { id = 'A', title = { da = 'a', en = 'a' }, assignee = role 'x', due = "
         "days(1), note = 'x' }",
         "follow_up A: unknown field 'note'"},
        {"a missing title language",
         "follow_up { id = 'A', title = { da = 'a' }, assignee = role 'x', due = days(1) }",
         "follow_up A: missing field 'title.en'"},
        {"a workflow defined in a hook",
         "workflow { id = 'Y', title = { da = 'a', en = 'a' }, source = 's', assignee = role "
         "'x', schedule = monthly {} }",
         "workflow cannot be defined inside a hook"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        testing::TempDir dir;
        const std::string code = std::string("workflow {\n"
                                             "  id = \"X\",\n"
                                             "  title = { da = \"a\", en = \"b\" },\n"
                                             "  source = \"s\",\n"
                                             "  assignee = role \"x\",\n"
                                             "  schedule = monthly {},\n"
                                             "  on_complete = function(task)\n    ") +
                                 c.call + "\n  end,\n}\n";
        auto file = dir.write("wf/x.lua", code);
        auto result = run_hook(kLuaDir, HookCall{file, "X", "on_complete", {}});
        ASSERT_FALSE(result.ok());
        EXPECT_EQ(result.error().file, file.string());
        EXPECT_EQ(result.error().line, 8) << result.error().to_string();
        EXPECT_THAT(result.error().message, HasSubstr(c.message));
    }
}

// A file that no longer loads fails the hook with the load error.
TEST(HookRunner, ReportsAFileThatNoLongerLoads) {
    testing::TempDir dir;
    auto file =
        dir.write("wf/x.lua", "-- edited since\nworkflow {\n  id = 'X',\n  titel = {},\n}\n");
    auto result = run_hook(kLuaDir, HookCall{file, "X", "on_complete", {}});
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().to_string(), file.string() + ":2: workflow X: unknown field 'titel'");
}

} // namespace
} // namespace aarshjul

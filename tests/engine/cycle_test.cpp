// SPDX-License-Identifier: MPL-2.0
// The semantics of the annual cycle (ANNUAL-CYCLE.md §3): event clocks in
// hours, chained deadlines, approval chains across meeting calendars,
// dependencies, escalation ladders, digests, catch-up and clock jumps.
#include "engine/engine.h"
#include "store/sqlite/sqlite_store.h"
#include "support/engine_fixture.h"

#include <gtest/gtest.h>

namespace aarshjul {
namespace {

using testing::column_texts;
using testing::copenhagen;
using testing::make_workflow;
using testing::read_outbox;

LocalDate day(int y, unsigned m, unsigned d) {
    return LocalDate{date::year{y} / m / d};
}

struct CycleTest : ::testing::Test {
    Database db = testing::memory_store();
    FakeClock clock{copenhagen("2027-01-01T00:00:00")};
    Engine engine{std::make_unique<SqliteStore>(db), clock,
                  EngineSettings{testing::copenhagen_zone()}};
    Directory directory = testing::small_directory();

    void install(std::vector<WorkflowDef> workflows) {
        auto d = std::make_shared<Definitions>();
        d->workflows = std::move(workflows);
        d->directory = directory;
        ASSERT_TRUE(engine.install(d).ok());
        auto m = engine.materialise();
        ASSERT_TRUE(m.ok()) << m.error().to_string();
    }

    TaskRow task(const std::string& key) {
        auto t = engine.find_task(key);
        EXPECT_TRUE(t.ok() && *t) << key;
        return t.ok() && *t ? **t : TaskRow{};
    }

    int count(const std::string& sql) {
        auto st = db.prepare(sql);
        EXPECT_TRUE(st.ok()) << sql;
        auto row = st->step();
        EXPECT_TRUE(row.ok() && *row);
        return static_cast<int>(st->column_int64(0));
    }

    std::string text(const std::string& sql) {
        auto st = db.prepare(sql);
        EXPECT_TRUE(st.ok()) << sql;
        auto row = st->step();
        EXPECT_TRUE(row.ok() && *row) << sql;
        return st->column_text(0);
    }

    void run_until(Instant end) {
        for (;;) {
            auto next = engine.next_wakeup();
            ASSERT_TRUE(next.ok());
            if (!*next || **next > end)
                break;
            clock.set(std::max(**next, clock.now()));
            auto ticked = engine.tick();
            ASSERT_TRUE(ticked.ok()) << ticked.error().to_string();
            // As the CLI does: the hooks the tick queued run before the next one.
            auto drained = engine.drain_hooks();
            ASSERT_TRUE(drained.ok()) << drained.error().to_string();
        }
        clock.set(end);
    }

    void complete(const std::string& key, const std::string& by = "anna") {
        auto done = engine.complete(key, by, "done", "", CompletionKind::Done);
        ASSERT_TRUE(done.ok()) << done.error().to_string();
        auto drained = engine.drain_hooks();
        ASSERT_TRUE(drained.ok()) << drained.error().to_string();
    }
};

WorkflowDef event_workflow(std::string id, int hours) {
    auto wf = make_workflow(std::move(id), "", 0, {}, 0);
    wf.trigger = {Trigger::Kind::Event, "incident", ""};
    wf.due = {Offset::Unit::Hours, hours};
    wf.due_days = 0;
    return wf;
}

// NIS 2: 24 h and 72 h from awareness across the end of summer time, and the
// final report one month after the notification was completed, not after the incident.
TEST_F(CycleTest, Nis2DeadlinesAreChainedAndCountedInHours) {
    auto ew = event_workflow("NIS2-EW", 24);
    auto notif = event_workflow("NIS2-NOT", 72);
    auto fin = make_workflow("NIS2-FIN", "", 0, {7, 0}, 0);
    fin.trigger = {Trigger::Kind::Completion, "NIS2-NOT", ""};
    fin.due = {Offset::Unit::Months, 1};
    clock.set(copenhagen("2026-10-24T09:30:00"));
    install({ew, notif, fin});

    auto event = engine.record_event(
        {"incident", "Ransomware", copenhagen("2026-10-24T09:00:00"), "anna", ""});
    ASSERT_TRUE(event.ok()) << event.error().to_string();
    const std::string suffix = "||event-" + std::to_string(*event);
    EXPECT_EQ(text("SELECT due_at FROM tasks WHERE occurrence_key = 'NIS2-EW" + suffix + "'"),
              std::to_string(to_unix(*parse_instant("2026-10-25T08:00:00+01:00"))));
    EXPECT_EQ(text("SELECT due_at FROM tasks WHERE occurrence_key = 'NIS2-NOT" + suffix + "'"),
              std::to_string(to_unix(*parse_instant("2026-10-27T08:00:00+01:00"))));
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks WHERE workflow_id = 'NIS2-FIN'"), 0);

    // The early warning is announced at once.
    ASSERT_TRUE(engine.tick().ok());
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE notice_key LIKE 'NIS2-EW%#new@%'"), 1);

    clock.set(copenhagen("2026-10-26T15:00:00"));
    complete("NIS2-NOT" + suffix);
    const auto after = text("SELECT id FROM tasks WHERE occurrence_key = 'NIS2-NOT" + suffix + "'");
    auto final_report = task("NIS2-FIN||after-" + after);
    EXPECT_EQ(final_report.due_date, "2026-11-26");
    EXPECT_EQ(final_report.start_date, "2026-10-26");
}

// An approval chain waits for each body's next meeting after the previous step was completed.
TEST_F(CycleTest, ApprovalChainFollowsThreeMeetingCalendars) {
    directory.bodies = {
        {"direktion",
         "Direktionen",
         "",
         "",
         {day(2027, 5, 4), day(2027, 5, 18), day(2027, 6, 1)},
         ""},
        {"oekonomiudvalg", "Økonomiudvalget", "", "", {day(2027, 5, 12), day(2027, 6, 9)}, ""},
        {"byraad", "Byrådet", "", "", {day(2027, 5, 26), day(2027, 6, 23)}, ""},
    };
    auto wf = make_workflow("POL-REV", "FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=1", 0, {3}, 0);
    wf.steps = {{"DIR", {"Direktionen", "Executive board"}, "direktion", wf.assignee},
                {"OEU", {"Økonomiudvalget", "Finance committee"}, "oekonomiudvalg", wf.assignee},
                {"BR", {"Byrådet", "City council"}, "byraad", wf.assignee}};
    install({wf});

    EXPECT_EQ(task("POL-REV||2027-05-01#DIR").due_date, "2027-05-04");
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks WHERE occurrence_key LIKE 'POL-REV%#OEU'"), 0);

    clock.set(copenhagen("2027-05-04T14:00:00"));
    complete("POL-REV||2027-05-01#DIR");
    EXPECT_EQ(task("POL-REV||2027-05-01#OEU").due_date, "2027-05-12");

    // The finance committee approves late, on 27 May: the council's next meeting is 23 June.
    clock.set(copenhagen("2027-05-27T10:00:00"));
    complete("POL-REV||2027-05-01#OEU");
    EXPECT_EQ(task("POL-REV||2027-05-01#BR").due_date, "2027-06-23");
    complete("POL-REV||2027-05-01#BR");
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks WHERE workflow_id = 'POL-REV' AND "
                    "occurrence_key LIKE 'POL-REV||2027-05-01#%'"),
              3);
}

// A dependency holds reminders until the task it waits for is done (RISK-PORT before POL-REV).
TEST_F(CycleTest, DependencyHoldsRemindersUntilDone) {
    auto port = make_workflow("RISK-PORT", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=1", 60, {}, 0);
    auto pol = make_workflow("POL-REV", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1", 30, {14, 0}, 0);
    pol.depends_on = {"RISK-PORT"};
    pol.escalate = {};
    install({port, pol});
    run_until(copenhagen("2027-03-20T12:00:00"));
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE notice_key LIKE 'POL-REV%'"), 0);
    EXPECT_EQ(text("SELECT blocked_by FROM tasks WHERE occurrence_key = 'POL-REV||2027-03-01'"),
              "RISK-PORT||2027-02-01");

    complete("RISK-PORT||2027-02-01");
    run_until(copenhagen("2027-04-01T12:00:00"));
    auto rows = read_outbox(db);
    std::vector<std::string> pol_keys;
    for (const auto& r : rows)
        if (r.key.rfind("POL-REV", 0) == 0)
            pol_keys.push_back(r.key);
    // The held 14-day reminder goes out at once, then the due-day one.
    ASSERT_EQ(pol_keys.size(), 2u);
    EXPECT_EQ(pol_keys[0], "POL-REV||2027-03-01#reminder@2027-03-17#log#anna");
    EXPECT_EQ(pol_keys[1], "POL-REV||2027-03-01#due@2027-03-31#log#anna");
}

// The default ladder escalates to the system owner after 7 days and to the coordinator after 21.
TEST_F(CycleTest, EscalationLadderReachesOwnerThenCoordinator) {
    auto wf = make_workflow("RISK-SYS", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1", 30, {0}, 0);
    wf.escalate_is_default = false;
    wf.escalate = {{7, {AssigneeRef::Kind::Role, "system_owner"}},
                   {21, {AssigneeRef::Kind::Role, "coordinator"}}};
    wf.for_each.kind = ForEach::Kind::Systems;
    wf.for_each.criticality = {"high"};
    wf.assignee = {AssigneeRef::Kind::Role, "system_responsible"};
    install({wf});
    run_until(copenhagen("2027-05-01T00:00:00"));
    std::vector<std::pair<std::string, std::string>> got;
    for (const auto& r : read_outbox(db))
        got.emplace_back(r.kind, r.recipient);
    const std::vector<std::pair<std::string, std::string>> want = {
        {"due", "carla"}, {"escalation", "bo"}, {"escalation", "anna"}};
    EXPECT_EQ(got, want);
    EXPECT_EQ(task("RISK-SYS|sys-a|2027-03-01").state, TaskState::Escalated);
    EXPECT_EQ(text("SELECT created_at FROM outbox WHERE recipient = 'bo'"),
              std::to_string(to_unix(copenhagen("2027-04-07T08:00:00"))));
}

// A person with several notices at one time gets one digest; a person who opted out gets each.
TEST_F(CycleTest, DigestGroupsAPersonsNotices) {
    directory.people[2].digest = false; // carla
    auto a = make_workflow("A", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1", 30, {0}, 0);
    auto b = make_workflow("B", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1", 30, {0}, 0);
    auto c = make_workflow("C", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1", 30, {0}, 0);
    auto d = make_workflow("D", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1", 30, {0}, 0);
    c.assignee = d.assignee = {AssigneeRef::Kind::Person, "carla"};
    install({a, b, c, d});
    run_until(copenhagen("2027-03-31T12:00:00"));
    auto rows = read_outbox(db);
    ASSERT_EQ(rows.size(), 3u);
    int digests = 0;
    for (const auto& r : rows) {
        if (r.kind == "digest") {
            ++digests;
            EXPECT_EQ(r.recipient, "anna");
        } else {
            EXPECT_EQ(r.recipient, "carla");
        }
    }
    EXPECT_EQ(digests, 1);
    EXPECT_NE(text("SELECT body FROM outbox WHERE kind = 'digest'").find("Titel B"),
              std::string::npos);
}

// After a 400-day gap every deadline and escalation happened once and the reminders were merged.
TEST_F(CycleTest, CatchUpAfterA400DayGap) {
    auto q = make_workflow("Q", "FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=1", 21, {7, 1, 0}, 7);
    q.escalate_is_default = false;
    q.escalate = {{7, {AssigneeRef::Kind::Role, "director"}},
                  {21, {AssigneeRef::Kind::Role, "coordinator"}}};
    install({q});
    clock.set(copenhagen("2028-02-05T10:00:00")); // 400 days later
    auto ticked = engine.tick();
    ASSERT_TRUE(ticked.ok());
    // Five quarters were materialised up front (through 2028-02-05); all are overdue now.
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks WHERE state = 'escalated'"), 5);
    EXPECT_EQ(count("SELECT COUNT(*) FROM task_events WHERE kind = 'overdue'"), 5);
    // Every escalation rung that fell due was sent, never dropped: both rungs of the
    // four older tasks, the first rung of the January 2028 one (its second is 12 February).
    EXPECT_EQ(count("SELECT COUNT(*) FROM task_events WHERE kind = 'escalated'"), 9);
    // Reminders were merged: one per task, each standing for all its missed slots.
    EXPECT_EQ(count("SELECT COUNT(*) FROM task_events WHERE kind = 'reminded' AND detail LIKE "
                    "'overdue %to anna%'"),
              5);
    // All of it reached people as one digest each: anna (reminders, second rungs), bo (first
    // rungs).
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox WHERE kind = 'digest'"), 2);
    EXPECT_EQ(ticked->escalations, 9);
    ASSERT_TRUE(engine.tick().ok());
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), 2);
}

// The wall clock jumping back 3 hours and forward again creates no duplicate notice.
TEST_F(CycleTest, ClockJumpsCreateNoDuplicates) {
    install({make_workflow("Q", "FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=1", 21, {7, 1, 0}, 7)});
    run_until(copenhagen("2027-01-15T09:00:00"));
    const int before = count("SELECT COUNT(*) FROM outbox");
    EXPECT_EQ(before, 1);
    clock.set(copenhagen("2027-01-15T06:00:00")); // back 3 h, before the 08:00 slot
    ASSERT_TRUE(engine.tick().ok());
    run_until(copenhagen("2027-01-15T09:00:00"));
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), before);
    clock.set(copenhagen("2027-01-21T11:00:00")); // forward past the next slot
    ASSERT_TRUE(engine.tick().ok());
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), before + 1);
    ASSERT_TRUE(engine.tick().ok());
    EXPECT_EQ(count("SELECT COUNT(*) FROM outbox"), before + 1);
}

// A failing hook is recorded on the task and the engine carries on.
TEST_F(CycleTest, FailingHookIsRecordedAndDoesNotStopTheEngine) {
    auto wf = make_workflow("Q", "FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=1", 21, {0}, 0);
    wf.has_on_overdue = true;
    wf.has_on_complete = true;
    int calls = 0;
    engine.set_hook_runner(
        [&](const WorkflowDef&, std::string_view hook,
            const std::map<std::string, std::string>& args) -> Result<std::vector<FollowUpSpec>> {
            ++calls;
            if (hook == "on_overdue")
                return Error::at("q.lua", 12, "attempt to index a nil value");
            FollowUpSpec spec{"EVIDENCE",
                              {"Arkivér dokumentation", "File evidence"},
                              {AssigneeRef::Kind::Person, "bo"},
                              {Offset::Unit::Days, 14}};
            EXPECT_EQ(args.at("completed_by"), "anna");
            return std::vector<FollowUpSpec>{spec};
        });
    install({wf});
    run_until(copenhagen("2027-01-25T12:00:00"));
    EXPECT_EQ(calls, 1);
    EXPECT_EQ(task("Q||2027-01-01").state, TaskState::Overdue);
    EXPECT_NE(text("SELECT hook_error FROM tasks WHERE occurrence_key = 'Q||2027-01-01'")
                  .find("q.lua:12: attempt to index a nil value"),
              std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM task_events WHERE kind = 'hook_failed'"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM hook_runs WHERE hook = 'on_overdue' AND state = "
                    "'failed' AND attempts = 1 AND error LIKE '%q.lua:12:%'"),
              1);
    complete("Q||2027-01-01");
    auto follow = task("Q||2027-01-01/EVIDENCE");
    EXPECT_EQ(follow.assignee, "bo");
    EXPECT_EQ(follow.due_date, "2027-02-08");
    EXPECT_EQ(count("SELECT COUNT(*) FROM hook_runs WHERE hook = 'on_complete' AND state = "
                    "'done' AND finished_at IS NOT NULL"),
              1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM task_events WHERE kind = 'hook_ran'"), 1);
}

// A hook is queued in the unit of work that decides it and runs only when
// drained, outside any transaction: a completion's follow-ups appear after the
// drain, and a refused completion queues nothing.
TEST_F(CycleTest, HooksAreQueuedWithTheirDecisionAndRunWhenDrained) {
    auto wf = make_workflow("Q", "FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=1", 21, {0}, 0);
    wf.has_on_complete = true;
    bool in_transaction = true;
    engine.set_hook_runner(
        [&](const WorkflowDef&, std::string_view,
            const std::map<std::string, std::string>& args) -> Result<std::vector<FollowUpSpec>> {
            in_transaction = db.in_transaction();
            EXPECT_EQ(args.at("key"), "Q||2027-01-01");
            return std::vector<FollowUpSpec>{{"EVIDENCE",
                                              {"Arkivér dokumentation", "File evidence"},
                                              {AssigneeRef::Kind::Person, "bo"},
                                              {Offset::Unit::Days, 14}}};
        });
    install({wf});
    // A completion refused (an unknown person) decides nothing and queues nothing.
    EXPECT_FALSE(engine.complete("Q||2027-01-01", "nobody", "", "", CompletionKind::Done).ok());
    EXPECT_EQ(count("SELECT COUNT(*) FROM hook_runs"), 0);
    auto done = engine.complete("Q||2027-01-01", "anna", "done", "", CompletionKind::Done);
    ASSERT_TRUE(done.ok()) << done.error().to_string();
    EXPECT_EQ(count("SELECT COUNT(*) FROM hook_runs WHERE state = 'pending'"), 1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks WHERE occurrence_key = 'Q||2027-01-01/EVIDENCE'"),
              0);
    auto drained = engine.drain_hooks();
    ASSERT_TRUE(drained.ok()) << drained.error().to_string();
    EXPECT_EQ(*drained, 1);
    EXPECT_FALSE(in_transaction) << "the hook ran inside a write transaction";
    EXPECT_EQ(task("Q||2027-01-01/EVIDENCE").assignee, "bo");
    EXPECT_EQ(count("SELECT COUNT(*) FROM hook_runs WHERE state = 'done'"), 1);
    EXPECT_EQ(*engine.drain_hooks(), 0);
}

// A hook left running by a crash is run again at start, its attempts counted;
// after the last attempt it is failed with an error saying so.
TEST_F(CycleTest, HooksLeftRunningAreRecoveredAndGivenUpAfterTheLastAttempt) {
    auto wf = make_workflow("Q", "FREQ=MONTHLY;BYMONTH=1,4,7,10;BYMONTHDAY=1", 21, {0}, 0);
    wf.has_on_complete = true;
    install({wf});
    complete("Q||2027-01-01"); // no runner yet: the hook waits
    for (int attempt = 1; attempt <= 3; ++attempt) {
        auto claimed = engine.claim_hooks(5); // then the "crash": never finished
        ASSERT_TRUE(claimed.ok());
        ASSERT_EQ(claimed->size(), 1u) << "attempt " << attempt;
        EXPECT_EQ(claimed->front().run.attempts, attempt);
        auto recovered = engine.recover_hooks(3);
        ASSERT_TRUE(recovered.ok());
        EXPECT_EQ(recovered->requeued.size(), attempt < 3 ? 1u : 0u);
        EXPECT_EQ(recovered->given_up.size(), attempt < 3 ? 0u : 1u);
    }
    EXPECT_EQ(count("SELECT COUNT(*) FROM hook_runs WHERE state = 'failed' AND attempts = 3 AND "
                    "error LIKE 'gave up after 3 attempts%'"),
              1);
    EXPECT_EQ(count("SELECT COUNT(*) FROM task_events WHERE kind = 'hook_failed' AND detail LIKE "
                    "'on_complete: gave up after 3 attempts%'"),
              1);
    EXPECT_NE(text("SELECT hook_error FROM tasks WHERE occurrence_key = 'Q||2027-01-01'")
                  .find("on_complete: gave up after 3 attempts"),
              std::string::npos);
}

// "Efter behov, dog mindst årligt": an ad-hoc completion resets the clock.
TEST_F(CycleTest, FromCompletionCadenceResetsOnAdHocCompletion) {
    auto wf = make_workflow("HANDBOOK", "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=1", 30, {0}, 0);
    wf.cadence = Cadence::FromCompletion;
    wf.interval = {Offset::Unit::Months, 12};
    install({wf});
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks"), 1);
    clock.set(copenhagen("2027-02-10T10:00:00"));
    complete("HANDBOOK||2027-06-01"); // revised early, on 10 February
    auto next = task("HANDBOOK||2028-02-10");
    EXPECT_EQ(next.due_date, "2028-03-11");
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks"), 2);
}

// ISMS-REV: once a year and "when business needs or goals change" — a calendar
// and an event trigger in one workflow. The event is an occurrence of its own;
// done, it withdraws the planned one it stands in for (audit: who, why) and the
// next is counted from it, 12 months on.
TEST_F(CycleTest, ACalendarAndAnEventTriggerInOneWorkflow) {
    auto wf = make_workflow("ISMS-REV", "FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=1", 30, {0}, 0);
    wf.cadence = Cadence::FromCompletion;
    wf.interval = {Offset::Unit::Months, 12};
    wf.also = Trigger{Trigger::Kind::Event, "business_change", "", {}};
    install({wf});
    ASSERT_EQ(task("ISMS-REV||2027-05-01").due_date, "2027-05-31");

    clock.set(copenhagen("2027-03-10T10:00:00"));
    auto event = engine.record_event(
        {"business_change", "Ny organisering af IT-driften", clock.now(), "anna", ""});
    ASSERT_TRUE(event.ok()) << event.error().to_string();
    const std::string ad_hoc = "ISMS-REV||event-" + std::to_string(*event);
    EXPECT_EQ(task(ad_hoc).due_date, "2027-04-09");
    EXPECT_EQ(task(ad_hoc).origin, "event");
    EXPECT_FALSE(is_terminal(task("ISMS-REV||2027-05-01").state)); // both are open

    clock.set(copenhagen("2027-03-20T10:00:00"));
    complete(ad_hoc);
    EXPECT_EQ(task("ISMS-REV||2027-05-01").state, TaskState::Cancelled);
    EXPECT_EQ(text("SELECT actor || ': ' || detail FROM task_events WHERE kind = 'withdrawn'"),
              "anna: the ad-hoc occurrence, task " + std::to_string(task(ad_hoc).id) +
                  ", was done; the next is counted from it");
    EXPECT_EQ(task("ISMS-REV||2028-03-20").due_date, "2028-04-19");
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks WHERE state NOT IN ('done', 'cancelled')"), 1);

    // An event of another type starts nothing; a planned completion withdraws nothing.
    ASSERT_TRUE(engine.record_event({"incident", "x", clock.now(), "anna", ""}).ok());
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks WHERE state NOT IN ('done', 'cancelled')"), 1);
    clock.set(copenhagen("2028-03-25T10:00:00"));
    complete("ISMS-REV||2028-03-20");
    EXPECT_EQ(count("SELECT COUNT(*) FROM task_events WHERE kind = 'withdrawn'"), 1);
    EXPECT_EQ(task("ISMS-REV||2029-03-25").due_date, "2029-04-24");
}

// A due date on a closed day rolls forward when the workflow asks; an hour deadline never rolls.
TEST_F(CycleTest, BusinessDayRollForward) {
    auto plain = make_workflow("PLAIN", "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=1", 2, {}, 0);
    auto rolled = make_workflow("ROLLED", "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=1", 2, {}, 0);
    rolled.roll_to_business_day = true;
    clock.set(copenhagen("2028-01-01T00:00:00"));
    install({plain, rolled});
    // 3 June 2028 is a Saturday; 5 June is Grundlovsdag and 2. pinsedag.
    EXPECT_EQ(task("PLAIN||2028-06-01").due_date, "2028-06-03");
    EXPECT_EQ(task("ROLLED||2028-06-01").due_date, "2028-06-06");
}

// The RSI mail: 1st and 15th except July, input due the day before — on Saturdays when the
// mail falls on a Sunday, on 31 July for the 1 August mailing; a roll option moves them.
TEST_F(CycleTest, RsiMail2026DeadlinesTheDayBefore) {
    auto mail = make_workflow(
        "RSI-MAIL", "FREQ=MONTHLY;BYMONTH=1,2,3,4,5,6,8,9,10,11,12;BYMONTHDAY=1,15", -1, {}, 0);
    mail.due = {Offset::Unit::Days, -1};
    clock.set(copenhagen("2025-12-01T00:00:00"));
    install({mail});
    EXPECT_EQ(task("RSI-MAIL||2026-01-01").due_date, "2025-12-31");
    EXPECT_EQ(task("RSI-MAIL||2026-02-01").due_date, "2026-01-31"); // a Saturday
    EXPECT_EQ(task("RSI-MAIL||2026-11-15").due_date, "2026-11-14"); // a Saturday
    EXPECT_EQ(task("RSI-MAIL||2026-08-01").due_date, "2026-07-31"); // inside the excluded month
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks WHERE nominal_date LIKE '2026-07-%'"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks WHERE nominal_date LIKE '2026-%'"), 22);
}

// The RSI mail's workflow option: a deadline on a closed day moves back to the
// business day before, so the input is still in before the mailing.
TEST_F(CycleTest, RsiMailDeadlinesRollBackToTheBusinessDayBefore) {
    auto mail = make_workflow(
        "RSI-MAIL", "FREQ=MONTHLY;BYMONTH=1,2,3,4,5,6,8,9,10,11,12;BYMONTHDAY=1,15", -1, {}, 0);
    mail.due = {Offset::Unit::Days, -1};
    mail.roll_backward = true;
    clock.set(copenhagen("2025-12-01T00:00:00"));
    install({mail});
    EXPECT_EQ(task("RSI-MAIL||2026-02-01").due_date, "2026-01-30"); // Sat 31 Jan -> Fri
    EXPECT_EQ(task("RSI-MAIL||2026-11-15").due_date, "2026-11-13"); // Sat 14 Nov -> Fri
    EXPECT_EQ(task("RSI-MAIL||2026-01-01").due_date, "2025-12-30"); // 31 Dec is closed
    EXPECT_EQ(task("RSI-MAIL||2026-04-15").due_date, "2026-04-14"); // a Tuesday: unchanged
}

// A meeting calendar booked less than six months ahead creates a task for the secretary.
TEST_F(CycleTest, MeetingHorizonCheckAsksForBooking) {
    directory.bodies = {{"isu",
                         "Informationssikkerhedsudvalget",
                         "bo",
                         "carla",
                         {day(2027, 1, 20), day(2027, 3, 10)},
                         ""}};
    auto meet = make_workflow("ISU-MEET", "", -7, {0}, 0);
    meet.trigger = {Trigger::Kind::Meetings, "isu", ""};
    meet.due = {Offset::Unit::Days, -7};
    meet.horizon_check = HorizonCheck{6, {AssigneeRef::Kind::Person, "carla"}};
    install({meet});
    EXPECT_EQ(task("ISU-MEET||2027-03-10").due_date, "2027-03-03"); // agenda a week before
    auto horizon = task("ISU-MEET|horizon|2027-03-10");
    EXPECT_EQ(horizon.assignee, "carla");
    EXPECT_NE(horizon.title.find("2027-03-10"), std::string::npos);
    EXPECT_EQ(horizon.due_date, "2027-01-15");
    // Days later the same task stands, with the deadline it was given.
    clock.set(copenhagen("2027-01-05T09:00:00"));
    ASSERT_TRUE(engine.materialise().ok());
    EXPECT_EQ(task("ISU-MEET|horizon|2027-03-10").due_date, "2027-01-15");
    EXPECT_EQ(count("SELECT COUNT(*) FROM task_events WHERE kind = 'updated'"), 0);
}

// What a control found: a workflow that declares outcomes is completed with
// one; an unknown one, none, or one on a waiver is refused, and nothing is
// written; the outcome is on the task and in its audit event.
TEST_F(CycleTest, OutcomesAreRequiredWhenDeclared) {
    auto review = make_workflow("REVIEW", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1", 30, {}, 0);
    review.outcomes = {OutcomeDef{"ok", {"Ingen bemærkninger", "No remarks"}, std::nullopt},
                       OutcomeDef{"deviation", {"Afvigelse", "Deviation"}, std::nullopt}};
    auto plain = make_workflow("PLAIN", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1", 30, {}, 0);
    clock.set(copenhagen("2027-03-02T10:00:00"));
    install({review, plain});

    const std::string key = "REVIEW||2027-03-01";
    auto missing = engine.complete(key, "anna", "", "", CompletionKind::Done);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().kind, ErrorKind::Invalid);
    EXPECT_EQ(missing.error().field, "outcome");
    EXPECT_NE(missing.error().message.find("needs an outcome: ok or deviation"), std::string::npos)
        << missing.error().message;
    auto unknown = engine.complete(key, "anna", "", "", CompletionKind::Done, "fine");
    ASSERT_FALSE(unknown.ok());
    EXPECT_NE(unknown.error().message.find("unknown outcome 'fine' (ok or deviation)"),
              std::string::npos)
        << unknown.error().message;
    auto on_waiver = engine.complete(key, "anna", "n/a", "", CompletionKind::Waived, "ok");
    ASSERT_FALSE(on_waiver.ok());
    EXPECT_EQ(on_waiver.error().field, "outcome");
    auto on_plain =
        engine.complete("PLAIN||2027-03-01", "anna", "", "", CompletionKind::Done, "ok");
    ASSERT_FALSE(on_plain.ok());
    EXPECT_NE(on_plain.error().message.find("takes no outcome"), std::string::npos);
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks WHERE state IN ('done', 'waived')"), 0);

    auto done = engine.complete(key, "anna", "checked", "", CompletionKind::Done, "ok");
    ASSERT_TRUE(done.ok()) << done.error().to_string();
    EXPECT_EQ(done->outcome, "ok");
    EXPECT_EQ(task(key).outcome, "ok");
    EXPECT_EQ(text("SELECT detail FROM task_events WHERE kind = 'completed'"),
              "outcome: ok | checked");
    // Without an outcome the plain workflow completes as before.
    EXPECT_TRUE(engine.complete("PLAIN||2027-03-01", "anna", "", "", CompletionKind::Done).ok());
}

// A deviation creates its action plan: a task of its own, for the system the
// control looked at, due from the completion, linked to the task that found
// it; done itself without an outcome. "ok" creates none.
TEST_F(CycleTest, ADeviationCreatesItsActionPlan) {
    auto risk = make_workflow("RISK-SYS", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1", 30, {}, 0);
    risk.for_each.kind = ForEach::Kind::Systems;
    risk.assignee = {AssigneeRef::Kind::Role, "system_responsible"};
    risk.outcomes = {OutcomeDef{"ok", {"Ingen bemærkninger", "No remarks"}, std::nullopt},
                     OutcomeDef{"deviation",
                                {"Afvigelse", "Deviation"},
                                FollowUpSpec{"PLAN",
                                             {"Handlingsplan", "Action plan"},
                                             {AssigneeRef::Kind::Role, "system_owner"},
                                             {Offset::Unit::Days, 60}}}};
    clock.set(copenhagen("2027-03-10T10:00:00"));
    install({risk});

    ASSERT_TRUE(
        engine.complete("RISK-SYS|sys-a|2027-03-01", "carla", "", "", CompletionKind::Done, "ok")
            .ok());
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks WHERE origin = 'action_plan'"), 0);

    auto found = engine.complete("RISK-SYS|sys-b|2027-03-01", "bo", "backup untested", "",
                                 CompletionKind::Done, "deviation");
    ASSERT_TRUE(found.ok()) << found.error().to_string();
    const TaskRow plan = task("RISK-SYS|sys-b|2027-03-01/PLAN");
    EXPECT_EQ(plan.origin, "action_plan");
    EXPECT_EQ(plan.parent_task_id, found->id);
    EXPECT_EQ(plan.entity_id, "sys-b");
    EXPECT_EQ(plan.assignee, "carla"); // sys-b's owner
    EXPECT_EQ(plan.title, "Handlingsplan: System B");
    EXPECT_EQ(plan.due_date, "2027-05-09"); // 60 days after 10 March
    EXPECT_EQ(count("SELECT COUNT(*) FROM task_events WHERE kind = 'action_plan' AND task_id = " +
                    std::to_string(found->id)),
              1);
    // The plan is follow-up work, not the control: done without an outcome.
    auto closed = engine.complete(std::to_string(plan.id), "carla", "restore tested", "",
                                  CompletionKind::Done);
    EXPECT_TRUE(closed.ok()) << closed.error().to_string();
}

// NIS 2: only a notification that was sent starts the final report's month.
TEST_F(CycleTest, TheNis2ChainFollowsOnlyTheNotifiedOutcome) {
    auto notif = event_workflow("NIS2-NOT", 72);
    notif.outcomes = {
        OutcomeDef{"notified", {"Sendt", "Sent"}, std::nullopt},
        OutcomeDef{"not_significant", {"Ikke væsentlig", "Not significant"}, std::nullopt}};
    auto fin = make_workflow("NIS2-FIN", "", 0, {7, 0}, 0);
    fin.trigger = {Trigger::Kind::Completion, "NIS2-NOT", "notified"};
    fin.due = {Offset::Unit::Months, 1};
    clock.set(copenhagen("2027-02-01T09:30:00"));
    install({notif, fin});

    auto minor = engine.record_event({"incident", "Phishing", clock.now(), "anna", ""});
    auto major = engine.record_event({"incident", "Ransomware", clock.now(), "anna", ""});
    ASSERT_TRUE(minor.ok() && major.ok());
    clock.set(copenhagen("2027-02-02T12:00:00"));
    auto done = engine.complete("NIS2-NOT||event-" + std::to_string(*minor), "anna", "", "",
                                CompletionKind::Done, "not_significant");
    ASSERT_TRUE(done.ok()) << done.error().to_string();
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks WHERE workflow_id = 'NIS2-FIN'"), 0);

    done = engine.complete("NIS2-NOT||event-" + std::to_string(*major), "anna", "", "",
                           CompletionKind::Done, "notified");
    ASSERT_TRUE(done.ok()) << done.error().to_string();
    ASSERT_TRUE(engine.materialise().ok());
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks WHERE workflow_id = 'NIS2-FIN'"), 1);
    EXPECT_EQ(task("NIS2-FIN||after-" + std::to_string(done->id)).due_date, "2027-03-02");
}

// Triage: GDPR-33 starts on personal data yes or unknown, the NIS 2 clocks on
// significant yes or unknown; every combination starts exactly those.
TEST_F(CycleTest, TriageStartsExactlyTheClocksWhoseFactsHold) {
    auto gdpr = event_workflow("GDPR-33", 72);
    gdpr.trigger.facts.personal_data = {"yes", "unknown"};
    auto early = event_workflow("NIS2-EW", 24);
    early.trigger.facts.significant = {"yes", "unknown"};
    auto notif = event_workflow("NIS2-NOT", 72);
    notif.trigger.facts.significant = {"yes", "unknown"};
    auto internal = event_workflow("INC-INT", 4); // every incident
    clock.set(copenhagen("2027-02-01T09:30:00"));
    install({gdpr, early, notif, internal});

    const std::string answers[] = {"yes", "no", "unknown"};
    for (const auto& personal : answers)
        for (const auto& significant : answers) {
            SCOPED_TRACE("personal_data " + personal + ", significant " + significant);
            EventRecord event{"incident", "Hændelse", clock.now(), "anna", ""};
            event.facts.personal_data = personal;
            event.facts.significant = significant;
            auto id = engine.record_event(event);
            ASSERT_TRUE(id.ok()) << id.error().to_string();
            const std::string key = "|event-" + std::to_string(*id);
            auto started = [&](const std::string& wf) {
                return count("SELECT COUNT(*) FROM tasks WHERE occurrence_key = '" + wf + "|" +
                             key + "'") == 1;
            };
            EXPECT_EQ(started("GDPR-33"), personal != "no");
            EXPECT_EQ(started("NIS2-EW"), significant != "no");
            EXPECT_EQ(started("NIS2-NOT"), significant != "no");
            EXPECT_TRUE(started("INC-INT"));
        }
    EventRecord bad{"incident", "x", clock.now(), "anna", ""};
    bad.facts.significant = "maybe";
    auto refused = engine.record_event(bad);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().field, "significant");
}

// A correction withdraws the clocks that no longer apply (audit: who, why)
// and starts those that now do from the original time of awareness: the 72
// hours still end across the end of summer time as if started then.
TEST_F(CycleTest, ACorrectionWithdrawsAndStartsClocksFromTheOriginalAwareness) {
    auto gdpr = event_workflow("GDPR-33", 72);
    gdpr.trigger.facts.personal_data = {"yes", "unknown"};
    auto notif = event_workflow("NIS2-NOT", 72);
    notif.trigger.facts.significant = {"yes", "unknown"};
    clock.set(copenhagen("2026-10-24T09:30:00"));
    install({gdpr, notif});
    EventRecord event{"incident", "Phishing", copenhagen("2026-10-24T09:00:00"), "anna", ""};
    event.facts.personal_data = "no";
    event.facts.significant = "unknown";
    auto id = engine.record_event(event);
    ASSERT_TRUE(id.ok()) << id.error().to_string();
    const std::string suffix = "||event-" + std::to_string(*id);
    EXPECT_EQ(count("SELECT COUNT(*) FROM tasks WHERE occurrence_key = 'GDPR-33" + suffix + "'"),
              0);
    ASSERT_FALSE(is_terminal(task("NIS2-NOT" + suffix).state));

    // A day later: personal data were affected after all; not significant.
    clock.set(copenhagen("2026-10-25T12:00:00"));
    EventFactsPatch corrected;
    corrected.personal_data = "yes";
    corrected.significant = "no";
    auto outcome = engine.correct_event(*id, {corrected, "anna", "logs show CPR numbers"});
    ASSERT_TRUE(outcome.ok()) << outcome.error().to_string();
    EXPECT_EQ(outcome->withdrawn, 1);
    EXPECT_EQ(outcome->started, 1);
    EXPECT_EQ(task("NIS2-NOT" + suffix).state, TaskState::Cancelled);
    EXPECT_EQ(text("SELECT actor || ': ' || detail FROM task_events WHERE kind = 'withdrawn'"),
              "anna: significant is no, the clock needs yes or unknown: logs show CPR numbers");
    const TaskRow breach = task("GDPR-33" + suffix);
    EXPECT_EQ(breach.start_at, to_unix(copenhagen("2026-10-24T09:00:00")));
    EXPECT_EQ(breach.due_at, to_unix(*parse_instant("2026-10-27T08:00:00+01:00")));

    // Only the facts a correction names change: personal data back to
    // unknown keeps significant at no, and GDPR-33 (which unknown still
    // starts) stays as it is.
    clock.set(copenhagen("2026-10-25T13:00:00"));
    EventFactsPatch unsure;
    unsure.personal_data = "unknown";
    auto again = engine.correct_event(*id, {unsure, "anna", "the CPR numbers were test data"});
    ASSERT_TRUE(again.ok()) << again.error().to_string();
    EXPECT_EQ(again->facts.significant, "no");
    EXPECT_EQ(again->facts.personal_data, "unknown");
    EXPECT_EQ(again->withdrawn, 0);
    EXPECT_EQ(again->started, 0);
    EXPECT_EQ(text("SELECT significant || ' ' || personal_data FROM events"), "no unknown");
    EXPECT_FALSE(is_terminal(task("GDPR-33" + suffix).state));

    // A correction needs a reason, a person from the directory and a fact.
    auto nothing = engine.correct_event(*id, {EventFactsPatch{}, "anna", "x"});
    ASSERT_FALSE(nothing.ok());
    EXPECT_EQ(nothing.error().field, "facts");
    EXPECT_FALSE(engine.correct_event(*id, {corrected, "anna", ""}).ok());
    EXPECT_FALSE(engine.correct_event(*id, {corrected, "nobody", "x"}).ok());
    auto unknown = engine.correct_event(9999, {corrected, "anna", "x"});
    ASSERT_FALSE(unknown.ok());
    EXPECT_EQ(unknown.error().kind, ErrorKind::NotFound);
}

// A new supplier's data processing agreement goes to the responsible of each
// system the supplier processes data for, or of the system the event names;
// an event naming neither is refused, since the duty is per system.
TEST_F(CycleTest, ANewSupplierGoesToItsSystemsResponsible) {
    directory.processors = {{"acme", "Acme A/S", {"sys-b"}, "high", "anna"}};
    auto dpa = make_workflow("DPA-NEW", "", 30, {}, 0);
    dpa.trigger = {Trigger::Kind::Event, "new_supplier", ""};
    dpa.for_each.kind = ForEach::Kind::Systems;
    dpa.assignee = {AssigneeRef::Kind::Role, "system_responsible"};
    clock.set(copenhagen("2027-02-01T09:30:00"));
    install({dpa});

    EventRecord supplier{"new_supplier", "Acme", clock.now(), "anna", ""};
    supplier.facts.supplier = "acme";
    auto by_supplier = engine.record_event(supplier);
    ASSERT_TRUE(by_supplier.ok()) << by_supplier.error().to_string();
    const auto tasks = column_texts(db, "SELECT occurrence_key || ' ' || assignee FROM tasks WHERE "
                                        "workflow_id = 'DPA-NEW' ORDER BY id");
    ASSERT_EQ(tasks.size(), 1u);
    EXPECT_EQ(tasks[0], "DPA-NEW|sys-b|event-" + std::to_string(*by_supplier) + " bo");

    EventRecord system{"new_supplier", "Cloud", clock.now(), "anna", ""};
    system.facts.systems = {"sys-a"};
    auto by_system = engine.record_event(system);
    ASSERT_TRUE(by_system.ok()) << by_system.error().to_string();
    EXPECT_EQ(task("DPA-NEW|sys-a|event-" + std::to_string(*by_system)).assignee, "carla");

    auto neither = engine.record_event({"new_supplier", "?", clock.now(), "anna", ""});
    ASSERT_FALSE(neither.ok());
    EXPECT_EQ(neither.error().field, "systems");
    EventRecord stranger{"new_supplier", "?", clock.now(), "anna", ""};
    stranger.facts.supplier = "nobody-inc";
    EXPECT_FALSE(engine.record_event(stranger).ok());
}

} // namespace
} // namespace aarshjul

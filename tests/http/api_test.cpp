// SPDX-License-Identifier: MPL-2.0
#include "app/status.h"
#include "http/router.h"
#include "http_fixture.h"
#include "store/sqlite/sqlite_store.h"
#include "support/engine_fixture.h"

#include <fstream>
#include <thread>

namespace aarshjul::testing {
namespace {

using Api = ApiFixture;

// /healthz and /metrics answer without a token.
TEST_F(Api, HealthAndMetricsAreOpen) {
    auto health = get("/healthz", "");
    ASSERT_EQ(health.status, 200) << health.body;
    EXPECT_EQ(json(health).at("status").as_string(), "ok");

    auto metrics = get("/metrics", "");
    ASSERT_EQ(metrics.status, 200);
    EXPECT_NE(metrics.headers["content-type"].find("text/plain"), std::string::npos);
    EXPECT_NE(metrics.body.find("aarshjul_tasks{workflow=\"RISK-SYS\",state=\"escalated\"}"),
              std::string::npos)
        << metrics.body;
    EXPECT_NE(metrics.body.find("aarshjul_last_tick_timestamp_seconds " +
                                std::to_string(to_unix(clock.now()))),
              std::string::npos)
        << metrics.body;
    EXPECT_NE(metrics.body.find("# TYPE aarshjul_outbox_depth gauge"), std::string::npos);
}

// Without a token, or with a wrong one, the API answers 401 in JSON with a
// WWW-Authenticate challenge; a valid token gets through.
TEST_F(Api, TokensAreRequired) {
    auto none = get("/api/v1/status", "");
    EXPECT_EQ(none.status, 401);
    EXPECT_EQ(none.headers["www-authenticate"], "Bearer realm=\"aarshjul\"");
    EXPECT_EQ(json(none).at("error").at("code").as_string(), "unauthorized");
    EXPECT_EQ(get("/api/v1/status", "not-a-token").status, 401);
    auto basic = http_request(port, "GET", "/api/v1/status", {}, {"Authorization: Basic eDp5"});
    EXPECT_EQ(basic.status, 401);
    EXPECT_EQ(get("/api/v1/status").status, 200);
}

// A role below the route's gets 403: a viewer cannot complete, an owner cannot
// waive, a coordinator cannot reload.
TEST_F(Api, RolesAreEnforced) {
    const auto id = std::to_string(task_in("RISK-SYS", "escalated"));
    auto viewer = post("/api/v1/tasks/" + id + "/complete", "{}", kViewerToken);
    EXPECT_EQ(viewer.status, 403) << viewer.body;
    auto owner = post("/api/v1/tasks/" + id + "/waive", R"({"reason":"x"})", kOwnerToken);
    EXPECT_EQ(owner.status, 403) << owner.body;
    EXPECT_EQ(post("/api/v1/workflows/reload", "{}", kCoordinatorToken).status, 403);
}

// Repeated failed token checks from one address get 429 with Retry-After,
// even for a valid token, until the block expires.
TEST_F(Api, RepeatedAuthFailuresAreThrottled) {
    for (int i = 0; i < setup->config.http_auth_failures; ++i)
        EXPECT_EQ(get("/api/v1/status", "guess-" + std::to_string(i)).status, 401);
    auto blocked = get("/api/v1/status");
    EXPECT_EQ(blocked.status, 429) << blocked.body;
    EXPECT_EQ(blocked.headers["retry-after"],
              std::to_string(setup->config.http_auth_block_seconds));
    EXPECT_EQ(get("/healthz", "").status, 200); // open routes still answer
    clock.advance(std::chrono::seconds{setup->config.http_auth_block_seconds + 1});
    EXPECT_EQ(get("/api/v1/status").status, 200);
}

// The status overview has the overall and per-workflow counts and the next
// deadlines, and agrees with read_status (what the CLI prints).
TEST_F(Api, StatusOverview) {
    auto reply = get("/api/v1/status");
    ASSERT_EQ(reply.status, 200) << reply.body;
    auto body = json(reply).as_object();
    EXPECT_EQ(body.at("today").as_string(), "2027-04-15");
    const auto& overall = body.at("overall").as_object();
    EXPECT_EQ(overall.at("verdict").as_string(), "behind");
    StatusReport direct;
    on_loop([&] { direct = *read_status(SqliteStore(*db).queries(), setup->zone, clock.now()); });
    EXPECT_EQ(overall.at("overdue").as_int64(), direct.total.overdue);
    EXPECT_GT(direct.total.overdue, 10); // one risk assessment per system
    EXPECT_EQ(overall.at("due_soon").as_int64(), direct.total.due_soon);
    bool qstat_due_soon = false;
    for (const auto& wf : body.at("workflows").as_array())
        if (wf.at("workflow").as_string() == "ISU-QSTAT")
            qstat_due_soon = wf.at("due_soon").as_int64() == 1;
    EXPECT_TRUE(qstat_due_soon) << reply.body;
    EXPECT_FALSE(body.at("next_deadlines").as_array().empty());
    EXPECT_EQ(body.at("overdue").as_array().size(), static_cast<std::size_t>(direct.total.overdue));
}

// The status answer is cached, and the cache follows everything the answer
// depends on: a completion through the API, a commit on another connection
// (as the delivery worker makes), the due_soon_days option and a new local day.
TEST_F(Api, StatusCacheFollowsEveryChange) {
    auto status = [&](const std::string& query = "") {
        auto reply = get("/api/v1/status" + query);
        EXPECT_EQ(reply.status, 200) << reply.body;
        return json(reply).as_object();
    };
    auto overall = [&](const std::string& key) {
        return status().at("overall").at(key).as_int64();
    };
    const auto first = get("/api/v1/status");
    EXPECT_EQ(get("/api/v1/status").body, first.body);

    const auto done_before = overall("done_this_cycle");
    const auto id = std::to_string(task_in("RISK-SYS", "escalated"));
    ASSERT_EQ(post("/api/v1/tasks/" + id + "/complete", R"({"by":"carla.holm"})").status, 200);
    EXPECT_EQ(overall("done_this_cycle"), done_before + 1);

    // Another connection to the same file commits: data_version moves.
    const auto waived_before = overall("waived_this_cycle");
    {
        auto other = Database::open(setup->config.database);
        ASSERT_TRUE(other.ok()) << other.error().to_string();
        const auto victim = task_in("RISK-SYS", "escalated");
        auto update =
            other->prepare("UPDATE tasks SET state = 'waived', completed_at = ?2 WHERE id = ?1");
        ASSERT_TRUE(update.ok());
        update->bind_all(victim, to_unix(clock.now()));
        ASSERT_TRUE(update->step().ok());
    }
    EXPECT_EQ(overall("waived_this_cycle"), waived_before + 1);

    EXPECT_EQ(status("?due_soon_days=0").at("due_soon_days").as_int64(), 0);
    EXPECT_EQ(status().at("due_soon_days").as_int64(), 14);

    EXPECT_EQ(status().at("today").as_string(), "2027-04-15");
    clock.set(copenhagen("2027-04-16T09:00:00"));
    EXPECT_EQ(status().at("today").as_string(), "2027-04-16");
}

// The status handler's read of PRAGMA data_version serves the requests the
// server had received before that read, and only those: a commit on another
// connection is seen by every request received after it.
TEST_F(Api, StatusDataVersionServesOnlyEarlierRequests) {
    auto waived_in = [&](std::chrono::steady_clock::time_point received) {
        http::Request request;
        request.method = "GET";
        request.target = "/api/v1/status";
        request.headers["authorization"] = "Bearer " + kViewerToken;
        request.remote = "127.0.0.1";
        request.received = received;
        auto reply = http::handle(std::move(request), *context);
        const auto& response = std::get<http::Response>(reply);
        EXPECT_EQ(response.status, 200);
        return boost::json::parse(response.content())
            .at("overall")
            .at("waived_this_cycle")
            .as_int64();
    };
    const auto victim = task_in("RISK-SYS", "escalated");
    auto other = Database::open(setup->config.database);
    ASSERT_TRUE(other.ok()) << other.error().to_string();
    on_loop([&] {
        const auto early = std::chrono::steady_clock::now();
        const auto before = waived_in(early); // reads data_version
        auto update =
            other->prepare("UPDATE tasks SET state = 'waived', completed_at = ?2 WHERE id = ?1");
        ASSERT_TRUE(update.ok());
        update->bind_all(victim, to_unix(clock.now()));
        ASSERT_TRUE(update->step().ok());
        // Received before the read: the read stands for it.
        EXPECT_EQ(waived_in(early), before);
        // Received after the commit: it reads again and sees the commit.
        EXPECT_EQ(waived_in(std::chrono::steady_clock::now()), before + 1);
    });
}

// Filters combine, and pagination walks the same ordered list.
TEST_F(Api, TaskListFiltersAndPages) {
    auto all = json(get("/api/v1/tasks?workflow=RISK-SYS&state=escalated&limit=500")).as_object();
    const auto total = all.at("total").as_int64();
    ASSERT_GT(total, 3);
    for (const auto& t : all.at("tasks").as_array()) {
        EXPECT_EQ(t.at("workflow").as_string(), "RISK-SYS");
        EXPECT_EQ(t.at("state").as_string(), "escalated");
    }
    auto first = json(get("/api/v1/tasks?workflow=RISK-SYS&state=escalated&limit=2")).as_object();
    auto second =
        json(get("/api/v1/tasks?workflow=RISK-SYS&state=escalated&limit=2&offset=2")).as_object();
    EXPECT_EQ(first.at("total").as_int64(), total);
    ASSERT_EQ(first.at("tasks").as_array().size(), 2u);
    ASSERT_EQ(second.at("tasks").as_array().size(), 2u);
    EXPECT_EQ(second.at("tasks").as_array()[0].at("id"), all.at("tasks").as_array()[2].at("id"));

    auto carla = json(get("/api/v1/tasks?assignee=carla.holm&limit=500")).as_object();
    ASSERT_GT(carla.at("total").as_int64(), 0);
    for (const auto& t : carla.at("tasks").as_array())
        EXPECT_EQ(t.at("assignee").as_string(), "carla.holm");

    auto april = json(get("/api/v1/tasks?due_from=2027-04-01&due_to=2027-04-30&state=open,due,"
                          "scheduled"))
                     .as_object();
    for (const auto& t : april.at("tasks").as_array()) {
        EXPECT_GE(std::string(t.at("due").as_string()), "2027-04-01");
        EXPECT_LE(std::string(t.at("due").as_string()), "2027-04-30");
    }
    const auto& system_task = all.at("tasks").as_array()[0];
    auto by_system =
        json(get("/api/v1/tasks?system=" + std::string(system_task.at("system").as_string())))
            .as_object();
    EXPECT_GE(by_system.at("total").as_int64(), 1);
    EXPECT_EQ(get("/api/v1/tasks?due_from=yesterday").status, 400);
    EXPECT_EQ(get("/api/v1/tasks?limit=0").status, 400);
    EXPECT_EQ(get("/api/v1/tasks?limit=100000").status, 400);
}

// One task by number or by its (percent-encoded) occurrence key, with its history.
TEST_F(Api, TaskWithHistory) {
    const auto id = task_in("RISK-SYS", "escalated");
    auto reply = get("/api/v1/tasks/" + std::to_string(id));
    ASSERT_EQ(reply.status, 200) << reply.body;
    auto task = json(reply).as_object();
    const auto& history = task.at("history").as_array();
    ASSERT_GE(history.size(), 2u);
    EXPECT_EQ(history[0].at("kind").as_string(), "created");
    bool escalated = false;
    for (const auto& e : history)
        escalated = escalated || e.at("kind").as_string() == "escalated";
    EXPECT_TRUE(escalated) << reply.body;
    std::string key(task.at("key").as_string());
    std::string encoded;
    for (char c : key)
        encoded += c == '|' ? std::string("%7C") : std::string(1, c);
    auto by_key = get("/api/v1/tasks/" + encoded);
    ASSERT_EQ(by_key.status, 200) << by_key.body;
    EXPECT_EQ(json(by_key).at("id").as_int64(), id);
    EXPECT_EQ(get("/api/v1/tasks/999999").status, 404);
}

// An owner completes their own task with a note and evidence; completing it
// again is 409; the scheduler is told to re-arm.
TEST_F(Api, OwnerCompletesOwnTask) {
    int changed = 0;
    context->changed = [&] { ++changed; };
    auto mine = json(get("/api/v1/tasks?assignee=carla.holm&state=escalated&limit=1"))
                    .at("tasks")
                    .as_array();
    ASSERT_FALSE(mine.empty());
    const auto id = std::to_string(mine[0].at("id").as_int64());
    auto done = post("/api/v1/tasks/" + id + "/complete",
                     R"({"note":"Gennemført på mødet","evidence":"https://esdh.example/sag/42"})",
                     kOwnerToken);
    ASSERT_EQ(done.status, 200) << done.body;
    auto task = json(done).as_object();
    EXPECT_EQ(task.at("state").as_string(), "done");
    EXPECT_EQ(task.at("completed_by").as_string(), "carla.holm");
    EXPECT_EQ(task.at("evidence").as_string(), "https://esdh.example/sag/42");
    EXPECT_EQ(changed, 1);
    auto again = post("/api/v1/tasks/" + id + "/complete", "{}", kOwnerToken);
    EXPECT_EQ(again.status, 409) << again.body;
    EXPECT_EQ(changed, 1);
}

// An owner may not complete someone else's task or act for another person;
// evidence must be a link or a document reference.
TEST_F(Api, CompletionIsChecked) {
    auto others = json(get("/api/v1/tasks?assignee=anna.jensen&limit=1")).at("tasks").as_array();
    ASSERT_FALSE(others.empty());
    const auto other = std::to_string(others[0].at("id").as_int64());
    EXPECT_EQ(post("/api/v1/tasks/" + other + "/complete", "{}", kOwnerToken).status, 403);
    const auto id = std::to_string(task_in("RISK-SYS", "escalated"));
    EXPECT_EQ(
        post("/api/v1/tasks/" + id + "/complete", R"({"by":"anna.jensen"})", kOwnerToken).status,
        403);
    EXPECT_EQ(
        post("/api/v1/tasks/" + id + "/complete", R"j({"evidence":"javascript:alert(1)"})j").status,
        422);
    EXPECT_EQ(post("/api/v1/tasks/" + id + "/complete", R"({"note":42})").status, 400);
    EXPECT_EQ(post("/api/v1/tasks/" + id + "/complete", R"({"by":"nobody"})").status, 422);
    EXPECT_EQ(post("/api/v1/tasks/424242/complete", "{}").status, 404);
    // A case reference of the records system is evidence too.
    auto done = post("/api/v1/tasks/" + id + "/complete",
                     R"({"by":"carla.holm","evidence":"27.00.00-G01-12-27"})");
    ASSERT_EQ(done.status, 200) << done.body;
    EXPECT_EQ(json(done).at("completed_by").as_string(), "carla.holm");
}

// A coordinator waives with a reason; without one it is refused.
TEST_F(Api, CoordinatorWaives) {
    const auto id = std::to_string(task_in("RISK-SYS", "escalated"));
    EXPECT_EQ(post("/api/v1/tasks/" + id + "/waive", "{}").status, 422);
    auto waived = post("/api/v1/tasks/" + id + "/waive", R"({"reason":"Systemet er udfaset"})");
    ASSERT_EQ(waived.status, 200) << waived.body;
    EXPECT_EQ(json(waived).at("state").as_string(), "waived");
    EXPECT_EQ(json(waived).at("note").as_string(), "Systemet er udfaset");
    auto history = json(get("/api/v1/tasks/" + id)).at("history").as_array();
    EXPECT_EQ(history.back().at("kind").as_string(), "waived");
}

// The loaded workflows are listed with their triggers.
TEST_F(Api, WorkflowsAreListed) {
    auto reply = get("/api/v1/workflows");
    ASSERT_EQ(reply.status, 200);
    std::map<std::string, std::string> triggers;
    const auto body = json(reply);
    for (const auto& wf : body.at("workflows").as_array())
        triggers[std::string(wf.at("id").as_string())] = wf.at("trigger").as_string();
    EXPECT_EQ(triggers["RISK-SYS"], "calendar");
    EXPECT_EQ(triggers["INC-INT"], "event");
    EXPECT_EQ(triggers.size(), 8u);
}

// A reload with a broken workflow is refused with file:line errors and the
// running set stays; a fixed set is installed.
TEST_F(Api, ReloadRefusesABrokenSet) {
    const auto broken = workflows / "broken.lua";
    std::ofstream(broken) << "workflow {\n  id = \"BROKEN\",\n  titel = \"x\",\n}\n";
    auto refused = post("/api/v1/workflows/reload", "{}", kAdminToken);
    ASSERT_EQ(refused.status, 422) << refused.body;
    const auto errors = json(refused).at("errors").as_array();
    ASSERT_FALSE(errors.empty());
    EXPECT_NE(std::string(errors[0].as_string()).find(broken.string() + ":"), std::string::npos)
        << refused.body;
    EXPECT_EQ(json(get("/api/v1/workflows")).at("workflows").as_array().size(), 8u);

    std::filesystem::remove(broken);
    std::filesystem::remove(workflows / "incident.lua");
    auto ok = post("/api/v1/workflows/reload", "{}", kAdminToken);
    ASSERT_EQ(ok.status, 200) << ok.body;
    EXPECT_EQ(json(ok).at("workflows").as_int64(), 3);
    EXPECT_EQ(json(get("/api/v1/workflows")).at("workflows").as_array().size(), 3u);
}

// A reload is evaluated off the server's thread: while the sandbox stops a
// runaway workflow file, /healthz is answered, and a second reload is refused
// at once with 409 (one at a time); the first then reports the refusal.
TEST_F(Api, ReloadRunsOffTheLoopOneAtATime) {
    std::ofstream(workflows / "zz-runaway.lua") << "while true do end\n";
    auto running = [&] {
        bool yes = false;
        on_loop([&] { yes = reloader->running(); });
        return yes;
    };
    HttpReply first;
    std::thread reload([&] { first = post("/api/v1/workflows/reload", "{}", kAdminToken); });
    bool started = false;
    for (int i = 0; i < 5000 && !(started = running()); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds{1});
    const auto health = get("/healthz", "");
    const auto second = post("/api/v1/workflows/reload", "{}", kAdminToken);
    const bool still_running = running();
    reload.join();

    ASSERT_TRUE(started) << "the reload did not run while its request was waiting";
    EXPECT_TRUE(still_running) << "the evaluation ended before the checks above";
    EXPECT_EQ(health.status, 200);
    ASSERT_EQ(second.status, 409) << second.body;
    EXPECT_EQ(json(second).at("error").at("code").as_string(), "reload_running");
    EXPECT_EQ(second.headers.at("retry-after"), "1");
    ASSERT_EQ(first.status, 422) << first.body;
    EXPECT_NE(first.body.find("zz-runaway.lua"), std::string::npos) << first.body;
    EXPECT_EQ(json(get("/api/v1/workflows")).at("workflows").as_array().size(), 8u);
}

// Reporting an incident creates the tasks of the workflows it triggers.
TEST_F(Api, EventCreatesTasks) {
    auto reply = post("/api/v1/events",
                      R"({"type":"incident","title":"Ransomware på filserver",)"
                      R"("at":"2027-04-15T08:30:00+02:00","detail":"Krypterede drev"})",
                      kOwnerToken);
    ASSERT_EQ(reply.status, 201) << reply.body;
    auto body = json(reply).as_object();
    std::set<std::string> workflows_hit;
    for (const auto& t : body.at("tasks").as_array())
        workflows_hit.insert(std::string(t.at("workflow").as_string()));
    EXPECT_TRUE(workflows_hit.count("INC-INT")) << reply.body;
    EXPECT_TRUE(workflows_hit.count("NIS2-EW")) << reply.body;
    EXPECT_EQ(body.at("at").as_string(), "2027-04-15T08:30:00+02:00");

    EXPECT_EQ(post("/api/v1/events", R"({"type":"meteor","title":"x"})", kOwnerToken).status, 422);
    EXPECT_EQ(post("/api/v1/events", R"({"type":"incident"})", kOwnerToken).status, 422);
    EXPECT_EQ(post("/api/v1/events", R"({"type":"incident","title":"x","at":"soon"})", kOwnerToken)
                  .status,
              422);
    EXPECT_EQ(post("/api/v1/events", R"({"type":"incident","title":"x"})", kViewerToken).status,
              403);
    // The admin token names no person: it must say who reports.
    EXPECT_EQ(post("/api/v1/events", R"({"type":"incident","title":"x"})", kAdminToken).status,
              422);
}

// A correction of an event's facts changes what it names and keeps the rest;
// it needs a reason and at least one fact.
TEST_F(Api, EventFactsCorrectOnlyWhatTheyName) {
    auto reply = post("/api/v1/events",
                      R"({"type":"incident","title":"Phishing","personal_data":"no",)"
                      R"("significant":"yes"})",
                      kOwnerToken);
    ASSERT_EQ(reply.status, 201) << reply.body;
    const std::string facts =
        "/api/v1/events/" + std::to_string(json(reply).at("event").as_int64()) + "/facts";
    auto corrected = post(facts, R"({"personal_data":"yes","reason":"CPR-numre i loggen"})");
    ASSERT_EQ(corrected.status, 200) << corrected.body;
    const auto body = json(corrected);
    const auto& now = body.at("facts");
    EXPECT_EQ(now.at("personal_data").as_string(), "yes");
    EXPECT_EQ(now.at("significant").as_string(), "yes"); // not named: kept

    EXPECT_EQ(post(facts, R"({"reason":"nothing named"})").status, 422);
    EXPECT_EQ(post(facts, R"({"personal_data":"no"})").status, 422); // no reason
    EXPECT_EQ(post(facts, R"({"significant":"maybe","reason":"x"})").status, 422);
    EXPECT_EQ(post(facts, R"({"personal_data":"no","reason":"x"})", kViewerToken).status, 403);
    EXPECT_EQ(post("/api/v1/events/9999/facts", R"({"personal_data":"no","reason":"x"})").status,
              404);
}

// Unknown paths are 404 and a known path with the wrong method is 405 with Allow.
TEST_F(Api, UnknownRoutesAndMethods) {
    EXPECT_EQ(get("/api/v2/status").status, 404);
    auto wrong = http_request(port, "DELETE", "/api/v1/tasks/1", {},
                              {"Authorization: Bearer " + kAdminToken});
    EXPECT_EQ(wrong.status, 405);
    EXPECT_EQ(wrong.headers["allow"], "GET");
    EXPECT_EQ(http_request(port, "HEAD", "/healthz").status, 200);
}

} // namespace
} // namespace aarshjul::testing

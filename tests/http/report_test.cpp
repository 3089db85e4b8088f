// SPDX-License-Identifier: MPL-2.0
#include "http_fixture.h"

namespace aarshjul::testing {
namespace {

using Report = ApiFixture;

// The quarterly report has the status per control, the overdue tasks with
// their owners and days late, and the completions with their evidence.
TEST_F(Report, QuarterHasControlsOverdueAndCompletions) {
    auto mine = json(get("/api/v1/tasks?assignee=carla.holm&state=escalated&limit=1"));
    const auto id = mine.at("tasks").as_array()[0].at("id").as_int64();
    ASSERT_EQ(post("/api/v1/tasks/" + std::to_string(id) + "/complete",
                   R"({"note":"Vurderet","evidence":"https://esdh.example/sag/7"})", kOwnerToken)
                  .status,
              200);

    auto q1 = get("/api/v1/report?quarter=2027Q1");
    ASSERT_EQ(q1.status, 200) << q1.body;
    auto r1 = json(q1).as_object();
    EXPECT_EQ(r1.at("from").as_string(), "2027-01-01");
    EXPECT_EQ(r1.at("to").as_string(), "2027-03-31");
    bool risk_behind = false;
    for (const auto& c : r1.at("controls").as_array())
        if (c.at("workflow").as_string() == "RISK-SYS")
            risk_behind = c.at("status").as_string() == "behind" && c.at("done").as_int64() == 1;
    EXPECT_TRUE(risk_behind) << q1.body;
    ASSERT_FALSE(r1.at("overdue").as_array().empty());
    int risk_late = 0;
    for (const auto& v : r1.at("overdue").as_array()) {
        const auto& late = v.as_object();
        EXPECT_FALSE(late.at("assignee_name").as_string().empty());
        if (late.at("workflow").as_string() != "RISK-SYS")
            continue;
        ++risk_late;
        EXPECT_EQ(late.at("due").as_string(), "2027-03-31");
        EXPECT_EQ(late.at("days_late").as_int64(), 15); // 31 March to 15 April
    }
    EXPECT_GT(risk_late, 10);

    // Completed on 15 April: a completion of the second quarter.
    auto r2 = json(get("/api/v1/report?quarter=2027Q2")).as_object();
    const auto& done = r2.at("completions").as_array();
    ASSERT_EQ(done.size(), 1u);
    EXPECT_EQ(done[0].at("evidence").as_string(), "https://esdh.example/sag/7");
    EXPECT_EQ(done[0].at("by_name").as_string(), "Carla Holm");
    EXPECT_FALSE(r2.at("escalations").as_array().empty());

    EXPECT_EQ(get("/api/v1/report?quarter=2027Q5").status, 400);
    EXPECT_EQ(get("/api/v1/report?quarter=Q1").status, 400);
}

// The HTML report is print-ready and bilingual, with evidence as links.
TEST_F(Report, HtmlIsPrintReady) {
    auto mine = json(get("/api/v1/tasks?assignee=carla.holm&state=escalated&limit=1"));
    const auto id = mine.at("tasks").as_array()[0].at("id").as_int64();
    post("/api/v1/tasks/" + std::to_string(id) + "/complete",
         R"({"evidence":"https://esdh.example/sag?id=7&v=2"})", kOwnerToken);
    auto da = get("/api/v1/report?quarter=2027Q2&format=html");
    ASSERT_EQ(da.status, 200);
    EXPECT_NE(da.headers["content-type"].find("text/html"), std::string::npos);
    EXPECT_NE(da.body.find("Kvartalsrapport 2027Q2"), std::string::npos);
    EXPECT_NE(da.body.find("@media print"), std::string::npos);
    EXPECT_NE(da.body.find("Overskredne opgaver"), std::string::npos);
    EXPECT_NE(da.body.find("href=\"https://esdh.example/sag?id=7&amp;v=2\""), std::string::npos)
        << da.body;
    auto en = http_request(port, "GET", "/api/v1/report?quarter=2027Q2&lang=en", {},
                           {"Accept: text/html", "Authorization: Bearer " + kViewerToken});
    EXPECT_NE(en.body.find("Quarterly report 2027Q2"), std::string::npos);
}

// A snapshot frozen for a meeting gives the same answer later, whatever
// happened since; freezing again keeps the first.
TEST_F(Report, FrozenSnapshotStaysTheSame) {
    auto frozen =
        post("/api/v1/report/snapshots", R"({"quarter":"2027Q2","meeting":"2027-06-03"})");
    ASSERT_EQ(frozen.status, 201) << frozen.body;
    EXPECT_EQ(json(frozen).at("frozen").as_bool(), true);
    auto first = get("/api/v1/report?quarter=2027Q2&meeting=2027-06-03");
    ASSERT_EQ(first.status, 200) << first.body;

    // Things change: a task is completed and time passes.
    const auto id = task_in("RISK-SYS", "escalated");
    ASSERT_EQ(
        post("/api/v1/tasks/" + std::to_string(id) + "/complete", R"({"by":"anna.jensen"})").status,
        200);
    clock.advance(std::chrono::hours{24 * 30});
    auto later = get("/api/v1/report?quarter=2027Q2&meeting=2027-06-03");
    EXPECT_EQ(later.body, first.body);
    auto live = get("/api/v1/report?quarter=2027Q2");
    EXPECT_NE(live.body, first.body);
    EXPECT_EQ(json(live).at("completions").as_array().size(), 1u);
    EXPECT_EQ(json(later).at("completions").as_array().size(), 0u);

    auto again = post("/api/v1/report/snapshots", R"({"quarter":"2027Q2","meeting":"2027-06-03"})");
    EXPECT_EQ(again.status, 200);
    EXPECT_EQ(get("/api/v1/report?quarter=2027Q2&meeting=2027-06-03").body, first.body);
    auto html = get("/api/v1/report?quarter=2027Q2&meeting=2027-06-03&format=html");
    EXPECT_NE(html.body.find("Fastfrosset til mødet 2027-06-03"), std::string::npos);

    auto list = json(get("/api/v1/report/snapshots"));
    ASSERT_EQ(list.at("snapshots").as_array().size(), 1u);
    EXPECT_EQ(list.at("snapshots").as_array()[0].at("frozen_by").as_string(), "anna");
    EXPECT_EQ(get("/api/v1/report?quarter=2027Q2&meeting=2027-09-02").status, 404);
    EXPECT_EQ(post("/api/v1/report/snapshots", R"({"quarter":"2027Q2"})").status, 422);
    EXPECT_EQ(post("/api/v1/report/snapshots", R"({"quarter":"2027Q2","meeting":"2027-06-03"})",
                   kViewerToken)
                  .status,
              403);
}

} // namespace
} // namespace aarshjul::testing

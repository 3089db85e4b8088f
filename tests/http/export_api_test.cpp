// SPDX-License-Identifier: MPL-2.0
#include "http_fixture.h"

#include <map>

namespace aarshjul::testing {
namespace {

constexpr const char* kXlsxType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

struct Export : ApiFixture {
    // Every task of 2027 that is not cancelled, as /api/v1/tasks lists them.
    boost::json::array tasks_of_2027() {
        auto tasks = json(get("/api/v1/tasks?due_from=2027-01-01&due_to=2027-12-31&limit=500&"
                              "state=scheduled,open,due,overdue,escalated,done,waived"));
        EXPECT_EQ(tasks.at("total").as_int64(),
                  static_cast<std::int64_t>(tasks.at("tasks").as_array().size()));
        return tasks.at("tasks").as_array();
    }
};

// The JSON export's rows are /api/v1/tasks' tasks of 2027, in the same
// order, each with its control, due date, responsible and a link to its page
// under the configured public URL; a waived task with its reason.
TEST_F(Export, JsonRowsAreTheTasksOfTheYear) {
    const std::int64_t waived = task_in("RISK-SYS", "escalated");
    ASSERT_EQ(post("/api/v1/tasks/" + std::to_string(waived) + "/waive", R"({"reason":"Udfases"})")
                  .status,
              200);
    auto reply = get("/api/v1/export?year=2027&format=json");
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(reply.headers["content-type"], "application/json");
    const auto body = json(reply);
    EXPECT_EQ(body.at("organisation"), "Testkommune");
    EXPECT_EQ(body.at("year"), 2027);
    const auto& rows = body.at("rows").as_array();
    const auto tasks = tasks_of_2027();
    ASSERT_GT(tasks.size(), 20u);
    ASSERT_EQ(rows.size(), tasks.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& row = rows[i].as_object();
        const auto& task = tasks[i].as_object();
        const auto id = task.at("id").as_int64();
        EXPECT_EQ(row.at("task").as_int64(), id) << i;
        EXPECT_EQ(row.at("control"), task.at("workflow")) << id;
        EXPECT_EQ(row.at("due"), task.at("due")) << id;
        EXPECT_EQ(row.at("responsible_id"), task.at("assignee")) << id;
        EXPECT_EQ(row.at("responsible"), task.at("assignee_name")) << id;
        EXPECT_EQ(row.at("system"), task.at("system")) << id;
        EXPECT_EQ(row.at("link").as_string(), "http://aarshjul.test/tasks/" + std::to_string(id));
        if (id == waived) {
            EXPECT_EQ(row.at("state"), "fritaget");
            EXPECT_EQ(row.at("waived_reason"), "Udfases");
            EXPECT_TRUE(row.at("note").is_null());
            EXPECT_EQ(row.at("completed_at"), task.at("completed_at"));
            EXPECT_EQ(row.at("completed_by_id"), "anna.jensen");
        }
    }
}

// The workbook comes as an attachment named for the year, with the
// spreadsheet's media type; English and the filters are accepted.
TEST_F(Export, XlsxIsAnAttachment) {
    auto reply = get("/api/v1/export?year=2027&format=xlsx&language=en&group=risk");
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(reply.headers["content-type"], kXlsxType);
    EXPECT_EQ(reply.headers["content-disposition"], "attachment; filename=\"aarshjul-2027.xlsx\"");
    EXPECT_TRUE(reply.body.starts_with("PK\x03\x04"));
    // No format means the workbook.
    auto plain = get("/api/v1/export?year=2027");
    EXPECT_EQ(plain.headers["content-type"], kXlsxType);
    auto csv = get("/api/v1/export?year=2027&format=csv");
    EXPECT_EQ(csv.headers["content-type"], "text/csv; charset=utf-8");
    EXPECT_EQ(csv.headers["content-disposition"], "attachment; filename=\"aarshjul-2027.csv\"");
    EXPECT_TRUE(csv.body.starts_with("Opgave-id,Kontrol,")) << csv.body.substr(0, 200);
}

// The group and person filters give the rows /api/v1/tasks gives for them.
TEST_F(Export, FiltersByGroupAndPerson) {
    std::map<std::string, std::string> group_of;
    for (const auto& w : setup->definitions->workflows)
        group_of[w.id] = std::string(to_string(w.group));
    auto risk = json(get("/api/v1/export?year=2027&format=json&group=risk&language=en"));
    std::size_t expected = 0;
    for (const auto& task : tasks_of_2027())
        expected += group_of[std::string(task.at("workflow").as_string())] == "risk";
    EXPECT_GT(expected, 0u);
    EXPECT_EQ(risk.at("rows").as_array().size(), expected);
    for (const auto& row : risk.at("rows").as_array())
        EXPECT_EQ(row.at("group"), "Risk");
    EXPECT_EQ(risk.at("filters").at("group"), "Risk");

    auto carla = json(get("/api/v1/export?year=2027&format=json&person=carla.holm"));
    auto tasks = json(get("/api/v1/tasks?assignee=carla.holm&due_from=2027-01-01&due_to=2027-12-"
                          "31&limit=500&state=scheduled,open,due,overdue,escalated,done,waived"));
    EXPECT_EQ(carla.at("rows").as_array().size(), tasks.at("tasks").as_array().size());
    for (const auto& row : carla.at("rows").as_array())
        EXPECT_EQ(row.at("responsible_id"), "carla.holm");
}

// Bad parameters are 400 with a JSON error naming what is wrong; an unknown
// person is 404.
TEST_F(Export, RefusesBadParameters) {
    for (const char* query :
         {"year=abc", "year=1969", "year=10000", "format=pdf", "group=x", "language=de"}) {
        auto reply = get(std::string("/api/v1/export?") + query);
        EXPECT_EQ(reply.status, 400) << query;
        EXPECT_EQ(reply.headers["content-type"], "application/json") << query;
        EXPECT_EQ(json(reply).at("error").at("code"), "bad_parameter") << query;
    }
    EXPECT_EQ(json(get("/api/v1/export?format=pdf")).at("error").at("message"),
              "format must be xlsx, json or csv");
    EXPECT_EQ(get("/api/v1/export?person=nobody").status, 404);
}

// A viewer's token is enough, as a header or in the query (a spreadsheet's
// "from web" link); without one the export is 401.
TEST_F(Export, ViewerTokenInHeaderOrQuery) {
    EXPECT_EQ(get("/api/v1/export?year=2027&format=json").status, 200);
    EXPECT_EQ(get("/api/v1/export?year=2027", "").status, 401);
    EXPECT_EQ(get("/api/v1/export?year=2027&token=" + kViewerToken, "").status, 200);
}

} // namespace
} // namespace aarshjul::testing

// SPDX-License-Identifier: MPL-2.0
#include "http_fixture.h"
#include "support/xml_tree.h"

#include <cmath>
#include <map>
#include <numbers>
#include <set>

namespace aarshjul::testing {
namespace {

using Wheel = ApiFixture;

double angle_of(double x, double y) {
    double a = std::atan2(x, -y) * 180.0 / std::numbers::pi;
    return a < 0 ? a + 360.0 : a;
}

double angle_distance(double a, double b) {
    double d = std::fmod(std::fabs(a - b), 360.0);
    return std::min(d, 360.0 - d);
}

// The fixture's 2027 as the API draws it: one mark per task of the year
// that /api/v1/tasks lists (cancelled ones left out), on the ring of its
// workflow's group, at its due date, with the fixture's overdue risk
// assessments red.
TEST_F(Wheel, ShippedYearOneMarkPerTask) {
    auto reply = get("/api/v1/wheel.svg?year=2027");
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(reply.headers["content-type"], "image/svg+xml");
    const XmlElement svg = parse_xml(reply.body);
    ASSERT_EQ(svg.name, "svg");

    std::map<std::string, std::string> group_of; // workflow -> group
    for (const auto& w : setup->definitions->workflows)
        group_of[w.id] = std::string(to_string(w.group));
    std::map<std::string, std::pair<double, double>> band;
    for (const auto* ring : svg.all([](const XmlElement& e) { return e.at("class") == "ring"; }))
        band[ring->at("data-group")] = {std::stod(ring->at("data-inner")),
                                        std::stod(ring->at("data-outer"))};
    // The five groups, and "other" for the incident example, which names none.
    std::set<std::string> named;
    for (const auto& [id, group] : group_of)
        named.insert(group);
    EXPECT_EQ(band.size(), named.contains("other") ? 6u : 5u);

    std::map<std::int64_t, const XmlElement*> marks;
    for (const auto* m : svg.all([](const XmlElement& e) { return e.at("class") == "mark"; }))
        EXPECT_TRUE(marks.emplace(std::stoll(m->at("data-task")), m).second) << "two marks";

    auto tasks = json(get("/api/v1/tasks?due_from=2027-01-01&due_to=2027-12-31&limit=500&state="
                          "scheduled,open,due,overdue,escalated,done,waived"));
    const auto& list = tasks.at("tasks").as_array();
    ASSERT_EQ(tasks.at("total").as_int64(), static_cast<std::int64_t>(list.size()));
    ASSERT_GT(list.size(), 20u);
    EXPECT_EQ(marks.size(), list.size());
    int red = 0;
    for (const auto& item : list) {
        const auto& t = item.as_object();
        const std::int64_t id = t.at("id").as_int64();
        SCOPED_TRACE("task " + std::to_string(id));
        auto found = marks.find(id);
        ASSERT_NE(found, marks.end());
        const XmlElement& mark = *found->second;
        const std::string workflow(t.at("workflow").as_string());
        const std::string due(t.at("due").as_string());
        EXPECT_EQ(mark.at("data-group"), group_of.at(workflow));
        EXPECT_EQ(mark.at("data-due"), due);
        EXPECT_EQ(mark.at("href"), "/tasks/" + std::to_string(id));
        const auto circle = mark.all([](const XmlElement& e) { return e.name == "circle"; });
        ASSERT_EQ(circle.size(), 1u);
        const double x = std::stod(circle[0]->at("cx")), y = std::stod(circle[0]->at("cy"));
        const auto [inner, outer] = band.at(group_of.at(workflow));
        EXPECT_GT(std::hypot(x, y), inner);
        EXPECT_LT(std::hypot(x, y), outer);
        const LocalDate day = *parse_local_date(due);
        const LocalDate first{date::year{2027} / 1 / 1};
        EXPECT_LE(angle_distance(angle_of(x, y), 360.0 * (day - first).count() / 365.0), 0.5);
        const std::string state(t.at("state").as_string());
        if (state == "overdue" || state == "escalated") {
            EXPECT_EQ(mark.at("data-state"), "overdue");
            EXPECT_EQ(circle[0]->at("fill"), "#c00000");
            ++red;
        }
    }
    EXPECT_GT(red, 0);
}

// One group, one person; English; a wheel from another month.
TEST_F(Wheel, GroupPersonLanguageAndFirstMonth) {
    auto risk = get("/api/v1/wheel.svg?year=2027&group=risk&language=en");
    ASSERT_EQ(risk.status, 200) << risk.body;
    const XmlElement svg = parse_xml(risk.body);
    const auto rings = svg.all([](const XmlElement& e) { return e.at("class") == "ring"; });
    ASSERT_EQ(rings.size(), 1u);
    EXPECT_EQ(rings[0]->at("data-group"), "risk");
    std::set<std::string> groups;
    for (const auto* m : svg.all([](const XmlElement& e) { return e.at("class") == "mark"; }))
        groups.insert(m->at("data-group"));
    EXPECT_EQ(groups, std::set<std::string>{"risk"});
    EXPECT_NE(risk.body.find(">March<"), std::string::npos);

    auto person = get("/api/v1/wheel.svg?year=2027&person=carla.holm");
    ASSERT_EQ(person.status, 200) << person.body;
    auto carla = json(get("/api/v1/tasks?assignee=carla.holm&due_from=2027-01-01&due_to=2027-12-"
                          "31&limit=500&state=scheduled,open,due,overdue,escalated,done,waived"));
    EXPECT_EQ(parse_xml(person.body)
                  .all([](const XmlElement& e) { return e.at("class") == "mark"; })
                  .size(),
              static_cast<std::size_t>(carla.at("total").as_int64()));

    auto august = get("/api/v1/wheel.svg?year=2027&first_month=8&organisation=Testkommune");
    ASSERT_EQ(august.status, 200) << august.body;
    EXPECT_EQ(parse_xml(august.body).at("data-first"), "2027-08-01");
}

// Bad parameters are refused with a JSON error naming the parameter.
TEST_F(Wheel, RefusesBadParameters) {
    struct Case {
        const char* query;
        int status;
        const char* says;
    };
    const Case cases[] = {
        {.query = "year=27x", .status = 400, .says = "year"},
        {.query = "year=1969", .status = 400, .says = "year"},
        {.query = "year=10000", .status = 400, .says = "year"},
        {.query = "group=finance", .status = 400, .says = "group"},
        {.query = "first_month=13", .status = 400, .says = "first_month"},
        {.query = "language=de", .status = 400, .says = "language"},
        {.query = "person=nobody", .status = 404, .says = "nobody"},
        {.query = "organisation=Andenkommune", .status = 404, .says = "organisation"},
    };
    for (const Case& c : cases) {
        auto reply = get(std::string("/api/v1/wheel.svg?") + c.query);
        EXPECT_EQ(reply.status, c.status) << c.query;
        EXPECT_NE(reply.headers["content-type"].find("application/json"), std::string::npos)
            << c.query;
        EXPECT_NE(json(reply).at("error").at("message").as_string().find(c.says), std::string::npos)
            << c.query << ": " << reply.body;
    }
    EXPECT_EQ(get("/api/v1/wheel.svg?year=2027", "").status, 401);
    EXPECT_EQ(get("/api/v1/wheel.svg?year=2027&token=" + kViewerToken, "").status, 200);
}

// The status page shows this year's wheel inline, in both languages, with no script.
TEST_F(Wheel, OnTheStatusPage) {
    for (const char* lang : {"da", "en"}) {
        auto page = get(std::string("/?lang=") + lang);
        ASSERT_EQ(page.status, 200) << page.body;
        const auto figure = page.body.find("<figure id=\"wheel\"");
        ASSERT_NE(figure, std::string::npos) << lang;
        const auto start = page.body.find("<svg", figure);
        const auto end = page.body.find("</svg>", start);
        ASSERT_NE(end, std::string::npos) << lang;
        const XmlElement svg = parse_xml(page.body.substr(start, end + 6 - start));
        EXPECT_EQ(svg.at("data-year"), "2027");
        EXPECT_EQ(svg.at("lang"), lang);
        EXPECT_FALSE(svg.all([](const XmlElement& e) { return e.at("class") == "mark"; }).empty());
        EXPECT_EQ(page.body.find("<script"), std::string::npos);
    }
    // A viewer cannot open task pages, so the page's marks link nowhere.
    EXPECT_EQ(get("/").body.find("href=\"/tasks/"), std::string::npos);
    EXPECT_NE(get("/", kCoordinatorToken).body.find("href=\"/tasks/"), std::string::npos);
}

// organisation.wheel_first_month = 8 (a school year): on 15 April 2027 the
// status page and the API's default draw August 2026 to July 2027.
TEST_F(Wheel, TheConfiguredFirstMonthIsTheDefault) {
    context->wheel_first_month = 8;
    auto page = get("/?lang=en");
    ASSERT_EQ(page.status, 200) << page.body;
    const auto start = page.body.find("<svg", page.body.find("<figure id=\"wheel\""));
    const auto end = page.body.find("</svg>", start);
    ASSERT_NE(end, std::string::npos);
    const XmlElement shown = parse_xml(page.body.substr(start, end + 6 - start));
    EXPECT_EQ(shown.at("data-year"), "2026");
    EXPECT_EQ(shown.at("data-first"), "2026-08-01");
    EXPECT_NE(page.body.find("2026/27"), std::string::npos);

    auto api = get("/api/v1/wheel.svg");
    ASSERT_EQ(api.status, 200) << api.body;
    EXPECT_EQ(parse_xml(api.body).at("data-first"), "2026-08-01");
    auto january = get("/api/v1/wheel.svg?first_month=1");
    EXPECT_EQ(parse_xml(january.body).at("data-first"), "2027-01-01");
}

} // namespace
} // namespace aarshjul::testing

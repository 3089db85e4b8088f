// SPDX-License-Identifier: MPL-2.0
#include "support/xml_tree.h"
#include "wheel/wheel.h"

#include <cmath>
#include <gtest/gtest.h>
#include <map>
#include <numbers>

namespace aarshjul {
namespace {

LocalDate day(int y, unsigned m, unsigned d) {
    return LocalDate{date::year{y} / date::month{m} / date::day{d}};
}

using Element = testing::XmlElement;

// The picture parsed as XML (a malformed one throws, failing the test); the <svg> element.
Element parse(const std::string& svg) {
    Element root = testing::parse_xml(std::string(kSvgDeclaration) + svg);
    EXPECT_EQ(root.name, "svg");
    return root;
}

std::string render_ok(const WheelInput& input) {
    auto svg = render_wheel(input);
    EXPECT_TRUE(svg.ok()) << svg.error().message;
    return svg.ok() ? *svg : std::string();
}

// The angle of (x, y) clockwise from 12 o'clock, in [0, 360).
double angle_of(double x, double y) {
    double a = std::atan2(x, -y) * 180.0 / std::numbers::pi;
    return a < 0 ? a + 360.0 : a;
}

double angle_distance(double a, double b) {
    double d = std::fmod(std::fabs(a - b), 360.0);
    return std::min(d, 360.0 - d);
}

// The expected angle, computed here from the calendar, not by the wheel's code.
double expected_angle(LocalDate due, LocalDate first, LocalDate end) {
    return 360.0 * (due - first).count() / (end - first).count();
}

const std::map<std::string, std::string> kFillOfState{{"done", "#7fbf8e"},
                                                      {"on_track", "#8a8a8a"},
                                                      {"due_soon", "#f0a000"},
                                                      {"overdue", "#c00000"},
                                                      {"waived", "url(#wheel-waived)"}};

WheelInput sample_year() {
    WheelInput in;
    in.year = 2027;
    in.today = day(2027, 5, 12);
    in.language = "da";
    in.groups = {WorkflowGroup::Committee, WorkflowGroup::Risk, WorkflowGroup::DataProtection,
                 WorkflowGroup::Incidents, WorkflowGroup::Technical};
    in.marks = {
        {.task_id = 1,
         .workflow_id = "ISU-MEET",
         .title = "Dagsorden",
         .group = WorkflowGroup::Committee,
         .due = day(2027, 1, 1),
         .state = MarkState::Done,
         .link = "/tasks/1"},
        {.task_id = 2,
         .workflow_id = "RISK-SYS",
         .title = "Risikovurdering",
         .entity = "sys-a",
         .group = WorkflowGroup::Risk,
         .due = day(2027, 3, 31),
         .state = MarkState::Overdue,
         .link = "/tasks/2"},
        {.task_id = 3,
         .workflow_id = "RISK-SYS",
         .title = "Risikovurdering",
         .entity = "sys-b",
         .group = WorkflowGroup::Risk,
         .due = day(2027, 3, 31),
         .state = MarkState::Waived,
         .link = "/tasks/3"},
        {.task_id = 4,
         .workflow_id = "ROPA",
         .title = "Fortegnelse",
         .group = WorkflowGroup::DataProtection,
         .due = day(2027, 5, 20),
         .state = MarkState::DueSoon,
         .link = "/tasks/4"},
        {.task_id = 5,
         .workflow_id = "GDPR-33",
         .title = "Anmeldelse",
         .group = WorkflowGroup::Incidents,
         .due = day(2027, 7, 2),
         .state = MarkState::OnTrack,
         .link = "/tasks/5"},
        {.task_id = 6,
         .workflow_id = "CIS-BACKUP",
         .title = "Backup",
         .group = WorkflowGroup::Technical,
         .due = day(2027, 12, 31),
         .state = MarkState::OnTrack,
         .link = "/tasks/6"},
    };
    return in;
}

// Every task of the year is exactly one mark, in its group's ring, at its due
// date's angle (±0.5°), coloured by its state and linked to its page.
TEST(Wheel, OneMarkPerTaskInItsRingAtItsDateColouredByState) {
    const WheelInput in = sample_year();
    const Element svg = parse(render_ok(in));
    std::map<std::string, std::pair<double, double>> band; // group -> [inner, outer)
    for (const Element* ring : svg.all([](const Element& e) { return e.at("class") == "ring"; }))
        band[ring->at("data-group")] = {std::stod(ring->at("data-inner")),
                                        std::stod(ring->at("data-outer"))};
    ASSERT_EQ(band.size(), in.groups.size());

    const auto marks = svg.all([](const Element& e) { return e.at("class") == "mark"; });
    ASSERT_EQ(marks.size(), in.marks.size());
    std::map<std::int64_t, int> seen;
    for (const Element* mark : marks) {
        const std::int64_t id = std::stoll(mark->at("data-task"));
        ++seen[id];
        const WheelMark& want = in.marks.at(static_cast<std::size_t>(id - 1));
        SCOPED_TRACE("task " + std::to_string(id));
        EXPECT_EQ(mark->name, "a");
        EXPECT_EQ(mark->at("href"), want.link);
        EXPECT_EQ(mark->at("data-group"), to_string(want.group));
        EXPECT_EQ(mark->at("data-due"), format_local_date(want.due));
        const auto circles = mark->all([](const Element& e) { return e.name == "circle"; });
        ASSERT_EQ(circles.size(), 1u);
        const double x = std::stod(circles[0]->at("cx")), y = std::stod(circles[0]->at("cy"));
        const double r = std::hypot(x, y);
        const auto [inner, outer] = band.at(std::string(to_string(want.group)));
        EXPECT_GT(r, inner);
        EXPECT_LT(r, outer);
        EXPECT_LE(angle_distance(angle_of(x, y),
                                 expected_angle(want.due, day(2027, 1, 1), day(2028, 1, 1))),
                  0.5);
        EXPECT_EQ(circles[0]->at("fill"), kFillOfState.at(std::string(to_string(want.state))));
        const auto titles = mark->all([](const Element& e) { return e.name == "title"; });
        ASSERT_EQ(titles.size(), 1u);
        EXPECT_NE(titles[0]->text.find(want.workflow_id), std::string::npos);
        EXPECT_NE(titles[0]->text.find(format_local_date(want.due)), std::string::npos);
    }
    for (const auto& m : in.marks)
        EXPECT_EQ(seen[m.task_id], 1) << "task " << m.task_id;
}

// The today line stands at today's angle and is left out when today is in another year.
TEST(Wheel, TodayLineAtTodaysAngle) {
    WheelInput in = sample_year();
    const Element svg = parse(render_ok(in));
    const auto today = svg.all([](const Element& e) { return e.at("id") == "wheel-today"; });
    ASSERT_EQ(today.size(), 1u);
    EXPECT_EQ(today[0]->at("data-date"), "2027-05-12");
    const auto lines = today[0]->all([](const Element& e) { return e.name == "line"; });
    ASSERT_EQ(lines.size(), 1u);
    for (const char* end : {"1", "2"}) {
        const double x = std::stod(lines[0]->at(std::string("x") + end));
        const double y = std::stod(lines[0]->at(std::string("y") + end));
        EXPECT_LE(angle_distance(angle_of(x, y), expected_angle(day(2027, 5, 12), day(2027, 1, 1),
                                                                day(2028, 1, 1))),
                  0.5);
    }

    in.today = day(2028, 1, 1);
    const Element next_year = parse(render_ok(in));
    EXPECT_TRUE(
        next_year.all([](const Element& e) { return e.at("id") == "wheel-today"; }).empty());
}

// A wheel from August: August at 12 o'clock, the months in order from it, the
// angles over the 366 days of August 2027 to July 2028, and the year as 2027/28.
TEST(Wheel, FirstMonthIsConfigurable) {
    WheelInput in;
    in.year = 2027;
    in.first_month = 8;
    in.today = day(2028, 2, 1);
    in.groups = {WorkflowGroup::Risk};
    in.marks = {{.task_id = 1,
                 .workflow_id = "A",
                 .title = "a",
                 .group = WorkflowGroup::Risk,
                 .due = day(2027, 8, 1)},
                {.task_id = 2,
                 .workflow_id = "B",
                 .title = "b",
                 .group = WorkflowGroup::Risk,
                 .due = day(2028, 7, 31)}};
    const Element svg = parse(render_ok(in));
    EXPECT_EQ(svg.at("data-first"), "2027-08-01");
    EXPECT_EQ(svg.at("data-end"), "2028-08-01");
    std::vector<int> months;
    for (const Element* m : svg.all([](const Element& e) { return e.at("class") == "month"; }))
        months.push_back(std::stoi(m->at("data-month")));
    EXPECT_EQ(months, (std::vector<int>{8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7}));
    const auto year = svg.all([](const Element& e) { return e.at("id") == "wheel-year"; });
    ASSERT_EQ(year.size(), 1u);
    EXPECT_EQ(year[0]->text, "2027/28");

    const auto marks = svg.all([](const Element& e) { return e.at("class") == "mark"; });
    ASSERT_EQ(marks.size(), 2u);
    const LocalDate first = day(2027, 8, 1), end = day(2028, 8, 1);
    for (const Element* mark : marks) {
        const auto circle = mark->all([](const Element& e) { return e.name == "circle"; });
        ASSERT_EQ(circle.size(), 1u);
        const double a = angle_of(std::stod(circle[0]->at("cx")), std::stod(circle[0]->at("cy")));
        const LocalDate due = *parse_local_date(mark->at("data-due"));
        EXPECT_LE(angle_distance(a, expected_angle(due, first, end)), 0.5) << mark->at("data-due");
    }
    EXPECT_NEAR(WheelYear::of(2027, 8)->angle(day(2028, 2, 1)), 360.0 * 184 / 366, 1e-9);
}

// ISO week numbers: 2027 starts in week 53 of 2026 (Friday 1 January), then
// weeks 1 to 52; each number sits in the middle of its week.
TEST(Wheel, WeekRingHasIsoWeekNumbers) {
    WheelInput in = sample_year();
    const Element svg = parse(render_ok(in));
    std::vector<int> weeks;
    const Element* week_one = nullptr;
    for (const Element* w : svg.all([](const Element& e) { return e.at("class") == "week"; })) {
        weeks.push_back(std::stoi(w->at("data-week")));
        if (weeks.back() == 1)
            week_one = w;
    }
    ASSERT_EQ(weeks.size(), 53u);
    EXPECT_EQ(weeks.front(), 53);
    EXPECT_EQ(weeks[1], 1);
    EXPECT_EQ(weeks.back(), 52);
    ASSERT_NE(week_one, nullptr);
    // Week 1 is Monday 4 to Sunday 10 January, days 3 to 10 of the year: its middle is 6.5.
    const double a = angle_of(std::stod(week_one->at("x")), std::stod(week_one->at("y")));
    EXPECT_NEAR(a, 360.0 * 6.5 / 365, 0.5);
}

// Labels in the lower half are turned round so that they read upright.
TEST(Wheel, LowerHalfLabelsAreUpright) {
    const Element svg = parse(render_ok(sample_year()));
    const auto texts = svg.all(
        [](const Element& e) { return e.name == "text" && e.attributes.contains("transform"); });
    ASSERT_FALSE(texts.empty());
    for (const Element* t : texts) {
        double rotation = 0, x = 0, y = 0;
        ASSERT_EQ(std::sscanf(t->at("transform").c_str(), "rotate(%lf %lf %lf)", &rotation, &x, &y),
                  3);
        EXPECT_GE(rotation, -90.0) << t->text;
        EXPECT_LE(rotation, 90.0) << t->text;
    }
}

// Text from the database is escaped, so a title with markup stays text.
TEST(Wheel, EscapesText) {
    WheelInput in = sample_year();
    in.heading = "Årshjul <2027> & \"Kommune\"";
    in.marks[0].title = "<script>alert('x')</script> & co";
    const std::string text = render_ok(in);
    EXPECT_EQ(text.find("<script"), std::string::npos);
    const Element svg = parse(text);
    const auto title = svg.all([](const Element& e) { return e.at("id") == "wheel-title"; });
    ASSERT_EQ(title.size(), 1u);
    EXPECT_EQ(title[0]->text, in.heading);
    const auto marks = svg.all([](const Element& e) { return e.at("data-task") == "1"; });
    ASSERT_EQ(marks.size(), 1u);
    EXPECT_NE(marks[0]->all([](const Element& e) { return e.name == "title"; })[0]->text.find(
                  "<script>alert('x')</script> & co"),
              std::string::npos);
}

// The picture is accessible and scalable: an image role, a title and a
// description, a viewBox and a relative width; no script anywhere.
TEST(Wheel, AccessibleAndScalable) {
    const std::string text = render_ok(sample_year());
    const Element svg = parse(text);
    EXPECT_EQ(svg.at("xmlns"), "http://www.w3.org/2000/svg");
    EXPECT_EQ(svg.at("role"), "img");
    EXPECT_EQ(svg.at("aria-labelledby"), "wheel-title wheel-desc");
    EXPECT_FALSE(svg.at("viewBox").empty());
    EXPECT_EQ(svg.at("width"), "100%");
    EXPECT_FALSE(svg.all([](const Element& e) { return e.name == "desc"; }).empty());
    EXPECT_EQ(text.find("script"), std::string::npos);
    EXPECT_EQ(text.find("onclick"), std::string::npos);
}

// Month names follow the language.
TEST(Wheel, SpeaksDanishAndEnglish) {
    WheelInput in = sample_year();
    EXPECT_NE(render_ok(in).find(">marts<"), std::string::npos);
    in.language = "en";
    const std::string en = render_ok(in);
    EXPECT_NE(en.find(">March<"), std::string::npos);
    EXPECT_NE(en.find("Data protection and processors"), std::string::npos);
}

// Input the wheel cannot draw is refused with the field at fault.
TEST(Wheel, RefusesBadInput) {
    struct Case {
        const char* what;
        void (*change)(WheelInput&);
        const char* field;
    };
    const Case cases[] = {
        {.what = "year before 1970",
         .change = [](WheelInput& in) { in.year = 1969; },
         .field = "year"},
        {.what = "year after 9999",
         .change = [](WheelInput& in) { in.year = 10000; },
         .field = "year"},
        {.what = "month 0",
         .change = [](WheelInput& in) { in.first_month = 0; },
         .field = "first_month"},
        {.what = "month 13",
         .change = [](WheelInput& in) { in.first_month = 13; },
         .field = "first_month"},
        {.what = "language",
         .change = [](WheelInput& in) { in.language = "de"; },
         .field = "language"},
        {.what = "a ring twice",
         .change = [](WheelInput& in) { in.groups.push_back(WorkflowGroup::Risk); },
         .field = "group"},
        {.what = "a mark in no ring",
         .change = [](WheelInput& in) { in.marks[0].group = WorkflowGroup::Other; },
         .field = "group"},
        {.what = "a mark before the year",
         .change = [](WheelInput& in) { in.marks[0].due = day(2026, 12, 31); },
         .field = "marks"},
        {.what = "a mark after the year",
         .change = [](WheelInput& in) { in.marks[0].due = day(2028, 1, 1); },
         .field = "marks"},
    };
    for (const Case& c : cases) {
        WheelInput in = sample_year();
        c.change(in);
        auto svg = render_wheel(in);
        ASSERT_FALSE(svg.ok()) << c.what;
        EXPECT_EQ(svg.error().kind, ErrorKind::Invalid) << c.what;
        EXPECT_EQ(svg.error().field, c.field) << c.what;
    }
}

// Many tasks due the same day in one ring all stay inside it, one mark each.
TEST(Wheel, CrowdedDayStaysInItsRing) {
    WheelInput in = sample_year();
    in.marks.clear();
    for (int i = 1; i <= 300; ++i)
        in.marks.push_back({.task_id = i,
                            .workflow_id = "RISK-SYS",
                            .title = "r",
                            .entity = "sys-" + std::to_string(i),
                            .group = WorkflowGroup::Risk,
                            .due = day(2027, 3, 31)});
    const Element svg = parse(render_ok(in));
    const auto rings = svg.all(
        [](const Element& e) { return e.at("data-group") == "risk" && e.at("class") == "ring"; });
    ASSERT_EQ(rings.size(), 1u);
    const double inner = std::stod(rings[0]->at("data-inner"));
    const double outer = std::stod(rings[0]->at("data-outer"));
    const auto marks = svg.all([](const Element& e) { return e.at("class") == "mark"; });
    ASSERT_EQ(marks.size(), 300u);
    for (const Element* mark : marks) {
        const auto c = mark->all([](const Element& e) { return e.name == "circle"; });
        const double r = std::hypot(std::stod(c[0]->at("cx")), std::stod(c[0]->at("cy")));
        EXPECT_GT(r, inner);
        EXPECT_LT(r, outer);
    }
}

} // namespace
} // namespace aarshjul

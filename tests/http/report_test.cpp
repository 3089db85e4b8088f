// SPDX-License-Identifier: MPL-2.0
#include "http_fixture.h"

#include <cstdio>
#include <fmt/format.h>
#include <fstream>
#include <gmock/gmock.h>
#include <regex>

namespace aarshjul::testing {
namespace {

using ::testing::HasSubstr;

struct Report : ApiFixture {
    // Declares RISK-SYS's outcomes as the shipped control does (a deviation
    // starts an action plan), through a real reload.
    void declare_risk_outcomes() {
        const auto file = workflows / "risk-sys.lua";
        std::ifstream in(file);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const auto at = text.find("id = \"RISK-SYS\",");
        ASSERT_NE(at, std::string::npos);
        text.insert(at, R"(outcomes = {
    { id = "ok", label = { da = "Ingen bemærkninger", en = "No remarks" } },
    { id = "deviation", label = { da = "Kritisk afvigelse", en = "Critical deviation" },
      action_plan = { title = { da = "Handlingsplan", en = "Action plan" }, due = days(60) } },
  },
  )");
        std::ofstream(file) << text;
        auto reloaded = post("/api/v1/workflows/reload", "{}", kAdminToken);
        ASSERT_EQ(reloaded.status, 200) << reloaded.body;
    }

    // The PDF of `path` written to a file of the fixture's folder.
    std::filesystem::path pdf(const std::string& path, const std::string& name) {
        auto reply = get(path);
        EXPECT_EQ(reply.status, 200) << reply.body;
        EXPECT_EQ(reply.headers["content-type"], "application/pdf");
        EXPECT_TRUE(reply.body.starts_with("%PDF-"));
        return dir.write(name, reply.body);
    }
};

// Standard output of a shell command (poppler's pdfinfo and pdftotext).
std::string run(const std::string& command) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) {
        ADD_FAILURE() << "cannot run " << command;
        return out;
    }
    char buffer[4096];
    while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe))
        out.append(buffer, n);
    EXPECT_EQ(::pclose(pipe), 0) << command;
    return out;
}

int page_count(const std::filesystem::path& file) {
    std::smatch m;
    const std::string info = run("pdfinfo '" + file.string() + "'");
    EXPECT_THAT(info, HasSubstr("595.276 x 841.89 pts (A4)"));
    return std::regex_search(info, m, std::regex("Pages:\\s+(\\d+)")) ? std::stoi(m[1]) : 0;
}

// The text of a PDF with every run of white space made one space, so a
// name that wrapped in its table cell still reads as one.
std::string pdf_text(const std::filesystem::path& file) {
    const std::string raw = run("pdftotext -enc UTF-8 '" + file.string() + "' -");
    return std::regex_replace(raw, std::regex("\\s+"), " ");
}

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

namespace aarshjul::testing {
namespace {

// The PDF: A4 pages counted by pdfinfo, every control of the quarter by its
// name in pdftotext's text, the wheel and the trends, and "page N of M" on
// every page; in English with language=en.
TEST_F(Report, PdfHasPagesAndControlNames) {
    const auto report = json(get("/api/v1/report?quarter=2027Q1")).as_object();
    const auto da = pdf("/api/v1/report?quarter=2027Q1&format=pdf", "report-da.pdf");
    const int pages = page_count(da);
    EXPECT_GE(pages, 2);
    const std::string text = pdf_text(da);
    EXPECT_THAT(text, HasSubstr("Kvartalsrapport 2027Q1 – Testkommune"));
    EXPECT_THAT(text, HasSubstr("Årshjul 2027 – Testkommune")); // the wheel's own heading
    EXPECT_THAT(text, HasSubstr("Udvikling pr. gruppe"));
    ASSERT_FALSE(report.at("controls").as_array().empty());
    for (const auto& c : report.at("controls").as_array())
        EXPECT_THAT(text, HasSubstr(std::string(c.at("title").as_string()) + " (" +
                                    std::string(c.at("workflow").as_string()) + ")"));
    for (int page = 1; page <= pages; ++page)
        EXPECT_THAT(text, HasSubstr(fmt::format("Side {} af {}", page, pages)));
    EXPECT_THAT(text, HasSubstr("Testkommune · 2027Q1 · Udarbejdet 2027-04-15T09:00:00"));
    // Kept as a test artifact, with its first page as a picture (the README's).
    const auto artifacts = std::filesystem::path(AARSHJUL_BINARY_DIR) / "test-artifacts";
    std::filesystem::create_directories(artifacts);
    std::filesystem::copy_file(da, artifacts / "committee-report.pdf",
                               std::filesystem::copy_options::overwrite_existing);
    run("pdftoppm -png -r 60 -f 1 -l 1 -singlefile '" + da.string() + "' '" +
        (artifacts / "committee-report-pdf").string() + "'");
    EXPECT_GT(std::filesystem::file_size(artifacts / "committee-report-pdf.png"), 10000u);

    const auto en = pdf("/api/v1/report?quarter=2027Q1&format=pdf&language=en", "report-en.pdf");
    const std::string english = pdf_text(en);
    EXPECT_THAT(english, HasSubstr("Quarterly report 2027Q1 – Testkommune"));
    for (const auto& c : report.at("controls").as_array())
        EXPECT_THAT(english, HasSubstr(std::string(c.at("title_en").as_string())));
    EXPECT_THAT(english, HasSubstr(fmt::format("Page 1 of {}", page_count(en))));
    EXPECT_EQ(get("/api/v1/report?quarter=2027Q1&format=docx").status, 400);
}

// The report has the year's wheel: one mark per task of 2027, the overdue
// risk assessments among them, drawn in the HTML from the report's JSON.
TEST_F(Report, HasTheWheelOfTheYear) {
    const auto report = json(get("/api/v1/report?quarter=2027Q1")).as_object();
    const auto& wheel = report.at("wheel").as_object();
    EXPECT_EQ(wheel.at("year").as_int64(), 2027);
    const auto tasks = json(get("/api/v1/"
                                "tasks?due_from=2027-01-01&due_to=2027-12-31&limit=1&state="
                                "scheduled,open,due,overdue,escalated,done,waived"));
    const auto& marks = wheel.at("marks").as_array();
    EXPECT_EQ(static_cast<std::int64_t>(marks.size()), tasks.at("total").as_int64());
    int overdue_risk = 0;
    for (const auto& m : marks) {
        EXPECT_TRUE(m.at("due").as_string().starts_with("2027-"));
        overdue_risk +=
            m.at("workflow").as_string() == "RISK-SYS" && m.at("state").as_string() == "overdue";
    }
    EXPECT_GT(overdue_risk, 10);
    const auto html = get("/api/v1/report?quarter=2027Q1&format=html&lang=en").body;
    EXPECT_THAT(html, HasSubstr("<svg"));
    EXPECT_THAT(html, HasSubstr("Annual cycle 2027 – Testkommune"));
    EXPECT_THAT(html, HasSubstr("Trends per group"));
    EXPECT_THAT(html, HasSubstr("<tr data-group=\"risk\">"));
}

// What the controls found: the quarter's outcomes counted by label, and the
// open deviation's action plan with the control that found it, its outcome
// and its note, in the JSON, the HTML and the PDF.
TEST_F(Report, OutcomesAndOpenDeviationsWithTheirPlans) {
    declare_risk_outcomes();
    const auto first = task_in("RISK-SYS", "escalated");
    ASSERT_EQ(post("/api/v1/tasks/" + std::to_string(first) + "/complete",
                   R"({"by":"anna.jensen","outcome":"ok"})")
                  .status,
              200);
    const auto second = task_in("RISK-SYS", "escalated");
    ASSERT_EQ(post("/api/v1/tasks/" + std::to_string(second) + "/complete",
                   R"({"by":"anna.jensen","outcome":"deviation","note":"Backup aldrig testet"})")
                  .status,
              200);
    const auto report = json(get("/api/v1/report?quarter=2027Q2")).as_object();
    std::map<std::string, std::int64_t> counts;
    for (const auto& o : report.at("outcomes").as_array()) {
        EXPECT_EQ(o.at("workflow").as_string(), "RISK-SYS");
        counts[std::string(o.at("label").as_string())] = o.at("count").as_int64();
    }
    EXPECT_EQ(counts, (std::map<std::string, std::int64_t>{{"Ingen bemærkninger", 1},
                                                           {"Kritisk afvigelse", 1}}));
    const auto& plans = report.at("action_plans").as_array();
    ASSERT_EQ(plans.size(), 1u);
    EXPECT_EQ(plans[0].at("found_by").as_int64(), second);
    EXPECT_EQ(plans[0].at("found_outcome_label").as_string(), "Kritisk afvigelse");
    EXPECT_EQ(plans[0].at("found_note").as_string(), "Backup aldrig testet");
    EXPECT_TRUE(plans[0].at("found_at").as_string().starts_with("2027-04-15"));

    const auto html = get("/api/v1/report?quarter=2027Q2&format=html").body;
    EXPECT_THAT(html, HasSubstr("Resultater af kontrollerne"));
    EXPECT_THAT(html, HasSubstr("Backup aldrig testet"));
    EXPECT_THAT(html, HasSubstr("– Kritisk afvigelse 2027-04-15"));
    const std::string text = pdf_text(pdf("/api/v1/report?quarter=2027Q2&format=pdf", "q2.pdf"));
    EXPECT_THAT(text, HasSubstr("Kritisk afvigelse"));
    EXPECT_THAT(text, HasSubstr("Backup aldrig testet"));
    EXPECT_THAT(text, HasSubstr("Ingen bemærkninger"));
}

// A frozen snapshot's PDF is drawn from the snapshot: the same document
// later, whatever happened since, marked as frozen for its meeting.
TEST_F(Report, FrozenSnapshotGivesTheSamePdf) {
    ASSERT_EQ(
        post("/api/v1/report/snapshots", R"({"quarter":"2027Q2","meeting":"2027-06-03"})").status,
        201);
    const std::string path = "/api/v1/report?quarter=2027Q2&meeting=2027-06-03&format=pdf";
    const auto first = get(path);
    ASSERT_EQ(first.status, 200);
    EXPECT_THAT(first.headers.at("content-disposition"),
                HasSubstr("kvartalsrapport-2027Q2-2027-06-03.pdf"));
    const auto id = task_in("RISK-SYS", "escalated");
    ASSERT_EQ(
        post("/api/v1/tasks/" + std::to_string(id) + "/complete", R"({"by":"anna.jensen"})").status,
        200);
    clock.advance(std::chrono::hours{24 * 30});
    const auto later = get(path);
    EXPECT_EQ(later.body, first.body);
    EXPECT_NE(get("/api/v1/report?quarter=2027Q2&format=pdf").body, first.body);
    const std::string text = pdf_text(dir.write("frozen.pdf", later.body));
    EXPECT_THAT(text, HasSubstr("Fastfrosset til mødet 2027-06-03"));
}

} // namespace
} // namespace aarshjul::testing

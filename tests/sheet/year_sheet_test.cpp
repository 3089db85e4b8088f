// SPDX-License-Identifier: MPL-2.0
#include "sheet/xlsx.h"
#include "sheet/year_sheet.h"
#include "support/temp_dir.h"

#include <boost/json.hpp>
#include <cstdlib>
#include <gtest/gtest.h>
#include <map>

namespace aarshjul {
namespace {

namespace fs = std::filesystem;

LocalDate day(int y, unsigned m, unsigned d) {
    return LocalDate{date::year{y} / date::month{m} / date::day{d}};
}

// Two tasks of 2027, one done with evidence and a note that needs quoting in
// CSV, one waived.
YearSheet sample(bool links = false, std::string language = "da") {
    YearSheet sheet;
    sheet.organisation = "Testkommune";
    sheet.year = 2027;
    sheet.language = std::move(language);
    sheet.generated_at = {.local = day(2027, 3, 20) + std::chrono::hours{12},
                          .iso = "2027-03-20T12:00:00+01:00"};
    sheet.time_zone = "Europe/Copenhagen";
    sheet.links = links;
    sheet.rows = {
        YearRow{.task_id = 7,
                .control = "RISK-SYS",
                .control_title = "Risikovurdering",
                .title = "Risikovurdering af System A",
                .group = "Risiko",
                .system = "sys-a",
                .system_name = "System A",
                .responsible = "Carla Holm",
                .responsible_id = "carla",
                .due = day(2027, 3, 31),
                .state = "udført",
                .completed_at = Moment{.local = day(2027, 3, 2) + std::chrono::hours{9},
                                       .iso = "2027-03-02T09:00:00+01:00"},
                .completed_by = "Carla Holm",
                .completed_by_id = "carla",
                .outcome = "Ingen bemærkninger",
                .evidence = "https://dok.example.dk/1",
                .note = "ok, \"se bilag\"",
                .link = links ? "https://a.example.dk/tasks/7" : ""},
        YearRow{.task_id = 9,
                .control = "ISU-QSTAT",
                .control_title = "Kvartalsstatus",
                .title = "Kvartalsstatus",
                .group = "Udvalg",
                .responsible = "Anna Jensen",
                .responsible_id = "anna",
                .due = day(2027, 4, 22),
                .state = "fritaget",
                .completed_by = "Anna Jensen",
                .completed_by_id = "anna",
                .waived_reason = "intet møde",
                .link = links ? "https://a.example.dk/tasks/9" : ""},
    };
    return sheet;
}

std::vector<std::string> column_ids(const Table& table) {
    std::vector<std::string> out;
    for (const auto& c : table.columns)
        out.push_back(c.id);
    return out;
}

// The columns in their order, with Danish headers; the link column only when
// the rows have links; each row has a cell per column, typed.
TEST(YearSheet, ColumnsInOrderWithTypedCells) {
    const Table table = year_table(sample());
    EXPECT_EQ(table.name, "Opgaver 2027");
    EXPECT_TRUE(table.filter);
    EXPECT_EQ(column_ids(table),
              (std::vector<std::string>{
                  "task", "control", "control_title", "title", "group", "system", "system_name",
                  "responsible", "responsible_id", "due", "state", "completed_at", "completed_by",
                  "completed_by_id", "outcome", "evidence", "note", "waived_reason"}));
    EXPECT_EQ(table.columns[9].header, "Frist");
    EXPECT_EQ(table.columns[9].kind, ColumnKind::Date);
    ASSERT_EQ(table.rows.size(), 2u);
    for (const auto& row : table.rows)
        EXPECT_EQ(row.size(), table.columns.size());
    EXPECT_EQ(table.rows[0][0], Cell{std::int64_t{7}});
    EXPECT_EQ(table.rows[0][9], Cell{day(2027, 3, 31)});
    EXPECT_TRUE(std::holds_alternative<Moment>(table.rows[0][11]));
    EXPECT_TRUE(std::holds_alternative<std::monostate>(table.rows[1][5])); // no system
    EXPECT_TRUE(std::holds_alternative<std::monostate>(table.rows[1][11]));

    const Table linked = year_table(sample(true, "en"));
    EXPECT_EQ(linked.name, "Tasks 2027");
    EXPECT_EQ(linked.columns.back().id, "link");
    EXPECT_EQ(linked.columns.back().kind, ColumnKind::Link);
    EXPECT_EQ(linked.columns[9].header, "Due");
    EXPECT_EQ(linked.columns[17].header, "Reason for waiver");
}

// The about sheet names organisation, year, when and the filters.
TEST(YearSheet, AboutSheet) {
    YearSheet sheet = sample();
    sheet.group = "Risiko";
    const Table about = about_table(sheet);
    EXPECT_EQ(about.name, "Om");
    std::map<std::string, Cell> value;
    for (const auto& row : about.rows)
        value[cell_text(row[0])] = row[1];
    EXPECT_EQ(value["Organisation"], Cell{std::string("Testkommune")});
    EXPECT_EQ(value["År"], Cell{std::int64_t{2027}});
    EXPECT_EQ(value["Gruppe"], Cell{std::string("Risiko")});
    EXPECT_EQ(value["Person"], Cell{std::string("alle")});
    EXPECT_EQ(value["Opgaver"], Cell{std::int64_t{2}});
    EXPECT_EQ(value["Årshjul"], Cell{std::string("Årshjul 2027 – Testkommune")});
    EXPECT_TRUE(std::holds_alternative<Moment>(value["Dannet"]));
}

// JSON: the sheet's header, the columns with their headers, and each row an
// object of the cells (dates as text, moments ISO with offset, empty null).
TEST(YearSheet, JsonRowsAreTheCells) {
    const auto json = boost::json::parse(render_year_json(sample()));
    EXPECT_EQ(json.at("organisation"), "Testkommune");
    EXPECT_EQ(json.at("year"), 2027);
    EXPECT_EQ(json.at("generated_at"), "2027-03-20T12:00:00+01:00");
    EXPECT_TRUE(json.at("filters").at("group").is_null());
    EXPECT_EQ(json.at("columns").as_array().size(), 18u);
    EXPECT_EQ(json.at("columns").at(3).at("header"), "Opgave");
    const auto& first = json.at("rows").at(0);
    EXPECT_EQ(first.at("task"), 7);
    EXPECT_EQ(first.at("due"), "2027-03-31");
    EXPECT_EQ(first.at("completed_at"), "2027-03-02T09:00:00+01:00");
    EXPECT_EQ(first.at("outcome"), "Ingen bemærkninger");
    const auto& second = json.at("rows").at(1);
    EXPECT_TRUE(second.at("system").is_null());
    EXPECT_TRUE(second.at("completed_at").is_null());
    EXPECT_EQ(second.at("waived_reason"), "intet møde");
}

// CSV follows RFC 4180: headers first, CRLF line ends, a field with a quote
// or comma quoted and its quotes doubled.
TEST(YearSheet, CsvQuotesWhatNeedsIt) {
    const std::string csv = render_year_csv(sample());
    EXPECT_TRUE(csv.starts_with("Opgave-id,Kontrol,Kontrollens titel,Opgave,Gruppe,"));
    EXPECT_NE(csv.find(",\"ok, \"\"se bilag\"\"\","), std::string::npos) << csv;
    EXPECT_NE(csv.find(",2027-03-31,udført,2027-03-02T09:00:00+01:00,"), std::string::npos) << csv;
    EXPECT_NE(csv.find("\r\n9,ISU-QSTAT,"), std::string::npos) << csv;
    EXPECT_TRUE(csv.ends_with("intet møde\r\n")) << csv;
    std::size_t lines = 0;
    for (std::size_t at = csv.find("\r\n"); at != std::string::npos; at = csv.find("\r\n", at + 2))
        ++lines;
    EXPECT_EQ(lines, 3u);
}

// The workbook is a zip holding both worksheets and the document
// properties, and no temporary file of it is left behind.
TEST(Xlsx, WritesAWorkbookAndLeavesNothingBehind) {
    const testing::TempDir tmp;
    const std::string before = std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "";
    ::setenv("TMPDIR", tmp.path().c_str(), 1);
    auto workbook = render_year_xlsx(sample(true));
    if (before.empty())
        ::unsetenv("TMPDIR");
    else
        ::setenv("TMPDIR", before.c_str(), 1);
    ASSERT_TRUE(workbook.ok()) << workbook.error().to_string();
    EXPECT_TRUE(workbook->starts_with("PK\x03\x04"));
    for (const char* part : {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",
                             "docProps/core.xml", "docProps/custom.xml", "xl/styles.xml"})
        EXPECT_NE(workbook->find(part), std::string::npos) << part;
    EXPECT_TRUE(fs::is_empty(tmp.path()));
}

// A worksheet name Excel refuses is an Invalid error, not a broken file.
TEST(Xlsx, RefusesABadWorksheetName) {
    Table table;
    table.name = "Opgaver/2027";
    table.columns = {Column{.id = "a", .header = "A"}};
    auto workbook = render_xlsx({table}, DocumentProperties{});
    ASSERT_FALSE(workbook.ok());
    EXPECT_EQ(workbook.error().kind, ErrorKind::Invalid);
}

// The file name of an attachment or an --output default.
TEST(YearSheet, FileName) {
    EXPECT_EQ(year_file_name(2027, "xlsx"), "aarshjul-2027.xlsx");
}

} // namespace
} // namespace aarshjul

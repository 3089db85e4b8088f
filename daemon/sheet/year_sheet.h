// SPDX-License-Identifier: MPL-2.0
#pragma once
// YearSheet: the tasks of one year as rows for the committee's spreadsheet
// (aarshjul export, GET /api/v1/export), with what the sheet says about
// itself. app/year_export.h reads it from the store; this file turns it into
// a Table and renders that as xlsx, CSV or JSON, so every format has the same
// rows and columns. Plain data; safe to share between threads once built.

#include "sheet/table.h"
#include "util/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace aarshjul {

// One task, its words already in the sheet's language.
struct YearRow {
    std::int64_t task_id = 0;
    std::string control{};       // the workflow id: "RISK-SYS"
    std::string control_title{}; // the workflow's title
    std::string title{};         // the task's own title
    std::string group{};         // the workflow group's label
    std::string system{};        // the system or processor id; empty for a run once
    std::string system_name{};
    std::string responsible{}; // the assignee's name
    std::string responsible_id{};
    LocalDate due{};
    std::string state{}; // its label: "udført"
    std::optional<Moment> completed_at{};
    std::string completed_by{}; // a name
    std::string completed_by_id{};
    std::string outcome{}; // its label: "Afvigelse"
    std::string evidence{};
    std::string note{};          // a done or open task's note
    std::string waived_reason{}; // a waived task's note
    std::string link{};          // the task's page; empty without a public URL
};

struct YearSheet {
    std::string organisation{};
    int year = 0;
    std::string language = "da"; // "da" or "en": headers and labels
    Moment generated_at{};
    std::string time_zone{}; // the zone dates and moments are read in
    std::string group{};     // the group filter's label; empty = every group
    std::string person{};    // the person filter ("Name (id)"); empty = everyone
    bool links = false;      // the rows have links (a public URL is configured)
    std::vector<YearRow> rows{};
};

// The tasks as a table: one row per task, the columns in the sheet's
// language; the link column only when the sheet has links.
Table year_table(const YearSheet& sheet);

// What the second worksheet says: organisation, year, generated at, time
// zone, filters, number of tasks, program version; in the sheet's language.
Table about_table(const YearSheet& sheet);

// The workbook: the tasks (header bold and frozen, autofilter, widths, dates
// as dates), the about sheet and the document properties.
Result<std::string> render_year_xlsx(const YearSheet& sheet);

// {"organisation", "year", "language", "generated_at", "time_zone",
//  "filters": {"group", "person"}, "columns": [{"id", "header"}],
//  "rows": [{<column id>: value}]}: the cells of year_table as JSON values
// (dates "YYYY-MM-DD", moments ISO 8601 with offset, empty cells null).
std::string render_year_json(const YearSheet& sheet);

// year_table as CSV (render_csv).
std::string render_year_csv(const YearSheet& sheet);

// "aarshjul-2027.xlsx" for `extension` "xlsx".
std::string year_file_name(int year, std::string_view extension);

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#pragma once
// Table: rows of typed cells under named columns, as a spreadsheet, a CSV
// file or JSON shows them. The year's export (sheet/year_sheet.h) fills one;
// the writers (sheet/xlsx.h, render_csv, render_json_rows) know nothing of
// tasks. Plain data; safe to share between threads once built.

#include "time/civil.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace aarshjul {

// An instant as the organisation's clock read it (a spreadsheet has no zones)
// and as ISO 8601 with its offset (what the API and CSV show).
struct Moment {
    LocalTime local{};
    std::string iso{}; // "2027-03-28T10:15:00+02:00"

    bool operator==(const Moment&) const = default;
};

// One cell: empty, a whole number, text, a date or a moment.
using Cell = std::variant<std::monostate, std::int64_t, std::string, LocalDate, Moment>;

// How a column's cells are written: a Link column's http(s) text becomes a
// hyperlink in a spreadsheet, other text in it stays text.
enum class ColumnKind { Number, Text, Date, Moment, Link };

struct Column {
    std::string id;     // the JSON member and CSV header: "due"
    std::string header; // what a person reads: "Frist"
    ColumnKind kind = ColumnKind::Text;
    double width = 12; // in a spreadsheet, in characters
};

struct Table {
    std::string name; // the worksheet's name (at most 31 characters)
    std::vector<Column> columns;
    std::vector<std::vector<Cell>> rows; // each as long as `columns`
    bool filter = false;                 // a spreadsheet offers a filter on every column
};

// "2027-03-28" for a date, the ISO text of a moment, the number or text as
// it is, "" for an empty cell.
std::string cell_text(const Cell& cell);

// RFC 4180: a line of the column headers, then one line per row, CRLF
// line ends, fields with a comma, quote or line break quoted.
std::string render_csv(const Table& table);

} // namespace aarshjul

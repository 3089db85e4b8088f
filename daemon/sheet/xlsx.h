// SPDX-License-Identifier: MPL-2.0
#pragma once
// Tables as an Excel workbook (.xlsx), written by libxlsxwriter: one
// worksheet per table, its header row bold and frozen, columns as wide as
// the table says, numbers as numbers, dates and moments as Excel dates,
// http(s) text of Link columns as hyperlinks. libxlsxwriter 1.1 writes only
// to a file: the workbook is written in a private temporary folder, read
// back and removed. Thread rules: none shared; call from any thread.

#include "sheet/table.h"
#include "util/result.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace aarshjul {

// What File > Info shows, and custom properties (name, text) beside it.
struct DocumentProperties {
    std::string title{};
    std::string subject{};
    std::string author{};
    std::string company{};
    std::string comments{};
    std::int64_t created = 0; // unix seconds; 0 = when written
    std::vector<std::pair<std::string, std::string>> custom{};
};

// The bytes of the workbook, or an Io error (the temporary folder, the
// writer) or an Invalid one (a worksheet name Excel refuses).
Result<std::string> render_xlsx(const std::vector<Table>& tables,
                                const DocumentProperties& properties);

} // namespace aarshjul

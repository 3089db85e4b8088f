// SPDX-License-Identifier: MPL-2.0
#include "sheet/table.h"

namespace aarshjul {

namespace {

struct CellText {
    std::string operator()(std::monostate) const { return {}; }
    std::string operator()(std::int64_t number) const { return std::to_string(number); }
    std::string operator()(const std::string& text) const { return text; }
    std::string operator()(LocalDate day) const { return format_local_date(day); }
    std::string operator()(const Moment& moment) const { return moment.iso; }
};

void append_field(std::string& out, std::string_view field) {
    if (field.find_first_of(",\"\r\n") == std::string_view::npos) {
        out += field;
        return;
    }
    out += '"';
    for (char c : field) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
}

} // namespace

std::string cell_text(const Cell& cell) {
    return std::visit(CellText{}, cell);
}

std::string render_csv(const Table& table) {
    std::string out;
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
        if (i > 0)
            out += ',';
        append_field(out, table.columns[i].header);
    }
    out += "\r\n";
    for (const auto& row : table.rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (i > 0)
                out += ',';
            append_field(out, cell_text(row[i]));
        }
        out += "\r\n";
    }
    return out;
}

} // namespace aarshjul

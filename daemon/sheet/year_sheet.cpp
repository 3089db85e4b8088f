// SPDX-License-Identifier: MPL-2.0
#include "sheet/year_sheet.h"

#include "sheet/xlsx.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

namespace aarshjul {

namespace {

// One column of the tasks' sheet: its id, headers, kind, width and cell.
struct YearColumn {
    std::string_view id;
    std::string_view da;
    std::string_view en;
    ColumnKind kind;
    double width;
    Cell (*cell)(const YearRow&);
};

Cell text(const std::string& value) {
    return value.empty() ? Cell{} : Cell{value};
}

// In the order of OS2compliance's årshjul export, then what it lacks.
constexpr YearColumn kYearColumns[] = {
    {"task", "Opgave-id", "Task id", ColumnKind::Number, 9,
     [](const YearRow& r) { return Cell{r.task_id}; }},
    {"control", "Kontrol", "Control", ColumnKind::Text, 12,
     [](const YearRow& r) { return text(r.control); }},
    {"control_title", "Kontrollens titel", "Control title", ColumnKind::Text, 36,
     [](const YearRow& r) { return text(r.control_title); }},
    {"title", "Opgave", "Task", ColumnKind::Text, 40,
     [](const YearRow& r) { return text(r.title); }},
    {"group", "Gruppe", "Group", ColumnKind::Text, 18,
     [](const YearRow& r) { return text(r.group); }},
    {"system", "System", "System", ColumnKind::Text, 14,
     [](const YearRow& r) { return text(r.system); }},
    {"system_name", "Systemnavn", "System name", ColumnKind::Text, 24,
     [](const YearRow& r) { return text(r.system_name); }},
    {"responsible", "Ansvarlig", "Responsible", ColumnKind::Text, 22,
     [](const YearRow& r) { return text(r.responsible); }},
    {"responsible_id", "Ansvarlig (id)", "Responsible (id)", ColumnKind::Text, 16,
     [](const YearRow& r) { return text(r.responsible_id); }},
    {"due", "Frist", "Due", ColumnKind::Date, 11, [](const YearRow& r) { return Cell{r.due}; }},
    {"state", "Status", "State", ColumnKind::Text, 14,
     [](const YearRow& r) { return text(r.state); }},
    {"completed_at", "Afsluttet", "Completed at", ColumnKind::Moment, 16,
     [](const YearRow& r) { return r.completed_at ? Cell{*r.completed_at} : Cell{}; }},
    {"completed_by", "Afsluttet af", "Completed by", ColumnKind::Text, 22,
     [](const YearRow& r) { return text(r.completed_by); }},
    {"completed_by_id", "Afsluttet af (id)", "Completed by (id)", ColumnKind::Text, 16,
     [](const YearRow& r) { return text(r.completed_by_id); }},
    {"outcome", "Resultat", "Outcome", ColumnKind::Text, 16,
     [](const YearRow& r) { return text(r.outcome); }},
    {"evidence", "Dokumentation", "Evidence", ColumnKind::Link, 30,
     [](const YearRow& r) { return text(r.evidence); }},
    {"note", "Bemærkning", "Note", ColumnKind::Text, 40,
     [](const YearRow& r) { return text(r.note); }},
    {"waived_reason", "Begrundelse for fritagelse", "Reason for waiver", ColumnKind::Text, 30,
     [](const YearRow& r) { return text(r.waived_reason); }},
    {"link", "Link", "Link", ColumnKind::Link, 34, [](const YearRow& r) { return text(r.link); }},
};

bool english(const YearSheet& sheet) {
    return sheet.language == "en";
}

std::string heading(const YearSheet& sheet) {
    std::string out = fmt::format("{} {}", english(sheet) ? "Annual cycle" : "Årshjul", sheet.year);
    if (!sheet.organisation.empty())
        out += " – " + sheet.organisation;
    return out;
}

boost::json::value json_cell(const Cell& cell) {
    if (const auto* number = std::get_if<std::int64_t>(&cell))
        return *number;
    if (std::holds_alternative<std::monostate>(cell))
        return nullptr;
    return boost::json::value(cell_text(cell));
}

} // namespace

Table year_table(const YearSheet& sheet) {
    Table table;
    table.name = fmt::format("{} {}", english(sheet) ? "Tasks" : "Opgaver", sheet.year);
    table.filter = true;
    std::vector<const YearColumn*> shown;
    for (const YearColumn& c : kYearColumns) {
        if (c.id == "link" && !sheet.links)
            continue;
        shown.push_back(&c);
        table.columns.push_back(Column{.id = std::string(c.id),
                                       .header = std::string(english(sheet) ? c.en : c.da),
                                       .kind = c.kind,
                                       .width = c.width});
    }
    table.rows.reserve(sheet.rows.size());
    for (const YearRow& row : sheet.rows) {
        std::vector<Cell> cells;
        cells.reserve(shown.size());
        for (const YearColumn* c : shown)
            cells.push_back(c->cell(row));
        table.rows.push_back(std::move(cells));
    }
    return table;
}

Table about_table(const YearSheet& sheet) {
    const bool en = english(sheet);
    Table table;
    table.name = en ? "About" : "Om";
    table.columns = {Column{.id = "field", .header = en ? "Field" : "Felt", .width = 16},
                     Column{.id = "value", .header = en ? "Value" : "Værdi", .width = 48}};
    const std::string everyone = en ? "all" : "alle";
    auto line = [&](std::string_view da, std::string_view english_label, Cell value) {
        table.rows.push_back({Cell{std::string(en ? english_label : da)}, std::move(value)});
    };
    line("Årshjul", "Annual cycle", Cell{heading(sheet)});
    line("Organisation", "Organisation", text(sheet.organisation));
    line("År", "Year", Cell{std::int64_t{sheet.year}});
    line("Dannet", "Generated at", Cell{sheet.generated_at});
    line("Tidszone", "Time zone", text(sheet.time_zone));
    line("Gruppe", "Group", Cell{sheet.group.empty() ? everyone : sheet.group});
    line("Person", "Person", Cell{sheet.person.empty() ? everyone : sheet.person});
    line("Opgaver", "Tasks", Cell{static_cast<std::int64_t>(sheet.rows.size())});
    line("Program", "Program", Cell{std::string("aarshjul ") + AARSHJUL_VERSION});
    return table;
}

Result<std::string> render_year_xlsx(const YearSheet& sheet) {
    const bool en = english(sheet);
    DocumentProperties properties;
    properties.title = heading(sheet);
    properties.subject = fmt::format(
        "{} {}", en ? "The tasks of the annual cycle" : "Opgaverne i årshjulet", sheet.year);
    properties.author = "aarshjul";
    properties.company = sheet.organisation;
    properties.comments = fmt::format("{} {} ({})", en ? "Generated" : "Dannet",
                                      sheet.generated_at.iso, sheet.time_zone);
    if (auto at = parse_instant(sheet.generated_at.iso))
        properties.created = to_unix(*at);
    properties.custom = {{"Organisation", sheet.organisation},
                         {"Year", std::to_string(sheet.year)},
                         {"Time zone", sheet.time_zone}};
    return render_xlsx({year_table(sheet), about_table(sheet)}, properties);
}

std::string render_year_json(const YearSheet& sheet) {
    const Table table = year_table(sheet);
    boost::json::array columns;
    for (const Column& c : table.columns)
        columns.push_back(boost::json::object{{"id", c.id}, {"header", c.header}});
    boost::json::array rows;
    for (const auto& cells : table.rows) {
        boost::json::object row;
        for (std::size_t i = 0; i < cells.size(); ++i)
            row[table.columns[i].id] = json_cell(cells[i]);
        rows.push_back(std::move(row));
    }
    auto filter = [](const std::string& value) {
        return value.empty() ? boost::json::value(nullptr) : boost::json::value(value);
    };
    const boost::json::object out{
        {"organisation", sheet.organisation},
        {"year", sheet.year},
        {"language", sheet.language},
        {"generated_at", sheet.generated_at.iso},
        {"time_zone", sheet.time_zone},
        {"filters",
         boost::json::object{{"group", filter(sheet.group)}, {"person", filter(sheet.person)}}},
        {"columns", std::move(columns)},
        {"rows", std::move(rows)},
    };
    return boost::json::serialize(out) + "\n";
}

std::string render_year_csv(const YearSheet& sheet) {
    return render_csv(year_table(sheet));
}

std::string year_file_name(int year, std::string_view extension) {
    return fmt::format("aarshjul-{}.{}", year, extension);
}

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#include "sheet/xlsx.h"

#include "util/utf8.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <xlsxwriter.h>

namespace aarshjul {

namespace {

namespace fs = std::filesystem;

// Excel's longest text in one cell, in characters; a byte is never more.
constexpr std::size_t kMaxCellBytes = 32767;
constexpr std::size_t kMaxPropertyBytes = 255;
// The header row's height, in points: room for a bold line.
constexpr double kHeaderHeight = 18;

// A folder of its own under the system's temporary folder, removed with
// everything in it when the guard goes.
class TempFolder {
public:
    static Result<TempFolder> make() {
        std::error_code ec;
        std::string pattern = (fs::temp_directory_path(ec) / "aarshjul-xlsx-XXXXXX").string();
        if (ec)
            return make_error(ErrorKind::Io, "xlsx: no temporary folder: " + ec.message());
        if (!::mkdtemp(pattern.data()))
            return make_error(ErrorKind::Io, "xlsx: cannot make a temporary folder in " +
                                                 fs::path(pattern).parent_path().string() + ": " +
                                                 std::strerror(errno));
        return TempFolder(pattern);
    }
    TempFolder(TempFolder&& other) noexcept : m_path(std::exchange(other.m_path, {})) {}
    TempFolder(const TempFolder&) = delete;
    TempFolder& operator=(const TempFolder&) = delete;
    TempFolder& operator=(TempFolder&&) = delete;
    ~TempFolder() {
        std::error_code ignored; // a folder left behind is no reason to fail the export
        if (!m_path.empty())
            fs::remove_all(m_path, ignored);
    }

    const fs::path& path() const { return m_path; }

private:
    explicit TempFolder(fs::path path) : m_path(std::move(path)) {}
    fs::path m_path;
};

// A workbook not yet closed (closing writes the file and frees it); one
// abandoned half-way is freed without writing.
struct WorkbookFree {
    void operator()(lxw_workbook* workbook) const noexcept { lxw_workbook_free(workbook); }
};
using WorkbookHandle = std::unique_ptr<lxw_workbook, WorkbookFree>;

Result<void> check(lxw_error error, std::string_view what) {
    if (error == LXW_NO_ERROR)
        return {};
    return make_error(ErrorKind::Io, "xlsx: " + std::string(what) + ": " + lxw_strerror(error));
}

lxw_datetime excel_date(LocalDate day) {
    const date::year_month_day ymd{day};
    return lxw_datetime{static_cast<int>(ymd.year()),
                        static_cast<int>(unsigned(ymd.month())),
                        static_cast<int>(unsigned(ymd.day())),
                        0,
                        0,
                        0.0};
}

lxw_datetime excel_moment(LocalTime at) {
    const auto day = date::floor<date::days>(at);
    const date::hh_mm_ss time{at - day};
    lxw_datetime out = excel_date(day);
    out.hour = static_cast<int>(time.hours().count());
    out.min = static_cast<int>(time.minutes().count());
    out.sec = static_cast<double>(time.seconds().count());
    return out;
}

// The formats every worksheet shares, owned by the workbook.
struct Formats {
    lxw_format* header = nullptr;
    lxw_format* date = nullptr;
    lxw_format* moment = nullptr;
    lxw_format* text = nullptr;
};

Formats add_formats(lxw_workbook* workbook) {
    Formats f;
    f.header = workbook_add_format(workbook);
    format_set_bold(f.header);
    format_set_bottom(f.header, LXW_BORDER_THIN);
    format_set_text_wrap(f.header);
    format_set_align(f.header, LXW_ALIGN_VERTICAL_TOP);
    f.date = workbook_add_format(workbook);
    format_set_num_format(f.date, "yyyy-mm-dd");
    format_set_align(f.date, LXW_ALIGN_LEFT);
    f.moment = workbook_add_format(workbook);
    format_set_num_format(f.moment, "yyyy-mm-dd hh:mm");
    format_set_align(f.moment, LXW_ALIGN_LEFT);
    f.text = workbook_add_format(workbook);
    format_set_align(f.text, LXW_ALIGN_VERTICAL_TOP);
    return f;
}

Result<void> write_text(lxw_worksheet* sheet, lxw_row_t row, lxw_col_t col, std::string_view text,
                        const Formats& formats) {
    const std::string whole(truncate_utf8(text, kMaxCellBytes));
    return check(worksheet_write_string(sheet, row, col, whole.c_str(), formats.text),
                 "a text cell");
}

Result<void> write_cell(lxw_worksheet* sheet, lxw_row_t row, lxw_col_t col, const Column& column,
                        const Cell& cell, const Formats& formats) {
    if (const auto* number = std::get_if<std::int64_t>(&cell))
        return check(
            worksheet_write_number(sheet, row, col, static_cast<double>(*number), formats.text),
            "a number cell");
    if (const auto* day = std::get_if<LocalDate>(&cell)) {
        lxw_datetime value = excel_date(*day);
        return check(worksheet_write_datetime(sheet, row, col, &value, formats.date),
                     "a date cell");
    }
    if (const auto* moment = std::get_if<Moment>(&cell)) {
        lxw_datetime value = excel_moment(moment->local);
        return check(worksheet_write_datetime(sheet, row, col, &value, formats.moment),
                     "a moment cell");
    }
    const auto* text = std::get_if<std::string>(&cell);
    if (!text || text->empty())
        return {}; // an empty cell is not written
    if (column.kind == ColumnKind::Link &&
        (text->starts_with("https://") || text->starts_with("http://"))) {
        // Too long or too many links for Excel: the text stays, without the link.
        if (worksheet_write_url_opt(sheet, row, col, text->c_str(), nullptr, text->c_str(),
                                    nullptr) == LXW_NO_ERROR)
            return {};
    }
    return write_text(sheet, row, col, *text, formats);
}

Result<void> write_table(lxw_workbook* workbook, const Table& table, const Formats& formats) {
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, table.name.c_str());
    if (!sheet)
        return make_error(ErrorKind::Invalid,
                          "xlsx: Excel refuses the worksheet name '" + table.name + "'");
    if (table.rows.size() >= LXW_ROW_MAX)
        return make_error(ErrorKind::Invalid, "xlsx: " + std::to_string(table.rows.size()) +
                                                  " rows do not fit in a worksheet");
    if (table.columns.empty())
        return {};
    AARSHJUL_TRY(check(worksheet_set_row(sheet, 0, kHeaderHeight, nullptr), "the header row"));
    for (lxw_col_t col = 0; col < table.columns.size(); ++col) {
        const Column& column = table.columns[col];
        AARSHJUL_TRY(check(worksheet_set_column(sheet, col, col, column.width, nullptr),
                           "a column's width"));
        AARSHJUL_TRY(
            check(worksheet_write_string(sheet, 0, col, column.header.c_str(), formats.header),
                  "a header cell"));
    }
    worksheet_freeze_panes(sheet, 1, 0);
    const auto last_col = static_cast<lxw_col_t>(table.columns.size() - 1);
    if (table.filter)
        AARSHJUL_TRY(check(
            worksheet_autofilter(sheet, 0, 0, static_cast<lxw_row_t>(table.rows.size()), last_col),
            "the autofilter"));
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const auto& cells = table.rows[r];
        for (lxw_col_t col = 0; col < table.columns.size() && col < cells.size(); ++col)
            AARSHJUL_TRY(write_cell(sheet, static_cast<lxw_row_t>(r + 1), col, table.columns[col],
                                    cells[col], formats));
    }
    return {};
}

Result<void> set_properties(lxw_workbook* workbook, const DocumentProperties& properties) {
    // libxlsxwriter copies the texts; its struct wants them writable, or null
    // for a property left out.
    std::string title = properties.title, subject = properties.subject, author = properties.author,
                company = properties.company, comments = properties.comments;
    auto text = [](std::string& s) { return s.empty() ? nullptr : s.data(); };
    lxw_doc_properties p{};
    p.title = text(title);
    p.subject = text(subject);
    p.author = text(author);
    p.company = text(company);
    p.comments = text(comments);
    p.created = static_cast<time_t>(properties.created);
    AARSHJUL_TRY(check(workbook_set_properties(workbook, &p), "the document properties"));
    for (const auto& [name, value] : properties.custom) {
        if (value.empty())
            continue;
        // Custom properties hold at most 255 characters.
        const std::string kept(truncate_utf8(value, kMaxPropertyBytes));
        AARSHJUL_TRY(
            check(workbook_set_custom_property_string(workbook, name.c_str(), kept.c_str()),
                  "a custom property"));
    }
    return {};
}

} // namespace

Result<std::string> render_xlsx(const std::vector<Table>& tables,
                                const DocumentProperties& properties) {
    AARSHJUL_TRY_ASSIGN(const TempFolder folder, TempFolder::make());
    const fs::path file = folder.path() / "workbook.xlsx";
    std::string tmpdir = folder.path().string();
    lxw_workbook_options options{};
    options.constant_memory = LXW_TRUE;
    options.tmpdir = tmpdir.data();
    WorkbookHandle workbook(workbook_new_opt(file.c_str(), &options));
    if (!workbook)
        return make_error(ErrorKind::Io, "xlsx: cannot start a workbook in " + tmpdir);
    const Formats formats = add_formats(workbook.get());
    AARSHJUL_TRY(set_properties(workbook.get(), properties));
    for (const Table& table : tables)
        AARSHJUL_TRY(write_table(workbook.get(), table, formats));
    AARSHJUL_TRY(check(workbook_close(workbook.release()), "writing the workbook"));

    std::ifstream in(file, std::ios::binary);
    if (!in)
        return make_error(ErrorKind::Io, "xlsx: cannot read back " + file.string());
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in.good() && !in.eof())
        return make_error(ErrorKind::Io, "xlsx: cannot read back " + file.string());
    return std::move(bytes).str();
}

} // namespace aarshjul

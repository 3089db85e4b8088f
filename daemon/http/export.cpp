// SPDX-License-Identifier: MPL-2.0
// GET /api/v1/export: the year as a spreadsheet (xlsx), or its rows as JSON
// or CSV, read through app/year_export.h from the context's store.
#include "app/year_export.h"
#include "http/handlers.h"

#include <charconv>
#include <chrono>
#include <spdlog/spdlog.h>

namespace aarshjul::http {

namespace {

constexpr std::string_view kXlsxType =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

std::optional<int> parse_year(std::string_view text) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

Response attachment(std::string body, std::string_view type, const std::string& file_name) {
    Response response = text_response(200, std::move(body), std::string(type));
    response.headers.emplace_back("Content-Disposition",
                                  "attachment; filename=\"" + file_name + "\"");
    return response;
}

} // namespace

Response get_export(const Request& request, Context& context) {
    YearExportRequest wanted;
    wanted.year =
        static_cast<int>(date::year_month_day{context.zone.local_date(context.clock.now())}.year());
    if (auto year = request.query_value("year"); !year.empty()) {
        auto n = parse_year(year);
        if (!n || *n < 1970 || *n > 9999)
            return json_error(400, "bad_parameter", "year must be a year from 1970 to 9999");
        wanted.year = *n;
    }
    std::string format = request.query_value("format");
    if (format.empty())
        format = "xlsx";
    if (format != "xlsx" && format != "json" && format != "csv")
        return json_error(400, "bad_parameter", "format must be xlsx, json or csv");
    if (auto language = request.query_value("language"); !language.empty()) {
        if (language != "da" && language != "en")
            return json_error(400, "bad_parameter", "language must be da or en");
        wanted.language = language;
    }
    if (auto group = request.query_value("group"); !group.empty()) {
        wanted.group = workflow_group_from_string(group);
        if (!wanted.group)
            return json_error(400, "bad_parameter",
                              "group must be committee, risk, data_protection, incidents, "
                              "technical or other");
    }
    wanted.person = request.query_value("person");
    if (!wanted.person.empty() && context.definitions &&
        !context.definitions->directory.find_person(wanted.person))
        return json_error(404, "not_found", "unknown person '" + wanted.person + "'");
    if (context.links)
        wanted.public_url = context.links->public_url();

    static const Definitions none;
    const Definitions& definitions = context.definitions ? *context.definitions : none;
    const YearExportContext from{
        .workflows = definitions.workflows,
        .directory = definitions.directory,
        .zone = context.zone,
        .now = context.clock.now(),
        .organisation = context.organisation,
    };
    // It runs on the event loop: measured, so a slow one shows in the log (a
    // municipality's 3,000 tasks take some 0.2 s, a region's 30,000 under 2 s).
    const auto started = std::chrono::steady_clock::now();
    auto sheet = read_year_sheet(context.store.queries(), from, wanted);
    if (!sheet.ok())
        return error_response(sheet.error());
    Response response;
    if (format == "json") {
        response = text_response(200, render_year_json(*sheet), "application/json");
    } else if (format == "csv") {
        response = attachment(render_year_csv(*sheet), "text/csv; charset=utf-8",
                              year_file_name(wanted.year, "csv"));
    } else {
        auto workbook = render_year_xlsx(*sheet);
        if (!workbook.ok())
            return error_response(workbook.error());
        response = attachment(std::move(*workbook), kXlsxType, year_file_name(wanted.year, "xlsx"));
    }
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    spdlog::info("export: {} as {}, {} tasks, {} bytes in {:.2f} s", wanted.year, format,
                 sheet->rows.size(), response.body.size(), took.count());
    return response;
}

} // namespace aarshjul::http

// SPDX-License-Identifier: MPL-2.0
#include "http/wheel.h"

#include "http/handlers.h"

#include <charconv>

namespace aarshjul::http {

namespace {

std::optional<int> parse_number(std::string_view text) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

} // namespace

Result<std::string> wheel_svg(Context& context, WheelRequest request) {
    if (request.heading.empty())
        request.heading = wheel_heading(request, context.organisation);
    static const std::vector<WorkflowDef> none;
    const auto& workflows = context.definitions ? context.definitions->workflows : none;
    AARSHJUL_TRY_ASSIGN(WheelInput input, read_wheel(context.store.queries(), workflows,
                                                     context.zone, context.clock.now(), request));
    return render_wheel(input);
}

Response get_wheel(const Request& request, Context& context) {
    WheelRequest wheel;
    wheel.first_month = context.wheel_first_month;
    if (auto month = request.query_value("first_month"); !month.empty()) {
        auto n = parse_number(month);
        if (!n || *n < 1 || *n > 12)
            return json_error(400, "bad_parameter", "first_month must be a month from 1 to 12");
        wheel.first_month = static_cast<unsigned>(*n);
    }
    // By default the wheel that holds today.
    wheel.year = wheel_year_of(context.zone.local_date(context.clock.now()), wheel.first_month);
    if (auto year = request.query_value("year"); !year.empty()) {
        auto n = parse_number(year);
        if (!n || *n < 1970 || *n > 9999)
            return json_error(400, "bad_parameter", "year must be a year from 1970 to 9999");
        wheel.year = *n;
    }
    if (auto group = request.query_value("group"); !group.empty()) {
        wheel.group = workflow_group_from_string(group);
        if (!wheel.group)
            return json_error(400, "bad_parameter",
                              "group must be committee, risk, data_protection, incidents, "
                              "technical or other");
    }
    if (auto language = request.query_value("language"); !language.empty()) {
        if (language != "da" && language != "en")
            return json_error(400, "bad_parameter", "language must be da or en");
        wheel.language = language;
    }
    wheel.person = request.query_value("person");
    if (!wheel.person.empty() && context.definitions &&
        !context.definitions->directory.find_person(wheel.person))
        return json_error(404, "not_found", "unknown person '" + wheel.person + "'");
    // One organisation per daemon: naming another one finds nothing.
    if (auto organisation = request.query_value("organisation");
        !organisation.empty() && organisation != context.organisation)
        return json_error(404, "not_found", "unknown organisation '" + organisation + "'");
    auto svg = wheel_svg(context, std::move(wheel));
    if (!svg.ok())
        return error_response(svg.error());
    Response response = text_response(200, std::string(kSvgDeclaration) + *svg, "image/svg+xml");
    response.headers.emplace_back("Content-Disposition", "inline; filename=\"aarshjul.svg\"");
    // A picture, never a document that runs anything.
    response.headers.emplace_back("Content-Security-Policy", "default-src 'none'");
    return response;
}

} // namespace aarshjul::http

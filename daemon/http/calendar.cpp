// SPDX-License-Identifier: MPL-2.0
#include "http/calendar.h"

#include "http/context.h"
#include "http/handlers.h"

#include <libical/ical.h>
#include <memory>

namespace aarshjul::http {

namespace {

struct ComponentFree {
    void operator()(icalcomponent* c) const noexcept { icalcomponent_free(c); }
};
using ComponentPtr = std::unique_ptr<icalcomponent, ComponentFree>;

icaltimetype ical_date(LocalDate day) {
    const date::year_month_day ymd{day};
    icaltimetype t = icaltime_null_date();
    t.year = static_cast<int>(ymd.year());
    t.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
    t.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
    t.is_date = 1;
    return t;
}

icaltimetype ical_local(LocalTime local, const icaltimezone* tz) {
    const auto day = date::floor<date::days>(local);
    const date::hh_mm_ss hms{local - day};
    icaltimetype t = ical_date(day);
    t.is_date = 0;
    t.hour = static_cast<int>(hms.hours().count());
    t.minute = static_cast<int>(hms.minutes().count());
    t.second = static_cast<int>(hms.seconds().count());
    t.zone = tz;
    return t;
}

icaltimetype ical_utc(Instant at) {
    return icaltime_from_timet_with_zone(static_cast<time_t>(to_unix(at)), 0,
                                         icaltimezone_get_utc_timezone());
}

} // namespace

Result<std::string> render_calendar(ReadQueries& queries, const Zone& zone, const std::string& name,
                                    const CalendarFilter& filter, Instant now) {
    icaltimezone* tz = icaltimezone_get_builtin_timezone(zone.name().c_str());
    ComponentPtr calendar(icalcomponent_vanew(
        ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
        icalproperty_new_prodid("-//aarshjul//aarshjul " AARSHJUL_VERSION "//DA"),
        icalproperty_new_calscale("GREGORIAN"), icalproperty_new_method(ICAL_METHOD_PUBLISH),
        static_cast<void*>(nullptr)));
    auto* calname = icalproperty_new_x(name.c_str());
    icalproperty_set_x_name(calname, "X-WR-CALNAME");
    icalcomponent_add_property(calendar.get(), calname);
    auto* caltz = icalproperty_new_x(zone.name().c_str());
    icalproperty_set_x_name(caltz, "X-WR-TIMEZONE");
    icalcomponent_add_property(calendar.get(), caltz);
    bool timezone_added = false;

    AARSHJUL_TRY_ASSIGN(auto tasks,
                        queries.calendar_tasks(filter.from, filter.person, filter.workflow));
    const icaltimetype stamp = ical_utc(now);
    for (const TaskRow& task : tasks) {
        const std::int64_t id = task.id;
        const std::string state(to_string(task.state));
        const bool finished = state == "done" || state == "waived";
        std::string summary = task.title;
        if (finished)
            summary += state == "done" ? " (udført)" : " (fritaget)";
        const std::string description = "Workflow " + task.workflow_id + ", ansvarlig " +
                                        task.assignee + ", status " + state + ".\n" +
                                        task.occurrence_key;
        const std::string uid = "task-" + std::to_string(id) + "@aarshjul";
        icalcomponent* event = icalcomponent_vanew(
            ICAL_VEVENT_COMPONENT, icalproperty_new_uid(uid.c_str()),
            icalproperty_new_dtstamp(stamp), icalproperty_new_summary(summary.c_str()),
            icalproperty_new_description(description.c_str()),
            icalproperty_new_categories(task.workflow_id.c_str()),
            icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT), static_cast<void*>(nullptr));
        if (auto due_at = task.due_at; due_at && tz) {
            // An hour-based deadline: a timed event at the deadline, in the local zone.
            const LocalTime local = zone.to_local(from_unix(*due_at));
            icalproperty* start = icalproperty_new_dtstart(ical_local(local, tz));
            icalproperty_add_parameter(start, icalparameter_new_tzid(zone.name().c_str()));
            icalcomponent_add_property(event, start);
            icalproperty* end =
                icalproperty_new_dtend(ical_local(local + std::chrono::minutes{30}, tz));
            icalproperty_add_parameter(end, icalparameter_new_tzid(zone.name().c_str()));
            icalcomponent_add_property(event, end);
            if (!timezone_added) {
                icalcomponent_add_component(
                    calendar.get(), icalcomponent_new_clone(icaltimezone_get_component(tz)));
                timezone_added = true;
            }
        } else {
            const auto due = parse_local_date(task.due_date);
            if (!due) {
                icalcomponent_free(event);
                continue;
            }
            icalcomponent_add_property(event, icalproperty_new_dtstart(ical_date(*due)));
            icalcomponent_add_property(event,
                                       icalproperty_new_dtend(ical_date(*due + date::days{1})));
        }
        icalcomponent_add_component(calendar.get(), event);
    }
    char* text = icalcomponent_as_ical_string_r(calendar.get());
    std::string out(text ? text : "");
    free(text);
    return out;
}

Response get_calendar(const Request& request, Context& context) {
    CalendarFilter filter;
    filter.person = request.query_value("person");
    filter.workflow = request.query_value("workflow");
    const LocalDate today = context.zone.local_date(context.clock.now());
    filter.from = request.query_value("from");
    if (filter.from.empty())
        filter.from = format_local_date(today - date::days{365});
    else if (!parse_local_date(filter.from))
        return json_error(400, "bad_parameter", "from must be a date YYYY-MM-DD");
    if (!filter.person.empty() && context.definitions &&
        !context.definitions->directory.find_person(filter.person))
        return json_error(404, "not_found", "unknown person '" + filter.person + "'");
    std::string name = "Årshjul " + context.organisation;
    if (!filter.person.empty())
        name += " – " + filter.person;
    if (!filter.workflow.empty())
        name += " – " + filter.workflow;
    auto text =
        render_calendar(context.store.queries(), context.zone, name, filter, context.clock.now());
    if (!text.ok())
        return json_error(500, "internal", text.error().to_string());
    Response response = text_response(200, std::move(*text), "text/calendar; charset=utf-8");
    response.headers.emplace_back("Content-Disposition", "inline; filename=\"aarshjul.ics\"");
    return response;
}

} // namespace aarshjul::http

// SPDX-License-Identifier: MPL-2.0
#include "http_fixture.h"

#include <libical/ical.h>

namespace aarshjul::testing {
namespace {

using Calendar = ApiFixture;

struct Parsed {
    explicit Parsed(const std::string& text) : root(icalparser_parse_string(text.c_str())) {}
    ~Parsed() {
        if (root)
            icalcomponent_free(root);
    }
    Parsed(const Parsed&) = delete;
    Parsed& operator=(const Parsed&) = delete;
    icalcomponent* root;
};

// The events of a parsed calendar, by SUMMARY.
std::vector<icalcomponent*> events(icalcomponent* calendar) {
    std::vector<icalcomponent*> out;
    for (icalcomponent* e = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT); e;
         e = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT))
        out.push_back(e);
    return out;
}

// A person's feed parses back with libical: one all-day event per task on its
// due date, with stable UIDs.
TEST_F(Calendar, PersonFeedParsesBack) {
    auto reply = get("/api/v1/calendar.ics?person=anna.jensen");
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_NE(reply.headers["content-type"].find("text/calendar"), std::string::npos);
    Parsed parsed(reply.body);
    ASSERT_NE(parsed.root, nullptr);
    ASSERT_EQ(icalcomponent_isa(parsed.root), ICAL_VCALENDAR_COMPONENT);
    EXPECT_EQ(icalcomponent_count_errors(parsed.root), 0);
    auto tasks = json(get("/api/v1/tasks?assignee=anna.jensen&limit=500&due_from=2026-04-15"));
    const auto all = events(parsed.root);
    EXPECT_EQ(static_cast<std::int64_t>(all.size()), tasks.at("total").as_int64());
    bool found_qstat = false;
    for (icalcomponent* e : all) {
        const std::string summary = icalcomponent_get_summary(e);
        const std::string uid = icalcomponent_get_uid(e);
        EXPECT_TRUE(uid.starts_with("task-") && uid.ends_with("@aarshjul")) << uid;
        if (summary == "Kvartalsvis sikkerhedsstatus" &&
            std::string(icalcomponent_get_description(e)).find("ISU-QSTAT||2027-04-01") !=
                std::string::npos) {
            found_qstat = true;
            const icaltimetype start = icalcomponent_get_dtstart(e);
            EXPECT_TRUE(start.is_date);
            EXPECT_EQ(start.year, 2027);
            EXPECT_EQ(start.month, 4);
            EXPECT_EQ(start.day, 22);
        }
    }
    EXPECT_TRUE(found_qstat) << reply.body.substr(0, 2000);
}

// An hour-based deadline (an incident) is a timed event with
// TZID=Europe/Copenhagen whose DTSTART is the deadline's local time, and the
// calendar carries the zone's VTIMEZONE.
TEST_F(Calendar, IncidentDeadlineIsLocalCopenhagenTime) {
    auto reported = post(
        "/api/v1/events",
        R"({"type":"incident","title":"Phishing","at":"2027-04-15T08:30:00+02:00"})", kOwnerToken);
    ASSERT_EQ(reported.status, 201) << reported.body;
    std::int64_t due_at = 0;
    std::string assignee;
    const auto body = json(reported);
    for (const auto& t : body.at("tasks").as_array())
        if (t.at("workflow").as_string() == "INC-INT") {
            EXPECT_EQ(t.at("due_at").as_string(), "2027-04-15T12:30:00+02:00"); // hours(4)
            due_at = to_unix(*parse_instant(t.at("due_at").as_string()));
            assignee = t.at("assignee").as_string();
        }
    ASSERT_NE(due_at, 0) << reported.body;

    auto reply = get("/api/v1/calendar.ics?workflow=INC-INT");
    ASSERT_EQ(reply.status, 200);
    EXPECT_NE(reply.body.find("DTSTART;TZID=Europe/Copenhagen:20270415T123000"), std::string::npos)
        << reply.body;
    Parsed parsed(reply.body);
    ASSERT_NE(parsed.root, nullptr);
    EXPECT_NE(icalcomponent_get_first_component(parsed.root, ICAL_VTIMEZONE_COMPONENT), nullptr);
    const auto all = events(parsed.root);
    ASSERT_EQ(all.size(), 1u);
    icalproperty* start = icalcomponent_get_first_property(all[0], ICAL_DTSTART_PROPERTY);
    icalparameter* tzid = icalproperty_get_first_parameter(start, ICAL_TZID_PARAMETER);
    ASSERT_NE(tzid, nullptr);
    EXPECT_STREQ(icalparameter_get_tzid(tzid), "Europe/Copenhagen");
    const icaltimetype local = icalproperty_get_dtstart(start);
    EXPECT_EQ(local.hour, 12);
    EXPECT_EQ(local.minute, 30);
    icaltimezone* cph = icaltimezone_get_builtin_timezone("Europe/Copenhagen");
    EXPECT_EQ(static_cast<std::int64_t>(icaltime_as_timet_with_zone(local, cph)), due_at);
}

// Feeds filter by workflow; an unknown person is 404; the token may ride in
// the URL because calendar clients cannot send headers.
TEST_F(Calendar, FiltersAndTokenInUrl) {
    auto risk = get("/api/v1/calendar.ics?workflow=RISK-SYS");
    Parsed parsed(risk.body);
    for (icalcomponent* e : events(parsed.root))
        EXPECT_NE(std::string(icalcomponent_get_description(e)).find("RISK-SYS"),
                  std::string::npos);
    EXPECT_EQ(get("/api/v1/calendar.ics?person=nobody").status, 404);
    EXPECT_EQ(get("/api/v1/calendar.ics?token=" + kViewerToken, "").status, 200);
    EXPECT_EQ(get("/api/v1/calendar.ics", "").status, 401);
    EXPECT_EQ(get("/api/v1/tasks?token=" + kViewerToken, "").status, 401); // API: header only
}

} // namespace
} // namespace aarshjul::testing

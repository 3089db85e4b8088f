// SPDX-License-Identifier: MPL-2.0
// The coordinator's pages (/tasks, /tasks/<id>, /events, /reload) as a browser
// signed in by a session uses them: forms posted with the session's cookie and
// CSRF token, answers read as HTML.

#include "http_fixture.h"

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <fstream>
#include <regex>
#include <set>

namespace aarshjul::testing {
namespace {

namespace fs = std::filesystem;

// A signed-in browser: its Cookie header and its session's CSRF token.
struct Browser {
    std::string cookie;
    std::string csrf;
};

using Fields = std::vector<std::pair<std::string, std::string>>;

class CoordinatorPages : public ApiFixture {
protected:
    void SetUp() override {
        ApiFixture::SetUp();
        if (HasFatalFailure())
            return;
        // The shipped incident controls (workflows/common): every "incident"
        // starts GDPR-33 (evidence required), NIS2-EW, NIS2-NOT, INC-INT and
        // INC-COMMS; the fixture's examples/incident.lua goes.
        fs::remove(workflows / "incident.lua");
        const fs::path common = fs::path(AARSHJUL_SOURCE_DIR) / "workflows" / "common";
        for (const char* file : {"gdpr-33.lua", "nis2-ew.lua", "nis2-not.lua", "nis2-fin.lua",
                                 "inc-int.lua", "inc-comms.lua"})
            fs::copy_file(common / file, workflows / file);
        auto reloaded = post("/api/v1/workflows/reload", "{}", kAdminToken);
        ASSERT_EQ(reloaded.status, 200) << reloaded.body;
        anna = sign_in("anna.jensen", http::Role::Coordinator);
        carla = sign_in("carla.holm", http::Role::Owner);
        first_start = sign_in("", http::Role::Admin);
    }

    Browser sign_in(const std::string& person, http::Role role) {
        Browser b;
        on_loop([&] {
            auto who = context->web.start_session(context->store.web_sessions(), person, role,
                                                  person.empty() ? "first-start" : "email",
                                                  "127.0.0.1", clock.now());
            ASSERT_TRUE(who.ok()) << who.error().to_string();
            b.cookie = "Cookie: " + who->set_cookie.substr(0, who->set_cookie.find(';'));
            b.csrf = who->csrf;
        });
        return b;
    }

    HttpReply page(const Browser& b, const std::string& path) {
        return http_request(port, "GET", path, {}, {b.cookie});
    }

    // POSTs a form as the browser would, with the session's csrf unless `csrf` is false.
    HttpReply submit(const Browser& b, const std::string& path, Fields fields, bool csrf = true) {
        if (csrf)
            fields.emplace_back("csrf", b.csrf);
        std::string body;
        for (const auto& [name, value] : fields)
            body += (body.empty() ? "" : "&") + name + "=" +
                    boost::urls::encode(value, boost::urls::unreserved_chars);
        return http_request(port, "POST", path, body,
                            {b.cookie, "Content-Type: application/x-www-form-urlencoded"});
    }

    boost::json::object task(std::int64_t id) {
        return json(get("/api/v1/tasks/" + std::to_string(id))).as_object();
    }

    // The task ids the API lists for a query, all pages.
    std::set<std::int64_t> api_ids(const std::string& query) {
        std::set<std::int64_t> out;
        for (std::int64_t offset = 0;; offset += 500) {
            auto value =
                json(get("/api/v1/tasks?limit=500&offset=" + std::to_string(offset) + "&" + query));
            for (const auto& t : value.at("tasks").as_array())
                out.insert(t.at("id").as_int64());
            if (offset + 500 >= value.at("total").as_int64())
                return out;
        }
    }

    // Records an incident through the API; the ids of its tasks by workflow.
    std::map<std::string, std::int64_t> incident() {
        auto reply =
            post("/api/v1/events",
                 R"({"type":"incident","title":"Phishing","at":"2027-04-15T08:00:00+02:00"})",
                 kCoordinatorToken);
        EXPECT_EQ(reply.status, 201) << reply.body;
        std::map<std::string, std::int64_t> out;
        const auto body = json(reply);
        for (const auto& t : body.at("tasks").as_array())
            out.emplace(std::string(t.at("workflow").as_string()), t.at("id").as_int64());
        return out;
    }

    Browser anna, carla, first_start;
};

// The ids of the rows of table#tasks (or table#event-tasks) in a page.
std::vector<std::int64_t> row_ids(const std::string& html) {
    std::vector<std::int64_t> out;
    static const std::regex row(R"re(<tr data-task-id="(\d+)")re");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), row);
         it != std::sregex_iterator(); ++it)
        out.push_back(std::stoll((*it)[1]));
    return out;
}

bool has_id(const std::string& html, const std::string& id) {
    return html.find("id=\"" + id + "\"") != std::string::npos;
}

// The href of the element with `id`, "" when there is none.
std::string href_of(const std::string& html, const std::string& id) {
    std::smatch m;
    if (std::regex_search(html, m, std::regex("id=\"" + id + "\" href=\"([^\"]*)\"")))
        return m[1];
    return {};
}

std::string unescape(std::string text) {
    for (auto pos = text.find("&amp;"); pos != std::string::npos; pos = text.find("&amp;", pos + 1))
        text.replace(pos, 5, "&");
    return text;
}

// The list filters by control and lists the same tasks as the API, each row
// linking to its task page; without filters it pages by 50 with a next link
// that keeps the filters and a previous link back.
TEST_F(CoordinatorPages, TaskListFiltersAndPages) {
    auto risk = page(anna, "/tasks?workflow=RISK-SYS&state=overdue,escalated");
    ASSERT_EQ(risk.status, 200) << risk.body;
    EXPECT_TRUE(has_id(risk.body, "filters"));
    EXPECT_TRUE(has_id(risk.body, "tasks"));
    const auto ids = row_ids(risk.body);
    const auto expected = api_ids("workflow=RISK-SYS&state=overdue,escalated");
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(std::set<std::int64_t>(ids.begin(), ids.end()), expected);
    EXPECT_NE(
        risk.body.find("<strong id=\"total\">" + std::to_string(expected.size()) + "</strong>"),
        std::string::npos);
    EXPECT_NE(risk.body.find("<a href=\"/tasks/" + std::to_string(ids[0]) + "\">"),
              std::string::npos);
    EXPECT_NE(risk.body.find("<option value=\"RISK-SYS\" selected>"), std::string::npos);
    EXPECT_NE(risk.body.find("class=\"overdue\""), std::string::npos);

    // By person and due date: carla's tasks due in March 2027.
    auto carla_march = page(anna, "/tasks?person=carla.holm&due_from=2027-03-01&due_to=2027-03-31");
    ASSERT_EQ(carla_march.status, 200);
    const auto march = row_ids(carla_march.body);
    EXPECT_EQ(std::set<std::int64_t>(march.begin(), march.end()),
              api_ids("assignee=carla.holm&due_from=2027-03-01&due_to=2027-03-31"));
    EXPECT_FALSE(march.empty());

    const auto all = json(get("/api/v1/tasks?limit=1")).at("total").as_int64();
    ASSERT_GT(all, 50) << "the fixture needs more than one page";
    auto first = page(anna, "/tasks?system=&lang=en");
    ASSERT_EQ(first.status, 200);
    EXPECT_EQ(row_ids(first.body).size(), 50u);
    EXPECT_FALSE(has_id(first.body, "prev-page"));
    const std::string next = unescape(href_of(first.body, "next-page"));
    EXPECT_EQ(next, "/tasks?lang=en&page=2");
    auto second = page(anna, next);
    ASSERT_EQ(second.status, 200);
    EXPECT_NE(second.body.find("<html lang=\"en\">"), std::string::npos);
    const auto second_ids = row_ids(second.body);
    EXPECT_EQ(static_cast<std::int64_t>(second_ids.size()), std::min<std::int64_t>(all - 50, 50));
    EXPECT_EQ(
        std::set<std::int64_t>(second_ids.begin(), second_ids.end()).count(row_ids(first.body)[0]),
        0u);
    EXPECT_EQ(unescape(href_of(second.body, "prev-page")), "/tasks?lang=en");

    // A filter that is not a date is said, not silently dropped.
    auto bad = page(anna, "/tasks?due_from=tomorrow");
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(bad.body.find("class=\"error\""), std::string::npos);
}

// A task's page shows its fields and its history, and while it is open the
// completion form (done by: the directory's people, the assignee chosen) and
// the waiver form, each with the session's CSRF token.
TEST_F(CoordinatorPages, TaskPageShowsHistoryAndForms) {
    const auto id = task_in("RISK-SYS", "escalated");
    const auto record = task(id);
    auto reply = page(anna, "/tasks/" + std::to_string(id));
    ASSERT_EQ(reply.status, 200) << reply.body;
    const std::string& html = reply.body;
    EXPECT_TRUE(has_id(html, "history"));
    EXPECT_NE(html.find("<td>oprettet</td>"), std::string::npos) << html;
    EXPECT_NE(html.find("<td>eskaleret</td>"), std::string::npos);
    EXPECT_NE(html.find(std::string(record.at("key").as_string())), std::string::npos);
    EXPECT_TRUE(has_id(html, "complete-for"));
    EXPECT_NE(html.find("action=\"/tasks/" + std::to_string(id) + "/complete\""),
              std::string::npos);
    EXPECT_NE(html.find("<select id=\"cf-by\" name=\"by\">"), std::string::npos);
    EXPECT_NE(html.find("<option value=\"" + std::string(record.at("assignee").as_string()) +
                        "\" selected>"),
              std::string::npos);
    EXPECT_TRUE(has_id(html, "waive"));
    EXPECT_NE(html.find("name=\"reason\""), std::string::npos);
    const std::string csrf = "<input type=\"hidden\" name=\"csrf\" value=\"" + anna.csrf + "\">";
    const auto first = html.find(csrf);
    ASSERT_NE(first, std::string::npos);
    EXPECT_NE(html.find(csrf, first + 1), std::string::npos) << "both forms carry the csrf";

    EXPECT_EQ(page(anna, "/tasks/999999").status, 404);
    EXPECT_EQ(page(anna, "/tasks/abc").status, 404);
}

// Completing for someone a task whose control requires evidence: without
// evidence the page comes back 422 naming the missing evidence with the typed
// note kept and the task stays open; with evidence it is done by the chosen
// person, the history has the evidence and the page links to it.
TEST_F(CoordinatorPages, CompleteForNeedsRequiredEvidence) {
    const auto tasks = incident();
    ASSERT_TRUE(tasks.count("GDPR-33"));
    const auto id = tasks.at("GDPR-33");
    const std::string path = "/tasks/" + std::to_string(id);
    auto refused =
        submit(anna, path + "/complete",
               {{"by", "dorte.lund"}, {"note", "Vurderet: ikke et brud <ok>"}, {"evidence", ""}});
    ASSERT_EQ(refused.status, 422) << refused.body;
    EXPECT_NE(refused.body.find(
                  "<p class=\"error\" id=\"cf-error\" role=\"alert\">Opgaven kræver dokumentation"),
              std::string::npos)
        << refused.body;
    EXPECT_NE(refused.body.find(">Vurderet: ikke et brud &lt;ok&gt;</textarea>"),
              std::string::npos);
    EXPECT_NE(refused.body.find("<option value=\"dorte.lund\" selected>"), std::string::npos);
    EXPECT_NE(refused.body.find("name=\"evidence\" value=\"\" maxlength=\"2000\" "
                                "aria-describedby=\"cf-evidence-hint\" required"),
              std::string::npos);
    EXPECT_NE(task(id).at("state").as_string(), "done");

    // GDPR-33 asks what the assessment found; without it nothing is done.
    EXPECT_NE(refused.body.find("name=\"outcome\" value=\"not_notifiable\""), std::string::npos)
        << refused.body;
    auto no_outcome = submit(
        anna, path + "/complete",
        {{"by", "dorte.lund"}, {"note", "x"}, {"evidence", "https://esdh.eksempel.dk/sag/77"}});
    ASSERT_EQ(no_outcome.status, 422) << no_outcome.body;
    EXPECT_NE(no_outcome.body.find("Vælg hvad kontrollen fandt"), std::string::npos);
    EXPECT_NE(task(id).at("state").as_string(), "done");

    auto done = submit(anna, path + "/complete",
                       {{"by", "dorte.lund"},
                        {"note", "Vurderet: ikke et brud"},
                        {"evidence", "https://esdh.eksempel.dk/sag/77"},
                        {"outcome", "not_notifiable"}});
    ASSERT_EQ(done.status, 303) << done.body;
    EXPECT_EQ(done.headers["location"], path);
    const auto after = task(id);
    EXPECT_EQ(after.at("state").as_string(), "done");
    EXPECT_EQ(after.at("completed_by").as_string(), "dorte.lund");
    EXPECT_EQ(after.at("evidence").as_string(), "https://esdh.eksempel.dk/sag/77");
    EXPECT_EQ(after.at("outcome").as_string(), "not_notifiable");
    auto shown = page(anna, path);
    EXPECT_NE(shown.body.find("<td id=\"task-outcome\">Ikke anmeldelsespligtigt"),
              std::string::npos)
        << shown.body;
    EXPECT_NE(shown.body.find("<a href=\"https://esdh.eksempel.dk/sag/77\""), std::string::npos);
    EXPECT_NE(shown.body.find("evidence: https://esdh.eksempel.dk/sag/77"), std::string::npos)
        << "the history records the evidence";
    EXPECT_FALSE(has_id(shown.body, "complete-for")) << "a finished task has no forms";
    // Posting again after it is done says so.
    auto again = submit(anna, path + "/complete", {{"by", "dorte.lund"}, {"evidence", "x"}});
    EXPECT_EQ(again.status, 409);
    EXPECT_NE(again.body.find("allerede afsluttet"), std::string::npos);
}

// A control without required evidence is completed for its assignee with a
// note only; an unknown person is refused with the page.
TEST_F(CoordinatorPages, CompleteForWithoutRequiredEvidence) {
    const auto id = task_in("RISK-SYS", "escalated");
    const std::string path = "/tasks/" + std::to_string(id);
    auto unknown = submit(anna, path + "/complete", {{"by", "nobody.here"}, {"note", "x"}});
    EXPECT_EQ(unknown.status, 422);
    EXPECT_NE(unknown.body.find("Personen findes ikke"), std::string::npos);
    auto done = submit(anna, path + "/complete", {{"by", "carla.holm"}, {"note", "Gennemgået"}});
    ASSERT_EQ(done.status, 303) << done.body;
    const auto after = task(id);
    EXPECT_EQ(after.at("state").as_string(), "done");
    EXPECT_EQ(after.at("completed_by").as_string(), "carla.holm");
    EXPECT_EQ(after.at("note").as_string(), "Gennemgået");
}

// A waiver without a reason is refused (422, p.error, the task stays open);
// with a reason the task is waived by the signed-in coordinator and the
// history on the page shows the reason.
TEST_F(CoordinatorPages, WaiveNeedsAReason) {
    const auto id = task_in("RISK-SYS", "escalated");
    const std::string path = "/tasks/" + std::to_string(id);
    auto refused = submit(anna, path + "/waive?lang=en", {{"reason", "  "}});
    ASSERT_EQ(refused.status, 422) << refused.body;
    EXPECT_NE(refused.body.find(
                  "<p class=\"error\" id=\"waive-error\" role=\"alert\">A waiver needs a reason"),
              std::string::npos)
        << refused.body;
    EXPECT_EQ(task(id).at("state").as_string(), "escalated");

    auto waived = submit(anna, path + "/waive?lang=en", {{"reason", "Systemet er udfaset"}});
    ASSERT_EQ(waived.status, 303) << waived.body;
    EXPECT_EQ(waived.headers["location"], path + "?lang=en");
    const auto after = task(id);
    EXPECT_EQ(after.at("state").as_string(), "waived");
    EXPECT_EQ(after.at("completed_by").as_string(), "anna.jensen");
    auto shown = page(anna, path);
    EXPECT_NE(shown.body.find("<td>fritaget</td><td>Anna Jensen</td><td>Systemet er udfaset</td>"),
              std::string::npos)
        << shown.body;
}

// The event form offers the types the loaded workflows trigger on; an
// incident reported with a local awareness time creates the GDPR-33 and NIS 2
// tasks with hour deadlines counted from it, listed on the event's page with
// date and time; the local time is read in the zone, winter or summer.
TEST_F(CoordinatorPages, EventFormCreatesIncidentTasks) {
    auto form = page(anna, "/events/new");
    ASSERT_EQ(form.status, 200) << form.body;
    EXPECT_TRUE(has_id(form.body, "event"));
    EXPECT_NE(form.body.find("<option value=\"incident\">"), std::string::npos);
    EXPECT_NE(form.body.find("type=\"datetime-local\" id=\"event-at\" name=\"at\""),
              std::string::npos);
    EXPECT_EQ(form.body.find("name=\"by\""), std::string::npos) << "anna reports as herself";

    const auto before = api_ids("");
    auto posted = submit(anna, "/events",
                         {{"type", "incident"},
                          {"title", "Ransomware på filserver"},
                          {"at", "2027-04-15T08:30"},
                          {"detail", "Krypterede filer på F-drevet"}});
    ASSERT_EQ(posted.status, 303) << posted.body;
    const std::string location = posted.headers["location"];
    ASSERT_TRUE(std::regex_match(location, std::regex("/events/\\d+"))) << location;
    auto shown = page(anna, location);
    ASSERT_EQ(shown.status, 200) << shown.body;
    EXPECT_TRUE(has_id(shown.body, "event-tasks"));
    EXPECT_NE(shown.body.find("15. april 2027 kl. 08:30"), std::string::npos) << "awareness";
    EXPECT_NE(shown.body.find("Anna Jensen"), std::string::npos);
    // Each row: the control, the deadline's day and "kl. HH:MM".
    const std::map<std::string, std::string> due{{"GDPR-33", "18. april 2027 kl. 08:30"},
                                                 {"NIS2-EW", "16. april 2027 kl. 08:30"},
                                                 {"NIS2-NOT", "18. april 2027 kl. 08:30"}};
    for (const auto& [workflow, deadline] : due) {
        const auto row = shown.body.find(">" + workflow + "</abbr>");
        ASSERT_NE(row, std::string::npos) << workflow << " missing in\n" << shown.body;
        const auto end = shown.body.find("</tr>", row);
        EXPECT_NE(shown.body.substr(row, end - row).find(deadline), std::string::npos)
            << workflow << ": " << shown.body.substr(row, end - row);
    }
    // Every row is a task the event started, and every task it started is a row.
    const auto ids = row_ids(shown.body);
    std::set<std::int64_t> started;
    for (auto id : api_ids(""))
        if (!before.count(id))
            started.insert(id);
    EXPECT_EQ(std::set<std::int64_t>(ids.begin(), ids.end()), started);
    EXPECT_GE(ids.size(), 5u);
    for (auto id : ids) {
        EXPECT_NE(shown.body.find("<a href=\"/tasks/" + std::to_string(id) + "\">"),
                  std::string::npos);
        if (task(id).at("workflow").as_string() == "GDPR-33" &&
            task(id).at("origin").as_string() == "event") {
            EXPECT_EQ(task(id).at("due_at").as_string(), "2027-04-18T08:30:00+02:00");
        }
    }
    auto english = page(anna, location + "?lang=en");
    EXPECT_NE(english.body.find("April 2027 at 08:30"), std::string::npos) << english.body;

    // In winter the same wall-clock reading is an hour later in UTC.
    auto winter = submit(anna, "/events",
                         {{"type", "incident"}, {"title", "Vinter"}, {"at", "2027-01-10T08:30"}});
    ASSERT_EQ(winter.status, 303) << winter.body;
    auto winter_page = page(anna, winter.headers["location"]);
    const auto winter_ids = row_ids(winter_page.body);
    ASSERT_FALSE(winter_ids.empty());
    bool checked = false;
    for (auto id : winter_ids)
        if (task(id).at("workflow").as_string() == "NIS2-EW") {
            EXPECT_EQ(task(id).at("due_at").as_string(), "2027-01-11T08:30:00+01:00");
            checked = true;
        }
    EXPECT_TRUE(checked);
}

// A refused event form comes back 422 with p.error and what was typed, and
// records nothing: no title, an awareness time that is not one, an unknown type.
TEST_F(CoordinatorPages, EventFormRefusals) {
    const auto before = json(get("/api/v1/tasks?workflow=NIS2-EW&limit=1")).at("total").as_int64();
    auto no_title =
        submit(anna, "/events",
               {{"type", "incident"}, {"title", ""}, {"detail", "Fundet af servicedesk"}});
    ASSERT_EQ(no_title.status, 422) << no_title.body;
    EXPECT_NE(
        no_title.body.find("<p class=\"error\" id=\"error\" role=\"alert\">Giv hændelsen en titel"),
        std::string::npos);
    EXPECT_NE(no_title.body.find(">Fundet af servicedesk</textarea>"), std::string::npos);
    EXPECT_NE(no_title.body.find("<option value=\"incident\" selected>"), std::string::npos);
    auto bad_time =
        submit(anna, "/events", {{"type", "incident"}, {"title", "X"}, {"at", "i går"}});
    EXPECT_EQ(bad_time.status, 422);
    EXPECT_NE(bad_time.body.find("value=\"i går\""), std::string::npos);
    auto no_type = submit(anna, "/events", {{"type", "meteor"}, {"title", "X"}});
    EXPECT_EQ(no_type.status, 422);
    EXPECT_EQ(json(get("/api/v1/tasks?workflow=NIS2-EW&limit=1")).at("total").as_int64(), before);
    EXPECT_EQ(page(anna, "/events/999999").status, 404);
}

// The first-start admin is nobody in the directory: the event form and the
// waiver ask who acts, refuse without it and record the chosen person.
TEST_F(CoordinatorPages, FirstStartAdminNamesWhoActs) {
    auto form = page(first_start, "/events/new");
    ASSERT_EQ(form.status, 200) << form.body;
    EXPECT_NE(form.body.find("<select id=\"event-by\" name=\"by\" required>"), std::string::npos);
    auto nobody = submit(first_start, "/events", {{"type", "incident"}, {"title", "X"}});
    EXPECT_EQ(nobody.status, 422);
    EXPECT_NE(nobody.body.find("Vælg den person"), std::string::npos);
    auto posted = submit(first_start, "/events",
                         {{"type", "incident"}, {"title", "X"}, {"by", "bo.nielsen"}});
    ASSERT_EQ(posted.status, 303) << posted.body;
    auto shown = page(first_start, posted.headers["location"]);
    EXPECT_NE(
        shown.body.find("<tr><th scope=\"row\">Indrapporteret af</th><td>Bo Nielsen</td></tr>"),
        std::string::npos)
        << shown.body;

    const auto id = task_in("RISK-SYS", "escalated");
    const std::string path = "/tasks/" + std::to_string(id);
    EXPECT_NE(page(first_start, path).body.find("<select id=\"waive-by\" name=\"by\" required>"),
              std::string::npos);
    auto no_one = submit(first_start, path + "/waive", {{"reason", "Udfaset"}});
    EXPECT_EQ(no_one.status, 422);
    EXPECT_NE(no_one.body.find("id=\"waive-error\""), std::string::npos);
    EXPECT_EQ(task(id).at("state").as_string(), "escalated");
    auto waived =
        submit(first_start, path + "/waive", {{"reason", "Udfaset"}, {"by", "anna.jensen"}});
    ASSERT_EQ(waived.status, 303) << waived.body;
    EXPECT_EQ(task(id).at("completed_by").as_string(), "anna.jensen");
}

// An owner gets the 403 page on every coordinator page and cannot post an
// event; a coordinator gets it on the admin's reload page; nobody signed in
// is sent to sign in.
TEST_F(CoordinatorPages, RolesAreRefused) {
    const auto id = std::to_string(task_in("RISK-SYS", "escalated"));
    for (const std::string& path :
         std::vector<std::string>{"/tasks", "/tasks/" + id, "/events/new", "/reload"}) {
        auto reply = page(carla, path);
        EXPECT_EQ(reply.status, 403) << path;
        EXPECT_TRUE(has_id(reply.body, "refused")) << path;
    }
    const auto before = json(get("/api/v1/tasks?workflow=NIS2-EW&limit=1")).at("total").as_int64();
    EXPECT_EQ(submit(carla, "/events", {{"type", "incident"}, {"title", "X"}}).status, 403);
    EXPECT_EQ(submit(carla, "/tasks/" + id + "/waive", {{"reason", "X"}}).status, 403);
    EXPECT_EQ(json(get("/api/v1/tasks?workflow=NIS2-EW&limit=1")).at("total").as_int64(), before);
    EXPECT_EQ(task(std::stoll(id)).at("state").as_string(), "escalated");
    auto reload = page(anna, "/reload");
    EXPECT_EQ(reload.status, 403);
    EXPECT_TRUE(has_id(reload.body, "refused"));
    auto anonymous = http_request(port, "GET", "/tasks?workflow=RISK-SYS");
    EXPECT_EQ(anonymous.status, 303);
    EXPECT_EQ(anonymous.headers["location"], "/signin?next=%2Ftasks%3Fworkflow%3DRISK-SYS");
}

// A form posted without the session's CSRF token, or with a wrong one, gets
// the 403 page and changes nothing.
TEST_F(CoordinatorPages, PostsWithoutCsrfAreRefused) {
    const auto id = std::to_string(task_in("RISK-SYS", "escalated"));
    auto waive = submit(anna, "/tasks/" + id + "/waive", {{"reason", "X"}}, false);
    EXPECT_EQ(waive.status, 403);
    EXPECT_TRUE(has_id(waive.body, "refused"));
    auto complete = submit(anna, "/tasks/" + id + "/complete",
                           {{"by", "carla.holm"}, {"csrf", carla.csrf}}, false);
    EXPECT_EQ(complete.status, 403);
    EXPECT_EQ(task(std::stoll(id)).at("state").as_string(), "escalated");
    const auto before = json(get("/api/v1/tasks?workflow=NIS2-EW&limit=1")).at("total").as_int64();
    auto event = submit(anna, "/events", {{"type", "incident"}, {"title", "X"}}, false);
    EXPECT_EQ(event.status, 403);
    EXPECT_TRUE(has_id(event.body, "refused"));
    EXPECT_EQ(json(get("/api/v1/tasks?workflow=NIS2-EW&limit=1")).at("total").as_int64(), before);
    EXPECT_EQ(submit(first_start, "/reload", {}, false).status, 403);
}

// The reload page: a broken workflow folder is refused with every error as
// file:line: message in ul#reload-errors and the running set stays; a good
// one is installed and the page shows the counts.
TEST_F(CoordinatorPages, ReloadPageShowsErrorsAndCounts) {
    auto form = page(first_start, "/reload");
    ASSERT_EQ(form.status, 200) << form.body;
    EXPECT_TRUE(has_id(form.body, "reload"));
    EXPECT_NE(form.body.find("name=\"csrf\" value=\"" + first_start.csrf + "\""),
              std::string::npos);
    const auto loaded = json(get("/api/v1/workflows")).at("workflows").as_array().size();

    const auto broken = workflows / "broken.lua";
    std::ofstream(broken) << "workflow {\n  id = \"BROKEN\",\n  titel = \"x\",\n}\n";
    auto refused = submit(first_start, "/reload", {});
    ASSERT_EQ(refused.status, 422) << refused.body;
    EXPECT_TRUE(has_id(refused.body, "reload-result"));
    EXPECT_TRUE(has_id(refused.body, "reload-errors"));
    EXPECT_TRUE(std::regex_search(
        refused.body, std::regex("<li><code>" + broken.string() + ":\\d+: [^<]+</code></li>")))
        << refused.body;
    EXPECT_EQ(json(get("/api/v1/workflows")).at("workflows").as_array().size(), loaded);

    fs::remove(broken);
    fs::remove(workflows / "inc-comms.lua");
    auto installed = submit(first_start, "/reload?lang=en", {});
    ASSERT_EQ(installed.status, 200) << installed.body;
    EXPECT_TRUE(has_id(installed.body, "reload-result"));
    EXPECT_NE(installed.body.find("<td class=\"num\" id=\"reload-workflows\">" +
                                  std::to_string(loaded - 1) + "</td>"),
              std::string::npos)
        << installed.body;
    EXPECT_NE(installed.body.find("Reloaded"), std::string::npos);
    EXPECT_FALSE(has_id(installed.body, "reload-errors"));
}

} // namespace
} // namespace aarshjul::testing

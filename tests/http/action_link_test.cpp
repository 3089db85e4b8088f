// SPDX-License-Identifier: MPL-2.0
#include "auth/action_link.h"
#include "http_fixture.h"

#include <iostream>
#include <set>

namespace aarshjul::testing {
namespace {

class ActionLink : public ApiFixture {
protected:
    void SetUp() override {
        ApiFixture::SetUp();
        require_evidence_for_risk_sys();
        auto mine = json(
            get("/api/v1/tasks?assignee=carla.holm&workflow=RISK-SYS&state=escalated&limit=1"));
        task = mine.at("tasks").as_array()[0].at("id").as_int64();
    }
    // The path and query of a link for `task` as sent to `person`.
    std::string link(const std::string& person, std::int64_t expires) const {
        ActionLinks links(kLinkKey, "http://aarshjul.test");
        return "/act/" + std::to_string(task) + "?" + links.query({task, person, expires});
    }
    std::string state() {
        return std::string(
            json(get("/api/v1/tasks/" + std::to_string(task))).at("state").as_string());
    }
    // POSTs the confirmation form of `path_and_query` (as the page's form would).
    HttpReply confirm(const std::string& path_and_query, const std::string& note = "Klaret") {
        const auto q = path_and_query.find('?');
        return http_request(port, "POST", path_and_query.substr(0, q),
                            path_and_query.substr(q + 1) + "&note=" + note,
                            {"Content-Type: application/x-www-form-urlencoded"});
    }
    std::int64_t in_a_week() const { return to_unix(clock.now()) + 7 * 86400; }

    std::int64_t task = 0;
};

// GET shows a confirmation page with a form and changes nothing (mail scanners
// follow links); the form asks for the evidence the control requires, a POST
// without it is refused with that reason and the typed note kept, and with it
// the task is done as the link's person.
TEST_F(ActionLink, GetConfirmsPostCompletes) {
    const auto path = link("carla.holm", in_a_week());
    for (int i = 0; i < 3; ++i) {
        auto page = get(path, "");
        ASSERT_EQ(page.status, 200) << page.body;
        EXPECT_NE(page.body.find("<form class=\"complete\" id=\"complete\" method=\"post\""),
                  std::string::npos)
            << page.body;
        EXPECT_NE(page.body.find("Markér opgaven som udført"), std::string::npos);
        EXPECT_NE(page.body.find("name=\"evidence\" value=\"\" maxlength=\"2000\""),
                  std::string::npos);
        EXPECT_NE(page.body.find("required aria-required=\"true\""), std::string::npos);
        EXPECT_NE(page.body.find("(påkrævet)"), std::string::npos);
    }
    EXPECT_EQ(state(), "escalated");
    auto refused = confirm(path, "Gennemg%C3%A5et+p%C3%A5+m%C3%B8det");
    EXPECT_EQ(refused.status, 422) << refused.body;
    EXPECT_NE(refused.body.find("Opgaven kræver dokumentation"), std::string::npos) << refused.body;
    EXPECT_EQ(refused.body.find("allerede afsluttet"), std::string::npos);
    EXPECT_NE(refused.body.find(">Gennemgået på mødet</textarea>"), std::string::npos);
    EXPECT_EQ(state(), "escalated");

    auto done =
        confirm(path, "Gennemg%C3%A5et+p%C3%A5+m%C3%B8det&evidence=https%3A%2F%2Fesdh%2Fsag%2F9");
    ASSERT_EQ(done.status, 200) << done.body;
    EXPECT_NE(done.body.find("id=\"done\""), std::string::npos);
    auto task_json = json(get("/api/v1/tasks/" + std::to_string(task)));
    EXPECT_EQ(task_json.at("state").as_string(), "done");
    EXPECT_EQ(task_json.at("completed_by").as_string(), "carla.holm");
    EXPECT_EQ(task_json.at("note").as_string(), "Gennemgået på mødet");
    EXPECT_EQ(task_json.at("evidence").as_string(), "https://esdh/sag/9");
}

// Every shipped control can be completed from its reminder's link: with the
// shipped cycle loaded and every event type reported, one task of each
// control is confirmed through its link, with evidence where the control
// requires it (refused with that reason first) and without where it does not.
TEST_F(ActionLink, EveryShippedControlCompletesFromItsLink) {
    namespace fs = std::filesystem;
    const fs::path src = AARSHJUL_SOURCE_DIR;
    fs::remove_all(workflows);
    fs::create_directories(workflows);
    for (const char* set : {"common", "municipality"})
        for (const auto& file : fs::directory_iterator(src / "workflows" / set))
            fs::copy_file(file.path(), workflows / file.path().filename());
    auto reloaded = post("/api/v1/workflows/reload", "{}", kAdminToken);
    ASSERT_EQ(reloaded.status, 200) << reloaded.body;
    std::set<std::string> types;
    for (const auto& wf : context->definitions->workflows)
        if (wf.trigger.kind == Trigger::Kind::Event)
            types.insert(wf.trigger.name);
    // Each names a system: a per-system duty (DPA-NEW) starts for the system it concerns.
    const std::string system = context->definitions->directory.systems.at(0).id;
    for (const auto& type : types)
        ASSERT_EQ(
            post("/api/v1/events",
                 R"({"type":")" + type + R"(","title":"Prøve","systems":[")" + system + R"("]})")
                .status,
            201)
            << type;

    int required = 0, optional = 0, with_outcomes = 0;
    std::vector<std::string> without_task;
    std::set<std::string> completed;
    // Two passes: a control that follows another's completion (NIS2-FIN after
    // NIS2-NOT) has its task only once the first pass completed that one.
    for (int pass = 0; pass < 2; ++pass)
        for (const auto& wf : context->definitions->workflows) {
            if (!wf.enabled || completed.count(wf.id))
                continue;
            auto found = json(get("/api/v1/tasks?workflow=" + wf.id +
                                  "&state=scheduled,open,due,overdue,escalated&limit=1"));
            const auto& tasks = found.at("tasks").as_array();
            if (tasks.empty()) {
                if (pass == 1)
                    without_task.push_back(wf.id);
                continue;
            }
            completed.insert(wf.id);
            task = tasks[0].at("id").as_int64();
            const std::string person(tasks[0].at("assignee").as_string());
            const auto path = link(person.empty() ? "anna.jensen" : person, in_a_week());
            auto page = get(path, "");
            ASSERT_EQ(page.status, 200) << wf.id << ": " << page.body;
            EXPECT_EQ(page.body.find("(påkrævet)") != std::string::npos, wf.evidence_required)
                << wf.id;
            // A control that declares outcomes asks which one, and needs it.
            EXPECT_EQ(page.body.find("name=\"outcome\"") != std::string::npos, !wf.outcomes.empty())
                << wf.id;
            std::string typed = "x";
            auto first = confirm(path, typed);
            if (wf.evidence_required) {
                ++required;
                EXPECT_EQ(first.status, 422) << wf.id << ": " << first.body;
                EXPECT_NE(first.body.find("Opgaven kræver dokumentation"), std::string::npos)
                    << wf.id;
                EXPECT_EQ(first.body.find("allerede afsluttet"), std::string::npos) << wf.id;
                typed += "&evidence=Sag+2027-1";
                first = confirm(path, typed);
            } else {
                ++optional;
            }
            if (!wf.outcomes.empty()) {
                ++with_outcomes;
                EXPECT_EQ(first.status, 422) << wf.id << ": " << first.body;
                EXPECT_NE(first.body.find("Vælg hvad kontrollen fandt"), std::string::npos)
                    << wf.id;
                first = confirm(path, typed + "&outcome=" + wf.outcomes[0].id);
            }
            EXPECT_EQ(first.status, 200) << wf.id << ": " << first.body;
            EXPECT_EQ(state(), "done") << wf.id;
        }
    // The shipped cycle: most controls require evidence; a few have no
    // occurrence within the horizon (the electoral-term plan) or only follow
    // another's completion.
    std::string missing;
    for (const auto& id : without_task)
        missing += id + " ";
    std::cout << "completed " << required << " controls with evidence, " << optional
              << " without; no task: " << missing << "\n";
    EXPECT_GE(required, 20);
    EXPECT_GE(optional, 8);
    // COMPL, RISK-SYS, RISK-PORT, BCP-TEST, DP-TILSYN, GDPR-33, NIS2-EW, NIS2-NOT.
    EXPECT_EQ(with_outcomes, 8);
    // Only the plan per electoral term has no occurrence within the horizon.
    EXPECT_LE(without_task.size(), 1u) << missing;
}

// The same link replayed after completion gets a clear 409 page and changes nothing.
TEST_F(ActionLink, ReplayAfterCompletionIs409) {
    const auto path = link("carla.holm", in_a_week());
    ASSERT_EQ(confirm(path, "Klaret&evidence=https%3A%2F%2Fesdh%2Fsag%2F1").status, 200);
    const auto history = json(get("/api/v1/tasks/" + std::to_string(task))).at("history");
    auto replay = confirm(path, "Klaret&evidence=https%3A%2F%2Fesdh%2Fsag%2F1");
    EXPECT_EQ(replay.status, 409);
    EXPECT_NE(replay.body.find("allerede afsluttet"), std::string::npos) << replay.body;
    EXPECT_NE(replay.body.find("Carla Holm"), std::string::npos) << replay.body;
    auto page = get(path, "");
    EXPECT_EQ(page.status, 409);
    EXPECT_EQ(json(get("/api/v1/tasks/" + std::to_string(task))).at("history"), history);
}

// An expired link is a clear 403 page on GET and POST.
TEST_F(ActionLink, ExpiredIs403) {
    const auto path = link("carla.holm", to_unix(clock.now()) - 1);
    auto page = get(path, "");
    EXPECT_EQ(page.status, 403);
    EXPECT_NE(page.body.find("Linket er udløbet"), std::string::npos) << page.body;
    EXPECT_EQ(confirm(path).status, 403);
    EXPECT_EQ(state(), "escalated");
}

// A tampered link (another person, another task, an edited signature or
// expiry) is a 403 page and completes nothing.
TEST_F(ActionLink, TamperedIs403) {
    const auto good = link("carla.holm", in_a_week());
    std::string other_person = good;
    other_person.replace(other_person.find("carla.holm"), 10, "anna.jensen");
    std::string other_expiry = link("carla.holm", in_a_week() + 86400);
    other_expiry = other_expiry.substr(0, other_expiry.find("&s=")) + good.substr(good.find("&s="));
    std::string edited_sig = good;
    edited_sig.back() = edited_sig.back() == 'A' ? 'B' : 'A';
    const std::string other_task = "/act/" + std::to_string(task + 1) + good.substr(good.find('?'));
    for (const auto& path : {other_person, other_expiry, edited_sig, other_task,
                             "/act/" + std::to_string(task) + "?p=carla.holm"}) {
        auto page = get(path, "");
        EXPECT_EQ(page.status, 403) << path;
        EXPECT_NE(page.body.find("Linket er ugyldigt"), std::string::npos) << page.body;
        EXPECT_EQ(confirm(path).status, 403) << path;
    }
    EXPECT_EQ(state(), "escalated");
    EXPECT_EQ(get("/act/not-a-number?p=a&e=1&s=x", "").status, 404);
    // A form in another encoding is refused.
    auto q = good.find('?');
    auto wrong_type = http_request(port, "POST", good.substr(0, q), good.substr(q + 1),
                                   {"Content-Type: text/plain"});
    EXPECT_EQ(wrong_type.status, 415);
    EXPECT_EQ(http_request(port, "POST", good.substr(0, q), "p=%zz",
                           {"Content-Type: application/x-www-form-urlencoded"})
                  .status,
              400);
}

// The page speaks English when asked.
TEST_F(ActionLink, EnglishPage) {
    auto page = http_request(port, "GET", link("carla.holm", in_a_week()), {},
                             {"Accept-Language: en-GB,en;q=0.9"});
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("Mark the task as done"), std::string::npos);
}

} // namespace
} // namespace aarshjul::testing

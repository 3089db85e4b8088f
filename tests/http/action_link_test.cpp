#include "auth/action_link.h"
#include "http_fixture.h"

namespace aarshjul::testing {
namespace {

class ActionLink : public ApiFixture {
protected:
    void SetUp() override {
        ApiFixture::SetUp();
        auto mine = json(get("/api/v1/tasks?assignee=carla.holm&state=escalated&limit=1"));
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
// follow links); its POST completes the task as the link's person.
TEST_F(ActionLink, GetConfirmsPostCompletes) {
    const auto path = link("carla.holm", in_a_week());
    for (int i = 0; i < 3; ++i) {
        auto page = get(path, "");
        ASSERT_EQ(page.status, 200) << page.body;
        EXPECT_NE(page.body.find("<form method=\"post\""), std::string::npos);
        EXPECT_NE(page.body.find("Markér opgaven som udført"), std::string::npos);
    }
    EXPECT_EQ(state(), "escalated");
    auto done = confirm(path, "Gennemg%C3%A5et+p%C3%A5+m%C3%B8det");
    ASSERT_EQ(done.status, 200) << done.body;
    EXPECT_NE(done.body.find("Tak"), std::string::npos);
    auto task_json = json(get("/api/v1/tasks/" + std::to_string(task)));
    EXPECT_EQ(task_json.at("state").as_string(), "done");
    EXPECT_EQ(task_json.at("completed_by").as_string(), "carla.holm");
    EXPECT_EQ(task_json.at("note").as_string(), "Gennemgået på mødet");
}

// The same link replayed after completion gets a clear 409 page and changes nothing.
TEST_F(ActionLink, ReplayAfterCompletionIs409) {
    const auto path = link("carla.holm", in_a_week());
    ASSERT_EQ(confirm(path).status, 200);
    const auto history = json(get("/api/v1/tasks/" + std::to_string(task))).at("history");
    auto replay = confirm(path);
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

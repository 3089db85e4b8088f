// SPDX-License-Identifier: MPL-2.0
// The pages people use in a browser: sign-in by e-mail link, sessions, CSRF,
// single sign-on through a trusted proxy, the first-start link and "Mine
// opgaver" by session or by signed personal link. Driven through the real
// server and router; the browser journeys (tests/browser) drive Chromium.

#include "auth/action_link.h"
#include "http/api.h"
#include "http/handlers.h"
#include "http/page_render.h"
#include "http_fixture.h"
#include "store/api_tokens.h"
#include "store/sqlite/statement.h"
#include "store/web_sessions.h"

#include <regex>
#include <set>

namespace aarshjul::testing {
namespace {

class WebPages : public ApiFixture {
protected:
    void SetUp() override {
        ApiFixture::SetUp();
        require_evidence_for_risk_sys();
    }
    // One of carla.holm's escalated RISK-SYS tasks.
    std::string carlas_risk_task() {
        auto mine = json(
            get("/api/v1/tasks?assignee=carla.holm&workflow=RISK-SYS&state=escalated&limit=1"));
        return std::to_string(mine.at("tasks").as_array().at(0).at("id").as_int64());
    }
    // The Cookie header value for a Set-Cookie reply ("name=value").
    static std::string cookie_of(const HttpReply& reply) {
        const std::string set =
            reply.headers.count("set-cookie") ? reply.headers.at("set-cookie") : std::string();
        return set.substr(0, set.find(';'));
    }
    static std::string field(const std::string& html, const std::string& name) {
        std::smatch m;
        const std::regex re("name=\"" + name + "\" value=\"([^\"]*)\"");
        return std::regex_search(html, m, re) ? m[1].str() : std::string();
    }
    HttpReply get_with(const std::string& path, const std::vector<std::string>& headers) {
        return http_request(port, "GET", path, {}, headers);
    }
    HttpReply post_form(const std::string& path, const std::string& body,
                        std::vector<std::string> headers = {}) {
        headers.push_back("Content-Type: application/x-www-form-urlencoded");
        return http_request(port, "POST", path, body, headers);
    }
    // The sign-in mails queued so far, as (recipient, body).
    std::vector<std::pair<std::string, std::string>> signin_mails() {
        std::vector<std::pair<std::string, std::string>> out;
        on_loop([&] {
            auto st = db->prepare("SELECT recipient, body FROM outbox WHERE kind = 'signin' "
                                  "ORDER BY id");
            ASSERT_TRUE(st.ok());
            while (*st->step())
                out.emplace_back(st->column_text(0), st->column_text(1));
        });
        return out;
    }
    // Asks for a sign-in link for `address` as a browser would.
    HttpReply ask_for_link(const std::string& address) {
        auto form = get("/signin", "");
        const std::string cookie = cookie_of(form);
        return post_form("/signin", "csrf=" + field(form.body, "csrf") + "&email=" + address,
                         {"Cookie: " + cookie});
    }
    // Signs `address` in through the mailed link; the session cookie.
    std::string sign_in(const std::string& address) {
        const auto before = signin_mails().size();
        EXPECT_EQ(ask_for_link(address).status, 200);
        const auto mails = signin_mails();
        EXPECT_EQ(mails.size(), before + 1);
        if (mails.size() != before + 1)
            return {};
        std::smatch m;
        const std::regex re("http://aarshjul\\.test(/signin/[A-Za-z0-9_-]+)");
        EXPECT_TRUE(std::regex_search(mails.back().second, m, re)) << mails.back().second;
        link_path = m[1].str();
        auto confirm = get(link_path, "");
        EXPECT_EQ(confirm.status, 200) << confirm.body;
        auto signed_in = post_form(link_path, "");
        EXPECT_EQ(signed_in.status, 303) << signed_in.body;
        EXPECT_EQ(signed_in.headers["location"], "/me");
        const std::string set = signed_in.headers["set-cookie"];
        EXPECT_NE(set.find("HttpOnly"), std::string::npos);
        EXPECT_NE(set.find("SameSite=Lax"), std::string::npos);
        return cookie_of(signed_in);
    }
    // The ids of the tasks listed on a "Mine opgaver" page.
    static std::set<std::int64_t> listed(const std::string& html) {
        std::set<std::int64_t> ids;
        const std::regex re("<article class=\"task[^\"]*\" id=\"task-([0-9]+)\"");
        for (auto it = std::sregex_iterator(html.begin(), html.end(), re);
             it != std::sregex_iterator(); ++it)
            ids.insert(std::stoll((*it)[1].str()));
        return ids;
    }
    // Carla's open tasks by the API: assigned to her or of systems she owns or
    // is responsible for.
    std::set<std::int64_t> carlas_open_tasks() {
        std::set<std::string> systems;
        for (const auto& s : setup->definitions->directory.systems)
            if (s.owner == "carla.holm" || s.responsible == "carla.holm")
                systems.insert(s.id);
        std::set<std::int64_t> ids;
        auto all = json(get("/api/v1/tasks?state=open,due,overdue,escalated&limit=500"));
        for (const auto& t : all.at("tasks").as_array())
            if (t.at("assignee").as_string() == "carla.holm" ||
                (t.at("system").is_string() &&
                 systems.count(std::string(t.at("system").as_string()))))
                ids.insert(t.at("id").as_int64());
        return ids;
    }
    std::string personal_query(const std::string& person, std::int64_t expires) const {
        ActionLinks links(kLinkKey, "http://aarshjul.test");
        return links.personal_query(PersonalLink::MyTasks, person, expires);
    }
    std::int64_t in_a_week() const { return to_unix(clock.now()) + 7 * 86400; }

    std::string link_path;
};

// Without credentials the status page sends the browser to sign in.
TEST_F(WebPages, StatusPageLeadsToSignIn) {
    auto page = get("/", "");
    EXPECT_EQ(page.status, 303);
    EXPECT_EQ(page.headers["location"], "/signin?next=%2F");
    auto signin = get("/signin", "");
    EXPECT_EQ(signin.status, 200);
    EXPECT_NE(signin.body.find("id=\"signin\""), std::string::npos);
    EXPECT_NE(signin.headers["set-cookie"].find("aarshjul_signin="), std::string::npos);
}

// A directory person gets a single-use link that signs them in; "Mine opgaver"
// then lists exactly their tasks; the link used again is refused.
TEST_F(WebPages, SignInByMailLink) {
    const std::string cookie = sign_in("Carla.Holm@eksempel.dk");
    ASSERT_FALSE(cookie.empty());
    auto me = get_with("/me", {"Cookie: " + cookie});
    ASSERT_EQ(me.status, 200) << me.body;
    EXPECT_EQ(listed(me.body), carlas_open_tasks());
    EXPECT_FALSE(listed(me.body).empty());
    EXPECT_NE(me.body.find("id=\"calendar-url\""), std::string::npos);
    EXPECT_NE(me.body.find("http://aarshjul.test/me/calendar.ics?p=carla.holm"), std::string::npos);
    EXPECT_NE(me.body.find("id=\"signout\""), std::string::npos);
    // Empty values open no section: no empty error box, no empty flash, no id="".
    EXPECT_EQ(me.body.find("class=\"error\""), std::string::npos);
    EXPECT_EQ(me.body.find("id=\"flash\""), std::string::npos);
    EXPECT_EQ(me.body.find("id=\"\""), std::string::npos);
    // The status page opens with the session too, and says nothing of failed
    // deliveries when there are none.
    auto status = get_with("/", {"Cookie: " + cookie});
    EXPECT_EQ(status.status, 200);
    EXPECT_EQ(status.body.find("kunne ikke leveres"), std::string::npos);
    // Spent: the same link neither shows its button nor signs in again.
    EXPECT_EQ(get(link_path, "").status, 403);
    auto again = post_form(link_path, "");
    EXPECT_EQ(again.status, 403);
    EXPECT_NE(again.body.find("id=\"refused\""), std::string::npos);
    EXPECT_EQ(again.headers.count("set-cookie"), 0u);
}

// The answer is the same for any address, and only a directory person gets a
// mail: nobody learns who is in the directory.
TEST_F(WebPages, SignInDoesNotEnumerate) {
    auto known = ask_for_link("carla.holm@eksempel.dk");
    auto unknown = ask_for_link("nobody@example.org");
    EXPECT_EQ(known.status, 200);
    EXPECT_EQ(unknown.status, 200);
    auto text = [](const std::string& html) {
        const auto at = html.find("<main>");
        return html.substr(at);
    };
    EXPECT_EQ(text(known.body), text(unknown.body));
    const auto mails = signin_mails();
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_EQ(mails[0].first, "carla.holm");
}

// Sign-in mails are rate-limited per address (3 in 15 minutes by default)
// and the page says the same when the limit is hit.
TEST_F(WebPages, SignInIsRateLimited) {
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(ask_for_link("carla.holm@eksempel.dk").status, 200);
    EXPECT_EQ(signin_mails().size(), 3u);
    clock.advance(std::chrono::minutes{16});
    ask_for_link("carla.holm@eksempel.dk");
    EXPECT_EQ(signin_mails().size(), 4u);
}

// A sign-in form without its CSRF token is refused.
TEST_F(WebPages, SignInFormNeedsItsToken) {
    auto refused = post_form("/signin", "email=carla.holm%40eksempel.dk");
    EXPECT_EQ(refused.status, 403);
    EXPECT_TRUE(signin_mails().empty());
}

// A sign-in link expires after 15 minutes.
TEST_F(WebPages, SignInLinkExpires) {
    ask_for_link("carla.holm@eksempel.dk");
    const auto mails = signin_mails();
    ASSERT_EQ(mails.size(), 1u);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(mails[0].second, m, std::regex("(/signin/[A-Za-z0-9_-]+)")));
    clock.advance(std::chrono::minutes{16});
    EXPECT_EQ(post_form(m[1].str(), "").status, 403);
}

// After sign-out the session's cookie opens nothing; sign-out needs the CSRF token.
TEST_F(WebPages, SignOutEndsTheSession) {
    const std::string cookie = sign_in("carla.holm@eksempel.dk");
    auto me = get_with("/me", {"Cookie: " + cookie});
    const std::string csrf = field(me.body, "csrf");
    ASSERT_FALSE(csrf.empty());
    EXPECT_EQ(post_form("/signout", "", {"Cookie: " + cookie}).status, 403);
    auto out = post_form("/signout", "csrf=" + csrf, {"Cookie: " + cookie});
    EXPECT_EQ(out.status, 303);
    EXPECT_NE(out.headers["set-cookie"].find("Max-Age=0"), std::string::npos);
    EXPECT_EQ(get_with("/", {"Cookie: " + cookie}).status, 303);
    EXPECT_EQ(get_with("/me", {"Cookie: " + cookie}).status, 303);
}

// A session ends after the idle limit (60 minutes by default).
TEST_F(WebPages, SessionIdleLimit) {
    const std::string cookie = sign_in("carla.holm@eksempel.dk");
    clock.advance(std::chrono::minutes{30});
    EXPECT_EQ(get_with("/me", {"Cookie: " + cookie}).status, 200);
    clock.advance(std::chrono::minutes{61});
    EXPECT_EQ(get_with("/me", {"Cookie: " + cookie}).status, 303);
}

// Completing from "Mine opgaver" needs the session's CSRF token; without the
// required evidence it is refused in that task's form with the note kept; with
// it the task is done.
TEST_F(WebPages, CompleteFromMyTasks) {
    const std::string cookie = sign_in("carla.holm@eksempel.dk");
    const auto id = carlas_risk_task();
    auto me = get_with("/me", {"Cookie: " + cookie});
    const std::string csrf = field(me.body, "csrf");
    EXPECT_EQ(post_form("/me/tasks/" + id + "/complete", "note=x", {"Cookie: " + cookie}).status,
              403);
    auto refused = post_form("/me/tasks/" + id + "/complete", "csrf=" + csrf + "&note=Husk+mig",
                             {"Cookie: " + cookie});
    EXPECT_EQ(refused.status, 422) << refused.body;
    EXPECT_NE(refused.body.find("id=\"t" + id + "-error\""), std::string::npos) << refused.body;
    EXPECT_NE(refused.body.find(">Husk mig</textarea>"), std::string::npos);
    auto done =
        post_form("/me/tasks/" + id + "/complete",
                  "csrf=" + csrf + "&note=Husk+mig&evidence=Sag+2027-44", {"Cookie: " + cookie});
    EXPECT_EQ(done.status, 303) << done.body;
    auto task = json(get("/api/v1/tasks/" + id));
    EXPECT_EQ(task.at("state").as_string(), "done");
    EXPECT_EQ(task.at("evidence").as_string(), "Sag 2027-44");
    // Someone else's task is not reachable from here.
    auto others = json(get("/api/v1/tasks?assignee=anna.jensen&limit=1")).at("tasks").as_array();
    ASSERT_FALSE(others.empty());
    EXPECT_EQ(post_form("/me/tasks/" + std::to_string(others[0].at("id").as_int64()) + "/complete",
                        "csrf=" + csrf + "&evidence=x", {"Cookie: " + cookie})
                  .status,
              404);
}

// The personal link of a notice opens "Mine opgaver" without signing in; an
// altered or expired one is refused.
TEST_F(WebPages, PersonalLink) {
    const std::string q = personal_query("carla.holm", in_a_week());
    auto me = get("/me?" + q, "");
    ASSERT_EQ(me.status, 200) << me.body;
    EXPECT_EQ(listed(me.body), carlas_open_tasks());
    auto altered =
        get("/me?" + std::regex_replace(q, std::regex("carla\\.holm"), "anna.jensen"), "");
    EXPECT_EQ(altered.status, 403);
    EXPECT_NE(altered.body.find("id=\"refused\""), std::string::npos);
    auto expired = get("/me?" + personal_query("carla.holm", to_unix(clock.now()) - 1), "");
    EXPECT_EQ(expired.status, 403);
    // A one-click link's signature does not open the personal page.
    ActionLinks links(kLinkKey, "http://aarshjul.test");
    EXPECT_EQ(get("/me?" + links.query({1, "carla.holm", in_a_week()}), "").status, 403);
    // Its forms carry the link, which completes one of the person's tasks.
    const auto id = carlas_risk_task();
    auto done = post_form("/me/tasks/" + id + "/complete", q + "&evidence=Sag+1");
    EXPECT_EQ(done.status, 303) << done.body;
    EXPECT_EQ(json(get("/api/v1/tasks/" + id)).at("state").as_string(), "done");
    // The calendar link on the page is a feed of the person's tasks.
    std::smatch m;
    ASSERT_TRUE(std::regex_search(
        me.body, m, std::regex("http://aarshjul\\.test(/me/calendar\\.ics\\?[^\"]+)")));
    std::string feed = std::regex_replace(m[1].str(), std::regex("&amp;"), "&");
    auto ics = get(feed, "");
    EXPECT_EQ(ics.status, 200) << feed;
    EXPECT_NE(ics.body.find("BEGIN:VCALENDAR"), std::string::npos);
    EXPECT_EQ(get(feed + "x", "").status, 403);
}

// A trusted proxy's user header signs the person in (e-mail or id); from any
// other address the header is ignored.
TEST_F(WebPages, SingleSignOnFromTrustedProxyOnly) {
    http::WebSettings settings;
    settings.user_header = "x-remote-user";
    settings.trusted_proxies = {"127.0.0.1"};
    on_loop([&] { context->web = http::WebAuth(settings); });
    auto page = get_with("/", {"X-Remote-User: anna.jensen@eksempel.dk"});
    EXPECT_EQ(page.status, 200) << page.body;
    EXPECT_NE(page.body.find("Anna Jensen"), std::string::npos);
    EXPECT_NE(page.body.find("href=\"/tasks\""), std::string::npos); // coordinator pages
    EXPECT_NE(page.headers["set-cookie"].find("aarshjul_session="), std::string::npos);
    // The same proxy naming an unknown person signs nobody in.
    EXPECT_EQ(get_with("/", {"X-Remote-User: mallory@example.org"}).status, 303);

    settings.trusted_proxies = {"10.1.2.3"};
    on_loop([&] { context->web = http::WebAuth(settings); });
    EXPECT_EQ(get_with("/", {"X-Remote-User: anna.jensen"}).status, 303);
}

// Rights follow the directory: http.admins are admin, the coordinator role is
// coordinator, everyone else is an owner.
TEST_F(WebPages, RolesFollowTheDirectory) {
    http::WebSettings settings;
    settings.admins = {"dorte.lund"};
    http::WebAuth web(settings);
    const auto& directory = setup->definitions->directory;
    EXPECT_EQ(web.role_of(directory, *directory.find_person("dorte.lund")), http::Role::Admin);
    EXPECT_EQ(web.role_of(directory, *directory.find_person("anna.jensen")),
              http::Role::Coordinator);
    EXPECT_EQ(web.role_of(directory, *directory.find_person("carla.holm")), http::Role::Owner);
}

// The first-start link signs in as admin once and lands on the status page.
TEST_F(WebPages, FirstStartLink) {
    std::string link;
    on_loop([&] {
        auto made = http::make_first_start_link(*context, "http://127.0.0.1:1");
        ASSERT_TRUE(made.ok());
        link = made->substr(std::string("http://127.0.0.1:1").size());
    });
    auto first = get(link, "");
    EXPECT_EQ(first.status, 303);
    EXPECT_EQ(first.headers["location"], "/");
    const std::string cookie = cookie_of(first);
    auto status = get_with("/", {"Cookie: " + cookie});
    EXPECT_EQ(status.status, 200);
    EXPECT_NE(status.body.find("href=\"/reload\""), std::string::npos); // admin
    EXPECT_EQ(get(link, "").status, 403);
    // Configured admins who can sign in by mail need no first-start link.
    Config config = setup->config;
    EXPECT_TRUE(http::admin_can_sign_in(config, setup->definitions->directory,
                                        context->store.api_tokens(), clock.now()));
    config.http_tokens.clear();
    EXPECT_FALSE(http::admin_can_sign_in(config, setup->definitions->directory,
                                         context->store.api_tokens(), clock.now()));
    config.http_admins = {"anna.jensen"};
    EXPECT_TRUE(http::admin_can_sign_in(config, setup->definitions->directory,
                                        context->store.api_tokens(), clock.now()));
}

// Spent and expired sign-in links are forgotten a day later, sessions after
// 90 days unused; a live session stays.
TEST_F(WebPages, OldSessionsAndLinksArePruned) {
    const std::string cookie = sign_in("carla.holm@eksempel.dk");
    auto count = [&](const char* table) {
        std::int64_t n = -1;
        on_loop([&] {
            auto st = db->prepare(std::string("SELECT COUNT(*) FROM ") + table);
            ASSERT_TRUE(st.ok());
            ASSERT_TRUE(*st->step());
            n = st->column_int64(0);
        });
        return n;
    };
    EXPECT_EQ(count("signin_links"), 1);
    on_loop([&] { ASSERT_TRUE(context->store.web_sessions().prune(to_unix(clock.now())).ok()); });
    EXPECT_EQ(count("signin_links"), 1);
    EXPECT_EQ(count("web_sessions"), 1);
    on_loop([&] {
        ASSERT_TRUE(context->store.web_sessions().prune(to_unix(clock.now()) + 2 * 86400).ok());
    });
    EXPECT_EQ(count("signin_links"), 0);
    EXPECT_EQ(count("web_sessions"), 1);
    on_loop([&] {
        ASSERT_TRUE(context->store.web_sessions().prune(to_unix(clock.now()) + 91 * 86400).ok());
    });
    EXPECT_EQ(count("web_sessions"), 0);
}

// Every page template renders in both languages, and both languages have the
// same words.
TEST(PageTemplates, BothLanguagesHaveTheSameWords) {
    const auto& pages = http::PageTemplates::builtin();
    EXPECT_EQ(pages.keys(http::Lang::Da), pages.keys(http::Lang::En));
    EXPECT_GT(pages.keys(http::Lang::Da).size(), 50u);
    for (const auto& name : pages.names()) {
        if (name.starts_with('_') || name == "layout")
            continue;
        for (auto lang : {http::Lang::Da, http::Lang::En}) {
            const std::string html = pages.render(name, lang, http::Chrome{}, http::page_object());
            EXPECT_NE(html.find("</html>"), std::string::npos) << name;
        }
    }
}

} // namespace
} // namespace aarshjul::testing

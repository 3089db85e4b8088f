// SPDX-License-Identifier: MPL-2.0
// What reaches people: notices rendered from the templates in the recipient's
// language, one-click links that verify, per-workflow channels, escalations to
// a committee's channel, and `escalate = {}`.
#include "auth/action_link.h"
#include "engine/engine.h"
#include "store/secrets.h"
#include "store/sqlite/sqlite_store.h"
#include "support/engine_fixture.h"
#include "support/temp_dir.h"

#include <boost/json.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <regex>

namespace aarshjul {
namespace {

using testing::copenhagen;
using ::testing::HasSubstr;
using testing::make_workflow;
using ::testing::Not;

constexpr const char* kYearlyMarch = "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1";

struct Row {
    std::string kind, channel, recipient, subject, body;
};

struct NoticeTest : ::testing::Test {
    Database db = testing::memory_store();
    FakeClock clock{copenhagen("2027-01-01T00:00:00")};
    Directory directory = testing::small_directory();
    EngineSettings settings{testing::copenhagen_zone()};
    std::unique_ptr<Engine> engine;

    NoticeTest() { settings.organisation = "Eksempel Kommune"; }

    void install(std::vector<WorkflowDef> workflows) {
        engine = std::make_unique<Engine>(std::make_unique<SqliteStore>(db), clock, settings);
        auto d = std::make_shared<Definitions>();
        d->workflows = std::move(workflows);
        d->directory = directory;
        ASSERT_TRUE(engine->install(d).ok());
        auto m = engine->materialise();
        ASSERT_TRUE(m.ok()) << m.error().to_string();
    }

    void run_until(Instant end) {
        for (;;) {
            auto next = engine->next_wakeup();
            ASSERT_TRUE(next.ok());
            if (!*next || **next > end)
                break;
            clock.set(std::max(**next, clock.now()));
            auto ticked = engine->tick();
            ASSERT_TRUE(ticked.ok()) << ticked.error().to_string();
        }
        clock.set(end);
    }

    std::vector<Row> outbox() {
        std::vector<Row> rows;
        auto st = db.prepare("SELECT kind, channel, recipient, subject, body FROM outbox ORDER "
                             "BY id");
        EXPECT_TRUE(st.ok());
        for (;;) {
            auto row = st->step();
            EXPECT_TRUE(row.ok());
            if (!row.ok() || !*row)
                break;
            rows.push_back({st->column_text(0), st->column_text(1), st->column_text(2),
                            st->column_text(3), st->column_text(4)});
        }
        return rows;
    }
};

// Anna reads Danish, Carla English: the same duty, each in their language,
// with the system, the control and its source, and dates as people write them.
TEST_F(NoticeTest, NoticesSpeakTheRecipientsLanguage) {
    directory.people[2].language = "en"; // carla
    auto wf = make_workflow("RISK-SYS", kYearlyMarch, 30, {7}, 0);
    wf.title = {"Risikovurdering", "Risk assessment"};
    wf.source = "ISO 27001 A.5.2";
    wf.for_each.kind = ForEach::Kind::Systems;
    wf.assignee = {AssigneeRef::Kind::Role, "system_responsible"};
    install({wf});
    run_until(copenhagen("2027-03-24T12:00:00"));

    auto rows = outbox();
    ASSERT_EQ(rows.size(), 2u);
    const Row& carla = rows[0].recipient == "carla" ? rows[0] : rows[1];
    const Row& bo = rows[0].recipient == "carla" ? rows[1] : rows[0];
    EXPECT_EQ(carla.subject, "Reminder: Risk assessment: System A (due 31 March 2027)");
    EXPECT_THAT(carla.body, HasSubstr("Dear Carla Holm"));
    EXPECT_THAT(carla.body, HasSubstr("Due:     31 March 2027"));
    EXPECT_THAT(carla.body, HasSubstr("System:  System A"));
    EXPECT_THAT(carla.body, HasSubstr("Control: RISK-SYS – Risk assessment"));
    EXPECT_THAT(carla.body, HasSubstr("Source:  ISO 27001 A.5.2"));
    EXPECT_THAT(carla.body, HasSubstr("Eksempel Kommune"));
    EXPECT_EQ(bo.subject, "Påmindelse: Risikovurdering: System B (frist 31. marts 2027)");
    EXPECT_THAT(bo.body, HasSubstr("Kære Bo Nielsen"));
    EXPECT_THAT(bo.body, HasSubstr("Frist:   31. marts 2027"));
    // Without a public URL the notice names the command that completes the task.
    EXPECT_THAT(bo.body, HasSubstr("aarshjul complete"));
    for (const auto& r : rows)
        EXPECT_THAT(r.body, Not(HasSubstr("{{")));
}

// Every notice links to a confirmation page; the link names the task and the
// recipient, verifies with the key in the database, and fails when tampered
// with or expired.
TEST_F(NoticeTest, EveryNoticeCarriesAVerifiableOneClickLink) {
    settings.public_url = "https://aarshjul.example.dk";
    settings.link_valid_days = 30;
    install({make_workflow("A", kYearlyMarch, 30, {7}, 0)});
    run_until(copenhagen("2027-03-24T12:00:00"));
    auto rows = outbox();
    ASSERT_EQ(rows.size(), 1u);

    static const std::regex link(
        R"(https://aarshjul\.example\.dk/act/(\d+)\?p=([^&]+)&e=(\d+)&s=([A-Za-z0-9_-]+))");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(rows[0].body, m, link)) << rows[0].body;
    EXPECT_THAT(rows[0].body, HasSubstr("linket virker til 23. april 2027"));
    auto key = load_or_create_link_key(SqliteStore(db).secrets());
    ASSERT_TRUE(key.ok());
    ActionLinks links(*key, "https://aarshjul.example.dk");
    const std::int64_t task_id = std::stoll(m[1].str());
    const Instant now = clock.now();

    auto claims = links.verify(task_id, m[2].str(), m[3].str(), m[4].str(), now);
    ASSERT_TRUE(claims.ok()) << claims.error().to_string();
    EXPECT_EQ(claims->person, "anna");
    EXPECT_EQ(claims->expires, to_unix(copenhagen("2027-03-24T08:00:00")) + 30 * 86400);

    std::string tampered = m[4].str();
    tampered[0] = tampered[0] == 'A' ? 'B' : 'A';
    EXPECT_THAT(links.verify(task_id, "anna", m[3].str(), tampered, now).error().message,
                HasSubstr("signature"));
    EXPECT_FALSE(links.verify(task_id, "bo", m[3].str(), m[4].str(), now).ok());
    EXPECT_FALSE(links.verify(task_id + 1, "anna", m[3].str(), m[4].str(), now).ok());
    EXPECT_FALSE(links.verify(task_id, "anna", "9999999999", m[4].str(), now).ok());
    EXPECT_THAT(
        links.verify(task_id, "anna", m[3].str(), m[4].str(), from_unix(claims->expires + 1))
            .error()
            .message,
        HasSubstr("expired"));
    // Webhooks get the same facts as structure.
    auto facts_row = db.prepare("SELECT facts FROM outbox");
    ASSERT_TRUE(facts_row.ok() && facts_row->step().ok());
    const auto facts = boost::json::parse(facts_row->column_text(0)).as_object();
    const auto& item = facts.at("items").as_array().at(0).as_object();
    EXPECT_EQ(item.at("task_id").as_int64(), task_id);
    EXPECT_EQ(item.at("workflow").as_string(), "A");
    EXPECT_EQ(item.at("assignee").as_string(), "anna");
    EXPECT_EQ(item.at("due").as_string(), "2027-03-31");
    EXPECT_EQ(item.at("kind").as_string(), "reminder");
    EXPECT_EQ(item.at("links").as_object().at("complete").as_string(), m[0].str());
    EXPECT_EQ(item.at("links").as_object().at("task").as_string(),
              "https://aarshjul.example.dk/api/v1/tasks/" + m[1].str());
    // The key survives: a second engine (a restart) signs with the same key.
    auto again = load_or_create_link_key(SqliteStore(db).secrets());
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *key);
}

// A workflow that names channels sends there, whatever the person prefers;
// other workflows still follow the person.
TEST_F(NoticeTest, WorkflowChannelsOverrideThePersonsOwn) {
    directory.people[0].channels = {"mail"}; // anna
    directory.people[0].digest = false;
    auto incident = make_workflow("A", kYearlyMarch, 30, {7}, 0);
    incident.channels = {"teams", "mail"};
    auto plain = make_workflow("B", kYearlyMarch, 30, {7}, 0);
    install({incident, plain});
    run_until(copenhagen("2027-03-24T12:00:00"));
    std::multiset<std::pair<std::string, std::string>> got; // (subject title, channel)
    for (const auto& r : outbox())
        got.emplace(r.subject.find("Titel A") != std::string::npos ? "A" : "B", r.channel);
    const std::multiset<std::pair<std::string, std::string>> want = {
        {"A", "mail"}, {"A", "teams"}, {"B", "mail"}};
    EXPECT_EQ(got, want);
}

// The last rung of a ladder goes to the security committee's Teams channel,
// without a personal link; the rungs before reach people.
TEST_F(NoticeTest, EscalationToACommitteeGoesToItsChannel) {
    settings.public_url = "https://aarshjul.example.dk";
    directory.bodies = {{"isu", "Informationssikkerhedsudvalget", "", "", {}, "isu-teams"}};
    auto wf = make_workflow("A", kYearlyMarch, 30, {}, 0);
    wf.escalate_is_default = false;
    wf.escalate = {{7, {AssigneeRef::Kind::Person, "bo"}}, {21, {AssigneeRef::Kind::Body, "isu"}}};
    install({wf});
    run_until(copenhagen("2027-05-01T00:00:00"));
    std::vector<Row> escalations;
    for (auto& r : outbox())
        if (r.kind == "escalation")
            escalations.push_back(r);
    ASSERT_EQ(escalations.size(), 2u);
    EXPECT_EQ(escalations[0].recipient, "bo");
    EXPECT_EQ(escalations[0].channel, "log");
    EXPECT_THAT(escalations[0].body, HasSubstr("/act/"));
    EXPECT_EQ(escalations[1].recipient, "body:isu");
    EXPECT_EQ(escalations[1].channel, "isu-teams");
    EXPECT_EQ(escalations[1].subject, "Eskalering: Titel A er 21 dage over fristen");
    EXPECT_THAT(escalations[1].body, HasSubstr("Kære Informationssikkerhedsudvalget"));
    EXPECT_THAT(escalations[1].body, HasSubstr("Ansvarlig: Anna Jensen (anna)"));
    EXPECT_THAT(escalations[1].body, Not(HasSubstr("/act/")));
}

// `escalate = {}` means never; a workflow without `escalate` follows the configured ladder.
TEST_F(NoticeTest, EmptyEscalateMeansNever) {
    settings.default_escalation = {{7, {AssigneeRef::Kind::Person, "bo"}}};
    auto quiet = make_workflow("A", kYearlyMarch, 30, {}, 0);
    quiet.escalate_is_default = false;
    auto usual = make_workflow("B", kYearlyMarch, 30, {}, 0);
    install({quiet, usual});
    run_until(copenhagen("2027-05-01T00:00:00"));
    std::vector<std::string> escalated;
    for (const auto& r : outbox())
        if (r.kind == "escalation")
            escalated.push_back(r.subject);
    ASSERT_EQ(escalated.size(), 1u);
    EXPECT_THAT(escalated[0], HasSubstr("Titel B"));
}

// A coordinator's own template replaces the built-in one; the others stay.
TEST_F(NoticeTest, CoordinatorsTemplateReplacesTheBuiltIn) {
    testing::TempDir dir;
    dir.write("templates/da/reminder.mustache",
              "Subject: [{{organisation}}] {{title}} senest {{due}}\n\nHej {{recipient_name}}.\n"
              "{{#link}}{{link}}{{/link}}\n");
    auto templates = NoticeTemplates::load({dir.path() / "templates"});
    ASSERT_TRUE(templates.ok()) << templates.error().to_string();
    settings.templates = std::make_shared<const NoticeTemplates>(std::move(*templates));
    directory.people[1].language = "en"; // bo
    auto a = make_workflow("A", kYearlyMarch, 30, {7}, 0);
    auto b = make_workflow("B", kYearlyMarch, 30, {7}, 0);
    b.assignee = {AssigneeRef::Kind::Person, "bo"};
    install({a, b});
    run_until(copenhagen("2027-03-24T12:00:00"));
    auto rows = outbox();
    ASSERT_EQ(rows.size(), 2u);
    for (const auto& r : rows) {
        if (r.recipient == "anna") {
            EXPECT_EQ(r.subject, "[Eksempel Kommune] Titel A senest 31. marts 2027");
            EXPECT_EQ(r.body, "Hej Anna Jensen.\n\n");
        } else {
            EXPECT_EQ(r.subject, "Reminder: Title B (due 31 March 2027)");
        }
    }
}

// The task ids a rendered part names, in order (from its one-click links).
std::vector<std::string> linked_tasks(const std::string& text) {
    static const std::regex id(R"(/act/(\d+)\?)");
    std::vector<std::string> out;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), id); it != std::sregex_iterator();
         ++it)
        out.push_back((*it)[1].str());
    return out;
}

// Every notice to a person is queued with its HTML part, and both parts carry
// a signed link to the person's "Mine opgaver" page that verifies and expires
// with the one-click links (link_valid_days).
TEST_F(NoticeTest, NoticesCarryHtmlAndALinkToMineOpgaver) {
    settings.public_url = "https://aarshjul.example.dk";
    settings.link_valid_days = 30;
    install({make_workflow("A", kYearlyMarch, 30, {7}, 0)});
    run_until(copenhagen("2027-03-24T12:00:00"));
    const auto bodies = testing::column_texts(db, "SELECT body FROM outbox");
    const auto html = testing::column_texts(db, "SELECT COALESCE(html_body, '') FROM outbox");
    ASSERT_EQ(bodies.size(), 1u);
    ASSERT_EQ(html.size(), 1u);

    static const std::regex me(
        R"(Se alle dine opgaver: https://aarshjul\.example\.dk/me\?p=(anna)&e=(\d+)&s=([A-Za-z0-9_-]+))");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(bodies[0], m, me)) << bodies[0];
    auto key = load_or_create_link_key(SqliteStore(db).secrets());
    ASSERT_TRUE(key.ok());
    ActionLinks links(*key, "https://aarshjul.example.dk");
    auto claims = links.verify_personal(PersonalLink::MyTasks, m[1].str(), m[2].str(), m[3].str(),
                                        clock.now());
    ASSERT_TRUE(claims.ok()) << claims.error().to_string();
    EXPECT_EQ(claims->expires, to_unix(copenhagen("2027-03-24T08:00:00")) + 30 * 86400);
    // A one-click link is not a "Mine opgaver" link: the domains differ.
    EXPECT_FALSE(
        links.verify_personal(PersonalLink::Calendar, "anna", m[2].str(), m[3].str(), clock.now())
            .ok());
    EXPECT_THAT(bodies[0], HasSubstr("virker til 23. april 2027"));

    EXPECT_THAT(html[0], HasSubstr("<!DOCTYPE html>"));
    EXPECT_THAT(html[0], HasSubstr("<a href=\"https://aarshjul.example.dk/me?p=anna&amp;e=" +
                                   m[2].str() + "&amp;s=" + m[3].str() + "\""));
    EXPECT_THAT(html[0], HasSubstr("(linket virker til 23. april 2027)"));
    EXPECT_EQ(linked_tasks(bodies[0]), linked_tasks(html[0]));
    EXPECT_EQ(linked_tasks(html[0]).size(), 1u);
}

// Without a public URL there are no links at all, in either part.
TEST_F(NoticeTest, WithoutAPublicUrlNeitherPartLinks) {
    install({make_workflow("A", kYearlyMarch, 30, {7}, 0)});
    run_until(copenhagen("2027-03-24T12:00:00"));
    const auto bodies = testing::column_texts(db, "SELECT body FROM outbox");
    const auto html = testing::column_texts(db, "SELECT COALESCE(html_body, '') FROM outbox");
    ASSERT_EQ(html.size(), 1u);
    EXPECT_THAT(bodies[0], Not(HasSubstr("Se alle dine opgaver")));
    EXPECT_THAT(html[0], Not(HasSubstr("/me?")));
    EXPECT_THAT(html[0], Not(HasSubstr("<a href")));
    EXPECT_THAT(html[0], HasSubstr("aarshjul complete"));
}

// A digest's text and HTML list the same tasks in the same order, each with
// its own one-click link and both with the "Mine opgaver" link once.
TEST_F(NoticeTest, DigestPartsListTheSameTasks) {
    settings.public_url = "https://aarshjul.example.dk";
    install({make_workflow("A", kYearlyMarch, 30, {7}, 0),
             make_workflow("B", kYearlyMarch, 30, {7}, 0),
             make_workflow("C", kYearlyMarch, 30, {7}, 0)});
    run_until(copenhagen("2027-03-24T12:00:00"));
    const auto kinds = testing::column_texts(db, "SELECT kind FROM outbox");
    ASSERT_EQ(kinds, std::vector<std::string>{"digest"});
    const auto body = testing::column_texts(db, "SELECT body FROM outbox")[0];
    const auto html = testing::column_texts(db, "SELECT html_body FROM outbox")[0];
    EXPECT_EQ(linked_tasks(body).size(), 3u);
    EXPECT_EQ(linked_tasks(body), linked_tasks(html));
    for (const char* title : {"Titel A", "Titel B", "Titel C"}) {
        EXPECT_THAT(body, HasSubstr(title));
        EXPECT_THAT(html, HasSubstr(title));
    }
    auto count = [](const std::string& text, const std::string& what) {
        size_t n = 0;
        for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
            ++n;
        return n;
    };
    EXPECT_EQ(count(body, "/me?p=anna&e="), 1u);
    EXPECT_EQ(count(html, "/me?p=anna&amp;e="), 1u);
    // The webhook facts say whose language the notice is in, and the dates written out.
    const auto facts =
        boost::json::parse(testing::column_texts(db, "SELECT facts FROM outbox")[0]).as_object();
    EXPECT_EQ(facts.at("language").as_string(), "da");
    EXPECT_EQ(facts.at("items").as_array().at(0).at("due_text").as_string(), "31. marts 2027");
}

// A committee's channel hears of an escalation without personal links: no
// one-click link and no "Mine opgaver" in either part.
TEST_F(NoticeTest, CommitteeChannelGetsNoPersonalLinks) {
    settings.public_url = "https://aarshjul.example.dk";
    directory.bodies = {{"isu", "Informationssikkerhedsudvalget", "", "", {}, "isu-teams"}};
    auto wf = make_workflow("A", kYearlyMarch, 30, {}, 0);
    wf.escalate_is_default = false;
    wf.escalate = {{21, {AssigneeRef::Kind::Body, "isu"}}};
    install({wf});
    run_until(copenhagen("2027-05-01T00:00:00"));
    const auto rows = testing::column_texts(
        db, "SELECT body || '|' || html_body FROM outbox WHERE recipient = 'body:isu'");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_THAT(rows[0], Not(HasSubstr("/act/")));
    EXPECT_THAT(rows[0], Not(HasSubstr("/me?")));
    EXPECT_THAT(rows[0], HasSubstr("Overskredet"));
}

} // namespace
} // namespace aarshjul

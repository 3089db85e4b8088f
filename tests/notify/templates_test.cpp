// SPDX-License-Identifier: MPL-2.0
// The notice templates: the shipped files, coordinators' overrides, and the
// checks that catch a broken or misspelt template at load time.
#include "notify/templates.h"
#include "support/temp_dir.h"

#include <algorithm>
#include <cstring>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <regex>

namespace aarshjul {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

const std::filesystem::path kShipped =
    std::filesystem::path(AARSHJUL_SOURCE_DIR) / "lua" / "templates";

TemplateData sample(bool with_link) {
    TemplateData d;
    d.text = {{"organisation", "Eksempel Kommune"},
              {"recipient", "anna"},
              {"recipient_name", "Anna Jensen"},
              {"task_id", "42"},
              {"title", "Risikovurdering: KMD Opus"},
              {"due", "1. marts 2027"},
              {"workflow", "RISK-SYS"},
              {"workflow_title", "Risikovurdering"},
              {"source", "ISO 27001 A.5.2"},
              {"system", "KMD Opus"},
              {"overdue_by", "3 dage"},
              {"assignee", "bo"},
              {"assignee_name", "Bo Nielsen"},
              {"rung", "1"},
              {"merged", "1"}};
    if (with_link) {
        d.text["link"] = "https://aarshjul.example.dk/act/42?p=anna&e=1&s=x";
        d.text["link_expires"] = "1. maj 2027";
    }
    d.flags = {{"before_due", true}};
    return d;
}

// The shipped files are what is compiled in, and every one of them renders
// cleanly in both languages: no tag left, no run of empty lines.
TEST(Templates, ShippedFilesRenderCleanly) {
    auto shipped = NoticeTemplates::load({kShipped});
    ASSERT_TRUE(shipped.ok()) << shipped.error().to_string();
    for (auto language : kTemplateLanguages) {
        for (auto name : kTemplateNames) {
            SCOPED_TRACE(std::string(language) + "/" + std::string(name));
            EXPECT_EQ(NoticeTemplates::builtin().origin(name, language),
                      "built-in " + std::string(language) + "/" + std::string(name));
            EXPECT_EQ(
                shipped->origin(name, language),
                (kShipped / std::string(language) / (std::string(name) + ".mustache")).string());
            EXPECT_EQ(NoticeTemplates::builtin().origin(name, language, TemplateFormat::Html),
                      "built-in " + std::string(language) + "/" + std::string(name) + ".html");
            EXPECT_EQ(shipped->origin(name, language, TemplateFormat::Html),
                      (kShipped / std::string(language) / (std::string(name) + ".html.mustache"))
                          .string());
            for (bool link : {true, false}) {
                TemplateData data = sample(link);
                if (name == "digest") {
                    data.text["count"] = "2";
                    data.flags["any_link"] = link;
                    data.items = {sample(link), sample(link)};
                    data.items[0].text["subject"] = "Påmindelse: A";
                    data.items[1].text["subject"] = "Påmindelse: B";
                }
                const NoticeText built = NoticeTemplates::builtin().render(name, language, data);
                const NoticeText file = shipped->render(name, language, data);
                EXPECT_EQ(built.subject, file.subject);
                EXPECT_EQ(built.body, file.body);
                EXPECT_THAT(built.subject, Not(HasSubstr("{")));
                EXPECT_THAT(built.body, Not(HasSubstr("{{")));
                EXPECT_THAT(built.body, Not(HasSubstr("\n\n\n")));
                EXPECT_THAT(built.body, HasSubstr("Eksempel Kommune"));
                EXPECT_EQ(built.html, file.html);
                EXPECT_THAT(built.html, StartsWith("<!DOCTYPE html>"));
                EXPECT_THAT(built.html, Not(HasSubstr("{{")));
                EXPECT_THAT(built.html, HasSubstr("Eksempel Kommune"));
                EXPECT_THAT(built.html, HasSubstr("<html lang=\"" + std::string(language) + "\">"));
                if (link) {
                    EXPECT_THAT(built.body, HasSubstr(data.text["link"]));
                    EXPECT_THAT(
                        built.html,
                        HasSubstr("https://aarshjul.example.dk/act/42?p=anna&amp;e=1&amp;s=x"));
                }
            }
        }
    }
}

// A reminder says what, when, which system, which control and where the duty comes from.
TEST(Templates, ReminderCarriesTheFactsOfTheDuty) {
    const NoticeText da = NoticeTemplates::builtin().render("reminder", "da", sample(true));
    EXPECT_EQ(da.subject, "Påmindelse: Risikovurdering: KMD Opus (frist 1. marts 2027)");
    EXPECT_THAT(da.body, HasSubstr("Kære Anna Jensen\n"));
    EXPECT_THAT(da.body, HasSubstr("Frist:   1. marts 2027\n"));
    EXPECT_THAT(da.body, HasSubstr("System:  KMD Opus\n"));
    EXPECT_THAT(da.body, HasSubstr("Kontrol: RISK-SYS – Risikovurdering\n"));
    EXPECT_THAT(da.body, HasSubstr("Kilde:   ISO 27001 A.5.2\n"));
    EXPECT_THAT(da.body, HasSubstr("(linket virker til 1. maj 2027):\n"
                                   "https://aarshjul.example.dk/act/42?p=anna&e=1&s=x\n"));
    // An unknown language falls back to Danish.
    EXPECT_EQ(NoticeTemplates::builtin().render("reminder", "sv", sample(true)).subject,
              da.subject);
    // A value with a line break cannot start a header of its own.
    TemplateData hostile = sample(false);
    hostile.text["title"] = "X\r\nBcc: everyone@example.dk";
    EXPECT_EQ(NoticeTemplates::builtin().render("reminder", "en", hostile).subject,
              "Reminder: X  Bcc: everyone@example.dk (due 1. marts 2027)");
}

// An override replaces only the file it names; a missing folder is skipped.
TEST(Templates, OverridesReplaceFileByFile) {
    testing::TempDir dir;
    dir.write("t/en/escalation.mustache", "Subject: ESC {{title}}\n\n{{assignee_name}} is late.\n");
    auto loaded = NoticeTemplates::load({dir.path() / "missing", dir.path() / "t"});
    ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
    EXPECT_EQ(loaded->origin("escalation", "en"),
              (dir.path() / "t/en/escalation.mustache").string());
    EXPECT_EQ(loaded->origin("escalation", "da"), "built-in da/escalation");
    const NoticeText text = loaded->render("escalation", "en", sample(false));
    EXPECT_EQ(text.subject, "ESC Risikovurdering: KMD Opus");
    EXPECT_EQ(text.body, "Bo Nielsen is late.\n");
}

// A broken override is refused with its file and line, before anything is sent.
TEST(Templates, BrokenTemplatesAreRefusedWithFileAndLine) {
    struct Case {
        const char* name;
        const char* text;
        int line;
        const char* message;
    };
    const Case cases[] = {
        {"no subject", "Hello {{title}}\n", 1, "the first line must be 'Subject: ...'"},
        {"no blank line", "Subject: x\nbody\n", 2, "line 2 must be blank"},
        {"only a subject", "Subject: x", 1, "a blank line and a body must follow"},
        {"a misspelt variable", "Subject: {{title}}\n\nline 3\n{{titel}}\n", 4,
         "unknown variable 'titel' in the reminder template"},
        {"a section left open", "Subject: x\n\nline 3\n{{#link}}\nline 5\n", 4, "Unclosed section"},
        {"a partial", "Subject: x\n\n{{> footer}}\n", 3, "partials"},
        {"a variable of another template", "Subject: {{count}}\n\nx\n", 1,
         "unknown variable 'count'"},
        {"a byte that is not UTF-8", "Subject: x\n\nK\xe6re\n", 3, "template is not valid UTF-8"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        testing::TempDir dir;
        const auto file = dir.write("t/da/reminder.mustache", c.text);
        auto loaded = NoticeTemplates::load({dir.path() / "t"});
        ASSERT_FALSE(loaded.ok());
        EXPECT_EQ(loaded.error().file, file.string());
        EXPECT_EQ(loaded.error().line, c.line) << loaded.error().to_string();
        EXPECT_THAT(loaded.error().message, HasSubstr(c.message));
    }
}

// HTML entities back to the characters they stand for (the five the renderer writes).
std::string unescape_html(std::string text) {
    static const std::pair<const char*, const char*> entities[] = {
        {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}};
    for (const auto& [entity, plain] : entities)
        for (size_t at; (at = text.find(entity)) != std::string::npos;)
            text.replace(at, std::strlen(entity), plain);
    return text;
}

// The task ids a rendered part names, in order: from one-click links
// (/act/<id>) or from the command that completes a task.
std::vector<std::string> task_ids(const std::string& text) {
    static const std::regex id(R"((?:/act/|aarshjul complete )(\d+))");
    std::vector<std::string> out;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), id); it != std::sregex_iterator();
         ++it)
        out.push_back((*it)[1].str());
    return out;
}

// The href of every button, unescaped, in order.
std::vector<std::string> button_links(const std::string& html, const std::string& label) {
    const std::regex button("<a href=\"([^\"]*)\"[^>]*>" + label + "</a>");
    std::vector<std::string> out;
    for (auto it = std::sregex_iterator(html.begin(), html.end(), button);
         it != std::sregex_iterator(); ++it)
        out.push_back(unescape_html((*it)[1].str()));
    return out;
}

// A task of the HTML tests: a title with markup, its own id and link.
TemplateData html_task(const std::string& id, bool overdue) {
    TemplateData d = sample(true);
    d.text["task_id"] = id;
    d.text["title"] = "Kontrol " + id + " <script>alert('x')</script> & \"mere\"";
    d.text["link"] = "https://aarshjul.example.dk/act/" + id + "?p=anna&e=1&s=sig" + id;
    d.text["my_tasks_link"] = "https://aarshjul.example.dk/me?p=anna&e=1&s=me";
    d.text["my_tasks_link_expires"] = "1. maj 2027";
    d.flags = {{"before_due", !overdue}, {"overdue", overdue}};
    return d;
}

// The HTML of a reminder, an overdue reminder, an escalation and a digest, in
// both languages: values escaped (a title's <script> is text), a button whose
// href is the task's one-click link, overdue marked visibly exactly when it
// is, the "Mine opgaver" link, and the same tasks as in the text part.
TEST(Templates, HtmlPartsEscapeLinkAndMarkOverdue) {
    struct Case {
        const char* notice;
        const char* name;
        std::vector<std::pair<std::string, bool>> tasks; // id, overdue
    };
    const Case cases[] = {
        {.notice = "reminder", .name = "reminder", .tasks = {{"41", false}}},
        {.notice = "overdue reminder", .name = "reminder", .tasks = {{"42", true}}},
        {.notice = "escalation", .name = "escalation", .tasks = {{"43", true}}},
        {.notice = "digest", .name = "digest", .tasks = {{"44", false}, {"45", true}}},
    };
    struct Words {
        const char* language;
        const char* button;
        const char* overdue;
        const char* my_tasks_text;
        const char* my_tasks_html;
    };
    const Words languages[] = {
        {"da", "Markér som udført", "Overskredet",
         "Se alle dine opgaver: ", "Se alle dine opgaver"},
        {"en", "Mark as done", "Overdue", "See all your tasks: ", "See all your tasks"},
    };
    for (const auto& words : languages) {
        for (const auto& c : cases) {
            SCOPED_TRACE(std::string(words.language) + " " + c.notice);
            TemplateData data;
            std::vector<TemplateData> tasks;
            for (const auto& [id, overdue] : c.tasks)
                tasks.push_back(html_task(id, overdue));
            if (std::string(c.name) == "digest") {
                data = sample(true);
                data.text["count"] = std::to_string(tasks.size());
                data.text["my_tasks_link"] = tasks[0].text["my_tasks_link"];
                data.text["my_tasks_link_expires"] = "1. maj 2027";
                data.flags = {{"any_link", true}};
                for (auto& task : tasks) {
                    task.text["subject"] = "Påmindelse: " + task.text["title"];
                    data.items.push_back(task);
                }
            } else {
                data = tasks[0];
            }
            const NoticeText out = NoticeTemplates::builtin().render(c.name, words.language, data);

            // Escaped: no markup from a value, and the value is there as text.
            EXPECT_THAT(out.html, Not(HasSubstr("<script>")));
            EXPECT_THAT(out.html, HasSubstr("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; "
                                            "&amp; &quot;mere&quot;"));
            // The text part is plain text: the same title, as it is.
            EXPECT_THAT(out.body, HasSubstr("<script>alert('x')</script> & \"mere\""));

            std::vector<std::string> links;
            for (const auto& task : tasks)
                links.push_back(task.text.at("link"));
            EXPECT_EQ(button_links(out.html, words.button), links);
            EXPECT_THAT(out.html, HasSubstr("bgcolor=")); // a table cell button, for Outlook

            const size_t overdue_count = std::count_if(c.tasks.begin(), c.tasks.end(),
                                                       [](const auto& t) { return t.second; });
            const std::string mark = std::string(">") + words.overdue + "</span>";
            size_t marks = 0;
            for (size_t at = out.html.find(mark); at != std::string::npos;
                 at = out.html.find(mark, at + 1))
                ++marks;
            EXPECT_EQ(marks, overdue_count);
            if (overdue_count > 0) {
                EXPECT_THAT(out.html, HasSubstr("background-color:#b42318"));
            }

            // A paragraph of its own in the text, before the greeting.
            EXPECT_THAT(out.body, HasSubstr(std::string(words.my_tasks_text) +
                                            "https://aarshjul.example.dk/me?p=anna&e=1&s=me\n\n"));
            EXPECT_THAT(out.html, HasSubstr("<a href=\"https://aarshjul.example.dk/me?p=anna&amp;"
                                            "e=1&amp;s=me\""));
            EXPECT_THAT(out.html, HasSubstr(words.my_tasks_html));

            // Both parts list the same tasks: the same ids in the same order, every title.
            EXPECT_EQ(task_ids(out.body), task_ids(unescape_html(out.html)));
            EXPECT_EQ(task_ids(out.body).size(), tasks.size());
            for (const auto& task : tasks)
                EXPECT_THAT(unescape_html(out.html), HasSubstr(task.text.at("title")));
            // Inline CSS only: nothing is fetched from elsewhere.
            EXPECT_THAT(out.html, Not(HasSubstr("<link")));
            EXPECT_THAT(out.html, Not(HasSubstr("<img")));
            EXPECT_THAT(out.html, Not(HasSubstr("<style")));
        }
    }
}

// Without links the HTML names the command instead, and says nothing of "Mine opgaver".
TEST(Templates, HtmlWithoutLinksNamesTheCommand) {
    TemplateData data = sample(false);
    const NoticeText out = NoticeTemplates::builtin().render("reminder", "da", data);
    EXPECT_THAT(out.html, HasSubstr("aarshjul complete 42 --by anna"));
    EXPECT_THAT(out.html, Not(HasSubstr("<a href")));
    EXPECT_THAT(out.html, Not(HasSubstr("Se alle dine opgaver")));
    EXPECT_THAT(out.body, Not(HasSubstr("Se alle dine opgaver")));
    EXPECT_EQ(task_ids(out.body), task_ids(out.html));
}

// An HTML override replaces only the HTML part; the text part stays built in.
TEST(Templates, HtmlOverrideReplacesOnlyTheHtml) {
    testing::TempDir dir;
    dir.write("t/da/reminder.html.mustache", "<p>{{title}} til {{recipient_name}}</p>\n");
    auto loaded = NoticeTemplates::load({dir.path() / "t"});
    ASSERT_TRUE(loaded.ok()) << loaded.error().to_string();
    EXPECT_EQ(loaded->origin("reminder", "da", TemplateFormat::Html),
              (dir.path() / "t/da/reminder.html.mustache").string());
    EXPECT_EQ(loaded->origin("reminder", "da"), "built-in da/reminder");
    TemplateData data = sample(false);
    data.text["title"] = "A & B";
    const NoticeText out = loaded->render("reminder", "da", data);
    EXPECT_EQ(out.html, "<p>A &amp; B til Anna Jensen</p>\n");
    EXPECT_EQ(out.body, NoticeTemplates::builtin().render("reminder", "da", data).body);
}

// A broken HTML override is refused with its file and line, like a text one,
// and so is one that would insert a value without escaping.
TEST(Templates, BrokenHtmlTemplatesAreRefusedWithFileAndLine) {
    struct Case {
        const char* name;
        const char* file;
        const char* text;
        int line;
        const char* message;
    };
    const Case cases[] = {
        {"a misspelt variable", "reminder", "<p>\n{{title}}\n{{titel}}</p>\n", 3,
         "unknown variable 'titel' in the reminder template"},
        {"a variable of another template", "reminder", "<p>{{assignee_name}}</p>\n", 1,
         "unknown variable 'assignee_name'"},
        {"a section left open", "digest", "<ul>\n{{#items}}\n<li>{{title}}</li>\n</ul>\n", 2,
         "Unclosed section"},
        {"a triple mustache", "escalation", "<p>\n\n{{{title}}}</p>\n", 3, "without HTML escaping"},
        {"an ampersand tag", "reminder", "<p>{{& link}}</p>\n", 1, "without HTML escaping"},
        {"a partial", "reminder", "<p>\n{{> footer}}</p>\n", 2, "partials"},
        {"an empty file", "reminder", " \n\n", 1, "empty"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        testing::TempDir dir;
        const auto file = dir.write(std::string("t/en/") + c.file + ".html.mustache", c.text);
        auto loaded = NoticeTemplates::load({dir.path() / "t"});
        ASSERT_FALSE(loaded.ok());
        EXPECT_EQ(loaded.error().file, file.string());
        EXPECT_EQ(loaded.error().line, c.line) << loaded.error().to_string();
        EXPECT_THAT(loaded.error().message, HasSubstr(c.message));
    }
}

} // namespace
} // namespace aarshjul

// The notice templates: the shipped files, coordinators' overrides, and the
// checks that catch a broken or misspelt template at load time.
#include "notify/templates.h"
#include "support/temp_dir.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace aarshjul {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

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
                if (link) {
                    EXPECT_THAT(built.body, HasSubstr(data.text["link"]));
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

} // namespace
} // namespace aarshjul

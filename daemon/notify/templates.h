// SPDX-License-Identifier: MPL-2.0
#pragma once
// Notice templates: what a reminder, an escalation and a digest say, in Danish
// and English, as plain text and as HTML.
//
// Templates are Mustache (kainjow/mustache). Each notice has two files:
// <name>.mustache, the plain text, whose first line is "Subject: ..." and a
// blank line separates it from the body, as in an e-mail; and
// <name>.html.mustache, the HTML part of the same mail (a body only: the
// subject is the text file's). Text is rendered as plain text (nothing is
// escaped; runs of empty lines left by empty sections become one); HTML with
// every value HTML-escaped, and an HTML template may not use {{{x}}} or {{&x}},
// which would insert a value unescaped. The shipped files in
// lua/templates/<language>/ are compiled in; a coordinator overrides any of
// them by putting a file of the same name in the Lua folder's templates/ or in
// the folder named by notify.templates. Every file is checked when it is
// loaded: Mustache syntax, the Subject line, and that each variable it uses is
// one its template offers (a misspelt name would otherwise render as nothing).
//
// Thread rules: immutable after load; render() may be called from any thread.

#include "util/result.h"

#include <array>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace aarshjul {

// A rendered notice: one subject line, a plain-text body and its HTML version.
struct NoticeText {
    std::string subject;
    std::string body;
    std::string html;
};

// Which of a notice's two files: <name>.mustache or <name>.html.mustache.
enum class TemplateFormat { Text, Html };

// The values a template is rendered with. `flags` drive sections
// ({{#overdue}}...{{/overdue}}); `items` is the list a digest iterates.
struct TemplateData {
    std::map<std::string, std::string> text;
    std::map<std::string, bool> flags;
    std::vector<TemplateData> items;
};

inline constexpr std::array<std::string_view, 3> kTemplateNames{"reminder", "escalation", "digest"};
inline constexpr std::array<std::string_view, 2> kTemplateLanguages{"da", "en"};

// The variables each template may use (for the check and the README).
const std::vector<std::string_view>& template_variables(std::string_view name);

class NoticeTemplates {
public:
    // The compiled-in templates (lua/templates at build time).
    static const NoticeTemplates& builtin();

    // The built-in templates, replaced file by file by those found in
    // `folders` (later folders win). A folder that does not exist is skipped;
    // a file that fails its check is an error naming the file and line.
    static Result<NoticeTemplates> load(const std::vector<std::filesystem::path>& folders);

    // Renders `name` ("reminder", "escalation", "digest") in `language`
    // ("da" or "en"; anything else falls back to "da"): subject, text and HTML.
    NoticeText render(std::string_view name, std::string_view language,
                      const TemplateData& data) const;
    // Renders only the subject line of `name` (a digest's items need no more).
    std::string subject(std::string_view name, std::string_view language,
                        const TemplateData& data) const;

    // Where a template came from: "built-in <language>/<name>[.html]" or a file path.
    std::string origin(std::string_view name, std::string_view language,
                       TemplateFormat format = TemplateFormat::Text) const;

private:
    struct Entry {
        std::string subject; // Mustache source of the subject line
        std::string body;    // Mustache source of the text body
        std::string html;    // Mustache source of the HTML body
        std::string origin;
        std::string html_origin;
    };
    const Entry& entry(std::string_view name, std::string_view language) const;

    std::map<std::string, Entry, std::less<>> m_entries; // "da/reminder" -> entry
};

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#pragma once
// The web pages' templates: Mustache files in daemon/http/pages, compiled in,
// rendered with HTML escaping ({{x}} is escaped; {{{x}}} only for HTML the
// server made itself). Every page is rendered inside layout.mustache; its words
// come from pages/strings.toml, one table per language, reachable in a
// template as {{t.key}}.
//
// Thread rules: PageTemplates::builtin() is parsed once and immutable; render
// may be called from any thread.

#include <kainjow/mustache.hpp>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace aarshjul::http {

using PageData = kainjow::mustache::data;

enum class Lang { Da, En };

inline std::string_view lang_code(Lang lang) {
    return lang == Lang::En ? "en" : "da";
}

// What the layout shows around a page: the title, the organisation and, for
// someone signed in, their name, the pages their role opens and sign-out.
struct Chrome {
    std::string title;
    std::string organisation;
    bool signed_in = false;
    std::string person_name;
    bool coordinator = false; // coordinator or admin: the coordinator pages
    bool admin = false;
    std::string csrf;           // for the sign-out form
    std::string other_lang_url; // the same page in the other language
};

class PageTemplates {
public:
    static const PageTemplates& builtin();

    // `name` (e.g. "status") rendered with `data` plus {{t.*}} and {{lang}},
    // inside the layout.
    std::string render(std::string_view name, Lang lang, const Chrome& chrome, PageData data) const;
    // `name` alone, without the layout (the text of the sign-in mail: use
    // {{{x}}} there, the text is not HTML).
    std::string render_bare(std::string_view name, Lang lang, PageData data) const;
    // One word of strings.toml, for text the server puts into a page (an
    // error message); the key itself when unknown.
    std::string word(Lang lang, std::string_view key) const;
    // The keys of each language, for the test that both have the same.
    std::vector<std::string> keys(Lang lang) const;
    // Template names, for tests.
    std::vector<std::string> names() const;

private:
    PageTemplates();
    std::map<std::string, std::string, std::less<>> m_templates;
    std::map<std::string, std::string, std::less<>> m_words[2];
};

// Small helpers to build PageData.
PageData page_object();
PageData page_list();
PageData page_bool(bool value);
// Text that a template also tests as a section ({{#x}}…{{/x}}): kainjow takes
// every string as true, "" too, so empty text becomes false (and renders as
// nothing either way).
PageData page_text(const std::string& text);

} // namespace aarshjul::http

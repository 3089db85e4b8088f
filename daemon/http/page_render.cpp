// SPDX-License-Identifier: MPL-2.0
#include "http/page_render.h"

#include <stdexcept>
#include <toml++/toml.h>

namespace aarshjul::http {

const std::vector<std::pair<std::string_view, std::string_view>>& builtin_page_files();

namespace {

namespace mustache = kainjow::mustache;

std::string render_or_throw(const std::string& source, const PageData& data,
                            std::string_view name) {
    mustache::mustache tmpl{source};
    if (!tmpl.is_valid())
        throw std::runtime_error("page template " + std::string(name) + ": " +
                                 tmpl.error_message());
    std::string out = tmpl.render(data);
    if (!tmpl.is_valid())
        throw std::runtime_error("page template " + std::string(name) + ": " +
                                 tmpl.error_message());
    return out;
}

} // namespace

PageData page_object() {
    return PageData{PageData::type::object};
}
PageData page_list() {
    return PageData{PageData::type::list};
}
PageData page_bool(bool value) {
    return PageData{value ? PageData::type::bool_true : PageData::type::bool_false};
}

PageData page_text(const std::string& text) {
    return text.empty() ? page_bool(false) : PageData{text};
}

PageTemplates::PageTemplates() {
    for (const auto& [name, text] : builtin_page_files()) {
        if (name != "strings") {
            m_templates.emplace(std::string(name), std::string(text));
            continue;
        }
        // The words: [da] and [en] tables of key = "text". A broken file is a
        // build defect, caught by the tests at once.
        const toml::table table =
            toml::parse(text, std::string_view("daemon/http/pages/strings.toml"));
        for (int i = 0; i < 2; ++i) {
            const auto* lang = table[i == 0 ? "da" : "en"].as_table();
            if (!lang)
                throw std::runtime_error("strings.toml has no [" +
                                         std::string(i == 0 ? "da" : "en") + "] table");
            for (const auto& [key, value] : *lang)
                if (const auto* s = value.as_string())
                    m_words[i].emplace(std::string(key.str()), s->get());
        }
    }
}

const PageTemplates& PageTemplates::builtin() {
    static const PageTemplates templates;
    return templates;
}

std::string PageTemplates::word(Lang lang, std::string_view key) const {
    const auto& words = m_words[lang == Lang::En ? 1 : 0];
    auto it = words.find(key);
    return it == words.end() ? std::string(key) : it->second;
}

std::vector<std::string> PageTemplates::keys(Lang lang) const {
    std::vector<std::string> out;
    for (const auto& [key, value] : m_words[lang == Lang::En ? 1 : 0])
        out.push_back(key);
    return out;
}

std::vector<std::string> PageTemplates::names() const {
    std::vector<std::string> out;
    for (const auto& [name, text] : m_templates)
        out.push_back(name);
    return out;
}

std::string PageTemplates::render_bare(std::string_view name, Lang lang, PageData data) const {
    PageData words = page_object();
    for (const auto& [key, value] : m_words[lang == Lang::En ? 1 : 0])
        words.set(key, value);
    data.set("t", words);
    auto page = m_templates.find(name);
    if (page == m_templates.end())
        throw std::runtime_error("no page template '" + std::string(name) + "'");
    return render_or_throw(page->second, data, name);
}

std::string PageTemplates::render(std::string_view name, Lang lang, const Chrome& chrome,
                                  PageData data) const {
    PageData words = page_object();
    for (const auto& [key, value] : m_words[lang == Lang::En ? 1 : 0])
        words.set(key, value);
    data.set("t", words);
    data.set("lang", std::string(lang_code(lang)));
    // Templates named "_…" are partials every page may include ({{> _name}}).
    for (const auto& [partial_name, text] : m_templates)
        if (partial_name.starts_with('_')) {
            const std::string* source = &text;
            data.set(partial_name, mustache::partial{[source] { return *source; }});
        }
    auto page = m_templates.find(name);
    if (page == m_templates.end())
        throw std::runtime_error("no page template '" + std::string(name) + "'");
    const std::string content = render_or_throw(page->second, data, name);

    PageData layout = page_object();
    layout.set("t", words);
    layout.set("lang", std::string(lang_code(lang)));
    layout.set("title", chrome.title);
    layout.set("organisation", chrome.organisation);
    layout.set("signed_in", page_bool(chrome.signed_in));
    layout.set("person_name", chrome.person_name);
    layout.set("coordinator", page_bool(chrome.coordinator));
    layout.set("admin", page_bool(chrome.admin));
    layout.set("csrf", page_text(chrome.csrf));
    layout.set("other_lang_url", page_text(chrome.other_lang_url));
    layout.set("content", content);
    return render_or_throw(m_templates.at("layout"), layout, "layout");
}

} // namespace aarshjul::http

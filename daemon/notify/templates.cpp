// SPDX-License-Identifier: MPL-2.0
#include "notify/templates.h"

#include "util/markup.h"
#include "util/utf8.h"

#include <algorithm>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

namespace aarshjul {

// Generated at configure time from lua/templates (see daemon/CMakeLists.txt).
struct BuiltinTemplateFile {
    std::string_view language;
    std::string_view name;
    std::string_view text;
};
const std::vector<BuiltinTemplateFile>& builtin_template_files();

namespace {

namespace mustache = kainjow::mustache;

const std::vector<std::string_view> kTaskVariables = {
    "organisation", "recipient",      "recipient_name",
    "task_id",      "title",          "due",
    "workflow",     "workflow_title", "source",
    "system",       "link",           "link_expires",
    "merged",       "days",           "new",
    "before_due",   "due_day",        "overdue",
    "caught_up",    "hour_deadline",  "kind",
    "overdue_by",   "my_tasks_link",  "my_tasks_link_expires"};

constexpr std::string_view kTextSuffix = ".mustache";
constexpr std::string_view kHtmlSuffix = ".html.mustache";

std::vector<std::string_view> with(std::vector<std::string_view> base,
                                   std::initializer_list<std::string_view> more) {
    base.insert(base.end(), more.begin(), more.end());
    return base;
}

// A position in a file: the line of byte `offset` of `text`, counted from `first_line`.
int line_of(std::string_view text, std::size_t offset, int first_line) {
    return first_line +
           static_cast<int>(std::count(
               text.begin(),
               text.begin() + static_cast<std::ptrdiff_t>(std::min(offset, text.size())), '\n'));
}

// Checks one part (subject, text or HTML body) of a template; `first_line` is
// its line in the file.
Result<void> check_part(std::string_view source, std::string_view name, const std::string& origin,
                        int first_line, TemplateFormat format) {
    mustache::mustache parsed{std::string(source)};
    if (!parsed.is_valid()) {
        // kainjow reports "... at <offset>"; turn the offset into a line.
        std::string message = parsed.error_message();
        int line = first_line;
        if (auto at = message.rfind(" at "); at != std::string::npos) {
            try {
                line = line_of(source, std::stoul(message.substr(at + 4)), first_line);
                message.erase(at);
            } catch (const std::exception&) {
            }
        }
        return Error::at(origin, line, "template: " + message);
    }
    static const std::regex tag(R"(\{\{(\{?)\s*([#^/&!>=]?)\s*([^}]*?)\s*\}?\}\})");
    const auto& allowed = template_variables(name);
    const std::string text(source);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), tag);
         it != std::sregex_iterator(); ++it) {
        const auto& m = *it;
        const bool triple = m[1].length() > 0;
        const std::string sigil = m[2].str();
        const std::string variable = m[3].str();
        const int line = line_of(source, static_cast<std::size_t>(m.position(0)), first_line);
        if (sigil == "!")
            continue;
        if (sigil == ">" || sigil == "=")
            return Error::at(origin, line,
                             "template: partials and delimiter changes are not supported");
        // In HTML every value is escaped, so a title cannot inject markup.
        if (format == TemplateFormat::Html && (triple || sigil == "&"))
            return Error::at(origin, line,
                             "template: '" + m[0].str() + "' would insert '" + variable +
                                 "' without HTML escaping; HTML templates take {{" + variable +
                                 "}} only");
        if (std::find(allowed.begin(), allowed.end(), variable) == allowed.end()) {
            std::string list;
            for (auto v : allowed)
                list += (list.empty() ? "" : ", ") + std::string(v);
            return Error::at(origin, line,
                             "template: unknown variable '" + variable + "' in the " +
                                 std::string(name) + " template; it offers: " + list);
        }
    }
    return {};
}

// Splits "Subject: ...\n\nbody" and checks both parts.
Result<void> parse_file(std::string_view text, std::string_view name, const std::string& origin,
                        std::string& subject, std::string& body) {
    constexpr std::string_view k_prefix = "Subject:";
    if (!text.starts_with(k_prefix))
        return Error::at(origin, 1, "template: the first line must be 'Subject: ...'");
    const auto end_of_subject = text.find('\n');
    if (end_of_subject == std::string_view::npos)
        return Error::at(origin, 1, "template: a blank line and a body must follow the subject");
    std::string_view rest = text.substr(end_of_subject + 1);
    if (!(rest.starts_with("\n") || rest.starts_with("\r\n")))
        return Error::at(origin, 2, "template: line 2 must be blank (it ends the subject)");
    subject = std::string(text.substr(k_prefix.size(), end_of_subject - k_prefix.size()));
    while (!subject.empty() && (subject.front() == ' ' || subject.front() == '\t'))
        subject.erase(subject.begin());
    while (!subject.empty() && (subject.back() == '\r' || subject.back() == ' '))
        subject.pop_back();
    body = std::string(rest.substr(rest.find('\n') + 1));
    AARSHJUL_TRY(check_part(subject, name, origin, 1, TemplateFormat::Text));
    return check_part(body, name, origin, 3, TemplateFormat::Text);
}

// An HTML file is a body only (the subject is the text file's).
Result<void> parse_html_file(std::string_view text, std::string_view name,
                             const std::string& origin, std::string& html) {
    if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return Error::at(origin, 1, "template: the HTML template is empty");
    html = std::string(text);
    return check_part(html, name, origin, 1, TemplateFormat::Html);
}

mustache::data to_mustache(const TemplateData& in) {
    mustache::data out{mustache::data::type::object};
    for (const auto& [key, value] : in.text)
        if (!value.empty()) // an empty value is "absent": {{#system}} is then false
            out.set(key, value);
    for (const auto& [key, value] : in.flags)
        out.set(key, value ? mustache::data::type::bool_true : mustache::data::type::bool_false);
    if (!in.items.empty()) {
        mustache::data list{mustache::data::type::list};
        for (const auto& item : in.items)
            list.push_back(to_mustache(item));
        out.set("items", list);
    }
    return out;
}

std::string render_source(const std::string& source, const mustache::data& data,
                          TemplateFormat format) {
    mustache::mustache tmpl{source};
    if (format == TemplateFormat::Html)
        tmpl.set_custom_escape([](const std::string& s) { return escape_markup(s); });
    else
        tmpl.set_custom_escape([](const std::string& s) { return s; });
    return tmpl.render(data);
}

// A subject line as one line: a value with a line break must not start a
// header of its own.
std::string render_subject(const std::string& source, const mustache::data& data) {
    std::string subject = render_source(source, data, TemplateFormat::Text);
    std::replace_if(
        subject.begin(), subject.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
    return subject;
}

// Reads a whole file; nullopt when it does not exist; an error when it cannot be read.
Result<std::optional<std::string>> read_if_present(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return std::optional<std::string>{};
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof())
        return make_error(path.string() + ": cannot read template");
    std::string source = text.str();
    // Notices go out as UTF-8 mail, cards and pages.
    if (const std::size_t at = invalid_utf8_at(source); at != std::string::npos) {
        const auto line = std::count(source.begin(), source.begin() + static_cast<long>(at), '\n');
        Error error = Error::at(path.string(), static_cast<int>(line) + 1,
                                "template is not valid UTF-8; save the file as UTF-8");
        error.kind = ErrorKind::Invalid;
        return error;
    }
    return std::optional<std::string>{std::move(source)};
}

std::string collapse_blank_lines(std::string text) {
    std::string out;
    out.reserve(text.size());
    int newlines = 0;
    for (char c : text) {
        newlines = c == '\n' ? newlines + 1 : 0;
        if (newlines <= 2)
            out += c;
    }
    return out;
}

} // namespace

const std::vector<std::string_view>& template_variables(std::string_view name) {
    static const std::vector<std::string_view> reminder = kTaskVariables;
    static const std::vector<std::string_view> escalation =
        with(kTaskVariables, {"assignee", "assignee_name", "rung"});
    static const std::vector<std::string_view> digest =
        with(kTaskVariables, {"count", "items", "subject", "any_link"});
    if (name == "escalation")
        return escalation;
    if (name == "digest")
        return digest;
    return reminder;
}

const NoticeTemplates& NoticeTemplates::builtin() {
    static const NoticeTemplates templates = [] {
        auto loaded = load({});
        if (!loaded.ok()) // the build checks the shipped files (tests/notify); never here
            throw std::logic_error("built-in templates: " + loaded.error().to_string());
        return std::move(*loaded);
    }();
    return templates;
}

Result<NoticeTemplates> NoticeTemplates::load(const std::vector<std::filesystem::path>& folders) {
    NoticeTemplates out;
    for (const auto& file : builtin_template_files()) {
        // "reminder" is the text file, "reminder.html" its HTML part.
        std::string_view name = file.name;
        const bool html = name.ends_with(".html");
        if (html)
            name.remove_suffix(std::string_view(".html").size());
        Entry& entry = out.m_entries[std::string(file.language) + "/" + std::string(name)];
        const std::string origin =
            "built-in " + std::string(file.language) + "/" + std::string(file.name);
        if (html) {
            entry.html_origin = origin;
            AARSHJUL_TRY(parse_html_file(file.text, name, origin, entry.html));
        } else {
            entry.origin = origin;
            AARSHJUL_TRY(parse_file(file.text, name, origin, entry.subject, entry.body));
        }
    }
    for (const auto& folder : folders) {
        for (auto language : kTemplateLanguages) {
            for (auto name : kTemplateNames) {
                Entry& entry = out.m_entries[std::string(language) + "/" + std::string(name)];
                const auto base = folder / std::string(language);
                const auto text_path = base / (std::string(name) + std::string(kTextSuffix));
                AARSHJUL_TRY_ASSIGN(auto text, read_if_present(text_path));
                if (text) {
                    entry.origin = text_path.string();
                    AARSHJUL_TRY(parse_file(*text, name, entry.origin, entry.subject, entry.body));
                }
                const auto html_path = base / (std::string(name) + std::string(kHtmlSuffix));
                AARSHJUL_TRY_ASSIGN(auto html, read_if_present(html_path));
                if (html) {
                    entry.html_origin = html_path.string();
                    AARSHJUL_TRY(parse_html_file(*html, name, entry.html_origin, entry.html));
                }
            }
        }
    }
    // Every name and language has both files built in; a build without one is broken.
    for (const auto& [key, entry] : out.m_entries)
        if (entry.origin.empty() || entry.html_origin.empty())
            return make_error("built-in templates: " + key + " lacks its " +
                              (entry.origin.empty() ? "text" : "HTML") + " file");
    return out;
}

const NoticeTemplates::Entry& NoticeTemplates::entry(std::string_view name,
                                                     std::string_view language) const {
    const std::string lang = language == "en" ? "en" : "da";
    const auto it = m_entries.find(lang + "/" + std::string(name));
    if (it == m_entries.end()) // every name and language is built in
        throw std::logic_error("no template " + lang + "/" + std::string(name));
    return it->second;
}

std::string NoticeTemplates::subject(std::string_view name, std::string_view language,
                                     const TemplateData& data) const {
    return render_subject(entry(name, language).subject, to_mustache(data));
}

NoticeText NoticeTemplates::render(std::string_view name, std::string_view language,
                                   const TemplateData& data) const {
    const Entry& e = entry(name, language);
    const mustache::data values = to_mustache(data);
    NoticeText text;
    text.subject = render_subject(e.subject, values);
    // Sections that render nothing leave empty lines behind; a run of them
    // becomes one, so optional parts never open gaps in the text.
    text.body = collapse_blank_lines(render_source(e.body, values, TemplateFormat::Text));
    text.html = render_source(e.html, values, TemplateFormat::Html);
    return text;
}

std::string NoticeTemplates::origin(std::string_view name, std::string_view language,
                                    TemplateFormat format) const {
    const auto it = m_entries.find(std::string(language) + "/" + std::string(name));
    if (it == m_entries.end())
        return {};
    return format == TemplateFormat::Html ? it->second.html_origin : it->second.origin;
}

} // namespace aarshjul

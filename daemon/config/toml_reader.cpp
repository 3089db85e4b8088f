// SPDX-License-Identifier: MPL-2.0
#include "config/toml_reader.h"

#include "util/utf8.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace aarshjul::toml_reader {

void TomlErrors::add(int line, std::string message) {
    m_errors.push_back(Error::at(m_file, line, std::move(message)));
}

Error TomlErrors::combined() const {
    if (m_errors.empty())
        return Error::at(m_file, 0, "no error");
    std::vector<Error> sorted = m_errors;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Error& a, const Error& b) { return a.line < b.line; });
    Error out = sorted.front();
    for (std::size_t i = 1; i < sorted.size(); ++i)
        out.message += "\n" + sorted[i].to_string();
    return out;
}

int line_of(const toml::node& node) {
    return static_cast<int>(node.source().begin.line);
}

Result<std::string> read_text_file(const std::filesystem::path& file) {
    struct Closer {
        void operator()(std::FILE* f) const noexcept { std::fclose(f); }
    };
    errno = 0;
    std::unique_ptr<std::FILE, Closer> in(std::fopen(file.c_str(), "rb"));
    if (!in)
        return Error::at(file.string(), 0, std::string("cannot read: ") + std::strerror(errno));
    std::string text;
    char buffer[8192];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, in.get())) > 0)
        text.append(buffer, n);
    // A directory opens fine on Linux and fails on the first read (EISDIR).
    if (std::ferror(in.get()))
        return Error::at(file.string(), 0, std::string("cannot read: ") + std::strerror(errno));
    return text;
}

Result<toml::table> parse_toml(std::string_view text, const std::string& file_for_messages) {
    // toml++ refuses such bytes too, but without naming the byte or the column.
    if (const std::size_t at = invalid_utf8_at(text); at != std::string_view::npos) {
        const std::string_view before = text.substr(0, at);
        const auto line = static_cast<int>(std::count(before.begin(), before.end(), '\n')) + 1;
        const std::size_t line_start = before.rfind('\n') + 1; // npos + 1 == 0
        char byte[8];
        std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[at]));
        Error error =
            Error::at(file_for_messages, line,
                      std::string("not valid UTF-8 (byte ") + byte + " in column " +
                          std::to_string(at - line_start + 1) + "); save the file as UTF-8");
        error.kind = ErrorKind::Invalid;
        return error;
    }
    // toml++ reports syntax errors by exception; they stop here.
    try {
        return toml::parse(text, std::string_view(file_for_messages));
    } catch (const toml::parse_error& e) {
        return Error::at(file_for_messages, static_cast<int>(e.source().begin.line),
                         "TOML syntax error: " + std::string(e.description()));
    }
}

TableReader::TableReader(const toml::table& table, std::string path, TomlErrors& errors)
    : m_table(table), m_path(std::move(path)), m_errors(errors) {}

std::string TableReader::qualified(std::string_view key) const {
    if (m_path.empty())
        return std::string(key);
    return m_path + "." + std::string(key);
}

int TableReader::line(std::string_view key) const {
    if (const toml::node* node = m_table.get(key))
        return line_of(*node);
    return line();
}

const toml::node* TableReader::take(std::string_view key, Required required) {
    m_consumed.emplace(key);
    const toml::node* node = m_table.get(key);
    if (node == nullptr && required == Required::Yes)
        m_errors.add(line(), "missing required key '" + qualified(key) + "'");
    return node;
}

void TableReader::wrong_type(std::string_view key, const toml::node& node,
                             std::string_view expected) {
    m_errors.add(line_of(node), "key '" + qualified(key) + "' must be " + std::string(expected));
}

bool TableReader::string(std::string_view key, std::string& out, Required required) {
    const toml::node* node = take(key, required);
    if (node == nullptr)
        return false;
    const auto* value = node->as_string();
    if (value == nullptr) {
        wrong_type(key, *node, "a string");
        return false;
    }
    out = value->get();
    return true;
}

bool TableReader::integer(std::string_view key, int& out, std::int64_t min, std::int64_t max,
                          Required required) {
    const toml::node* node = take(key, required);
    if (node == nullptr)
        return false;
    const auto* value = node->as_integer();
    if (value == nullptr) {
        wrong_type(key, *node, "an integer");
        return false;
    }
    const std::int64_t v = value->get();
    if (v < min || v > max) {
        m_errors.add(line_of(*node), "key '" + qualified(key) + "' must be between " +
                                         std::to_string(min) + " and " + std::to_string(max) +
                                         " (is " + std::to_string(v) + ")");
        return false;
    }
    out = static_cast<int>(v);
    return true;
}

bool TableReader::boolean(std::string_view key, bool& out, Required required) {
    const toml::node* node = take(key, required);
    if (node == nullptr)
        return false;
    const auto* value = node->as_boolean();
    if (value == nullptr) {
        wrong_type(key, *node, "true or false");
        return false;
    }
    out = value->get();
    return true;
}

bool TableReader::string_array(std::string_view key, std::vector<std::string>& out,
                               Required required) {
    const toml::node* node = take(key, required);
    if (node == nullptr)
        return false;
    const auto* array = node->as_array();
    if (array == nullptr || !array->is_homogeneous(toml::node_type::string)) {
        // An empty array is homogeneous for no type in toml++, yet is a fine list of strings.
        if (array == nullptr || !array->empty()) {
            wrong_type(key, *node, "an array of strings");
            return false;
        }
    }
    std::vector<std::string> values;
    for (const toml::node& element : *array)
        values.push_back(element.as_string()->get());
    out = std::move(values);
    return true;
}

bool TableReader::integer_array(std::string_view key, std::vector<int>& out, std::int64_t min,
                                std::int64_t max, Required required) {
    const toml::node* node = take(key, required);
    if (node == nullptr)
        return false;
    const auto* array = node->as_array();
    if (array == nullptr) {
        wrong_type(key, *node, "an array of integers");
        return false;
    }
    std::vector<int> values;
    bool valid = true;
    for (const toml::node& element : *array) {
        const auto* value = element.as_integer();
        if (value == nullptr) {
            wrong_type(key, element, "an array of integers");
            valid = false;
            continue;
        }
        const std::int64_t v = value->get();
        if (v < min || v > max) {
            m_errors.add(line_of(element), "key '" + qualified(key) +
                                               "': every element must be between " +
                                               std::to_string(min) + " and " + std::to_string(max) +
                                               " (is " + std::to_string(v) + ")");
            valid = false;
            continue;
        }
        values.push_back(static_cast<int>(v));
    }
    if (valid)
        out = std::move(values);
    return valid;
}

std::optional<LocalDate> TableReader::date_of(std::string_view key, const toml::node& node) {
    if (const auto* value = node.as_date()) {
        const toml::date d = value->get();
        // toml++ has already checked the day against the month.
        return LocalDate{date::year{d.year} / date::month{d.month} / date::day{d.day}};
    }
    if (const auto* value = node.as_string()) {
        if (auto day = parse_local_date(value->get()))
            return day;
        m_errors.add(line_of(node), "key '" + qualified(key) + "': '" + value->get() +
                                        "' is not a valid date (YYYY-MM-DD)");
        return std::nullopt;
    }
    wrong_type(key, node, "a date (YYYY-MM-DD)");
    return std::nullopt;
}

bool TableReader::date(std::string_view key, LocalDate& out, Required required) {
    const toml::node* node = take(key, required);
    if (node == nullptr)
        return false;
    auto day = date_of(key, *node);
    if (!day)
        return false;
    out = *day;
    return true;
}

bool TableReader::date_array(std::string_view key, std::vector<LocalDate>& out, Required required) {
    const toml::node* node = take(key, required);
    if (node == nullptr)
        return false;
    const auto* array = node->as_array();
    if (array == nullptr) {
        wrong_type(key, *node, "an array of dates (YYYY-MM-DD)");
        return false;
    }
    std::vector<LocalDate> values;
    bool valid = true;
    for (const toml::node& element : *array) {
        if (!element.is_date() && !element.is_string()) {
            wrong_type(key, element, "an array of dates (YYYY-MM-DD)");
            valid = false;
        } else if (auto day = date_of(key, element)) {
            values.push_back(*day);
        } else {
            valid = false;
        }
    }
    if (valid)
        out = std::move(values);
    return valid;
}

std::optional<TableReader> TableReader::table(std::string_view key, Required required) {
    const toml::node* node = take(key, required);
    if (node == nullptr)
        return std::nullopt;
    const auto* sub = node->as_table();
    if (sub == nullptr) {
        wrong_type(key, *node, "a table");
        return std::nullopt;
    }
    return TableReader(*sub, qualified(key), m_errors);
}

std::vector<const toml::table*> TableReader::array_of_tables(std::string_view key) {
    const toml::node* node = take(key, Required::No);
    if (node == nullptr)
        return {};
    const auto* array = node->as_array();
    if (array != nullptr && array->empty())
        return {};
    if (array == nullptr || !array->is_array_of_tables()) {
        wrong_type(key, *node, "an array of tables ([[" + qualified(key) + "]])");
        return {};
    }
    std::vector<const toml::table*> out;
    for (const toml::node& element : *array)
        out.push_back(element.as_table());
    return out;
}

void TableReader::finish() {
    for (const auto& [key, value] : m_table)
        if (m_consumed.find(key.str()) == m_consumed.end())
            m_errors.add(static_cast<int>(key.source().begin.line),
                         "unknown key '" + qualified(key.str()) + "'");
}

} // namespace aarshjul::toml_reader

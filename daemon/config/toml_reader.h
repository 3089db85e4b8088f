// SPDX-License-Identifier: MPL-2.0
#pragma once
// Helpers for reading aarshjul's TOML files (configuration, directory) with
// "file:line: message" errors.
//
// A TableReader walks one TOML table: each accessor marks its key as consumed and
// checks the value's type (and range); finish() reports every key nobody asked
// for as unknown. A new config section is then one more reader, not a new parser.
// All problems go to a shared TomlErrors so a file's errors are reported together.
// Not thread-safe; used only while a file is loaded.

#include "time/civil.h"
#include "util/result.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <vector>

namespace aarshjul::toml_reader {

enum class Required { No, Yes };

// The errors found in one file.
class TomlErrors {
public:
    explicit TomlErrors(std::string file) : m_file(std::move(file)) {}

    void add(int line, std::string message);
    bool empty() const { return m_errors.empty(); }
    const std::string& file() const { return m_file; }
    const std::vector<Error>& errors() const { return m_errors; }
    // All errors, ordered by line, as one Error: file and line are the first error's;
    // the message is the first message followed by one "file:line: message" line per
    // further error, so to_string() prints one error per line.
    Error combined() const;

private:
    std::string m_file;
    std::vector<Error> m_errors;
};

// The 1-based line where `node` starts, 0 when unknown.
int line_of(const toml::node& node);

// Reads a whole file; the error is "<file>: cannot read: <reason>".
Result<std::string> read_text_file(const std::filesystem::path& file);

// Parses TOML text; a syntax error becomes "<file>:<line>: TOML syntax error: ...",
// text that is not UTF-8 "<file>:<line>: not valid UTF-8 (byte 0xFF in column 7); ...".
Result<toml::table> parse_toml(std::string_view text, const std::string& file_for_messages);

class TableReader {
public:
    // `path` names the table in messages ("schedule", "person"); empty for the root.
    TableReader(const toml::table& table, std::string path, TomlErrors& errors);

    // Each getter leaves `out` untouched when the key is absent or invalid and returns
    // true only when it read a valid value.
    bool string(std::string_view key, std::string& out, Required required = Required::No);
    bool integer(std::string_view key, int& out, std::int64_t min, std::int64_t max,
                 Required required = Required::No);
    bool boolean(std::string_view key, bool& out, Required required = Required::No);
    bool string_array(std::string_view key, std::vector<std::string>& out,
                      Required required = Required::No);
    // Every element must lie in [min, max]; one error per bad element, at its line.
    bool integer_array(std::string_view key, std::vector<int>& out, std::int64_t min,
                       std::int64_t max, Required required = Required::No);
    // A TOML local date (2027-03-04) or a "YYYY-MM-DD" string.
    bool date(std::string_view key, LocalDate& out, Required required = Required::No);
    // An array whose elements are TOML local dates or "YYYY-MM-DD" strings, in file order.
    bool date_array(std::string_view key, std::vector<LocalDate>& out,
                    Required required = Required::No);
    // A sub-table ([schedule]); nullopt when absent (an error if required) or not a table.
    std::optional<TableReader> table(std::string_view key, Required required = Required::No);
    // An array of tables ([[person]], or `key = [{...}, {...}]`); empty when absent, empty
    // or invalid.
    std::vector<const toml::table*> array_of_tables(std::string_view key);

    // Reports every key of the table that no getter consumed as unknown.
    void finish();

    // "schedule.reminder_hour" for key "reminder_hour".
    std::string qualified(std::string_view key) const;
    // The line of `key`'s value, or of the table when the key is absent.
    int line(std::string_view key) const;
    int line() const { return line_of(m_table); }
    TomlErrors& errors() { return m_errors; }
    const toml::table& raw() const { return m_table; }

private:
    const toml::node* take(std::string_view key, Required required);
    void wrong_type(std::string_view key, const toml::node& node, std::string_view expected);
    // Reads one date element; reports a bad one at its own line.
    std::optional<LocalDate> date_of(std::string_view key, const toml::node& node);

    const toml::table& m_table;
    std::string m_path;
    TomlErrors& m_errors;
    std::set<std::string, std::less<>> m_consumed;
};

} // namespace aarshjul::toml_reader

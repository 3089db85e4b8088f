// SPDX-License-Identifier: MPL-2.0
#pragma once
// FieldWriter and FieldReader: a flat record of named, length-prefixed
// fields, one "name=<length>:<bytes>\n" per field.
//
// The length prefix keeps any value (binary, newlines, '=') unambiguous, and
// the order of the fields is part of the format, so one schema function that
// writes or reads them in turn (model/workflow_codec.h) defines a record
// completely. Used for the canonical form of a workflow (its content hash)
// and for the messages between the daemon and its Lua worker
// (worker/protocol.h). The reader trusts nothing: every length, number and
// name is checked, and the first problem ends the read. Plain values; no
// thread rules.

#include "util/result.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace aarshjul {

class FieldWriter {
public:
    // `header` is written as it is, before the first field.
    explicit FieldWriter(std::string header = {}) : m_out(std::move(header)) {}

    void put(std::string_view name, std::string_view value);
    void put_int(std::string_view name, std::int64_t value);
    void put_bool(std::string_view name, bool value) { put(name, value ? "1" : "0"); }

    const std::string& text() const { return m_out; }
    std::string take() { return std::move(m_out); }

private:
    std::string m_out;
};

class FieldReader {
public:
    // Reads `text`, which must start with `header`.
    explicit FieldReader(std::string_view text, std::string_view header = {});

    // The next field, which must be called `name`.
    Result<std::string_view> get(std::string_view name);
    // The next field, `name`, as a whole number from `low` to `high`.
    Result<std::int64_t> get_int(std::string_view name, std::int64_t low, std::int64_t high);
    Result<bool> get_bool(std::string_view name);
    // The name of the next field without reading it; empty at the end.
    std::string_view peek_name() const;
    bool at_end() const { return m_ok && m_at == m_text.size(); }
    Result<void> expect_end() const;

private:
    Error fail(std::string_view name, const std::string& what) const;

    std::string_view m_text;
    std::size_t m_at = 0;
    bool m_ok = true;
};

} // namespace aarshjul

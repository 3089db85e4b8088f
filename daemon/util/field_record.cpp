// SPDX-License-Identifier: MPL-2.0
#include "util/field_record.h"

#include <charconv>

namespace aarshjul {

void FieldWriter::put(std::string_view name, std::string_view value) {
    m_out.append(name)
        .append("=")
        .append(std::to_string(value.size()))
        .append(":")
        .append(value)
        .append("\n");
}

void FieldWriter::put_int(std::string_view name, std::int64_t value) {
    put(name, std::to_string(value));
}

FieldReader::FieldReader(std::string_view text, std::string_view header) : m_text(text) {
    if (text.substr(0, header.size()) != header)
        m_ok = false;
    m_at = header.size();
}

Error FieldReader::fail(std::string_view name, const std::string& what) const {
    return make_error("malformed record at byte " + std::to_string(m_at) + ", field '" +
                      std::string(name) + "': " + what);
}

std::string_view FieldReader::peek_name() const {
    if (!m_ok || m_at >= m_text.size())
        return {};
    const std::size_t equals = m_text.find('=', m_at);
    if (equals == std::string_view::npos)
        return {};
    return m_text.substr(m_at, equals - m_at);
}

Result<std::string_view> FieldReader::get(std::string_view name) {
    if (!m_ok)
        return fail(name, "the record is not of the expected kind");
    if (m_text.substr(m_at, name.size()) != name || m_text.substr(m_at + name.size(), 1) != "=") {
        m_ok = false;
        return fail(name, "expected here, found '" + std::string(peek_name().substr(0, 64)) + "'");
    }
    std::size_t at = m_at + name.size() + 1;
    std::size_t length = 0;
    const char* first = m_text.data() + at;
    const char* last = m_text.data() + m_text.size();
    auto [end, ec] = std::from_chars(first, last, length);
    if (ec != std::errc() || end == first || end == last || *end != ':') {
        m_ok = false;
        return fail(name, "bad length");
    }
    at += static_cast<std::size_t>(end - first) + 1;
    if (length > m_text.size() - at || m_text.size() - at - length < 1 ||
        m_text[at + length] != '\n') {
        m_ok = false;
        return fail(name, "value runs past the end");
    }
    const std::string_view value = m_text.substr(at, length);
    m_at = at + length + 1;
    return value;
}

Result<std::int64_t> FieldReader::get_int(std::string_view name, std::int64_t low,
                                          std::int64_t high) {
    AARSHJUL_TRY_ASSIGN(std::string_view text, get(name));
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty() ||
        (text.size() > 1 && text[0] == '0') || value < low || value > high) {
        m_ok = false;
        return fail(name, "not a whole number from " + std::to_string(low) + " to " +
                              std::to_string(high));
    }
    return value;
}

Result<bool> FieldReader::get_bool(std::string_view name) {
    AARSHJUL_TRY_ASSIGN(std::string_view text, get(name));
    if (text != "0" && text != "1") {
        m_ok = false;
        return fail(name, "not 0 or 1");
    }
    return text == "1";
}

Result<void> FieldReader::expect_end() const {
    if (!m_ok)
        return make_error("malformed record: the record is not of the expected kind");
    if (m_at != m_text.size())
        return make_error("malformed record: unexpected field '" +
                          std::string(peek_name().substr(0, 64)) + "' at byte " +
                          std::to_string(m_at));
    return {};
}

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#pragma once
// Builds one RFC 5322 / MIME message for the smtp plugin: CRLF line endings,
// RFC 2047 encoded headers, multipart/alternative text + HTML in base64.
// Pure functions; thread-safe.

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

namespace aarshjul_smtp {

struct MailContent {
    std::string from_address;
    std::string from_name;
    std::string to_address;
    std::string to_name;
    std::string subject;
    std::string text;                // plain text, any line endings
    std::optional<std::string> html; // derived from text when absent
    std::string key;                 // outbox key, for the Message-ID
    std::string domain;              // right-hand side of the Message-ID
    std::time_t date = 0;
    std::string boundary; // must not occur in base64 text; see make_boundary()
};

// The complete message, ready for the DATA phase.
std::string build_message(const MailContent& content);

// `text` as RFC 2047 "B" encoded-words of at most 75 characters, split on whole
// UTF-8 characters and folded so no line exceeds 76 characters, given that
// `used` characters of the first line are taken already.
std::string encode_words(std::string_view text, size_t used);

// "<safe-key@domain>": characters outside [A-Za-z0-9_-] of the key become "=HH",
// so the id is a valid dot-atom, the same on every retry and distinct per key.
std::string message_id(std::string_view key, std::string_view domain);

// An RFC 5322 date-time in UTC, e.g. "Thu, 27 Nov 2025 04:11:00 +0000".
std::string rfc5322_date(std::time_t time);

// Every line break (CRLF, CR or LF) as CRLF.
std::string to_crlf(std::string_view text);

// An HTML document showing `text` (escaped, line breaks kept).
std::string html_from_text(std::string_view text);

// A random MIME boundary that cannot occur in base64 content.
std::string make_boundary();

// True for an address usable in MAIL FROM / RCPT TO: local@domain, no spaces,
// angle brackets or control characters.
bool is_plain_address(std::string_view address);

} // namespace aarshjul_smtp

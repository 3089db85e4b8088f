// SPDX-License-Identifier: MPL-2.0
#include "smtp/mail_message.h"

#include "common/curl_support.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <openssl/rand.h>

namespace aarshjul_smtp {
namespace {

using aarshjul_plugin_support::base64_encode;

// Bytes in the UTF-8 sequence starting with `lead` (1 for stray bytes).
size_t utf8_length(unsigned char lead) {
    if (lead >= 0xF0 && lead <= 0xF4)
        return 4;
    if (lead >= 0xE0)
        return lead <= 0xEF ? 3 : 1;
    if (lead >= 0xC2)
        return 2;
    return 1;
}

size_t encoded_word_length(size_t bytes) {
    return 12 + 4 * ((bytes + 2) / 3);
}

// Control characters (which would break a header) become spaces.
std::string header_safe(std::string_view text) {
    std::string out(text);
    for (auto& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            c = ' ';
    return out;
}

bool is_printable_ascii(std::string_view text) {
    for (unsigned char c : text)
        if (c < 0x20 || c > 0x7e)
            return false;
    return true;
}

// A display name as an RFC 5322 phrase: atoms as they are, quoted when it has
// specials, encoded-words when it is not ASCII.
std::string phrase(std::string_view name, size_t used) {
    std::string safe = header_safe(name);
    if (!is_printable_ascii(safe))
        return encode_words(safe, used);
    std::string quoted = "\"";
    for (char c : safe) {
        if (c == '"' || c == '\\')
            quoted += '\\';
        quoted += c;
    }
    return quoted + "\"";
}

// "Header: name <address>" with the name encoded as needed.
std::string address_header(std::string_view header, std::string_view name,
                           std::string_view address) {
    std::string line = std::string(header) + ": ";
    if (!name.empty())
        line += phrase(name, line.size()) + " ";
    return line + "<" + std::string(address) + ">\r\n";
}

// Base64 in lines of 76 characters, each ended by CRLF.
std::string base64_body(std::string_view data) {
    std::string encoded = base64_encode(data);
    std::string out;
    out.reserve(encoded.size() + encoded.size() / 76 * 2 + 2);
    for (size_t i = 0; i < encoded.size(); i += 76)
        out.append(encoded, i, 76).append("\r\n");
    return out;
}

std::string part(std::string_view boundary, std::string_view type, std::string_view content) {
    return "--" + std::string(boundary) + "\r\nContent-Type: " + std::string(type) +
           "; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64_body(content);
}

} // namespace

std::string encode_words(std::string_view text, size_t used) {
    constexpr size_t k_line = 76;
    std::string out;
    size_t line_used = used;
    std::string chunk;
    auto flush = [&] {
        if (chunk.empty())
            return;
        if (!out.empty()) {
            out += "\r\n ";
            line_used = 1;
        }
        std::string word = "=?UTF-8?B?" + base64_encode(chunk) + "?=";
        out += word;
        line_used += word.size();
        chunk.clear();
    };
    for (size_t i = 0; i < text.size();) {
        size_t n = utf8_length(static_cast<unsigned char>(text[i]));
        if (i + n > text.size())
            n = text.size() - i;
        // The next word starts a new line (after " ") unless it is the first one.
        size_t budget = out.empty() ? k_line - std::min(line_used, k_line - 20) : k_line - 1;
        budget = std::min<size_t>(budget, 75);
        if (!chunk.empty() && encoded_word_length(chunk.size() + n) > budget)
            flush();
        chunk.append(text.substr(i, n));
        i += n;
    }
    flush();
    if (out.empty())
        out = "=?UTF-8?B?"
              "?=";
    return out;
}

std::string message_id(std::string_view key, std::string_view domain) {
    static constexpr char k_hex[] = "0123456789ABCDEF";
    std::string local;
    for (unsigned char c : key) {
        bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
        if (keep) {
            local += static_cast<char>(c);
        } else {
            local += '=';
            local += k_hex[c >> 4];
            local += k_hex[c & 0xf];
        }
    }
    if (local.empty())
        local = "=";
    return "<" + local + "@" + std::string(domain) + ">";
}

std::string rfc5322_date(std::time_t time) {
    static constexpr const char* k_days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* k_months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::tm tm{};
    gmtime_r(&time, &tm);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000",
                  k_days[tm.tm_wday % 7], tm.tm_mday, k_months[tm.tm_mon % 12], tm.tm_year + 1900,
                  tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buffer;
}

std::string to_crlf(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 32);
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '\r') {
            out += "\r\n";
            if (i + 1 < text.size() && text[i + 1] == '\n')
                ++i;
        } else if (c == '\n') {
            out += "\r\n";
        } else {
            out += c;
        }
    }
    return out;
}

std::string html_from_text(std::string_view text) {
    std::string escaped;
    escaped.reserve(text.size() + 64);
    for (char c : text) {
        switch (c) {
        case '&':
            escaped += "&amp;";
            break;
        case '<':
            escaped += "&lt;";
            break;
        case '>':
            escaped += "&gt;";
            break;
        case '"':
            escaped += "&quot;";
            break;
        case '\'':
            escaped += "&#39;";
            break;
        default:
            escaped += c;
        }
    }
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n"
           "<pre style=\"font-family: inherit; white-space: pre-wrap\">" +
           escaped + "</pre>\n</body></html>\n";
}

std::string make_boundary() {
    unsigned char random[12];
    if (RAND_bytes(random, sizeof random) != 1)
        for (auto& b : random)
            b = static_cast<unsigned char>(std::rand());
    static constexpr char k_hex[] = "0123456789abcdef";
    // "=_" cannot start a base64 line, so the boundary never occurs in a part.
    std::string boundary = "=_aarshjul_";
    for (unsigned char b : random) {
        boundary += k_hex[b >> 4];
        boundary += k_hex[b & 0xf];
    }
    return boundary;
}

bool is_plain_address(std::string_view address) {
    auto at = address.rfind('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == address.size())
        return false;
    for (unsigned char c : address)
        if (c <= 0x20 || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';')
            return false;
    return true;
}

std::string build_message(const MailContent& content) {
    std::string text = to_crlf(content.text);
    std::string html = to_crlf(content.html ? *content.html : html_from_text(content.text));
    std::string out;
    out.reserve(text.size() * 3 + html.size() * 2 + 1024);
    out += "Date: " + rfc5322_date(content.date) + "\r\n";
    out += address_header("From", content.from_name, content.from_address);
    out += address_header("To", content.to_name, content.to_address);
    std::string subject = header_safe(content.subject);
    if (is_printable_ascii(subject) && subject.size() + 9 <= 78)
        out += "Subject: " + subject + "\r\n";
    else
        out += "Subject: " + encode_words(subject, 9) + "\r\n";
    out += "Message-ID: " + message_id(content.key, content.domain) + "\r\n";
    out += "MIME-Version: 1.0\r\n";
    out += "Auto-Submitted: auto-generated\r\n";
    out += "Content-Type: multipart/alternative; boundary=\"" + content.boundary + "\"\r\n";
    out += "\r\n";
    out += part(content.boundary, "text/plain", text);
    out += part(content.boundary, "text/html", html);
    out += "--" + content.boundary + "--\r\n";
    return out;
}

} // namespace aarshjul_smtp

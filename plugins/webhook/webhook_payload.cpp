// SPDX-License-Identifier: MPL-2.0
#include "webhook/webhook_payload.h"

#include "common/curl_support.h"
#include "common/plugin_support.h"
#include "webhook/facts.h"
#include "webhook/teams_card.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

// Boost.JSON compiled into this plugin, so it links no Boost library.
#include <boost/json/src.hpp>
#include <ctime>

namespace aarshjul_webhook {
namespace {

using aarshjul_plugin_support::field;

std::string iso8601(std::int64_t timestamp) {
    std::time_t t = static_cast<std::time_t>(timestamp);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buffer;
}

// Slack's mrkdwn needs &, < and > escaped; everything else is literal.
std::string slack_escape(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '&')
            out += "&amp;";
        else if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else
            out += c;
    }
    return out;
}

std::string trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return std::string(text);
}

} // namespace

std::optional<Format> parse_format(std::string_view text) {
    if (text == "generic")
        return Format::Generic;
    if (text == "teams")
        return Format::Teams;
    if (text == "teams-connector")
        return Format::TeamsConnector;
    if (text == "slack" || text == "mattermost")
        return Format::Slack;
    return std::nullopt;
}

std::string payload(Format format, const aarshjul_notice& notice, std::int64_t timestamp) {
    boost::json::object body;
    switch (format) {
    case Format::Generic:
        body["type"] = field(notice.kind);
        body["timestamp"] = iso8601(timestamp);
        body["key"] = field(notice.key);
        body["channel"] = field(notice.channel);
        body["recipient"] = field(notice.recipient);
        body["name"] = field(notice.name);
        body["address"] = field(notice.address);
        body["subject"] = field(notice.subject);
        body["body"] = field(notice.body);
        if (notice.html_body)
            body["html_body"] = notice.html_body;
        // The tasks behind the text: task, workflow, assignee, due, kind,
        // links; and the language the text is in.
        {
            const boost::json::object facts = notice_facts(notice);
            if (const auto* language = facts.if_contains("language"))
                body["language"] = *language;
            body["items"] = fact_items(facts);
        }
        break;
    case Format::Teams:
        body = teams_adaptive_card(notice);
        break;
    case Format::TeamsConnector:
        body = teams_message_card(notice);
        break;
    case Format::Slack:
        body["text"] =
            "*" + slack_escape(field(notice.subject)) + "*\n" + slack_escape(field(notice.body));
        break;
    }
    return boost::json::serialize(body);
}

std::optional<std::vector<std::string>> parse_secrets(std::string_view list, std::string& error) {
    std::vector<std::string> secrets;
    size_t index = 0;
    while (!list.empty()) {
        size_t comma = list.find(',');
        std::string item = trim(list.substr(0, comma));
        list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
        ++index;
        if (item.empty())
            continue;
        constexpr std::string_view k_prefix = "whsec_";
        if (item.compare(0, k_prefix.size(), k_prefix) != 0) {
            error = "webhook: secret " + std::to_string(index) + " does not start with whsec_";
            return std::nullopt;
        }
        auto decoded =
            aarshjul_plugin_support::base64_decode(std::string_view(item).substr(k_prefix.size()));
        if (!decoded || decoded->size() < 16) {
            error = "webhook: secret " + std::to_string(index) +
                    " is not base64 of at least 16 bytes after whsec_";
            return std::nullopt;
        }
        secrets.push_back(std::move(*decoded));
    }
    return secrets;
}

std::string signature(const std::vector<std::string>& secrets, std::string_view id,
                      std::int64_t timestamp, std::string_view body) {
    std::string content =
        std::string(id) + "." + std::to_string(timestamp) + "." + std::string(body);
    std::string header;
    for (const auto& secret : secrets) {
        unsigned char mac[EVP_MAX_MD_SIZE];
        unsigned int mac_len = 0;
        HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
             reinterpret_cast<const unsigned char*>(content.data()), content.size(), mac, &mac_len);
        if (!header.empty())
            header += ' ';
        header += "v1," + aarshjul_plugin_support::base64_encode(
                              std::string_view(reinterpret_cast<const char*>(mac), mac_len));
    }
    return header;
}

} // namespace aarshjul_webhook

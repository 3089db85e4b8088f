// SPDX-License-Identifier: MPL-2.0
// The `webhook` notifier plugin: one signed HTTP POST per notice.
//
// Config keys: url, format = generic (default) | teams (an Adaptive Card for a
// Teams Workflows webhook) | teams-connector (an Office 365 connector
// MessageCard) | slack (also Mattermost), secrets (comma-separated "whsec_<base64>"; each signs,
// for key rotation), timeout_seconds (default 10), ca_file. Headers follow Standard Webhooks:
// webhook-id (the outbox key, stable across retries), webhook-timestamp, webhook-signature. A 410
// reply disables the instance.

#include "aarshjul_plugin.h"
#include "common/curl_support.h"
#include "common/plugin_support.h"
#include "webhook/webhook_payload.h"

#include <algorithm>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

namespace {

using namespace aarshjul_plugin_support;
using aarshjul_webhook::Format;

constexpr size_t k_max_reply_excerpt = 200;
constexpr uint32_t k_max_retry_after = 7 * 24 * 3600;

// Keeps the start of the response body for error messages, discards the rest.
size_t keep_excerpt(char* data, size_t size, size_t count, void* user) {
    auto* excerpt = static_cast<std::string*>(user);
    size_t n = size * count;
    if (excerpt->size() < k_max_reply_excerpt)
        excerpt->append(data, std::min(n, k_max_reply_excerpt - excerpt->size()));
    return n;
}

std::string printable(std::string text) {
    for (auto& c : text)
        if (static_cast<unsigned char>(c) < 0x20)
            c = ' ';
    return text;
}

class WebhookPlugin {
public:
    static std::unique_ptr<WebhookPlugin> create(const Config& config, const Log& log,
                                                 std::string& error) {
        std::unique_ptr<WebhookPlugin> self(new WebhookPlugin(log));
        if (!self->configure(config, error))
            return nullptr;
        return self;
    }

    Outcome send(const aarshjul_notice& notice) {
        if (m_disabled)
            return Outcome::permanent("endpoint gone (410): disabled");

        std::int64_t timestamp = std::time(nullptr);
        std::string body = aarshjul_webhook::payload(m_format, notice, timestamp);
        std::string id(field(notice.key));

        Slist headers;
        slist_append(headers, "Content-Type: application/json");
        slist_append(headers, "webhook-id: " + printable(id));
        slist_append(headers, "webhook-timestamp: " + std::to_string(timestamp));
        if (!m_secrets.empty())
            slist_append(headers, "webhook-signature: " +
                                      aarshjul_webhook::signature(m_secrets, id, timestamp, body));
        slist_append(headers, "Expect:");

        CURL* h = m_curl.get();
        std::string excerpt;
        char curl_error[CURL_ERROR_SIZE] = {};
        curl_easy_setopt(h, CURLOPT_URL, m_url.c_str());
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_error);
        curl_easy_setopt(h, CURLOPT_USERAGENT, "aarshjul-webhook/1");
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &keep_excerpt);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &excerpt);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, m_timeout);
        curl_easy_setopt(h, CURLOPT_TIMEOUT, m_timeout);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
        if (!m_ca_file.empty())
            curl_easy_setopt(h, CURLOPT_CAINFO, m_ca_file.c_str());

        CURLcode rc = curl_easy_perform(h);
        long status = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        curl_off_t retry_after = 0;
        curl_easy_getinfo(h, CURLINFO_RETRY_AFTER, &retry_after);
        // Options point at locals; clear them before they go out of scope.
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, nullptr);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, nullptr);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);

        if (rc != CURLE_OK) {
            std::string detail = curl_error[0] ? curl_error : curl_easy_strerror(rc);
            if (rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL)
                return Outcome::permanent("webhook: " + detail);
            return Outcome::temporary("webhook: " + detail);
        }
        return classify(status, retry_after, printable(excerpt));
    }

private:
    explicit WebhookPlugin(Log log) : m_log(log) {}

    bool configure(const Config& config, std::string& error) {
        if (!m_curl) {
            error = "webhook: cannot initialise libcurl";
            return false;
        }
        auto url = config.get("url");
        if (!url || (url->rfind("https://", 0) != 0 && url->rfind("http://", 0) != 0)) {
            error = "webhook: `url` must be an http:// or https:// URL";
            return false;
        }
        m_url = *url;
        std::string format = config.get_or("format", "generic");
        auto parsed = aarshjul_webhook::parse_format(format);
        if (!parsed) {
            error = std::string("webhook: format must be ") + aarshjul_webhook::k_format_names +
                    ", not \"" + format + "\"";
            return false;
        }
        m_format = *parsed;
        if (auto list = config.get("secrets")) {
            auto secrets = aarshjul_webhook::parse_secrets(*list, error);
            if (!secrets)
                return false;
            m_secrets = std::move(*secrets);
        }
        if (auto text = config.get("timeout_seconds")) {
            auto seconds = parse_positive(*text, 600);
            if (!seconds) {
                error = "webhook: timeout_seconds must be 1-600, not \"" + *text + "\"";
                return false;
            }
            m_timeout = *seconds;
        }
        m_ca_file = config.get_or("ca_file", "");
        if (m_url.rfind("http://", 0) == 0)
            m_log(AARSHJUL_LOG_WARN,
                  "webhook: " + m_url + " is not https; payloads travel in clear");
        if (m_secrets.empty() && m_format == Format::Generic)
            m_log(AARSHJUL_LOG_WARN, "webhook: no secrets configured; requests are not signed");
        return true;
    }

    Outcome classify(long status, curl_off_t retry_after, const std::string& excerpt) {
        std::string detail =
            "HTTP " + std::to_string(status) + (excerpt.empty() ? std::string() : ": " + excerpt);
        if (status >= 200 && status < 300)
            return Outcome::sent();
        if (status == 410) {
            m_disabled = true;
            m_log(AARSHJUL_LOG_ERROR,
                  "webhook: " + m_url + " answered 410 Gone; endpoint disabled");
            return Outcome::permanent("endpoint gone (410): disabled");
        }
        if (status == 429 || status == 503) {
            auto hint = static_cast<uint32_t>(
                std::clamp<curl_off_t>(retry_after, 0, static_cast<curl_off_t>(k_max_retry_after)));
            return Outcome::temporary("webhook: " + detail, hint);
        }
        if (status == 408 || status >= 500)
            return Outcome::temporary("webhook: " + detail);
        return Outcome::permanent("webhook: " + detail);
    }

    Log m_log;
    CurlEasy m_curl;
    std::string m_url;
    Format m_format = Format::Generic;
    std::vector<std::string> m_secrets;
    long m_timeout = 10;
    std::string m_ca_file;
    bool m_disabled = false;
};

constexpr aarshjul_plugin k_descriptor = PluginAdapter<WebhookPlugin>::descriptor("webhook");

} // namespace

extern "C" AARSHJUL_PLUGIN_EXPORT const aarshjul_plugin* aarshjul_plugin_entry(void) {
    return &k_descriptor;
}

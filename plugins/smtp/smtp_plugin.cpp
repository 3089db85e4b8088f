// SPDX-License-Identifier: MPL-2.0
// The `smtp` notifier plugin: one e-mail per notice over libcurl.
//
// Config keys: host, port, tls = starttls (default) | implicit | none (loopback
// hosts only), username, password_file | password_env, from, from_name,
// domain (for Message-ID; default: the domain of `from`), timeout_seconds
// (default 30), ca_file. TLS is never optional unless tls = none: STARTTLS is
// required (CURLUSESSL_ALL) and a server without it fails closed.
// One CURL handle per instance, so consecutive messages reuse the connection.

#include "aarshjul_plugin.h"
#include "common/curl_support.h"
#include "common/plugin_support.h"
#include "smtp/mail_message.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <string>

namespace {

using namespace aarshjul_plugin_support;

enum class Tls { StartTls, Implicit, None };

// The upload source for the DATA phase.
struct Upload {
    const std::string* data;
    size_t offset = 0;
};

size_t read_upload(char* buffer, size_t size, size_t count, void* user) {
    auto* upload = static_cast<Upload*>(user);
    size_t n = std::min(size * count, upload->data->size() - upload->offset);
    std::memcpy(buffer, upload->data->data() + upload->offset, n);
    upload->offset += n;
    return n;
}

bool is_domain(std::string_view text) {
    if (text.empty())
        return false;
    for (char c : text)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.'))
            return false;
    return true;
}

std::string trim_line_end(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    return text;
}

class SmtpPlugin {
public:
    static std::unique_ptr<SmtpPlugin> create(const Config& config, const Log& log,
                                              std::string& error) {
        std::unique_ptr<SmtpPlugin> self(new SmtpPlugin(log));
        if (!self->configure(config, error))
            return nullptr;
        return self;
    }

    Outcome send(const aarshjul_notice& notice) {
        std::string to(field(notice.address));
        if (!aarshjul_smtp::is_plain_address(to))
            return Outcome::permanent("smtp: not a usable e-mail address: \"" + to + "\"");

        aarshjul_smtp::MailContent content;
        content.from_address = m_from;
        content.from_name = m_from_name;
        content.to_address = to;
        content.to_name = field(notice.name);
        content.subject = field(notice.subject);
        content.text = field(notice.body);
        if (notice.html_body)
            content.html = notice.html_body;
        content.key = field(notice.key);
        content.domain = m_domain;
        content.date = std::time(nullptr);
        content.boundary = aarshjul_smtp::make_boundary();
        std::string message = aarshjul_smtp::build_message(content);
        return transfer(to, message);
    }

private:
    explicit SmtpPlugin(Log log) : m_log(log) {}

    bool configure(const Config& config, std::string& error) {
        if (!m_curl) {
            error = "smtp: cannot initialise libcurl";
            return false;
        }
        auto host = config.get("host");
        if (!host) {
            error = "smtp: `host` is required";
            return false;
        }
        std::string tls = config.get_or("tls", "starttls");
        if (tls == "starttls")
            m_tls = Tls::StartTls;
        else if (tls == "implicit")
            m_tls = Tls::Implicit;
        else if (tls == "none")
            m_tls = Tls::None;
        else {
            error = "smtp: tls must be starttls, implicit or none, not \"" + tls + "\"";
            return false;
        }
        if (m_tls == Tls::None && !is_loopback_host(*host)) {
            error =
                "smtp: tls = \"none\" is only allowed for a loopback host, not \"" + *host + "\"";
            return false;
        }
        long port = m_tls == Tls::Implicit ? 465 : (m_tls == Tls::StartTls ? 587 : 25);
        if (auto text = config.get("port")) {
            auto parsed = parse_positive(*text, 65535);
            if (!parsed) {
                error = "smtp: port must be 1-65535, not \"" + *text + "\"";
                return false;
            }
            port = *parsed;
        }
        if (auto text = config.get("timeout_seconds")) {
            auto parsed = parse_positive(*text, 3600);
            if (!parsed) {
                error = "smtp: timeout_seconds must be 1-3600, not \"" + *text + "\"";
                return false;
            }
            m_timeout = *parsed;
        }
        auto from = config.get("from");
        if (!from || !aarshjul_smtp::is_plain_address(*from)) {
            error = "smtp: `from` must be an e-mail address";
            return false;
        }
        m_from = *from;
        m_from_name = config.get_or("from_name", "");
        m_domain = config.get_or("domain", m_from.substr(m_from.rfind('@') + 1));
        if (!is_domain(m_domain)) {
            error = "smtp: `domain` must be a domain name, not \"" + m_domain + "\"";
            return false;
        }
        m_username = config.get_or("username", "");
        if (auto file = config.get("password_file")) {
            auto password = read_text_file(*file);
            if (!password) {
                error = "smtp: cannot read password_file " + *file;
                return false;
            }
            m_password = trim_line_end(*password);
        } else if (auto env = config.get("password_env")) {
            const char* value = std::getenv(env->c_str());
            if (!value) {
                error = "smtp: environment variable " + *env + " (password_env) is not set";
                return false;
            }
            m_password = value;
        }
        if (!m_password.empty() && m_username.empty()) {
            error = "smtp: a password needs a `username`";
            return false;
        }
        m_ca_file = config.get_or("ca_file", "");

        std::string bracketed = host->find(':') != std::string::npos && host->front() != '['
                                    ? "[" + *host + "]"
                                    : *host;
        // The URL's path is the name curl sends in EHLO.
        m_url = std::string(m_tls == Tls::Implicit ? "smtps://" : "smtp://") + bracketed + ":" +
                std::to_string(port) + "/" + m_domain;
        m_log(AARSHJUL_LOG_INFO, "smtp: sending via " + m_url.substr(0, m_url.rfind('/')) +
                                     " (tls " + tls + ") as " + m_from);
        return true;
    }

    Outcome transfer(const std::string& to, const std::string& message) {
        CURL* h = m_curl.get();
        Slist recipients;
        slist_append(recipients, "<" + to + ">");
        Upload upload{&message};
        char curl_error[CURL_ERROR_SIZE] = {};

        curl_easy_setopt(h, CURLOPT_URL, m_url.c_str());
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_error);
        curl_easy_setopt(h, CURLOPT_USE_SSL,
                         m_tls == Tls::None ? static_cast<long>(CURLUSESSL_NONE)
                                            : static_cast<long>(CURLUSESSL_ALL));
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
        if (!m_ca_file.empty())
            curl_easy_setopt(h, CURLOPT_CAINFO, m_ca_file.c_str());
        if (!m_username.empty()) {
            curl_easy_setopt(h, CURLOPT_USERNAME, m_username.c_str());
            curl_easy_setopt(h, CURLOPT_PASSWORD, m_password.c_str());
        }
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, m_timeout);
        curl_easy_setopt(h, CURLOPT_TIMEOUT, m_timeout);
        curl_easy_setopt(h, CURLOPT_MAIL_FROM, ("<" + m_from + ">").c_str());
        curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients.get());
        curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(h, CURLOPT_READFUNCTION, &read_upload);
        curl_easy_setopt(h, CURLOPT_READDATA, &upload);
        curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));

        CURLcode rc = curl_easy_perform(h);
        long reply = 0;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
        // Options point at locals; clear them before they go out of scope.
        curl_easy_setopt(h, CURLOPT_MAIL_RCPT, nullptr);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
        curl_easy_setopt(h, CURLOPT_READDATA, nullptr);

        if (rc == CURLE_OK)
            return Outcome::sent();
        std::string detail = curl_error[0] ? curl_error : curl_easy_strerror(rc);
        if (reply > 0)
            detail += " (SMTP reply " + std::to_string(reply) + ")";
        if (rc == CURLE_USE_SSL_FAILED)
            return Outcome::permanent("smtp: TLS required but the server does not offer "
                                      "STARTTLS; nothing sent: " +
                                      detail);
        if (reply >= 500 && reply < 600)
            return Outcome::permanent("smtp: rejected: " + detail);
        if (reply >= 400 && reply < 500)
            return Outcome::temporary("smtp: deferred: " + detail);
        switch (rc) {
        case CURLE_URL_MALFORMAT:
        case CURLE_UNSUPPORTED_PROTOCOL:
        case CURLE_LOGIN_DENIED:
            return Outcome::permanent("smtp: " + detail);
        default:
            return Outcome::temporary("smtp: " + detail);
        }
    }

    Log m_log;
    CurlEasy m_curl;
    Tls m_tls = Tls::StartTls;
    long m_timeout = 30;
    std::string m_url;
    std::string m_from;
    std::string m_from_name;
    std::string m_domain;
    std::string m_username;
    std::string m_password;
    std::string m_ca_file;
};

constexpr aarshjul_plugin k_descriptor = PluginAdapter<SmtpPlugin>::descriptor("smtp");

} // namespace

extern "C" AARSHJUL_PLUGIN_EXPORT const aarshjul_plugin* aarshjul_plugin_entry(void) {
    return &k_descriptor;
}

// SPDX-License-Identifier: MPL-2.0
#pragma once
// libcurl and OpenSSL helpers shared by the smtp and webhook plugins:
// an RAII easy handle (with curl_global_init reference counting), base64 and
// a loopback test. Thread rules: a CurlEasy is used by one thread at a time.

#include <arpa/inet.h>
#include <curl/curl.h>
#include <memory>
#include <openssl/evp.h>
#include <optional>
#include <string>
#include <string_view>

namespace aarshjul_plugin_support {

// One CURL easy handle; keeps libcurl initialised while it exists.
class CurlEasy {
public:
    CurlEasy() {
        // Thread-safe and reference counted since libcurl 7.84.
        if (curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK) {
            m_global = true;
            m_handle = curl_easy_init();
        }
    }
    ~CurlEasy() {
        if (m_handle)
            curl_easy_cleanup(m_handle);
        if (m_global)
            curl_global_cleanup();
    }
    CurlEasy(const CurlEasy&) = delete;
    CurlEasy& operator=(const CurlEasy&) = delete;

    CURL* get() const { return m_handle; }
    explicit operator bool() const { return m_handle != nullptr; }

private:
    CURL* m_handle = nullptr;
    bool m_global = false;
};

// Owns a curl_slist.
struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

inline void slist_append(Slist& list, const std::string& value) {
    curl_slist* appended = curl_slist_append(list.get(), value.c_str());
    if (appended) {
        (void)list.release();
        list.reset(appended);
    }
}

// Standard base64 (with padding, no line breaks).
inline std::string base64_encode(std::string_view data) {
    std::string out(4 * ((data.size() + 2) / 3), '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(data.data()),
                            static_cast<int>(data.size()));
    out.resize(n < 0 ? 0 : static_cast<size_t>(n));
    return out;
}

// Decodes standard base64 with padding; nullopt when malformed.
inline std::optional<std::string> base64_decode(std::string_view text) {
    if (text.empty() || text.size() % 4 != 0)
        return std::nullopt;
    std::string out(3 * text.size() / 4, '\0');
    int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(text.data()),
                            static_cast<int>(text.size()));
    if (n < 0)
        return std::nullopt;
    // EVP_DecodeBlock counts padding as zero bytes.
    size_t padding = 0;
    if (text.back() == '=')
        padding = text[text.size() - 2] == '=' ? 2 : 1;
    out.resize(static_cast<size_t>(n) - padding);
    return out;
}

// True for localhost, ::1 and 127.0.0.0/8 (the hosts a plain-text connection may go to).
inline bool is_loopback_host(std::string host) {
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    for (auto& c : host)
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (host == "localhost" || host == "localhost.")
        return true;
    in_addr v4{};
    if (inet_pton(AF_INET, host.c_str(), &v4) == 1)
        return (ntohl(v4.s_addr) >> 24) == 127;
    in6_addr v6{};
    if (inet_pton(AF_INET6, host.c_str(), &v6) == 1)
        return IN6_IS_ADDR_LOOPBACK(&v6);
    return false;
}

} // namespace aarshjul_plugin_support

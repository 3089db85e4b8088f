// SPDX-License-Identifier: MPL-2.0
#pragma once
// Helpers shared by the shipped plugins (header-only, compiled into each
// plugin; not part of the ABI). PluginAdapter<Impl> turns a C++ class into the
// C descriptor functions and keeps exceptions from crossing the C boundary.
// Thread rules: as the ABI's; nothing here holds global state.

#include "aarshjul_plugin.h"

#include <cerrno>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <exception>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

namespace aarshjul_plugin_support {

// The configuration section as a map, with typed accessors.
class Config {
public:
    explicit Config(const aarshjul_plugin_context& context) {
        for (size_t i = 0; i < context.config_count; ++i)
            m_values[context.config[i].key] = context.config[i].value;
    }

    std::optional<std::string> get(const std::string& key) const {
        auto it = m_values.find(key);
        if (it == m_values.end() || it->second.empty())
            return std::nullopt;
        return it->second;
    }
    std::string get_or(const std::string& key, std::string fallback) const {
        return get(key).value_or(std::move(fallback));
    }

private:
    std::map<std::string, std::string> m_values;
};

// Writes to the daemon's log through the context's callback.
class Log {
public:
    explicit Log(const aarshjul_plugin_context& context)
        : m_fn(context.log), m_user(context.log_user) {}
    void operator()(aarshjul_log_level level, const std::string& message) const {
        if (m_fn)
            m_fn(m_user, level, message.c_str());
    }

private:
    aarshjul_log_fn m_fn;
    void* m_user;
};

// The C++ form of aarshjul_send_result.
struct Outcome {
    aarshjul_send_outcome outcome = AARSHJUL_SENT;
    std::string error;
    uint32_t retry_after_seconds = 0;

    static Outcome sent() { return {}; }
    static Outcome temporary(std::string error, uint32_t retry_after = 0) {
        return {AARSHJUL_TEMPORARY_FAILURE, std::move(error), retry_after};
    }
    static Outcome permanent(std::string error) {
        return {AARSHJUL_PERMANENT_FAILURE, std::move(error), 0};
    }
};

// Copies `message` into a C buffer of `len` bytes, truncating, always NUL-terminated.
inline void copy_error(char* buffer, size_t len, std::string_view message) {
    if (!buffer || len == 0)
        return;
    size_t n = message.size() < len - 1 ? message.size() : len - 1;
    std::memcpy(buffer, message.data(), n);
    buffer[n] = '\0';
}

// A positive integer in [1, max], or nullopt.
inline std::optional<long> parse_positive(std::string_view text, long max) {
    long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 1 || value > max)
        return std::nullopt;
    return value;
}

// A string field of a notice, "" for NULL.
inline std::string_view field(const char* value) {
    return value ? std::string_view(value) : std::string_view();
}

// The whole content of a file, or nullopt when it cannot be read.
inline std::optional<std::string> read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// Adapts `Impl` to the ABI. Impl provides
//   static std::unique_ptr<Impl> create(const Config&, const Log&, std::string& error);
//   Outcome send(const aarshjul_notice&);
template <class Impl> struct PluginAdapter {
    static int create(const aarshjul_plugin_context* context, void** instance, char* error,
                      size_t error_len) {
        try {
            if (!context || !instance) {
                copy_error(error, error_len, "no context");
                return 1;
            }
            std::string reason;
            auto created = Impl::create(Config(*context), Log(*context), reason);
            if (!created) {
                copy_error(error, error_len, reason.empty() ? "create failed" : reason);
                return 1;
            }
            *instance = created.release();
            return 0;
        } catch (const std::exception& e) {
            copy_error(error, error_len, e.what());
        } catch (...) {
            copy_error(error, error_len, "unknown exception");
        }
        return 1;
    }

    static void send(void* instance, const aarshjul_notice* notice, aarshjul_send_result* result) {
        if (!result)
            return;
        Outcome outcome;
        try {
            if (!instance || !notice)
                outcome = Outcome::permanent("no instance or notice");
            else
                outcome = static_cast<Impl*>(instance)->send(*notice);
        } catch (const std::exception& e) {
            outcome = Outcome::temporary(std::string("exception: ") + e.what());
        } catch (...) {
            outcome = Outcome::temporary("unknown exception");
        }
        result->outcome = outcome.outcome;
        result->retry_after_seconds = outcome.retry_after_seconds;
        copy_error(result->error, result->error_len, outcome.error);
    }

    static void destroy(void* instance) { delete static_cast<Impl*>(instance); }

    static constexpr aarshjul_plugin descriptor(const char* name) {
        return aarshjul_plugin{AARSHJUL_PLUGIN_ABI_VERSION, name, &create, &send, &destroy};
    }
};

} // namespace aarshjul_plugin_support

// SPDX-License-Identifier: MPL-2.0
// The `log` notifier plugin: "delivers" each notice as one line in the
// daemon's log. For trials and for checking routing before mail is set up.
// Config: `level` = debug | info (default) | warn.

#include "aarshjul_plugin.h"
#include "common/plugin_support.h"

#include <memory>
#include <string>

namespace {

using namespace aarshjul_plugin_support;

// Replaces control characters so one notice is always one log line.
std::string one_line(std::string_view text) {
    std::string out(text);
    for (auto& c : out)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            c = ' ';
    return out;
}

class LogPlugin {
public:
    static std::unique_ptr<LogPlugin> create(const Config& config, const Log& log,
                                             std::string& error) {
        std::string level = config.get_or("level", "info");
        aarshjul_log_level parsed;
        if (level == "debug")
            parsed = AARSHJUL_LOG_DEBUG;
        else if (level == "info")
            parsed = AARSHJUL_LOG_INFO;
        else if (level == "warn")
            parsed = AARSHJUL_LOG_WARN;
        else {
            error = "log: level must be debug, info or warn, not \"" + level + "\"";
            return nullptr;
        }
        return std::unique_ptr<LogPlugin>(new LogPlugin(log, parsed));
    }

    Outcome send(const aarshjul_notice& notice) {
        std::string who(field(notice.name).empty() ? field(notice.recipient) : field(notice.name));
        m_log(m_level, one_line("notice " + std::string(field(notice.key)) + " (" +
                                std::string(field(notice.kind)) + ") to " + who + " <" +
                                std::string(field(notice.address)) +
                                ">: " + std::string(field(notice.subject))));
        return Outcome::sent();
    }

private:
    LogPlugin(Log log, aarshjul_log_level level) : m_log(log), m_level(level) {}

    Log m_log;
    aarshjul_log_level m_level;
};

constexpr aarshjul_plugin k_descriptor = PluginAdapter<LogPlugin>::descriptor("log");

} // namespace

extern "C" AARSHJUL_PLUGIN_EXPORT const aarshjul_plugin* aarshjul_plugin_entry(void) {
    return &k_descriptor;
}

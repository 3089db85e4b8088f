// SPDX-License-Identifier: MPL-2.0
#include "notify/channels.h"

#include "notify/log_notifier.h"
#include "notify/plugin_loader.h"

namespace aarshjul {

std::filesystem::path default_plugin_dir() {
#ifdef AARSHJUL_DEFAULT_PLUGIN_DIR
    return AARSHJUL_DEFAULT_PLUGIN_DIR;
#else
    return "/usr/lib/aarshjul/plugins";
#endif
}

Result<std::vector<std::unique_ptr<Notifier>>> make_notifiers(const Config& config) {
    std::vector<std::unique_ptr<Notifier>> out;
    bool log_configured = false;
    const auto dir = config.plugin_dir.empty() ? default_plugin_dir() : config.plugin_dir;
    for (const auto& channel : config.channels) {
        log_configured = log_configured || channel.name == "log";
        auto settings = channel.settings;
        settings["channel"] = channel.name;
        auto notifier = load_plugin(dir / ("aarshjul-" + channel.plugin + ".so"), settings);
        if (!notifier.ok())
            return Error::at(config.file.string(), 0,
                             "channel." + channel.name + ": " + notifier.error().message);
        out.push_back(std::move(notifier).value());
    }
    if (!log_configured)
        out.push_back(std::make_unique<LogNotifier>());
    return out;
}

DispatchSettings dispatch_settings(const Config& config) {
    DispatchSettings s;
    s.max_attempts = config.max_attempts;
    s.base_backoff = std::chrono::seconds{config.retry_base_seconds};
    s.failure_channel = config.failure_channel;
    for (const auto& channel : config.channels)
        if (channel.rate_per_minute > 0)
            s.rate_per_minute[channel.name] = channel.rate_per_minute;
    return s;
}

} // namespace aarshjul

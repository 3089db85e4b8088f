// SPDX-License-Identifier: MPL-2.0
#pragma once
// Channels: the notifiers the configuration names, ready for the dispatcher.
//
// `log` is built in; every [channel.NAME] loads the plugin
// `<plugin_dir>/aarshjul-<plugin>.so` with its settings (plus channel = NAME).

#include "config/config.h"
#include "notify/dispatcher.h"
#include "notify/notifier.h"

#include <memory>
#include <vector>

namespace aarshjul {

// Where plugins are looked for when the configuration does not say.
std::filesystem::path default_plugin_dir();

Result<std::vector<std::unique_ptr<Notifier>>> make_notifiers(const Config& config);

// Dispatcher settings (retries, failure channel, rate limits) from the configuration.
DispatchSettings dispatch_settings(const Config& config);

} // namespace aarshjul

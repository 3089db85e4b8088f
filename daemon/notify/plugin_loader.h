// SPDX-License-Identifier: MPL-2.0
#pragma once
// Loads a notifier plugin (a shared object speaking plugins/aarshjul_plugin.h)
// and wraps one instance of it in the C++ Notifier interface.
//
// Each loaded notifier keeps its shared object open (dlopen reference) and
// destroys its plugin instance in its destructor, so the code stays mapped
// for as long as any instance exists. The notifier's name() is the config
// key "channel" when given, otherwise the plugin's own name. A retry hint from
// the plugin (Retry-After) is appended to the error text.
// Thread rules: load_plugin may be called from any thread; a returned
// notifier is used from one thread at a time, like every Notifier.

#include "notify/notifier.h"
#include "util/result.h"

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace aarshjul {

// Severity of a plugin log message (the values of enum aarshjul_log_level).
enum class PluginLogLevel { Debug = 0, Info = 1, Warn = 2, Error = 3 };

// Receives the plugin's log messages. An empty function logs through spdlog.
using LoggerFn = std::function<void(PluginLogLevel level, std::string_view message)>;

// Opens `so`, checks its ABI version and creates an instance with `config`
// (flat key/value pairs; nested tables as "a.b"). Fails with a clear error
// when the file is missing, the entry point is absent, the ABI version
// differs, or the plugin's create() refuses the configuration.
Result<std::unique_ptr<Notifier>> load_plugin(const std::filesystem::path& so,
                                              const std::map<std::string, std::string>& config,
                                              LoggerFn logger = {});

} // namespace aarshjul

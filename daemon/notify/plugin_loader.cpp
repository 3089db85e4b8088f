// SPDX-License-Identifier: MPL-2.0
#include "notify/plugin_loader.h"

// The ABI header lives with the plugins; aarshjul_core does not add plugins/ to its include path.
#include "../../plugins/aarshjul_plugin.h"

#include <array>
#include <dlfcn.h>
#include <spdlog/spdlog.h>
#include <vector>

namespace aarshjul {
namespace {

constexpr size_t k_error_buffer = 1024;

// A dlopen handle; closed when the last instance using it is gone.
using Library = std::shared_ptr<void>;

std::string dl_error() {
    const char* message = dlerror();
    return message ? message : "unknown dlopen error";
}

// The wrapper: owns the plugin instance and the context it was created with.
class PluginNotifier final : public Notifier {
public:
    PluginNotifier(Library library, const aarshjul_plugin* plugin, std::string name,
                   const std::map<std::string, std::string>& config, LoggerFn logger)
        : m_library(std::move(library)), m_plugin(plugin), m_name(std::move(name)),
          m_logger(std::move(logger)) {
        m_keys.reserve(config.size());
        for (const auto& [key, value] : config) {
            m_keys.push_back(key);
            m_values.push_back(value);
        }
        for (size_t i = 0; i < m_keys.size(); ++i)
            m_entries.push_back({m_keys[i].c_str(), m_values[i].c_str()});
        m_context.config = m_entries.data();
        m_context.config_count = m_entries.size();
        m_context.log = &PluginNotifier::log_thunk;
        m_context.log_user = this;
    }

    ~PluginNotifier() override {
        if (m_instance)
            m_plugin->destroy(m_instance);
    }

    PluginNotifier(const PluginNotifier&) = delete;
    PluginNotifier& operator=(const PluginNotifier&) = delete;

    Result<void> create() {
        std::array<char, k_error_buffer> error{};
        void* instance = nullptr;
        if (m_plugin->create(&m_context, &instance, error.data(), error.size()) != 0 || !instance) {
            error.back() = '\0';
            return make_error(error[0] ? std::string(error.data()) : "create() failed");
        }
        m_instance = instance;
        return {};
    }

    std::string_view name() const override { return m_name; }

    SendResult send(const Notice& notice) override {
        aarshjul_notice c_notice{notice.key.c_str(),
                                 notice.kind.c_str(),
                                 notice.channel.c_str(),
                                 notice.recipient.c_str(),
                                 notice.name.c_str(),
                                 notice.address.c_str(),
                                 notice.subject.c_str(),
                                 notice.body.c_str(),
                                 notice.html_body.empty() ? nullptr : notice.html_body.c_str(),
                                 notice.facts.c_str()};
        std::array<char, k_error_buffer> error{};
        aarshjul_send_result result{AARSHJUL_SENT, error.data(), error.size(), 0};
        m_plugin->send(m_instance, &c_notice, &result);
        error.back() = '\0';

        SendResult out;
        out.error = error.data();
        switch (result.outcome) {
        case AARSHJUL_SENT:
            out.outcome = SendOutcome::Sent;
            out.error.clear();
            return out;
        case AARSHJUL_TEMPORARY_FAILURE:
            out.outcome = SendOutcome::TemporaryFailure;
            break;
        case AARSHJUL_PERMANENT_FAILURE:
            out.outcome = SendOutcome::PermanentFailure;
            break;
        default:
            out.outcome = SendOutcome::TemporaryFailure;
            out.error = "plugin returned unknown outcome " + std::to_string(result.outcome) +
                        (out.error.empty() ? "" : ": " + out.error);
            break;
        }
        if (out.error.empty())
            out.error = "failed without a reason";
        if (result.retry_after_seconds > 0) {
            out.error += " (retry after " + std::to_string(result.retry_after_seconds) + " s)";
            out.retry_after = std::chrono::seconds{result.retry_after_seconds};
        }
        return out;
    }

private:
    static void log_thunk(void* user, int level, const char* message) {
        auto* self = static_cast<PluginNotifier*>(user);
        std::string_view text = message ? message : "";
        auto clamped = static_cast<PluginLogLevel>(level < 0 ? 0 : (level > 3 ? 3 : level));
        if (self->m_logger) {
            self->m_logger(clamped, text);
            return;
        }
        static constexpr spdlog::level::level_enum k_levels[] = {
            spdlog::level::debug, spdlog::level::info, spdlog::level::warn, spdlog::level::err};
        spdlog::log(k_levels[static_cast<int>(clamped)], "[{}] {}", self->m_name, text);
    }

    Library m_library;
    const aarshjul_plugin* m_plugin;
    std::string m_name;
    LoggerFn m_logger;
    std::vector<std::string> m_keys;
    std::vector<std::string> m_values;
    std::vector<aarshjul_config_entry> m_entries;
    aarshjul_plugin_context m_context{};
    void* m_instance = nullptr;
};

} // namespace

Result<std::unique_ptr<Notifier>> load_plugin(const std::filesystem::path& so,
                                              const std::map<std::string, std::string>& config,
                                              LoggerFn logger) {
    std::string file = so.string();
    std::error_code ec;
    if (!std::filesystem::is_regular_file(so, ec))
        return Error::at(file, 0, "plugin file not found");

    dlerror();
    void* raw = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!raw)
        return Error::at(file, 0, "cannot load plugin: " + dl_error());
    Library library(raw, [](void* handle) { dlclose(handle); });

    dlerror();
    void* symbol = dlsym(raw, AARSHJUL_PLUGIN_ENTRY_SYMBOL);
    if (!symbol)
        return Error::at(file, 0,
                         "not an aarshjul plugin: no symbol " AARSHJUL_PLUGIN_ENTRY_SYMBOL " (" +
                             dl_error() + ")");
    // POSIX guarantees a data pointer from dlsym converts to a function pointer.
    auto entry = reinterpret_cast<aarshjul_plugin_entry_fn>(symbol);
    const aarshjul_plugin* plugin = entry();
    if (!plugin)
        return Error::at(file, 0, AARSHJUL_PLUGIN_ENTRY_SYMBOL "() returned no descriptor");
    if (plugin->abi_version != AARSHJUL_PLUGIN_ABI_VERSION)
        return Error::at(file, 0,
                         "plugin ABI version " + std::to_string(plugin->abi_version) +
                             " is not supported (expected " +
                             std::to_string(AARSHJUL_PLUGIN_ABI_VERSION) + ")");
    if (!plugin->name || !plugin->create || !plugin->send || !plugin->destroy)
        return Error::at(file, 0, "plugin descriptor lacks a name or a function");

    auto channel = config.find("channel");
    std::string name =
        channel != config.end() && !channel->second.empty() ? channel->second : plugin->name;
    auto notifier = std::make_unique<PluginNotifier>(std::move(library), plugin, name, config,
                                                     std::move(logger));
    if (auto created = notifier->create(); !created)
        return Error::at(file, 0,
                         "plugin " + std::string(plugin->name) +
                             ": create failed: " + created.error().message);
    return std::unique_ptr<Notifier>(std::move(notifier));
}

} // namespace aarshjul

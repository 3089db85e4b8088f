// SPDX-License-Identifier: MPL-2.0
#include "config/config.h"

#include "config/toml_reader.h"
#include "model/directory.h"

#include <algorithm>
#include <array>
#include <boost/asio/ip/address.hpp>
#include <charconv>
#include <date/tz.h>
#include <functional>
#include <optional>
#include <stdexcept>

namespace aarshjul {
namespace {

using toml_reader::Required;
using toml_reader::TableReader;
using toml_reader::TomlErrors;

constexpr std::array kLogLevels = {"trace", "debug", "info", "warn", "error", "critical", "off"};

std::filesystem::path absolute_folder_of(const std::filesystem::path& file) {
    std::error_code ec;
    auto absolute = std::filesystem::absolute(file, ec);
    if (ec)
        absolute = file;
    return absolute.lexically_normal().parent_path();
}

bool valid_listen(std::string_view listen) {
    const auto colon = listen.rfind(':');
    if (colon == std::string_view::npos || colon == 0)
        return false;
    const std::string_view host = listen.substr(0, colon);
    const std::string_view port = listen.substr(colon + 1);
    // An IPv6 address must be bracketed so its colons are not mistaken for the port's.
    if (host.find(':') != std::string_view::npos &&
        (host.size() < 3 || host.front() != '[' || host.back() != ']'))
        return false;
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    return ec == std::errc() && end == port.data() + port.size() && !port.empty() && value <= 65535;
}

bool known_time_zone(const std::string& name) {
    // date::locate_zone reports an unknown name by exception.
    try {
        return date::locate_zone(name) != nullptr;
    } catch (const std::exception&) {
        return false;
    }
}

void read_organisation(TableReader& root, Config& config) {
    auto table = root.table("organisation", Required::Yes);
    if (!table)
        return;
    if (table->string("name", config.organisation, Required::Yes) && config.organisation.empty())
        root.errors().add(table->line("name"), "key 'organisation.name' must not be empty");
    if (table->string("time_zone", config.time_zone) && !known_time_zone(config.time_zone))
        root.errors().add(table->line("time_zone"),
                          "key 'organisation.time_zone': unknown time zone '" + config.time_zone +
                              "' (an IANA name such as Europe/Copenhagen)");
    table->integer("wheel_first_month", config.wheel_first_month, 1, 12);
    table->finish();
}

void read_paths(TableReader& root, Config& config, const std::filesystem::path& base) {
    struct Entry {
        std::string_view key;
        std::string_view fallback;
        std::filesystem::path Config::*field;
    };
    const std::array entries = {
        Entry{"database", kDefaultDatabase, &Config::database},
        Entry{"lua", kDefaultLuaDir, &Config::lua_dir},
        Entry{"directory", kDefaultDirectoryFile, &Config::directory_file},
    };
    auto table = root.table("paths");
    for (const Entry& entry : entries) {
        std::string value(entry.fallback);
        if (table && table->string(entry.key, value) && value.empty()) {
            root.errors().add(table->line(entry.key),
                              "key '" + table->qualified(entry.key) + "' must not be empty");
            value = entry.fallback;
        }
        config.*entry.field = (base / value).lexically_normal();
    }
    // One folder, or a list of folders loaded together.
    std::vector<std::string> folders{std::string(kDefaultWorkflowsDir)};
    if (const toml::node* node = table ? table->raw().get("workflows") : nullptr) {
        std::string one;
        if (node->is_array()) {
            if (table->string_array("workflows", folders) && folders.empty()) {
                root.errors().add(table->line("workflows"),
                                  "key 'paths.workflows' must list at least one folder");
                folders = {std::string(kDefaultWorkflowsDir)};
            }
        } else if (table->string("workflows", one)) {
            if (one.empty())
                root.errors().add(table->line("workflows"),
                                  "key 'paths.workflows' must not be empty");
            else
                folders = {one};
        }
    }
    for (const auto& folder : folders)
        config.workflows_dirs.push_back((base / folder).lexically_normal());
    if (table)
        table->finish();
}

void read_schedule(TableReader& root, Config& config) {
    auto table = root.table("schedule");
    if (!table)
        return;
    table->integer("reminder_hour", config.reminder_hour, 0, 23);
    table->integer("horizon_days", config.horizon_days, kMinHorizonDays, kMaxHorizonDays);
    table->finish();
}

void read_http(TableReader& root, Config& config) {
    auto table = root.table("http");
    if (!table)
        return;
    if (table->string("listen", config.listen) && !valid_listen(config.listen))
        root.errors().add(table->line("listen"),
                          "key 'http.listen' must be host:port with a port from 0 to 65535 "
                          "(is '" +
                              config.listen + "')");
    if (table->string("public_url", config.public_url)) {
        const std::string_view url = config.public_url;
        if (!(url.starts_with("http://") || url.starts_with("https://")) || url.ends_with('/') ||
            url.find_first_of(" \t\r\n\"<>") != std::string_view::npos)
            root.errors().add(table->line("public_url"),
                              "key 'http.public_url' must be an http:// or https:// URL without "
                              "a trailing slash (is '" +
                                  config.public_url + "')");
    }
    table->integer("link_valid_days", config.link_valid_days, 1, 366);
    table->integer("body_limit", config.http_body_limit, 1024, 16 * 1024 * 1024);
    table->integer("header_limit", config.http_header_limit, 1024, 1024 * 1024);
    table->integer("header_timeout", config.http_header_timeout, 1, 600);
    table->integer("idle_timeout", config.http_idle_timeout, 1, 3600);
    table->integer("max_connections", config.http_max_connections, 1, 100000);
    // Unset, the per-address cap is at most the global one; set, it must not exceed it.
    if (!table->integer("max_connections_per_address", config.http_max_connections_per_address, 1,
                        100000))
        config.http_max_connections_per_address =
            std::min(config.http_max_connections_per_address, config.http_max_connections);
    else if (config.http_max_connections_per_address > config.http_max_connections)
        root.errors().add(table->line("max_connections_per_address"),
                          "key 'http.max_connections_per_address' must not exceed "
                          "'http.max_connections' (is " +
                              std::to_string(config.http_max_connections_per_address) + ", " +
                              std::to_string(config.http_max_connections) + ")");
    table->integer("auth_failures", config.http_auth_failures, 1, 1000);
    table->integer("auth_block_seconds", config.http_auth_block_seconds, 1, 86400);
    table->integer("shutdown_grace", config.http_shutdown_grace, 0, 600);
    table->string_array("admins", config.http_admins);
    if (table->string_array("trusted_proxies", config.http_trusted_proxies))
        for (const auto& address : config.http_trusted_proxies) {
            boost::system::error_code ec;
            boost::asio::ip::make_address(address, ec);
            if (ec)
                root.errors().add(table->line("trusted_proxies"),
                                  "key 'http.trusted_proxies' must list IP addresses (is '" +
                                      address + "')");
        }
    if (table->string("user_header", config.http_user_header) &&
        (config.http_user_header.empty() ||
         config.http_user_header.find_first_not_of(
             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
             std::string::npos))
        root.errors().add(table->line("user_header"),
                          "key 'http.user_header' must be a header name such as X-Remote-User "
                          "(is '" +
                              config.http_user_header + "')");
    table->integer("session_idle_minutes", config.http_session_idle_minutes, 1, 24 * 60);
    table->integer("session_max_hours", config.http_session_max_hours, 1, 24 * 31);
    table->integer("signin_per_address", config.http_signin_per_address, 1, 1000);
    table->integer("signin_per_client", config.http_signin_per_client, 1, 10000);
    const auto tokens = table->array_of_tables("tokens");
    table->finish();
    for (const toml::table* token_table : tokens) {
        TableReader token(*token_table, table->qualified("tokens"), root.errors());
        Config::HttpToken entry;
        const bool has_name = token.string("name", entry.name, Required::Yes);
        const bool has_role = token.string("role", entry.role, Required::Yes);
        const bool has_hash = token.string("sha256", entry.sha256, Required::Yes);
        token.string("person", entry.person);
        token.finish();
        bool ok = has_name && has_role && has_hash;
        if (has_role && entry.role != "viewer" && entry.role != "owner" &&
            entry.role != "coordinator" && entry.role != "admin") {
            root.errors().add(token.line("role"),
                              "key 'http.tokens.role' must be viewer, owner, coordinator or admin "
                              "(is '" +
                                  entry.role + "')");
            ok = false;
        }
        if (has_hash && (entry.sha256.size() != 64 ||
                         entry.sha256.find_first_not_of("0123456789abcdef") != std::string::npos)) {
            root.errors().add(token.line("sha256"),
                              "key 'http.tokens.sha256' must be 64 lower-case hex digits (the "
                              "SHA-256 of the token, e.g. from `printf %s TOKEN | sha256sum`)");
            ok = false;
        }
        if (has_name) {
            for (const auto& other : config.http_tokens)
                if (other.name == entry.name) {
                    root.errors().add(token.line("name"),
                                      "key 'http.tokens.name': duplicate token name '" +
                                          entry.name + "'");
                    ok = false;
                }
        }
        if (ok)
            config.http_tokens.push_back(std::move(entry));
    }
}

void read_log(TableReader& root, Config& config) {
    auto table = root.table("log");
    if (!table)
        return;
    if (table->string("level", config.log_level) &&
        std::find(kLogLevels.begin(), kLogLevels.end(), config.log_level) == kLogLevels.end())
        root.errors().add(table->line("level"),
                          "key 'log.level' must be one of trace, debug, info, warn, error, "
                          "critical, off (is '" +
                              config.log_level + "')");
    table->finish();
}

void read_hooks(TableReader& root, Config& config) {
    auto table = root.table("hooks");
    if (!table)
        return;
    table->integer("timeout_ms", config.hook_timeout_ms, 10, 600'000);
    table->integer("workers", config.hook_workers, 1, 16);
    table->integer("max_attempts", config.hook_max_attempts, 1, 100);
    table->finish();
}

void read_reminders(TableReader& root, Config& config) {
    auto table = root.table("reminders");
    if (!table)
        return;
    if (table->integer_array("before_due", config.remind_before_due, 0, kMaxReminderDays)) {
        // The ladder runs from the earliest notice to the due day, whatever the file's order.
        auto& days = config.remind_before_due;
        std::sort(days.begin(), days.end(), std::greater<>());
        days.erase(std::unique(days.begin(), days.end()), days.end());
    }
    table->integer("overdue_every", config.remind_overdue_every, 0, kMaxReminderDays);
    table->boolean("business_days_only", config.business_days_only);
    table->boolean("digest", config.digest);
    table->finish();
}

void read_escalation(TableReader& root, Config& config) {
    auto table = root.table("escalation");
    if (!table)
        return;
    const bool has_steps = table->raw().contains("steps");
    const auto steps = table->array_of_tables("steps");
    table->finish();
    if (!has_steps)
        return;
    std::vector<Config::EscalationDefault> ladder;
    std::optional<int> previous_after;
    bool valid = true;
    for (const toml::table* step_table : steps) {
        TableReader step(*step_table, table->qualified("steps"), root.errors());
        Config::EscalationDefault entry{0, {}};
        const bool has_after =
            step.integer("after", entry.after, 0, kMaxReminderDays, Required::Yes);
        const bool has_to = step.string("to", entry.to_role, Required::Yes);
        step.finish();
        bool step_ok = has_after && has_to;
        if (has_to && !valid_role_id(entry.to_role)) {
            root.errors().add(step.line("to"), "key 'escalation.steps.to': role '" + entry.to_role +
                                                   "' must be snake_case (^[a-z][a-z0-9_]*$)");
            step_ok = false;
        }
        if (has_after) {
            if (previous_after && entry.after <= *previous_after) {
                root.errors().add(step.line("after"),
                                  "key 'escalation.steps.after' must increase along the ladder (" +
                                      std::to_string(entry.after) + " follows " +
                                      std::to_string(*previous_after) + ")");
                step_ok = false;
            }
            previous_after = entry.after;
        }
        if (step_ok)
            ladder.push_back(std::move(entry));
        else
            valid = false;
    }
    if (valid)
        config.escalation = std::move(ladder);
}

// "MM-DD" -> (month, day); 02-29 is allowed (it is closed in leap years).
std::optional<std::pair<unsigned, unsigned>> parse_month_day(std::string_view text) {
    if (text.size() != 5 || text[2] != '-')
        return std::nullopt;
    unsigned month = 0, day = 0;
    const auto month_end = std::from_chars(text.data(), text.data() + 2, month);
    const auto day_end = std::from_chars(text.data() + 3, text.data() + 5, day);
    if (month_end.ec != std::errc() || month_end.ptr != text.data() + 2 ||
        day_end.ec != std::errc() || day_end.ptr != text.data() + 5)
        return std::nullopt;
    // A leap year, so that 02-29 counts as a real day.
    const date::year_month_day ymd{date::year{2028}, date::month{month}, date::day{day}};
    if (!ymd.ok())
        return std::nullopt;
    return std::pair{month, day};
}

void read_calendar(TableReader& root, Config& config) {
    auto table = root.table("calendar");
    if (!table)
        return;
    std::vector<std::string> texts;
    if (table->string_array("extra_closed_days", texts)) {
        std::vector<std::pair<unsigned, unsigned>> days;
        bool valid = true;
        for (const auto& text : texts) {
            if (auto day = parse_month_day(text)) {
                days.push_back(*day);
                continue;
            }
            root.errors().add(table->line("extra_closed_days"),
                              "key 'calendar.extra_closed_days': '" + text +
                                  "' is not a day of the year (MM-DD)");
            valid = false;
        }
        if (valid) {
            std::sort(days.begin(), days.end());
            days.erase(std::unique(days.begin(), days.end()), days.end());
            config.extra_closed_days = std::move(days);
        }
    }
    table->finish();
}

void read_notify(TableReader& root, Config& config, const std::filesystem::path& base) {
    auto table = root.table("notify");
    if (!table)
        return;
    std::string plugin_dir;
    if (table->string("plugin_dir", plugin_dir) && !plugin_dir.empty())
        config.plugin_dir = (base / plugin_dir).lexically_normal();
    table->string_array("channels", config.default_channels);
    table->string("failure_channel", config.failure_channel);
    table->integer("max_attempts", config.max_attempts, 1, 100);
    table->integer("retry_base_seconds", config.retry_base_seconds, 1, 86400);
    std::string templates;
    if (table->string("templates", templates) && !templates.empty())
        config.templates_dir = (base / templates).lexically_normal();
    table->finish();
}

// A scalar TOML value as the string a plugin receives.
std::optional<std::string> scalar_text(const toml::node& node) {
    if (auto s = node.value<std::string>())
        return *s;
    if (node.is_integer())
        return std::to_string(*node.value<std::int64_t>());
    if (node.is_boolean())
        return *node.value<bool>() ? "true" : "false";
    if (node.is_floating_point())
        return std::to_string(*node.value<double>());
    return std::nullopt;
}

void read_channels(TableReader& root, Config& config) {
    const toml::node* node = root.raw().get("channel");
    if (!node)
        return;
    auto channels = root.table("channel");
    if (!channels)
        return;
    for (const auto& [key, value] : channels->raw()) {
        const std::string name(key.str());
        auto section = channels->table(name);
        if (!section)
            continue;
        Config::Channel channel;
        channel.name = name;
        section->string("plugin", channel.plugin, Required::Yes);
        section->integer("rate_per_minute", channel.rate_per_minute, 0, 100000);
        for (const auto& [setting, v] : section->raw()) {
            const std::string k(setting.str());
            if (k == "plugin" || k == "rate_per_minute")
                continue;
            if (auto text = scalar_text(v)) {
                channel.settings[k] = *text;
            } else if (auto array = v.as_array()) {
                std::string joined;
                for (const auto& element : *array)
                    if (auto t = scalar_text(element))
                        joined += (joined.empty() ? "" : ",") + *t;
                channel.settings[k] = joined;
            } else {
                root.errors().add(toml_reader::line_of(v),
                                  "key '" + section->qualified(k) +
                                      "' must be a string, number, boolean or array");
            }
        }
        config.channels.push_back(std::move(channel));
    }
    // Plugin settings are free-form: the plugin checks them when it is created.
}

void check_channel_names(TableReader& root, Config& config) {
    auto known = [&](const std::string& name) {
        if (name == "log")
            return true;
        for (const auto& c : config.channels)
            if (c.name == name)
                return true;
        return false;
    };
    for (const auto& name : config.default_channels)
        if (!known(name))
            root.errors().add(root.line("notify"), "notify.channels: unknown channel '" + name +
                                                       "' (no [channel." + name + "])");
    if (!known(config.failure_channel))
        root.errors().add(root.line("notify"), "notify.failure_channel: unknown channel '" +
                                                   config.failure_channel + "'");
}

} // namespace

Result<Config> load_config(const std::filesystem::path& file) {
    AARSHJUL_TRY_ASSIGN(std::string text, toml_reader::read_text_file(file));
    return parse_config(text, file);
}

Result<Config> parse_config(std::string_view toml_text,
                            const std::filesystem::path& file_for_messages) {
    const std::string name = file_for_messages.string();
    AARSHJUL_TRY_ASSIGN(toml::table document, toml_reader::parse_toml(toml_text, name));

    const std::filesystem::path base = absolute_folder_of(file_for_messages);
    Config config;
    config.file = base / file_for_messages.filename();
    TomlErrors errors(name);
    TableReader root(document, "", errors);
    read_organisation(root, config);
    read_paths(root, config, base);
    read_schedule(root, config);
    read_http(root, config);
    read_log(root, config);
    read_reminders(root, config);
    read_hooks(root, config);
    read_escalation(root, config);
    read_calendar(root, config);
    read_notify(root, config, base);
    read_channels(root, config);
    check_channel_names(root, config);
    root.finish();
    if (!errors.empty())
        return errors.combined();
    if (config.public_url.empty())
        config.public_url = "http://" + config.listen;
    return config;
}

} // namespace aarshjul

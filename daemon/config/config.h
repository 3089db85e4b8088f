// SPDX-License-Identifier: MPL-2.0
#pragma once
// Config: the daemon's configuration file (config/aarshjul.toml).
//
// Loaded once at start (and on reload) and then read-only; share it as
// `std::shared_ptr<const Config>`. Every error names the file, the line and the
// dotted key ("config/aarshjul.toml:7: unknown key 'schedule.reminder_hours'");
// when a file has several, the Error carries the first one's position and its
// message lists the rest, one "file:line: message" per line.

#include "util/result.h"

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aarshjul {

struct Config {
    std::filesystem::path file; // the config file itself (absolute)
    std::string organisation;   // required: organisation.name
    std::string time_zone = "Europe/Copenhagen";
    // organisation.wheel_first_month: the month at the top of the wheel on the
    // status page, and the API's and CLI's default (8: a school year).
    int wheel_first_month = 1;
    int reminder_hour = 8;          // 0..23, local
    std::filesystem::path database; // resolved relative to the config file's folder
    // paths.workflows: one folder or several (a shared set plus the
    // organisation's own); their workflows are loaded together.
    std::vector<std::filesystem::path> workflows_dirs;
    std::filesystem::path lua_dir;
    std::filesystem::path directory_file;
    std::string listen = "127.0.0.1:8080"; // host:port
    // [http] public_url: how people reach the API and status page (links in notices);
    // default "http://" + listen. No trailing slash.
    std::string public_url;
    int link_valid_days = 60; // a notice's one-click link works this long after it was sent
    // [[http.tokens]]: bearer tokens of the API, stored as SHA-256 hashes (hex).
    struct HttpToken {
        std::string name;   // who holds it ("isu-secretary"); shown in logs, never the token
        std::string role;   // viewer | owner | coordinator | admin
        std::string sha256; // lower-case hex SHA-256 of the token
        std::string person; // directory person the token acts as; may be empty
    };
    std::vector<HttpToken> http_tokens;
    // [http] limits (shared/DESIGN.md "HTTP API").
    int http_body_limit = 16 * 1024;           // bytes of a request body
    int http_header_limit = 8 * 1024;          // bytes of a request's start line and headers
    int http_header_timeout = 10;              // seconds to receive a request's headers
    int http_idle_timeout = 5;                 // seconds a keep-alive connection may sit idle
    int http_max_connections = 64;             // open connections at once ...
    int http_max_connections_per_address = 16; // ... and from one address (not trusted_proxies)
    int http_auth_failures = 5;                // failed token checks from one address ...
    int http_auth_block_seconds = 60;          // ... block it (429) for this long
    int http_shutdown_grace = 10;              // seconds in-flight requests get on SIGTERM
    // [http] people on the web (README "Signing in").
    std::vector<std::string> http_admins;          // person ids with the admin role
    std::vector<std::string> http_trusted_proxies; // addresses whose user_header is believed
    std::string http_user_header;                  // e.g. "X-Remote-User": an e-mail or person id
    int http_session_idle_minutes = 60;            // a session ends after this long unused ...
    int http_session_max_hours = 12;               // ... and at the latest this long after sign-in
    int http_signin_per_address = 3;               // sign-in mails per address per 15 minutes
    int http_signin_per_client = 20;               // sign-in requests per client address per 15 min
    std::string log_level = "info";                // trace debug info warn error critical off
    int horizon_days = 400; // how far ahead tasks are materialised (>= 396, i.e. 13 months)

    // [reminders]: the default ladder of workflows that set no `remind`.
    std::vector<int> remind_before_due{30, 7, 1, 0}; // days before due, descending, unique
    int remind_overdue_every = 7;                    // days between overdue reminders; 0 = none
    bool business_days_only = true;                  // day-based reminders only on business days
    bool digest = true; // allow daily digests (Person::digest decides for each)

    // [escalation]: the default ladder of workflows that set no `escalate`.
    struct EscalationDefault {
        int after;           // days overdue; strictly increasing along the ladder
        std::string to_role; // a role; system_owner resolves per system, falling back to
                             // the next step's role for tasks without a system
    };
    std::vector<EscalationDefault> escalation{{7, "system_owner"}, {21, "coordinator"}};

    // [calendar]: (month, day) closed every year besides weekends and Danish public
    // holidays (the forældelsesloven §27 model); sorted, unique.
    std::vector<std::pair<unsigned, unsigned>> extra_closed_days{{6, 5}, {12, 24}, {12, 31}};

    // [notify]: where notices go.
    std::filesystem::path plugin_dir;                 // aarshjul-<plugin>.so; default: built-in
    std::vector<std::string> default_channels{"log"}; // for people who name none
    std::string failure_channel = "log"; // the coordinator hears of failed deliveries here
    int max_attempts = 8;                // temporary failures are retried this often
    int retry_base_seconds = 60;         // first back-off; doubles, with full jitter
    // A folder of the coordinator's own notice templates (<lang>/<name>.mustache);
    // a file present there replaces the shipped one in <lua_dir>/templates. Empty = none.
    std::filesystem::path templates_dir;

    // [hooks]: workflow hooks (on_complete, on_overdue, on_event), queued by
    // the engine and run by the Lua worker off the event loop.
    int hook_timeout_ms = 2000; // a hook's wall-clock deadline; its worker is killed after it
    int hook_workers = 2;       // hooks running at once, each in its own worker process
    int hook_max_attempts = 3;  // a hook cut short by a stop this often is given up

    // [channel.NAME]: one notifier each. `log` exists without a section.
    struct Channel {
        std::string name;
        std::string plugin;                          // log | smtp | webhook | another plugin
        int rate_per_minute = 0;                     // 0 = unlimited
        std::map<std::string, std::string> settings; // every other key, for the plugin
    };
    std::vector<Channel> channels;
};

// Where the paths point when the file does not say: next to the config file.
inline constexpr std::string_view kDefaultDatabase = "aarshjul.db";
inline constexpr std::string_view kDefaultWorkflowsDir = "workflows";
inline constexpr std::string_view kDefaultLuaDir = "lua";
inline constexpr std::string_view kDefaultDirectoryFile = "directory.toml";

inline constexpr int kMinHorizonDays = 396;
inline constexpr int kMaxHorizonDays = 3660;
// Reminder and escalation offsets are at most this many days.
inline constexpr int kMaxReminderDays = 366;

// Reads and parses `file`; relative paths in it resolve against its folder.
Result<Config> load_config(const std::filesystem::path& file);

// Parses config text as if read from `file_for_messages`, which names the file in
// errors and whose folder relative paths resolve against.
Result<Config> parse_config(std::string_view toml_text,
                            const std::filesystem::path& file_for_messages);

} // namespace aarshjul

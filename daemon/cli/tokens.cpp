// SPDX-License-Identifier: MPL-2.0
#include "cli/tokens.h"

#include "app/setup.h"
#include "cli/cli.h"
#include "config/config.h"
#include "directory/directory_loader.h"
#include "store/api_tokens.h"
#include "store/open_store.h"
#include "time/zone.h"
#include "util/random.h"
#include "util/sha256.h"

#include <algorithm>
#include <date/date.h>
#include <fmt/format.h>
#include <optional>
#include <ostream>

namespace aarshjul::cli {

namespace {

// The secret's size: 256 bits, as `openssl rand -hex 32` gives for config tokens.
constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kMaxNameLength = 64;

bool valid_token_name(std::string_view name) {
    return !name.empty() && name.size() <= kMaxNameLength &&
           std::all_of(name.begin(), name.end(), [](char c) {
               return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
           });
}

// The configuration and the organisation's zone.
struct Loaded {
    Config config;
    Zone zone;
};

// Loads them, or prints why not and gives none.
std::optional<Loaded> load(const std::filesystem::path& config_file, std::string_view command,
                           std::ostream& err) {
    auto config = load_config(config_file);
    if (!config.ok()) {
        err << config.error().to_string() << "\n";
        return std::nullopt;
    }
    auto zone = Zone::locate(config->time_zone);
    if (!zone.ok()) {
        err << command << ": " << zone.error().to_string() << "\n";
        return std::nullopt;
    }
    return Loaded{std::move(config).value(), std::move(zone).value()};
}

std::unique_ptr<Store> open_configured_store(const Config& config, std::string_view command,
                                             std::ostream& err) {
    auto store = open_store(store_settings(config));
    if (!store.ok()) {
        err << command << ": " << store.error().to_string() << "\n";
        return nullptr;
    }
    return std::move(store).value();
}

bool configured(const Config& config, std::string_view name) {
    return std::any_of(config.http_tokens.begin(), config.http_tokens.end(),
                       [&](const Config::HttpToken& t) { return t.name == name; });
}

// "2027-03-01 08:15", local.
std::string local_minute(const Zone& zone, Instant at) {
    return date::format("%Y-%m-%d %H:%M",
                        std::chrono::floor<std::chrono::minutes>(zone.to_local(at)));
}

// The last local day a token works: tokens expire at the end of a day.
std::string last_day(const Zone& zone, Instant expires_at) {
    return format_local_date(zone.local_date(expires_at - std::chrono::seconds{1}));
}

} // namespace

int token_add(const std::filesystem::path& config_file, const TokenAddArgs& args,
              const Clock& clock, std::ostream& out, std::ostream& err) {
    if (!valid_token_name(args.name)) {
        err << "token add: the name '" << args.name << "' is not valid: 1 to " << kMaxNameLength
            << " letters, digits, '.', '_' or '-'\n";
        return kExitInvalid;
    }
    if (!valid_api_token_role(args.role)) {
        err << "token add: unknown role '" << args.role
            << "' (viewer, owner, coordinator or admin)\n";
        return kExitInvalid;
    }
    auto loaded = load(config_file, "token add", err);
    if (!loaded)
        return kExitInvalid;
    const Config& config = loaded->config;
    const Zone& zone = loaded->zone;
    if (configured(config, args.name)) {
        err << "token add: a token named '" << args.name << "' is in " << config.file.string()
            << " already; choose another name\n";
        return kExitInvalid;
    }
    if (!args.person.empty()) {
        auto directory = load_directory(config.directory_file);
        if (!directory.ok()) {
            err << directory.error().to_string() << "\n";
            return kExitInvalid;
        }
        if (!directory->find_person(args.person)) {
            err << "token add: no person '" << args.person << "' in "
                << config.directory_file.string() << "\n";
            return kExitInvalid;
        }
    }
    const Instant now = clock.now();
    std::optional<Instant> expires_at;
    if (!args.expires.empty()) {
        auto day = parse_local_date(args.expires);
        if (!day) {
            err << "token add: --expires must be a date (YYYY-MM-DD), not '" << args.expires
                << "'\n";
            return kExitInvalid;
        }
        const LocalDate today = zone.local_date(now);
        if (*day < today) {
            err << "token add: --expires " << args.expires << " is in the past (today is "
                << format_local_date(today) << " in " << zone.name() << ")\n";
            return kExitInvalid;
        }
        // The end of that day, local: the token works through all of it.
        expires_at = zone.start_of_day(*day + date::days{1});
    }

    auto store = open_configured_store(config, "token add", err);
    if (!store)
        return kExitFailure;
    auto secret = random_token(kTokenBytes);
    if (!secret.ok()) {
        err << "token add: " << secret.error().to_string() << "\n";
        return kExitFailure;
    }
    const ApiToken token{
        .name = args.name,
        .role = args.role,
        .person = args.person,
        .sha256 = sha256_hex(*secret),
        .created_at = now,
        .expires_at = expires_at,
        .revoked_at = std::nullopt,
    };
    if (auto added = store->api_tokens().add(token); !added.ok()) {
        err << "token add: " << added.error().to_string();
        if (added.error().kind == ErrorKind::Conflict && added.error().field == "name")
            err << " (revoked tokens keep their names); choose another name";
        err << "\n";
        return added.error().kind == ErrorKind::Internal || added.error().kind == ErrorKind::Io
                   ? kExitFailure
                   : kExitInvalid;
    }
    out << *secret << "\n";
    err << "token '" << args.name << "' added: role " << args.role;
    if (!args.person.empty())
        err << ", acts as " << args.person;
    if (expires_at)
        err << ", works through " << last_day(zone, *expires_at) << " (" << zone.name() << ")";
    err << ". The token above is shown only now; only its SHA-256 is stored.\n";
    return kExitOk;
}

int token_list(const std::filesystem::path& config_file, const Clock& clock, std::ostream& out,
               std::ostream& err) {
    auto loaded = load(config_file, "token list", err);
    if (!loaded)
        return kExitInvalid;
    auto store = open_configured_store(loaded->config, "token list", err);
    if (!store)
        return kExitFailure;
    auto tokens = store->api_tokens().list();
    if (!tokens.ok()) {
        err << "token list: " << tokens.error().to_string() << "\n";
        return kExitFailure;
    }
    const Zone& zone = loaded->zone;
    const Instant now = clock.now();
    const auto row = [&out](std::string_view name, std::string_view role, std::string_view person,
                            std::string_view created, std::string_view expires,
                            std::string_view state) {
        out << fmt::format("{:<20}  {:<11}  {:<18}  {:<16}  {:<10}  {}\n", name, role, person,
                           created, expires, state);
    };
    row("name", "role", "person", "created", "expires", "state");
    for (const auto& t : *tokens)
        row(t.name, t.role, t.person.empty() ? "-" : t.person, local_minute(zone, t.created_at),
            t.expires_at ? last_day(zone, *t.expires_at) : "-", to_string(api_token_state(t, now)));
    out << tokens->size() << " token(s) in the database";
    if (!loaded->config.http_tokens.empty())
        out << "; " << loaded->config.http_tokens.size() << " more in "
            << loaded->config.file.string();
    out << "\n";
    return kExitOk;
}

int token_revoke(const std::filesystem::path& config_file, const std::string& name,
                 const Clock& clock, std::ostream& out, std::ostream& err) {
    auto loaded = load(config_file, "token revoke", err);
    if (!loaded)
        return kExitInvalid;
    auto store = open_configured_store(loaded->config, "token revoke", err);
    if (!store)
        return kExitFailure;
    if (auto revoked = store->api_tokens().revoke(name, clock.now()); !revoked.ok()) {
        err << "token revoke: " << revoked.error().to_string();
        if (revoked.error().kind == ErrorKind::NotFound && configured(loaded->config, name))
            err << " in the database; '" << name << "' is configured in "
                << loaded->config.file.string() << ": remove its [[http.tokens]] entry there";
        err << "\n";
        return kExitFailure;
    }
    out << "token '" << name << "' revoked; the API refuses it from now on\n";
    return kExitOk;
}

} // namespace aarshjul::cli

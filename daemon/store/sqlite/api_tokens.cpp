// SPDX-License-Identifier: MPL-2.0
#include "store/sqlite/api_tokens.h"

#include "store/sqlite/database.h"
#include "store/sqlite/statement.h"

#include <algorithm>

namespace aarshjul {

namespace {

constexpr std::string_view kColumns =
    "name, role, person, sha256, created_at, expires_at, revoked_at";

bool lower_hex_sha256(std::string_view text) {
    return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

std::optional<Instant> optional_instant(const Statement& st, int column) {
    if (auto seconds = st.column_optional_int64(column))
        return from_unix(*seconds);
    return std::nullopt;
}

// A row selected with kColumns.
ApiToken read_token(const Statement& st) {
    return ApiToken{
        .name = st.column_text(0),
        .role = st.column_text(1),
        .person = st.column_text(2),
        .sha256 = st.column_text(3),
        .created_at = from_unix(st.column_int64(4)),
        .expires_at = optional_instant(st, 5),
        .revoked_at = optional_instant(st, 6),
    };
}

std::optional<std::int64_t> optional_unix(const std::optional<Instant>& at) {
    if (at)
        return to_unix(*at);
    return std::nullopt;
}

} // namespace

Result<void> SqliteApiTokens::add(const ApiToken& token) {
    if (token.name.empty())
        return make_error(ErrorKind::Invalid, "a token needs a name", "name");
    if (!valid_api_token_role(token.role))
        return make_error(ErrorKind::Invalid,
                          "unknown role '" + token.role + "' (viewer, owner, coordinator or admin)",
                          "role");
    if (!lower_hex_sha256(token.sha256))
        return make_error(ErrorKind::Invalid, "a token's hash is 64 lower-case hex digits",
                          "sha256");
    // The name decides a conflict in the statement itself, so two concurrent
    // adds of one name cannot both pass a check made before the insert.
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("INSERT INTO api_tokens (" + std::string(kColumns) +
                                              ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL) "
                                              "ON CONFLICT (name) DO NOTHING"));
    st.bind_all(token.name, token.role, token.person, token.sha256, to_unix(token.created_at),
                optional_unix(token.expires_at));
    auto inserted = st.run();
    if (!inserted.ok()) {
        // The only other unique column: the same secret drawn twice.
        AARSHJUL_TRY_ASSIGN(auto same, m_db.prepare("SELECT 1 FROM api_tokens WHERE sha256 = ?1"));
        same.bind_all(token.sha256);
        AARSHJUL_TRY_ASSIGN(bool taken, same.step());
        if (taken)
            return make_error(ErrorKind::Conflict, "a token with this hash is stored already",
                              "sha256");
        return inserted.take_error();
    }
    if (m_db.changes() == 0)
        return make_error(ErrorKind::Conflict, "a token named '" + token.name + "' exists already",
                          "name");
    return {};
}

Result<std::vector<ApiToken>> SqliteApiTokens::list() {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("SELECT " + std::string(kColumns) +
                                              " FROM api_tokens ORDER BY name"));
    std::vector<ApiToken> tokens;
    for (;;) {
        AARSHJUL_TRY_ASSIGN(bool row, st.step());
        if (!row)
            break;
        tokens.push_back(read_token(st));
    }
    return tokens;
}

Result<void> SqliteApiTokens::revoke(std::string_view name, Instant at) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("UPDATE api_tokens SET revoked_at = ?2 "
                                              "WHERE name = ?1 AND revoked_at IS NULL"));
    st.bind_all(name, to_unix(at));
    AARSHJUL_TRY(st.run());
    if (m_db.changes() > 0)
        return {};
    AARSHJUL_TRY_ASSIGN(auto exists, m_db.prepare("SELECT 1 FROM api_tokens WHERE name = ?1"));
    exists.bind_all(name);
    AARSHJUL_TRY_ASSIGN(bool found, exists.step());
    if (found)
        return make_error(ErrorKind::Conflict,
                          "the token '" + std::string(name) + "' is revoked already", "name");
    return make_error(ErrorKind::NotFound, "no token named '" + std::string(name) + "'", "name");
}

Result<std::optional<ApiToken>> SqliteApiTokens::find_active(std::string_view sha256_hex,
                                                             Instant now) {
    // Cached: the API looks a token up on every request that is not a config token.
    AARSHJUL_TRY_ASSIGN(
        auto st, m_db.cached("SELECT name, role, person, sha256, created_at, expires_at, "
                             "revoked_at FROM api_tokens WHERE sha256 = ?1 AND "
                             "revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?2)"));
    st->bind_all(sha256_hex, to_unix(now));
    AARSHJUL_TRY_ASSIGN(bool row, st->step());
    if (!row)
        return std::optional<ApiToken>{};
    return std::optional<ApiToken>{read_token(*st)};
}

Result<bool> SqliteApiTokens::has_active_admin(Instant now) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.prepare("SELECT EXISTS (SELECT 1 FROM api_tokens WHERE "
                                              "role = 'admin' AND revoked_at IS NULL AND "
                                              "(expires_at IS NULL OR expires_at > ?1))"));
    st.bind_all(to_unix(now));
    AARSHJUL_TRY_ASSIGN(bool row, st.step());
    return row && st.column_int64(0) != 0;
}

} // namespace aarshjul

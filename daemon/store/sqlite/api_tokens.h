// SPDX-License-Identifier: MPL-2.0
#pragma once
// SqliteApiTokens: the ApiTokens in table `api_tokens`. Every statement on
// that table lives here. Thread rules: those of the Database.

#include "store/api_tokens.h"

namespace aarshjul {

class Database;

class SqliteApiTokens final : public ApiTokens {
public:
    explicit SqliteApiTokens(Database& db) : m_db(db) {}

    Result<void> add(const ApiToken& token) override;
    Result<std::vector<ApiToken>> list() override;
    Result<void> revoke(std::string_view name, Instant at) override;
    Result<std::optional<ApiToken>> find_active(std::string_view sha256_hex, Instant now) override;
    Result<bool> has_active_admin(Instant now) override;

private:
    Database& m_db;
};

} // namespace aarshjul

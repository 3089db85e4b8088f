// SPDX-License-Identifier: MPL-2.0
#pragma once
// SqliteSecrets: the Secrets in table `secrets`.

#include "store/secrets.h"

namespace aarshjul {

class Database;

class SqliteSecrets final : public Secrets {
public:
    explicit SqliteSecrets(Database& db) : m_db(db) {}

    Result<std::optional<std::string>> get(std::string_view name) override;
    Result<std::string> put_if_absent(std::string_view name, std::string_view value) override;

private:
    Database& m_db;
};

} // namespace aarshjul

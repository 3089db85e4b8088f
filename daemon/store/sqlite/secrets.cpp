// SPDX-License-Identifier: MPL-2.0
#include "store/sqlite/secrets.h"

#include "store/sqlite/database.h"

namespace aarshjul {

Result<std::optional<std::string>> SqliteSecrets::get(std::string_view name) {
    AARSHJUL_TRY_ASSIGN(auto select, m_db.prepare("SELECT value FROM secrets WHERE name = ?1"));
    select.bind_all(name);
    AARSHJUL_TRY_ASSIGN(bool found, select.step());
    if (!found)
        return std::optional<std::string>{};
    return std::optional<std::string>{select.column_text(0)};
}

Result<std::string> SqliteSecrets::put_if_absent(std::string_view name, std::string_view value) {
    AARSHJUL_TRY_ASSIGN(auto insert, m_db.prepare("INSERT INTO secrets(name, value) VALUES(?1, ?2) "
                                                  "ON CONFLICT(name) DO NOTHING"));
    insert.bind_all(name, value);
    AARSHJUL_TRY(insert.run());
    AARSHJUL_TRY_ASSIGN(auto stored, get(name));
    if (!stored)
        return make_error("secret '" + std::string(name) + "' was not stored");
    return std::move(*stored);
}

} // namespace aarshjul

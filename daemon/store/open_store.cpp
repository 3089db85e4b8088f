// SPDX-License-Identifier: MPL-2.0
#include "store/open_store.h"

#include "store/sqlite/database.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store.h"

namespace aarshjul {

Result<std::unique_ptr<Store>> open_store(const StoreSettings& settings) {
    AARSHJUL_TRY_ASSIGN(Database db, open_database(settings.location));
    return std::unique_ptr<Store>(
        std::make_unique<SqliteStore>(std::make_unique<Database>(std::move(db))));
}

} // namespace aarshjul

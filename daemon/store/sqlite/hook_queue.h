// SPDX-License-Identifier: MPL-2.0
#pragma once
// SqliteHookQueue: the HookQueue in table `hook_runs` of a SQLite connection.

#include "store/hook_queue.h"

namespace aarshjul {

class Database;

class SqliteHookQueue final : public HookQueue {
public:
    explicit SqliteHookQueue(Database& db) : m_db(db) {}

    Result<std::int64_t> enqueue(const HookRunRequest& request) override;
    Result<std::vector<HookRun>> claim(int limit) override;
    Result<void> mark_done(std::int64_t id, std::int64_t at) override;
    Result<void> mark_failed(std::int64_t id, std::string_view error, std::int64_t at) override;
    Result<HookRecovery> recover(int max_attempts, std::int64_t at) override;
    Result<int> count(HookRunState state) override;
    Result<std::optional<HookRun>> find(std::int64_t id) override;

private:
    Database& m_db;
};

} // namespace aarshjul

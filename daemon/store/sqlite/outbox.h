// SPDX-License-Identifier: MPL-2.0
#pragma once
// SqliteOutbox: the Outbox in table `outbox` of a SQLite connection.

#include "store/outbox.h"

namespace aarshjul {

class Database;

class SqliteOutbox final : public Outbox {
public:
    explicit SqliteOutbox(Database& db) : m_db(db) {}

    Result<bool> enqueue(const OutboxNotice& notice) override;
    Result<void> enqueue_failure_report(std::int64_t failed_id,
                                        const OutboxNotice& report) override;
    Result<std::optional<std::int64_t>> next_attempt_at() override;
    Result<std::vector<OutboxRow>> due(std::int64_t now, int limit) override;
    Result<void> postpone(std::int64_t id, std::int64_t at) override;
    Result<void> count_attempt(std::int64_t id) override;
    Result<void> mark_sent(std::int64_t id, std::int64_t at) override;
    Result<void> retry_at(std::int64_t id, std::int64_t at, const std::string& error) override;
    Result<void> mark_failed(std::int64_t id, const std::string& error) override;

private:
    Database& m_db;
};

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#pragma once
// SqliteTaskRepository: the TaskRepository in table `tasks` of a SQLite
// connection, and the row reader the read queries share.

#include "store/task_repository.h"

namespace aarshjul {

class Database;
class Statement;

namespace sqlite {

// The columns of a TaskRow, in the order read_task_row expects them.
extern const char* const kTaskColumns;
// Reads a row selected with kTaskColumns starting at column `first`.
TaskRow read_task_row(const Statement& st, int first = 0);

} // namespace sqlite

class SqliteTaskRepository final : public TaskRepository {
public:
    explicit SqliteTaskRepository(Database& db) : m_db(db) {}

    Result<std::optional<TaskRow>> find(std::int64_t id) override;
    Result<std::optional<TaskRow>> find(std::string_view occurrence_key) override;
    Result<bool> exists(std::string_view occurrence_key) override;
    Result<TaskWritten> insert_or_update(
        const TaskDraft& draft, std::int64_t now, Lookup lookup,
        const std::function<std::optional<std::int64_t>()>& next_action_if_new) override;
    Result<void> cancel(std::int64_t id, std::int64_t now) override;
    Result<void> save_progress(std::int64_t id, const TaskProgress& progress,
                               std::int64_t now) override;
    Result<void> complete(std::int64_t id, TaskState state, std::string_view by, std::int64_t now,
                          std::string_view note, std::optional<std::string_view> evidence,
                          std::optional<std::string_view> outcome) override;
    Result<void> unblock(std::string_view occurrence_key, std::int64_t now) override;
    Result<void> set_hook_error(std::int64_t id, std::string_view error) override;
    Result<std::vector<TaskRow>> due(std::int64_t now, std::int64_t after_id, int limit) override;
    Result<std::optional<std::int64_t>> next_wakeup() override;
    Result<std::optional<std::string>> blocking_task(const std::vector<std::string>& workflows,
                                                     std::string_view date) override;
    Result<std::vector<std::string>> workflows_with_open_tasks() override;
    Result<std::vector<std::int64_t>> open_task_ids(std::string_view workflow) override;
    Result<std::vector<std::pair<std::string, std::int64_t>>>
    open_planned(std::string_view workflow, std::string_view nominal_from) override;
    Result<bool> has_open_task(std::string_view workflow, std::string_view entity) override;
    Result<std::optional<std::int64_t>> last_done_at(std::string_view workflow,
                                                     std::string_view entity) override;
    Result<std::vector<TaskRow>> done_since(std::string_view workflow, std::int64_t since,
                                            Steps steps) override;

private:
    Database& m_db;
};

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#pragma once
// SqliteReadQueries: the ReadQueries on a SQLite connection.

#include "store/read_queries.h"

namespace aarshjul {

class Database;

class SqliteReadQueries final : public ReadQueries {
public:
    explicit SqliteReadQueries(Database& db) : m_db(db) {}

    Result<TaskPage> list_tasks(const TaskFilter& filter) override;
    Result<std::vector<TaskRow>> tasks_of_person(const std::string& person,
                                                 const std::vector<std::string>& systems,
                                                 TaskSet set, int limit) override;
    Result<std::vector<TaskRow>> tasks_of_event(std::int64_t event_id) override;
    Result<std::vector<TaskRow>> calendar_tasks(std::string_view from, std::string_view assignee,
                                                std::string_view workflow) override;
    Result<std::vector<TaskRow>> deadlines(Deadlines which, int limit) override;
    Result<std::vector<TaskEventLine>> task_history(std::int64_t task_id) override;
    Result<std::vector<StateCount>> state_counts(std::int64_t cycle_start,
                                                 std::string_view due_soon_until) override;
    Result<std::vector<ChannelCount>> channel_counts() override;
    Result<std::vector<OutcomeCount>> outcome_counts(std::int64_t since) override;
    Result<std::vector<TaskRow>> open_action_plans() override;
    Result<std::vector<GroupCount>> task_gauge() override;
    Result<std::vector<GroupCount>> notice_gauge() override;
    Result<std::vector<ControlCount>> controls_due(std::string_view first,
                                                   std::string_view last) override;
    Result<std::vector<TaskRow>> finished_between(std::int64_t from, std::int64_t to) override;
    Result<std::vector<DueLine>> due_between(std::string_view first,
                                             std::string_view last) override;
    Result<std::vector<TaskEventLine>> escalations_between(std::int64_t from,
                                                           std::int64_t to) override;
    Result<std::vector<NoticeLine>> failed_notices_between(std::int64_t from,
                                                           std::int64_t to) override;
    Result<std::optional<std::string>> snapshot(std::string_view quarter,
                                                std::string_view meeting) override;
    Result<bool> add_snapshot(const SnapshotInfo& info, std::string_view body) override;
    Result<std::vector<SnapshotInfo>> snapshots() override;
    Result<std::vector<TaskEventLine>> state_events_after(std::int64_t after_id) override;
    Result<std::vector<NoticeLine>> notices_after(std::int64_t after_id) override;
    std::int64_t own_changes() override;
    Result<std::int64_t> others_version() override;

private:
    Database& m_db;
};

} // namespace aarshjul

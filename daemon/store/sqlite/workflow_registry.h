// SPDX-License-Identifier: MPL-2.0
#pragma once
// SqliteWorkflowRegistry: the WorkflowRegistry in table `workflows`.

#include "store/workflow_registry.h"

namespace aarshjul {

class Database;

class SqliteWorkflowRegistry final : public WorkflowRegistry {
public:
    explicit SqliteWorkflowRegistry(Database& db) : m_db(db) {}

    Result<void> record(const WorkflowRecord& workflow, std::string_view today,
                        std::int64_t now) override;
    Result<std::optional<std::string>> first_seen(std::string_view id) override;
    Result<PlanMark> plan_mark(std::string_view id) override;
    Result<void> set_plan_mark(std::string_view id, const std::optional<std::string>& fingerprint,
                               bool incremental, std::string_view through) override;
    Result<void> forget_plan(std::string_view id) override;

private:
    Database& m_db;
};

} // namespace aarshjul

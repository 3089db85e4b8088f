// SPDX-License-Identifier: MPL-2.0
#pragma once
// WorkflowRegistry: what the store remembers of each workflow (table
// `workflows`): its content hash, when it was first seen, and how far it was
// planned under which fingerprint. Thread rules: those of the Store.

#include "util/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aarshjul {

struct WorkflowRecord {
    std::string id;
    std::string content_hash;
    std::string file;
};

// How far a workflow was planned, and with which inputs.
struct PlanMark {
    std::optional<std::string> fingerprint;
    std::optional<std::string> planned_through; // YYYY-MM-DD
};

class WorkflowRegistry {
public:
    virtual ~WorkflowRegistry() = default;

    // Records a workflow as loaded on `today`; a known one keeps its first day.
    virtual Result<void> record(const WorkflowRecord& workflow, std::string_view today,
                                std::int64_t now) = 0;
    virtual Result<std::optional<std::string>> first_seen(std::string_view id) = 0;
    virtual Result<PlanMark> plan_mark(std::string_view id) = 0;
    // Planned through `through` with `fingerprint` (none: planning is not
    // incremental); an incremental pass never moves the mark back.
    virtual Result<void> set_plan_mark(std::string_view id,
                                       const std::optional<std::string>& fingerprint,
                                       bool incremental, std::string_view through) = 0;
    // The next pass plans the whole window again.
    virtual Result<void> forget_plan(std::string_view id) = 0;
};

} // namespace aarshjul

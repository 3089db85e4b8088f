// SPDX-License-Identifier: MPL-2.0
#pragma once
// The wheel of one year, read from the database: which tasks are due in it,
// on which ring each goes (its workflow's group) and how it stands. The API
// (GET /api/v1/wheel.svg), the status page and `aarshjul wheel` draw through
// here; wheel/wheel.h draws. Thread rules: those of the ReadQueries passed.

#include "model/task_state.h"
#include "model/workflow.h"
#include "store/read_queries.h"
#include "time/zone.h"
#include "util/result.h"
#include "wheel/wheel.h"

#include <optional>
#include <string>
#include <vector>

namespace aarshjul {

struct WheelRequest {
    int year = 0;             // the year the wheel starts in
    unsigned first_month = 1; // 1-12: the month at 12 o'clock
    std::string language = "da";
    std::optional<WorkflowGroup> group{}; // only this ring; none = every ring
    std::string person{};                 // only tasks assigned to this person; empty = all
    std::string heading{};                // the picture's title; empty = the year
    int due_soon_days = 14;               // as StatusOptions::due_soon_days
    bool links = true;                    // each mark links to its task's page
};

// How a task stands for the committee, by the status's rule (read_status,
// ReadQueries::state_counts): scheduled, open or due by `due_soon_until`
// (today + due_soon_days) is due soon, later on track; overdue and escalated
// are overdue. Cancelled tasks have no standing (nullopt).
std::optional<MarkState> standing_of(TaskState state, std::string_view due_date,
                                     std::string_view due_soon_until);

// The rings in their order from the centre: every group, "other" last and
// only when a workflow or a task is in it.
std::vector<WorkflowGroup> wheel_rings(const std::vector<WorkflowDef>& workflows,
                                       bool other_needed);

// The year whose wheel, starting in `first_month`, holds `today`: 2026 for
// March 2027 on a wheel from August.
int wheel_year_of(LocalDate today, unsigned first_month);

// "Årshjul 2027 – <organisation>" ("Annual cycle 2027/28 – ..." in English,
// from another first month than January).
std::string wheel_heading(const WheelRequest& request, std::string_view organisation);

// The stored tasks of `year` that are not cancelled, every one of them (no
// limit), of `person` only when one is named: what the wheel draws and the
// year's export (app/year_export.h) lists.
TaskFilter year_task_filter(const WheelYear& year, const std::string& person);

// Every task not cancelled and due in the wheel year, as marks on the rings
// of `workflows` (a task whose workflow is not loaded goes on "other"), with
// today's line from `now` in `zone`.
Result<WheelInput> read_wheel(ReadQueries& queries, const std::vector<WorkflowDef>& workflows,
                              const Zone& zone, Instant now, const WheelRequest& request);

} // namespace aarshjul

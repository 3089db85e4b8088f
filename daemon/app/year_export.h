// SPDX-License-Identifier: MPL-2.0
#pragma once
// The year as a spreadsheet, read from the database: one row per task not
// cancelled whose due date (a local date in the organisation's zone) falls in
// the calendar year, in due-date order, with its control, group, system,
// responsible, state, completion, outcome, evidence and note in the
// request's language. `aarshjul export` and GET /api/v1/export read through
// here; sheet/year_sheet.h renders. Thread rules: those of the ReadQueries.

#include "model/directory.h"
#include "model/workflow.h"
#include "sheet/year_sheet.h"
#include "store/read_queries.h"
#include "time/zone.h"
#include "util/result.h"

#include <optional>
#include <string>
#include <vector>

namespace aarshjul {

struct YearExportRequest {
    int year = 0;
    std::string language = "da";
    std::optional<WorkflowGroup> group{}; // only this group's controls; none = all
    std::string person{};                 // only tasks assigned to this person; empty = all
    std::string public_url{};             // links rows to "<public_url>/tasks/<id>"; empty = none
};

// What the export is read with besides the store.
struct YearExportContext {
    const std::vector<WorkflowDef>& workflows; // titles, groups, outcome labels
    const Directory& directory;                // names of people and systems
    const Zone& zone;
    Instant now; // the sheet's "generated at"
    std::string organisation;
};

// The sheet of `request.year`; an ErrorKind::Invalid error naming "year" for
// a year outside 1970-9999 and "language" for one other than da or en.
Result<YearSheet> read_year_sheet(ReadQueries& queries, const YearExportContext& context,
                                  const YearExportRequest& request);

// The state's label in `language` ("da", otherwise English): "udført".
std::string_view task_state_label(TaskState state, std::string_view language);

} // namespace aarshjul

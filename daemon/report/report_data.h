// SPDX-License-Identifier: MPL-2.0
#pragma once
// The parts of the quarterly report that are more than counts: the wheel of
// the quarter's year and the trends per group, read from the store as the
// JSON the report keeps (so a snapshot frozen for a meeting draws them again
// the same, however the tasks changed since), and the wheel drawn back from
// that JSON for the HTML and the PDF.
// Thread rules: the readers those of the ReadQueries passed; the rest stateless.

#include "model/workflow.h"
#include "store/read_queries.h"
#include "time/zone.h"
#include "util/result.h"

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aarshjul {

// A quarter of the trends: its label ("2027Q1") and its first and last day.
struct TrendQuarter {
    std::string label{};
    LocalDate first{};
    LocalDate last{};
};

// How the tasks due in each of `quarters` stand at `now`, per group of
// workflows (a task whose workflow is not loaded counts as "other"):
//   {"quarters": ["2026Q1", …],
//    "groups": [{"group": "risk", "quarters": [{"quarter": "2026Q1", "due": 12,
//                "on_time": 9, "late": 2, "overdue": 1, "open": 0, "waived": 0}, …]}, …]}
// Done on time is done before the task went overdue (the day after its due
// date began, or its deadline for an hour-based task); late is done after
// that; overdue is not done and past it. The groups are the wheel's rings.
Result<boost::json::object> read_trends(ReadQueries& queries, const Zone& zone,
                                        const std::vector<WorkflowDef>& workflows,
                                        const std::vector<TrendQuarter>& quarters);

// The wheel of `year` (from January) as the report keeps it: year,
// first_month, today, groups, and one mark per task (task, workflow, title,
// title_en, entity, group, due, state).
Result<boost::json::object> read_report_wheel(ReadQueries& queries,
                                              const std::vector<WorkflowDef>& workflows,
                                              const Zone& zone, Instant now, int year);

// Which controls of ISO/IEC 27001:2022 Annex A have a duty in `workflows`
// (the workflows that name them in `standards`) and which of those were
// evidenced from `first` to `last` (a task of one of its duties done then):
//   {"standard": "ISO/IEC 27001:2022 Annex A", "from", "to", "controls_total": 93,
//    "with_duty": n, "without_duty": 93 - n, "evidenced": k,
//    "controls": [{"id": "5.24", "title", "duties": [{"workflow", "title", "title_en",
//                  "enabled"}], "evidenced", "done", "evidence": [{"task", "workflow",
//                  "title", "title_en", "at", "evidence"}]}],
//    "without": ["5.3", …], "cis": [{"id": "17.7", "duties": [...]}]}
// A control counts as having a duty when an enabled workflow names it; one
// named only by workflows switched off is listed, with its duties marked so.
Result<boost::json::object> read_coverage(ReadQueries& queries, const Zone& zone,
                                          const std::vector<WorkflowDef>& workflows,
                                          LocalDate first, LocalDate last);

// The <svg> of a report's "wheel" in `language` ("da" or "en"), titled with
// the year and the report's organisation, without links (the report goes on
// paper). Nullopt when the report has no wheel (a snapshot frozen before
// reports had one); an error when the kept wheel is not one.
Result<std::optional<std::string>> report_wheel_svg(const boost::json::object& report,
                                                    std::string_view language);

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#pragma once
// Report: the quarterly status for the committee (JSON and print-ready HTML),
// and frozen snapshots of it as of a meeting date.
//
// A snapshot is the report's JSON stored when it is frozen (table
// report_snapshots, created here if missing); asking for it again later gives
// the stored answer byte for byte, whatever happened to the tasks since.

#include "engine/engine.h"
#include "store/read_queries.h"
#include "store/store.h"
#include "time/zone.h"
#include "util/result.h"

#include <boost/json/object.hpp>
#include <optional>
#include <string>

namespace aarshjul::http {

struct Quarter {
    int year = 0;
    int number = 0; // 1..4
    LocalDate first{};
    LocalDate last{};
    std::string label; // "2026Q4"
};

std::optional<Quarter> parse_quarter(std::string_view text);
Quarter quarter_of(LocalDate day);

// The report for `quarter` as the database stands at `now`: the wheel of the
// quarter's year, the trends per group over it and the four quarters before,
// the status per control, what the controls found, the open deviations with
// their action plans, and the quarter's overdue tasks, completions,
// escalations and failed deliveries.
Result<boost::json::object> build_report(Store& store, const Zone& zone,
                                         const Definitions* definitions,
                                         const std::string& organisation, const Quarter& quarter,
                                         Instant now);

// "da" or "en". The PDF is report/report_pdf.h's, from the same JSON.
std::string render_report_html(const boost::json::object& report, std::string_view lang);

// The stored snapshot of `quarter` for `meeting` (YYYY-MM-DD), if frozen.
Result<std::optional<boost::json::object>>
load_snapshot(ReadQueries& queries, const std::string& quarter, const std::string& meeting);
// Stores `report` as the snapshot; an existing one is kept and returned instead.
Result<boost::json::object> freeze_snapshot(ReadQueries& queries, const boost::json::object& report,
                                            const std::string& meeting, const std::string& by,
                                            Instant now, bool* created);

} // namespace aarshjul::http

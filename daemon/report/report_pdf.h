// SPDX-License-Identifier: MPL-2.0
#pragma once
// The quarterly report as a PDF for the committee's meeting papers: A4
// portrait, drawn on cairo's PDF surface, text and tables laid out by Pango,
// the wheel drawn by librsvg. It is made from the report's JSON alone, as the
// HTML is, so a snapshot frozen for a meeting gives the same document
// whenever it is asked for. Page breaks fall between table rows (a table's
// header row is repeated on the next page); every page's footer names the
// organisation, the quarter, when the report was made or the meeting it was
// frozen for, and "page N of M". Kept apart from the HTTP layer: no Beast here.
// Stateless; safe from any thread (each call has its own cairo and Pango objects).

#include "util/result.h"

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

namespace aarshjul {

// The PDF's bytes, in `language` ("en" for English, else Danish).
Result<std::string> render_report_pdf(const boost::json::object& report, std::string_view language);

} // namespace aarshjul

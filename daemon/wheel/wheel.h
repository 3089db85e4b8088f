// SPDX-License-Identifier: MPL-2.0
#pragma once
// The wheel: the year's tasks drawn as an årshjul, an SVG picture made from
// plain data. Twelve month segments run clockwise from the first month at 12
// o'clock, a ring of ISO week numbers around them, and inside one ring per
// group of controls; each task is a mark on its ring at its due date, coloured
// by its standing, linked to its page and with a tooltip. A line marks today.
// No JavaScript and no CSS: the picture is the same on the status page, in a
// browser, in a PDF and on paper (it scales to the width it is given).
//
// Where the numbers come from (tests/wheel/ checks them on the parsed XML):
// a day's angle is its days since the first month's 1st over the wheel year's
// days, times 360°, clockwise from 12 o'clock; 1 January is 0° on a wheel
// from January. Stateless; safe from any thread.

#include "model/workflow_group.h"
#include "time/civil.h"
#include "util/result.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace aarshjul {

// What the committee sees of a task: app/status.h's rule (standing_of) decides it.
enum class MarkState { Done, OnTrack, DueSoon, Overdue, Waived };

inline constexpr std::array<std::string_view, 5> kMarkStateNames{"done", "on_track", "due_soon",
                                                                 "overdue", "waived"};

inline std::string_view to_string(MarkState state) {
    return kMarkStateNames[static_cast<std::size_t>(state)];
}

struct WheelMark {
    std::int64_t task_id = 0;
    std::string workflow_id{};
    std::string title{};    // in the wheel's language
    std::string title_en{}; // the English title (the report keeps both); not drawn
    std::string entity{};   // the system or processor; empty for a workflow run once
    WorkflowGroup group = WorkflowGroup::Other;
    LocalDate due{};
    MarkState state = MarkState::OnTrack;
    std::string link{}; // the task's page ("/tasks/42"); empty: no link
};

struct WheelInput {
    int year = 0;             // the wheel year starts on the first month's 1st of this year
    unsigned first_month = 1; // 1-12: the month at 12 o'clock
    LocalDate today;          // the today line; none when outside the wheel year
    std::string language = "da";
    std::string heading;               // the picture's title ("Årshjul 2027 – Eksempel Kommune")
    std::vector<WorkflowGroup> groups; // the rings, innermost first, each once
    std::vector<WheelMark> marks;      // each due within the wheel year, in one of `groups`
};

// The wheel year: [first, end), and a day's angle on it in degrees [0, 360).
struct WheelYear {
    LocalDate first;
    LocalDate end;

    static Result<WheelYear> of(int year, unsigned first_month);
    bool contains(LocalDate day) const { return day >= first && day < end; }
    double angle(LocalDate day) const;
};

// The picture as an <svg> element (no XML declaration: it can be put into an
// HTML page as it is; kSvgDeclaration goes before it in a file of its own).
// Invalid input (a year outside 1970-9999, a month outside 1-12, a language
// other than da or en, a ring twice, a mark outside the year or in no ring) is
// an ErrorKind::Invalid error naming the field.
Result<std::string> render_wheel(const WheelInput& input);

inline constexpr std::string_view kSvgDeclaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

} // namespace aarshjul

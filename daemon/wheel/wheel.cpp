// SPDX-License-Identifier: MPL-2.0
#include "wheel/wheel.h"

#include "util/markup.h"

#include <algorithm>
#include <cmath>
#include <date/iso_week.h>
#include <fmt/format.h>
#include <map>
#include <numbers>
#include <set>
#include <tuple>

namespace aarshjul {

namespace {

// The picture's coordinates: the wheel's centre is (0, 0), y grows downwards,
// the heading sits above the wheel and the legend below it.
constexpr double kCentre = 100;     // the year's disc
constexpr double kRingsInner = 110; // the group rings, from here ...
constexpr double kRingsOuter = 370; // ... to here
constexpr double kWeeksOuter = 405; // the week ring, from kRingsOuter
constexpr double kMonthsOuter = 470;
constexpr double kMaxMarkRadius = 7;
constexpr double kMinMarkRadius = 2;
constexpr std::string_view kViewBox = "-500 -560 1000 1240";

constexpr std::string_view kInk = "#111111";
constexpr std::string_view kTodayColour = "#123b5d";

// Each standing's fill, in MarkState's order (tests/wheel/ reads them back).
constexpr std::array<std::string_view, 5> kFill{"#7fbf8e", "#8a8a8a", "#f0a000", "#c00000",
                                                "url(#wheel-waived)"};

struct Words {
    std::array<std::string_view, 12> months;
    std::array<std::string_view, 5> states;
    std::string_view today, due, rings, week, desc;
};

constexpr Words kDa{{"januar", "februar", "marts", "april", "maj", "juni", "juli", "august",
                     "september", "oktober", "november", "december"},
                    {"udført", "planlagt", "frist snart", "overskredet", "fritaget"},
                    "i dag",
                    "frist",
                    "Ringe indefra",
                    "uge",
                    "Årets opgaver på årshjulet, én markering pr. opgave på dens frist"};
constexpr Words kEn{{"January", "February", "March", "April", "May", "June", "July", "August",
                     "September", "October", "November", "December"},
                    {"done", "on track", "due soon", "overdue", "waived"},
                    "today",
                    "due",
                    "Rings from the centre",
                    "week",
                    "The year's tasks on the annual cycle, one mark per task at its due date"};

struct Point {
    double x, y;
};

// The point at radius `r` and `degrees` clockwise from 12 o'clock.
Point at(double r, double degrees) {
    const double a = degrees * std::numbers::pi / 180.0;
    return {r * std::sin(a), -r * std::cos(a)};
}

// An annular sector from angle a0 to a1 between radii r0 and r1, as path data.
std::string sector(double r0, double r1, double a0, double a1) {
    const Point o0 = at(r1, a0), o1 = at(r1, a1), i1 = at(r0, a1), i0 = at(r0, a0);
    const int large = a1 - a0 > 180 ? 1 : 0;
    return fmt::format("M{:.2f} {:.2f}A{:.0f} {:.0f} 0 {} 1 {:.2f} {:.2f}L{:.2f} {:.2f}A{:.0f} "
                       "{:.0f} 0 {} 0 {:.2f} {:.2f}Z",
                       o0.x, o0.y, r1, r1, large, o1.x, o1.y, i1.x, i1.y, r0, r0, large, i0.x,
                       i0.y);
}

// A label's rotation at `degrees`, in [-90, 90]: along the circle, and
// turned round in the lower half so that it reads upright.
double upright(double degrees) {
    if (degrees > 90 && degrees < 270)
        return degrees - 180;
    return degrees >= 270 ? degrees - 360 : degrees;
}

// Text centred at radius `r` and `degrees`, along the circle, upright.
std::string label(double r, double degrees, double size, std::string_view text,
                  std::string_view attributes = {}) {
    const Point p = at(r, degrees);
    return fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" transform=\"rotate({:.2f} {:.2f} {:.2f})\" "
                       "font-size=\"{}\" text-anchor=\"middle\" dominant-baseline=\"central\"{}>"
                       "{}</text>\n",
                       p.x, p.y, upright(degrees), p.x, p.y, size, attributes, escape_markup(text));
}

std::string line(double r0, double r1, double degrees, std::string_view attributes) {
    const Point a = at(r0, degrees), b = at(r1, degrees);
    return fmt::format("<line x1=\"{:.2f}\" y1=\"{:.2f}\" x2=\"{:.2f}\" y2=\"{:.2f}\" {}/>\n", a.x,
                       a.y, b.x, b.y, attributes);
}

Result<void> check(const WheelInput& input, const WheelYear& wheel_year) {
    if (input.language != "da" && input.language != "en")
        return make_error(ErrorKind::Invalid,
                          "language must be da or en (got '" + input.language + "')", "language");
    std::set<WorkflowGroup> rings;
    for (WorkflowGroup g : input.groups)
        if (static_cast<std::size_t>(g) >= kWorkflowGroupNames.size() || !rings.insert(g).second)
            return make_error(ErrorKind::Invalid, "groups: each ring once, of a known group",
                              "group");
    for (const WheelMark& m : input.marks) {
        if (!wheel_year.contains(m.due))
            return make_error(ErrorKind::Invalid,
                              fmt::format("task {} is due {}, outside the wheel year {} to {}",
                                          m.task_id, format_local_date(m.due),
                                          format_local_date(wheel_year.first),
                                          format_local_date(wheel_year.end - date::days{1})),
                              "marks");
        if (!rings.contains(m.group))
            return make_error(ErrorKind::Invalid,
                              fmt::format("task {} is in group {}, which has no ring", m.task_id,
                                          to_string(m.group)),
                              "group");
        if (static_cast<std::size_t>(m.state) >= kMarkStateNames.size())
            return make_error(ErrorKind::Invalid, "unknown state", "state");
    }
    return {};
}

void months(std::string& out, const WheelYear& y, unsigned first_month, const Words& words) {
    out += "<g id=\"wheel-months\">\n";
    for (unsigned i = 0; i < 12; ++i) {
        const date::year_month_day start{y.first};
        const date::year_month first{start.year(), start.month()};
        const LocalDate from{(first + date::months{static_cast<int>(i)}) / 1};
        const LocalDate to{(first + date::months{static_cast<int>(i) + 1}) / 1};
        const double a0 = y.angle(from);
        const double a1 = i == 11 ? 360.0 : y.angle(to);
        const unsigned month = (first_month - 1 + i) % 12;
        out += fmt::format("<path class=\"month\" data-month=\"{}\" d=\"{}\" fill=\"{}\" "
                           "stroke=\"#ffffff\" stroke-width=\"2\"/>\n",
                           month + 1, sector(kWeeksOuter, kMonthsOuter, a0, a1),
                           i % 2 ? "#c9d9e8" : "#dfe9f2");
        out += label((kWeeksOuter + kMonthsOuter) / 2, (a0 + a1) / 2, 22, words.months[month],
                     " fill=\"#111111\"");
    }
    out += "</g>\n";
}

// Each month's start across the week ring and every group ring, to read a
// mark's month off; drawn over the rings, under the marks.
void month_lines(std::string& out, const WheelYear& y) {
    out += "<g id=\"wheel-month-lines\">\n";
    const date::year_month_day start{y.first};
    const date::year_month first{start.year(), start.month()};
    for (int i = 0; i < 12; ++i)
        out += line(kRingsInner, kWeeksOuter, y.angle(LocalDate{(first + date::months{i}) / 1}),
                    "stroke=\"#9aa9b8\" stroke-width=\"1\"");
    out += "</g>\n";
}

void weeks(std::string& out, const WheelYear& y, const Words& words) {
    out += fmt::format("<g id=\"wheel-weeks\" aria-label=\"{}\">\n", escape_markup(words.week));
    out += fmt::format("<circle r=\"{:.0f}\" fill=\"#f4f6f8\"/>\n", kWeeksOuter);
    // Each ISO week from its Monday (or the wheel year's first day) to the next.
    LocalDate from = y.first;
    while (from < y.end) {
        const iso_week::year_weeknum_weekday week{from};
        const LocalDate monday =
            from - date::days{static_cast<int>(static_cast<unsigned>(week.weekday())) - 1};
        const LocalDate to = std::min(monday + date::days{7}, y.end);
        const double a0 = y.angle(from);
        const double a1 = to == y.end ? 360.0 : y.angle(to);
        out += line(kRingsOuter, kWeeksOuter, a0, "stroke=\"#9aa9b8\" stroke-width=\"1\"");
        if (to - from >= date::days{3}) // a sliver of a week gets no number
            out += label((kRingsOuter + kWeeksOuter) / 2, (a0 + a1) / 2, 12,
                         std::to_string(static_cast<unsigned>(week.weeknum())),
                         fmt::format(" class=\"week\" data-week=\"{}\" fill=\"#333333\"",
                                     static_cast<unsigned>(week.weeknum())));
        from = to;
    }
    out += "</g>\n";
}

// The rings' bands: [inner, outer) radius of ring i of n.
std::pair<double, double> band(std::size_t i, std::size_t n) {
    const double width = (kRingsOuter - kRingsInner) / static_cast<double>(n);
    return {kRingsInner + width * static_cast<double>(i),
            kRingsInner + width * static_cast<double>(i + 1)};
}

void rings(std::string& out, const WheelInput& input) {
    out += "<g id=\"wheel-rings\">\n";
    const std::size_t n = input.groups.size();
    // Outermost first, each disc drawn over the last.
    for (std::size_t k = n; k-- > 0;) {
        const auto [inner, outer] = band(k, n);
        out += fmt::format("<circle class=\"ring\" data-group=\"{}\" data-inner=\"{:.2f}\" "
                           "data-outer=\"{:.2f}\" r=\"{:.2f}\" fill=\"{}\" stroke=\"#9aa9b8\" "
                           "stroke-width=\"1\"><title>{}</title></circle>\n",
                           to_string(input.groups[k]), inner, outer, outer,
                           k % 2 ? "#ffffff" : "#f7f7f7",
                           escape_markup(group_label(input.groups[k], input.language)));
    }
    out += fmt::format("<circle r=\"{:.0f}\" fill=\"#ffffff\" stroke=\"#9aa9b8\"/>\n", kRingsInner);
    out += "</g>\n";
}

void marks(std::string& out, const WheelInput& input, const WheelYear& y, const Words& words) {
    std::map<WorkflowGroup, std::size_t> ring_of;
    for (std::size_t i = 0; i < input.groups.size(); ++i)
        ring_of[input.groups[i]] = i;
    // Tasks due the same day in the same ring stand side by side across it.
    std::vector<const WheelMark*> sorted;
    for (const auto& m : input.marks)
        sorted.push_back(&m);
    std::sort(sorted.begin(), sorted.end(), [&](const WheelMark* a, const WheelMark* b) {
        return std::tuple(ring_of[a->group], a->due, a->task_id) <
               std::tuple(ring_of[b->group], b->due, b->task_id);
    });
    out += "<g id=\"wheel-marks\">\n";
    for (std::size_t i = 0; i < sorted.size();) {
        std::size_t j = i;
        while (j < sorted.size() && sorted[j]->group == sorted[i]->group &&
               sorted[j]->due == sorted[i]->due)
            ++j;
        const std::size_t count = j - i;
        const auto [inner, outer] = band(ring_of[sorted[i]->group], input.groups.size());
        const double step = (outer - inner) / static_cast<double>(count + 1);
        const double radius = std::clamp(step / 2, kMinMarkRadius, kMaxMarkRadius);
        const double degrees = y.angle(sorted[i]->due);
        for (std::size_t k = 0; k < count; ++k) {
            const WheelMark& m = *sorted[i + k];
            const Point p = at(inner + step * static_cast<double>(k + 1), degrees);
            std::string tip = m.workflow_id + ": " + m.title;
            if (!m.entity.empty())
                tip += " (" + m.entity + ")";
            tip += fmt::format(", {} {}, {}", words.due, format_local_date(m.due),
                               words.states[static_cast<std::size_t>(m.state)]);
            const std::string circle =
                fmt::format("<circle cx=\"{:.2f}\" cy=\"{:.2f}\" r=\"{:.2f}\" fill=\"{}\"{} "
                            "stroke=\"{}\" stroke-width=\"1\"/>",
                            p.x, p.y, radius, kFill[static_cast<std::size_t>(m.state)],
                            m.state == MarkState::Done ? " fill-opacity=\"0.6\"" : "",
                            m.state == MarkState::Done ? "#5a9a6a" : "#ffffff");
            const std::string data = fmt::format(
                "class=\"mark\" data-task=\"{}\" data-workflow=\"{}\" data-group=\"{}\" "
                "data-due=\"{}\" data-state=\"{}\"",
                m.task_id, escape_markup(m.workflow_id), to_string(m.group),
                format_local_date(m.due), to_string(m.state));
            if (m.link.empty())
                out += fmt::format("<g {}><title>{}</title>{}</g>\n", data, escape_markup(tip),
                                   circle);
            else
                out += fmt::format("<a href=\"{}\" {}><title>{}</title>{}</a>\n",
                                   escape_markup(m.link), data, escape_markup(tip), circle);
        }
        i = j;
    }
    out += "</g>\n";
}

void today_line(std::string& out, const WheelInput& input, const WheelYear& y, const Words& words) {
    if (!y.contains(input.today))
        return;
    const double degrees = y.angle(input.today);
    out += fmt::format("<g id=\"wheel-today\" data-date=\"{}\">\n", format_local_date(input.today));
    out += line(kCentre, kMonthsOuter + 8, degrees,
                fmt::format("stroke=\"{}\" stroke-width=\"3\"", kTodayColour));
    out += label(kMonthsOuter + 20, degrees, 16, words.today,
                 fmt::format(" fill=\"{}\" font-weight=\"bold\"", kTodayColour));
    out += "</g>\n";
}

void legend(std::string& out, const WheelInput& input, const Words& words) {
    out += "<g id=\"wheel-legend\" font-size=\"18\">\n";
    std::string ring_names;
    for (std::size_t i = 0; i < input.groups.size(); ++i)
        ring_names += fmt::format("{}{}. {}", i ? "   " : "", i + 1,
                                  group_label(input.groups[i], input.language));
    out += fmt::format("<text x=\"0\" y=\"525\" text-anchor=\"middle\" fill=\"{}\">{}: {}</text>\n",
                       kInk, escape_markup(words.rings), escape_markup(ring_names));
    // The rings' numbers along 12 o'clock, where the eye starts.
    for (std::size_t i = 0; i < input.groups.size(); ++i) {
        const auto [inner, outer] = band(i, input.groups.size());
        out += fmt::format("<text x=\"-6\" y=\"{:.2f}\" font-size=\"13\" text-anchor=\"end\" "
                           "dominant-baseline=\"central\" fill=\"#555555\">{}</text>\n",
                           -(inner + outer) / 2, i + 1);
    }
    double x = -430;
    for (std::size_t s = 0; s < kFill.size(); ++s) {
        out +=
            fmt::format("<circle cx=\"{:.0f}\" cy=\"570\" r=\"8\" fill=\"{}\"{} stroke=\"#555555\" "
                        "stroke-width=\"1\"/><text x=\"{:.0f}\" y=\"570\" "
                        "dominant-baseline=\"central\" fill=\"{}\">{}</text>\n",
                        x, kFill[s], s == 0 ? " fill-opacity=\"0.6\"" : "", x + 14, kInk,
                        escape_markup(words.states[s]));
        x += 175;
    }
    out += "</g>\n";
}

} // namespace

Result<WheelYear> WheelYear::of(int year, unsigned first_month) {
    if (year < 1970 || year > 9999)
        return make_error(ErrorKind::Invalid,
                          "year must be from 1970 to 9999 (got " + std::to_string(year) + ")",
                          "year");
    if (first_month < 1 || first_month > 12)
        return make_error(ErrorKind::Invalid,
                          "first month must be 1 to 12 (got " + std::to_string(first_month) + ")",
                          "first_month");
    const date::year_month start{date::year{year}, date::month{first_month}};
    return WheelYear{LocalDate{start / 1}, LocalDate{(start + date::years{1}) / 1}};
}

double WheelYear::angle(LocalDate day) const {
    return static_cast<double>((day - first).count()) * 360.0 /
           static_cast<double>((end - first).count());
}

Result<std::string> render_wheel(const WheelInput& input) {
    AARSHJUL_TRY_ASSIGN(const WheelYear y, WheelYear::of(input.year, input.first_month));
    AARSHJUL_TRY(check(input, y));
    const Words& words = input.language == "en" ? kEn : kDa;
    const std::string year_text = input.first_month == 1
                                      ? std::to_string(input.year)
                                      : fmt::format("{}/{:02}", input.year, (input.year + 1) % 100);
    const std::string heading = input.heading.empty() ? year_text : input.heading;

    std::string out;
    out.reserve(2000 + 600 * input.marks.size());
    out += fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{}\" width=\"100%\" "
                       "preserveAspectRatio=\"xMidYMid meet\" role=\"img\" "
                       "aria-labelledby=\"wheel-title wheel-desc\" "
                       "font-family=\"system-ui, 'Segoe UI', Arial, sans-serif\" "
                       "data-year=\"{}\" data-first-month=\"{}\" data-first=\"{}\" "
                       "data-end=\"{}\" lang=\"{}\">\n",
                       kViewBox, input.year, input.first_month, format_local_date(y.first),
                       format_local_date(y.end), input.language);
    out += fmt::format("<title id=\"wheel-title\">{}</title>\n", escape_markup(heading));
    out += fmt::format("<desc id=\"wheel-desc\">{} ({} – {}).</desc>\n", escape_markup(words.desc),
                       format_local_date(y.first), format_local_date(y.end - date::days{1}));
    out += "<defs><pattern id=\"wheel-waived\" width=\"4\" height=\"4\" "
           "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
           "<rect width=\"4\" height=\"4\" fill=\"#ffffff\"/>"
           "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"4\" stroke=\"#555555\" stroke-width=\"2\"/>"
           "</pattern></defs>\n";
    out += fmt::format("<text x=\"0\" y=\"-520\" text-anchor=\"middle\" font-size=\"30\" "
                       "font-weight=\"bold\" fill=\"{}\">{}</text>\n",
                       kInk, escape_markup(heading));
    months(out, y, input.first_month, words);
    weeks(out, y, words);
    rings(out, input);
    month_lines(out, y);
    out += fmt::format("<text id=\"wheel-year\" x=\"0\" y=\"0\" text-anchor=\"middle\" "
                       "dominant-baseline=\"central\" font-size=\"{}\" font-weight=\"bold\" "
                       "fill=\"{}\">{}</text>\n",
                       input.first_month == 1 ? 56 : 40, kInk, year_text);
    marks(out, input, y, words);
    today_line(out, input, y, words);
    legend(out, input, words);
    out += "</svg>\n";
    return out;
}

} // namespace aarshjul

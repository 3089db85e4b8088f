// SPDX-License-Identifier: MPL-2.0
#include "report/report_pdf.h"

#include "model/workflow_group.h"
#include "report/report_data.h"
#include "report/report_fields.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fmt/format.h>
#include <librsvg/rsvg.h>
#include <memory>
#include <pango/pangocairo.h>
#include <vector>

namespace aarshjul {

namespace {

namespace json = boost::json;
using namespace report_fields;

// RAII for the C libraries' handles: each is released once, however we leave.
template <class T, void (*Free)(T*)> struct Release {
    void operator()(T* p) const {
        if (p)
            Free(p);
    }
};
struct Unref {
    void operator()(gpointer p) const {
        if (p)
            g_object_unref(p);
    }
};
using Surface = std::unique_ptr<cairo_surface_t, Release<cairo_surface_t, cairo_surface_destroy>>;
using Cairo = std::unique_ptr<cairo_t, Release<cairo_t, cairo_destroy>>;
using FontOptions = std::unique_ptr<cairo_font_options_t,
                                    Release<cairo_font_options_t, cairo_font_options_destroy>>;
using Font = std::unique_ptr<PangoFontDescription,
                             Release<PangoFontDescription, pango_font_description_free>>;
using GlibError = std::unique_ptr<GError, Release<GError, g_error_free>>;
template <class T> using Object = std::unique_ptr<T, Unref>;

// A4 portrait in points (the PDF surface's unit), and the page's frame.
constexpr double kPageWidth = 595.276;
constexpr double kPageHeight = 841.890;
constexpr double kMargin = 50;
constexpr double kContentWidth = kPageWidth - 2 * kMargin;
constexpr double kContentBottom = kPageHeight - 64; // the footer goes below
constexpr double kFooterTop = kPageHeight - 42;
constexpr double kCellPadding = 3;
constexpr double kBodySize = 9.5;
constexpr double kTableSize = 8;
constexpr double kWheelSize = 400;
constexpr int kCoverageLinks = 5; // evidence links shown per Annex A control
// One family for every script the reports hold (æøå, en dash); fontconfig
// substitutes the nearest when it is missing.
constexpr const char* kFamily = "DejaVu Sans";

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

struct Cell {
    std::string text;
    bool bold = false;
    bool alert = false; // drawn red: overdue, behind
    std::string link{}; // an evidence link: the text is a link in the PDF
};

struct Column {
    std::string title;
    double weight = 1; // its share of the width
};

using Row = std::vector<Cell>;

// The page writer: a cursor going down the page, a new page (with the
// footer of the one left) when what comes next does not fit.
class Document {
public:
    Document(std::string& out, std::string title, std::string footer, std::string created_at,
             std::string_view language, int total_pages)
        : m_footer(std::move(footer)), m_language(language), m_total(total_pages) {
        m_surface.reset(cairo_pdf_surface_create_for_stream(append, &out, kPageWidth, kPageHeight));
        cairo_pdf_surface_set_metadata(m_surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
        cairo_pdf_surface_set_metadata(m_surface.get(), CAIRO_PDF_METADATA_CREATOR, "aarshjul");
        // The report's own time, not the clock: the same JSON gives the same document.
        if (!created_at.empty())
            cairo_pdf_surface_set_metadata(m_surface.get(), CAIRO_PDF_METADATA_CREATE_DATE,
                                           created_at.c_str());
        m_cairo.reset(cairo_create(m_surface.get()));
        m_fonts.reset(pango_cairo_font_map_new());
        m_context.reset(pango_font_map_create_context(m_fonts.get()));
        // Points, not pixels: a 10 pt font is 10 units high on the page.
        pango_cairo_context_set_resolution(m_context.get(), 72);
        FontOptions options(cairo_font_options_create());
        cairo_font_options_set_hint_metrics(options.get(), CAIRO_HINT_METRICS_OFF);
        cairo_font_options_set_hint_style(options.get(), CAIRO_HINT_STYLE_NONE);
        pango_cairo_context_set_font_options(m_context.get(), options.get());
        pango_cairo_update_context(m_cairo.get(), m_context.get());
    }

    int pages() const { return m_page; }

    void heading(std::string_view text, double size) {
        auto layout = make(text, size, true, kContentWidth);
        // A heading keeps at least a few lines of what follows on its page.
        ensure(height(*layout) + 60);
        m_y += size * 0.6;
        draw(*layout, kMargin, m_y, 0.07);
        m_y += height(*layout) + size * 0.4;
    }

    void paragraph(std::string_view text, bool bold = false, double size = kBodySize) {
        auto layout = make(text, size, bold, kContentWidth);
        ensure(height(*layout));
        draw(*layout, kMargin, m_y, 0.07);
        m_y += height(*layout) + 5;
    }

    // An SVG picture `size` points square, centred.
    Result<void> picture(std::string_view svg, double size) {
        GError* raw = nullptr;
        Object<RsvgHandle> handle(rsvg_handle_new_from_data(
            reinterpret_cast<const guint8*>(svg.data()), svg.size(), &raw));
        GlibError error(raw);
        if (!handle)
            return make_error(std::string("librsvg could not read the wheel: ") +
                              (error ? error->message : "unknown error"));
        ensure(size);
        const RsvgRectangle viewport{(kPageWidth - size) / 2, m_y, size, size};
        cairo_save(m_cairo.get());
        const bool drawn =
            rsvg_handle_render_document(handle.get(), m_cairo.get(), &viewport, &raw);
        cairo_restore(m_cairo.get());
        error.reset(raw);
        if (!drawn)
            return make_error(std::string("librsvg could not draw the wheel: ") +
                              (error ? error->message : "unknown error"));
        m_y += size + 6;
        return {};
    }

    // A table across the width; a row that does not fit goes to the next
    // page, under the header row again.
    void table(const std::vector<Column>& columns, const std::vector<Row>& rows) {
        double total = 0;
        for (const auto& c : columns)
            total += c.weight;
        std::vector<double> widths;
        for (const auto& c : columns)
            widths.push_back(kContentWidth * c.weight / total);
        Row header;
        for (const auto& c : columns)
            header.push_back(Cell{c.title, true});
        auto laid = [&](const Row& row) {
            std::vector<Object<PangoLayout>> layouts;
            double h = 0;
            for (std::size_t i = 0; i < columns.size(); ++i) {
                const Cell empty{};
                const Cell& cell = i < row.size() ? row[i] : empty;
                layouts.push_back(make(cell.text, kTableSize, cell.bold || cell.alert,
                                       widths[i] - 2 * kCellPadding));
                h = std::max(h, height(*layouts.back()));
            }
            return std::pair{std::move(layouts), h + 2 * kCellPadding};
        };
        auto [header_layouts, header_height] = laid(header);
        auto draw_row = [&](const Row& row, std::vector<Object<PangoLayout>>& layouts, double h,
                            bool is_header) {
            double x = kMargin;
            cairo_t* cr = m_cairo.get();
            for (std::size_t i = 0; i < columns.size(); ++i) {
                cairo_rectangle(cr, x, m_y, widths[i], h);
                if (is_header) {
                    cairo_set_source_rgb(cr, 0.91, 0.91, 0.91);
                    cairo_fill_preserve(cr);
                }
                cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
                cairo_set_line_width(cr, 0.5);
                cairo_stroke(cr);
                const Cell* cell = i < row.size() ? &row[i] : nullptr;
                const bool link = cell && !cell->link.empty();
                if (link)
                    cairo_tag_begin(cr, CAIRO_TAG_LINK, link_attributes(cell->link).c_str());
                if (cell && cell->alert)
                    draw(*layouts[i], x + kCellPadding, m_y + kCellPadding, 0.67, 0, 0);
                else if (link)
                    draw(*layouts[i], x + kCellPadding, m_y + kCellPadding, 0.0, 0.2, 0.6);
                else
                    draw(*layouts[i], x + kCellPadding, m_y + kCellPadding, 0.07);
                if (link)
                    cairo_tag_end(cr, CAIRO_TAG_LINK);
                x += widths[i];
            }
            m_y += h;
        };
        bool header_on_page = false;
        for (const Row& row : rows) {
            auto [layouts, h] = laid(row);
            if (m_y + h > kContentBottom ||
                (!header_on_page && m_y + header_height + h > kContentBottom)) {
                new_page();
                header_on_page = false;
            }
            if (!header_on_page) {
                draw_row(header, header_layouts, header_height, true);
                header_on_page = true;
            }
            draw_row(row, layouts, h, false);
        }
        m_y += 10;
    }

    // Ends the last page and the document.
    Result<void> finish() {
        footer();
        cairo_show_page(m_cairo.get());
        m_cairo.reset();
        cairo_surface_finish(m_surface.get());
        const cairo_status_t status = cairo_surface_status(m_surface.get());
        if (status != CAIRO_STATUS_SUCCESS)
            return make_error(std::string("cairo could not write the PDF: ") +
                              cairo_status_to_string(status));
        return {};
    }

private:
    Object<PangoLayout> make(std::string_view text, double size, bool bold, double width) const {
        Object<PangoLayout> layout(pango_layout_new(m_context.get()));
        Font font(pango_font_description_new());
        pango_font_description_set_family(font.get(), kFamily);
        pango_font_description_set_size(font.get(), static_cast<gint>(size * PANGO_SCALE));
        pango_font_description_set_weight(font.get(),
                                          bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        pango_layout_set_font_description(layout.get(), font.get());
        pango_layout_set_width(layout.get(), pango_units_from_double(width));
        pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
        pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
        return layout;
    }

    static double height(PangoLayout& layout) {
        int w = 0, h = 0;
        pango_layout_get_size(&layout, &w, &h);
        return static_cast<double>(h) / PANGO_SCALE;
    }

    void draw(PangoLayout& layout, double x, double y, double r, double g = -1, double b = -1) {
        cairo_set_source_rgb(m_cairo.get(), r, g < 0 ? r : g, b < 0 ? r : b);
        cairo_move_to(m_cairo.get(), x, y);
        pango_cairo_show_layout(m_cairo.get(), &layout);
    }

    // cairo's link attributes: the URI in single quotes, ' and \ escaped.
    static std::string link_attributes(std::string_view uri) {
        std::string out = "uri='";
        for (char c : uri) {
            if (c == '\'' || c == '\\')
                out += '\\';
            out += c;
        }
        return out + "'";
    }

    void ensure(double needed) {
        if (m_y + needed > kContentBottom && m_y > kMargin + 1)
            new_page();
    }

    void new_page() {
        footer();
        cairo_show_page(m_cairo.get());
        ++m_page;
        m_y = kMargin;
    }

    void footer() {
        cairo_t* cr = m_cairo.get();
        cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
        cairo_set_line_width(cr, 0.5);
        cairo_move_to(cr, kMargin, kFooterTop - 4);
        cairo_line_to(cr, kPageWidth - kMargin, kFooterTop - 4);
        cairo_stroke(cr);
        const std::string page = m_language == "en" ? fmt::format("Page {} of {}", m_page, m_total)
                                                    : fmt::format("Side {} af {}", m_page, m_total);
        auto right = make(page, 7.5, false, 90);
        pango_layout_set_alignment(right.get(), PANGO_ALIGN_RIGHT);
        draw(*right, kPageWidth - kMargin - 90, kFooterTop, 0.35);
        auto left = make(m_footer, 7.5, false, kContentWidth - 100);
        draw(*left, kMargin, kFooterTop, 0.35);
    }

    Surface m_surface;
    Cairo m_cairo;
    Object<PangoFontMap> m_fonts;
    Object<PangoContext> m_context;
    std::string m_footer;
    std::string m_language;
    int m_total = 0;
    int m_page = 1;
    double m_y = kMargin;
};

// "2027-03-15 10:00" of "2027-03-15T10:00:00+01:00": the local time to the minute.
std::string local_minute(std::string iso) {
    if (iso.size() > 10 && iso[10] == 'T')
        iso[10] = ' ';
    return iso.substr(0, 16);
}

// The report's content, page after page.
Result<int> write_report(Document& doc, const json::object& r, std::string_view language) {
    const bool en = language == "en";
    auto t = [&](const char* da, const char* english) { return std::string(en ? english : da); };
    auto title = [&](const json::object& o) { return in_language(o, "title", language); };
    auto none = [&] { doc.paragraph(t("Ingen.", "None.")); };

    doc.heading(fmt::format("{} {} – {}", t("Kvartalsrapport", "Quarterly report"),
                            str(r, "quarter"), str(r, "organisation")),
                18);
    doc.paragraph(fmt::format("{} {} – {}. {} {}.", t("Perioden", "Period"), str(r, "from"),
                              str(r, "to"), t("Udarbejdet", "Generated"), str(r, "generated_at")));
    if (const std::string meeting = str(r, "meeting"); !meeting.empty())
        doc.paragraph(
            fmt::format("{} {}.", t("Fastfrosset til mødet", "Frozen for the meeting of"), meeting),
            true);

    AARSHJUL_TRY_ASSIGN(auto wheel, report_wheel_svg(r, language));
    if (wheel) {
        doc.heading(t("Årshjulet", "The annual cycle"), 13);
        AARSHJUL_TRY(doc.picture(*wheel, kWheelSize));
    }

    if (const json::object* trends = obj(r, "trends")) {
        doc.heading(t("Udvikling pr. gruppe: dette kvartal og de fire før",
                      "Trends per group: this quarter and the four before"),
                    13);
        doc.paragraph(t("Hver celle: udført til tiden · for sent · overskredet, af forfaldne i "
                        "kvartalet (som de står nu).",
                        "Each cell: done on time · late · overdue, of those due in the quarter "
                        "(as they stand now)."),
                      false, 8);
        std::vector<Column> columns{{t("Gruppe", "Group"), 1.8}};
        for (const auto& q : arr(*trends, "quarters"))
            columns.push_back({q.is_string() ? std::string(q.as_string()) : "", 1});
        std::vector<Row> rows;
        for (const auto& g : arr(*trends, "groups")) {
            const auto& group = g.as_object();
            const auto id = workflow_group_from_string(str(group, "group"));
            Row row{{id ? std::string(group_label(*id, language)) : str(group, "group")}};
            for (const auto& c : arr(group, "quarters")) {
                const auto& cell = c.as_object();
                row.push_back(Cell{fmt::format("{} · {} · {} / {}", int_of(cell, "on_time"),
                                               int_of(cell, "late"), int_of(cell, "overdue"),
                                               int_of(cell, "due")),
                                   false, int_of(cell, "overdue") > 0});
            }
            rows.push_back(std::move(row));
        }
        doc.table(columns, rows);
    }

    doc.heading(t("Status pr. kontrol", "Status per control"), 13);
    if (arr(r, "controls").empty())
        none();
    else {
        std::vector<Row> rows;
        for (const auto& v : arr(r, "controls")) {
            const auto& c = v.as_object();
            const std::string status = str(c, "status");
            rows.push_back({{fmt::format("{} ({})", title(c), str(c, "workflow"))},
                            {num(c, "tasks")},
                            {num(c, "done")},
                            {num(c, "waived")},
                            {num(c, "open")},
                            {num(c, "overdue")},
                            {status == "behind"        ? t("Bagud", "Behind")
                             : status == "in_progress" ? t("I gang", "In progress")
                                                       : t("Gennemført", "Complete"),
                             false, status == "behind"}});
        }
        doc.table({{t("Kontrol", "Control"), 3.6},
                   {t("Opgaver", "Tasks"), 1},
                   {t("Udført", "Done"), 1},
                   {t("Fritaget", "Waived"), 1.1},
                   {t("Åbne", "Open"), 0.9},
                   {t("Overskredet", "Overdue"), 1.5},
                   {t("Status", "Status"), 1.5}},
                  rows);
    }

    doc.heading(t("Resultater af kontrollerne", "What the controls found"), 13);
    if (arr(r, "outcomes").empty())
        none();
    else {
        std::vector<Row> rows;
        for (const auto& v : arr(r, "outcomes")) {
            const auto& o = v.as_object();
            rows.push_back({{fmt::format("{} ({})", title(o), str(o, "workflow"))},
                            {in_language(o, "label", language)},
                            {num(o, "count")}});
        }
        doc.table(
            {{t("Kontrol", "Control"), 4}, {t("Resultat", "Outcome"), 3}, {t("Antal", "Count"), 1}},
            rows);
    }

    doc.heading(t("Åbne afvigelser og handlingsplaner", "Open deviations and action plans"), 13);
    if (arr(r, "action_plans").empty())
        none();
    else {
        std::vector<Row> rows;
        for (const auto& v : arr(r, "action_plans")) {
            const auto& p = v.as_object();
            std::string found;
            if (const std::string by = num(p, "found_by"); !by.empty()) {
                found = fmt::format("#{} {}", by, in_language(p, "found_title", language));
                if (auto label = in_language(p, "found_outcome_label", language); !label.empty())
                    found += fmt::format(" – {}", label);
                if (auto at = str(p, "found_at"); !at.empty())
                    found += fmt::format(" ({})", at.substr(0, 10));
            }
            const std::string state = str(p, "state");
            rows.push_back({{num(p, "id")},
                            {title(p)},
                            {found},
                            {str(p, "found_note")},
                            {str(p, "assignee_name")},
                            {str(p, "due"), false, state == "overdue" || state == "escalated"}});
        }
        doc.table({{"#", 0.6},
                   {t("Handlingsplan", "Action plan"), 2.5},
                   {t("Fundet ved", "Found by"), 3},
                   {t("Afvigelsen", "The deviation"), 3},
                   {t("Ansvarlig", "Owner"), 1.6},
                   {t("Frist", "Due"), 1.4}},
                  rows);
    }

    doc.heading(t("Overskredne opgaver", "Overdue tasks"), 13);
    if (arr(r, "overdue").empty())
        none();
    else {
        std::vector<Row> rows;
        for (const auto& v : arr(r, "overdue")) {
            const auto& o = v.as_object();
            rows.push_back({{num(o, "id")},
                            {title(o)},
                            {str(o, "assignee_name")},
                            {str(o, "due")},
                            {num(o, "days_late"), false, true}});
        }
        doc.table({{"#", 0.6},
                   {t("Opgave", "Task"), 5},
                   {t("Ansvarlig", "Owner"), 2},
                   {t("Frist", "Due"), 1.4},
                   {t("Dage over", "Days late"), 1.1}},
                  rows);
    }

    doc.heading(t("Gennemførte opgaver", "Completed tasks"), 13);
    if (arr(r, "completions").empty())
        none();
    else {
        std::vector<Row> rows;
        for (const auto& v : arr(r, "completions")) {
            const auto& c = v.as_object();
            std::string task = title(c);
            if (str(c, "kind") == "waived")
                task += t(" (fritaget)", " (waived)");
            std::string outcome = in_language(c, "outcome_label", language);
            if (outcome.empty())
                outcome = str(c, "outcome");
            const std::string evidence = str(c, "evidence");
            rows.push_back({{num(c, "id")},
                            {task},
                            {str(c, "by_name")},
                            {local_minute(str(c, "at"))},
                            {outcome},
                            {str(c, "note")},
                            {evidence, false, false, evidence}});
        }
        doc.table({{"#", 0.6},
                   {t("Opgave", "Task"), 3},
                   {t("Af", "By"), 1.6},
                   {t("Tidspunkt", "When"), 2.1},
                   {t("Resultat", "Outcome"), 1.6},
                   {t("Note", "Note"), 1.8},
                   {t("Dokumentation", "Evidence"), 2.6}},
                  rows);
    }

    doc.heading(t("Eskalationer", "Escalations"), 13);
    if (arr(r, "escalations").empty())
        none();
    else {
        std::vector<Row> rows;
        for (const auto& v : arr(r, "escalations")) {
            const auto& x = v.as_object();
            rows.push_back({{local_minute(str(x, "at"))},
                            {fmt::format("#{} {}", num(x, "task"), str(x, "title"))},
                            {str(x, "detail")}});
        }
        doc.table(
            {{t("Tidspunkt", "When"), 1.5}, {t("Opgave", "Task"), 4}, {t("Detalje", "Detail"), 3}},
            rows);
    }

    doc.heading(t("Fejlede leveringer", "Failed deliveries"), 13);
    if (arr(r, "failed_deliveries").empty())
        none();
    else {
        std::vector<Row> rows;
        for (const auto& v : arr(r, "failed_deliveries")) {
            const auto& f = v.as_object();
            rows.push_back({{str(f, "channel")},
                            {str(f, "recipient_name")},
                            {str(f, "subject")},
                            {str(f, "last_error")}});
        }
        doc.table({{t("Kanal", "Channel"), 1.2},
                   {t("Modtager", "Recipient"), 2},
                   {t("Emne", "Subject"), 3},
                   {t("Fejl", "Error"), 3}},
                  rows);
    }
    if (const json::object* coverage = obj(r, "coverage")) {
        doc.heading(
            fmt::format("{} {}", t("Dækning af", "Coverage of"), str(*coverage, "standard")), 13);
        std::string without;
        for (const auto& id : arr(*coverage, "without"))
            if (id.is_string())
                without += (without.empty() ? "" : ", ") + std::string(id.as_string());
        doc.paragraph(fmt::format(
            "{} {} {} {}; {} {} {} – {}. {} {}{}", num(*coverage, "with_duty"), t("af", "of"),
            num(*coverage, "controls_total"),
            t("kontroller har en pligt i årshjulet", "controls have a duty in the cycle"),
            num(*coverage, "evidenced"), t("er dokumenteret", "were evidenced"),
            str(*coverage, "from"), str(*coverage, "to"), num(*coverage, "without_duty"),
            t("har ingen", "have none"), without.empty() ? "" : ": " + without + "."));
        if (arr(*coverage, "controls").empty())
            none();
        std::vector<Row> rows;
        for (const auto& v : arr(*coverage, "controls")) {
            const auto& c = v.as_object();
            std::string duties;
            for (const auto& d : arr(c, "duties")) {
                const auto& duty = d.as_object();
                duties += (duties.empty() ? "" : "\n") + str(duty, "workflow") + " " +
                          in_language(duty, "title", language);
                if (auto on = duty.find("enabled"); on != duty.end() && on->value() == false)
                    duties += t(" (slået fra)", " (switched off)");
            }
            std::string links;
            int shown = 0, more = 0;
            for (const auto& x : arr(c, "evidence")) {
                const std::string link = str(x.as_object(), "evidence");
                if (link.empty())
                    continue;
                if (shown++ < kCoverageLinks)
                    links += (links.empty() ? "" : "\n") + link;
                else
                    ++more;
            }
            if (more > 0)
                links += fmt::format("\n{} {}{}", t("og", "and"), more, t(" flere", " more"));
            const bool evidenced = c.find("evidenced") != c.end() && c.at("evidenced") == true;
            rows.push_back({{str(c, "id")},
                            {str(c, "title")},
                            {duties},
                            {evidenced ? fmt::format("{} ({})", t("Ja", "Yes"), num(c, "done"))
                                       : t("Nej", "No"),
                             false, !evidenced},
                            // One link per cell: the first, when there is only one.
                            {links, false, false, shown == 1 && more == 0 ? links : ""}});
        }
        doc.table({{t("Kontrol", "Control"), 1},
                   {t("Titel", "Title"), 2.8},
                   {t("Pligter", "Duties"), 3},
                   {t("Dokumenteret i år", "Evidenced this year"), 1.9},
                   {t("Dokumentation", "Evidence"), 2.6}},
                  rows);
    }
    return doc.pages();
}

} // namespace

Result<std::string> render_report_pdf(const json::object& report, std::string_view language) {
    const std::string lang = language == "en" ? "en" : "da";
    const bool en = lang == "en";
    const std::string quarter = str(report, "quarter");
    const std::string organisation = str(report, "organisation");
    const std::string title = fmt::format("{} {} – {}", en ? "Quarterly report" : "Kvartalsrapport",
                                          quarter, organisation);
    std::string footer = fmt::format("{} · {} · ", organisation, quarter);
    if (const std::string meeting = str(report, "meeting"); !meeting.empty())
        footer += fmt::format("{} {}", en ? "Frozen for the meeting of" : "Fastfrosset til mødet",
                              meeting);
    else
        footer +=
            fmt::format("{} {}", en ? "Generated" : "Udarbejdet", str(report, "generated_at"));
    // Twice: the first pass counts the pages "page N of M" needs.
    int total = 1;
    for (int pass = 0; pass < 2; ++pass) {
        std::string out;
        Document doc(out, title, footer, str(report, "generated_at"), lang, total);
        AARSHJUL_TRY_ASSIGN(total, write_report(doc, report, lang));
        AARSHJUL_TRY(doc.finish());
        if (pass == 1)
            return out;
    }
    return make_error("unreachable");
}

} // namespace aarshjul

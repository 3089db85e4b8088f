// SPDX-License-Identifier: MPL-2.0
// The report's coverage of ISO/IEC 27001:2022 Annex A: which controls have a
// duty in the shipped municipal cycle (as its workflow files name them), and
// which of those were evidenced this year, with the evidence links.
#include "app/setup.h"
#include "engine/engine.h"
#include "http/report.h"
#include "model/standards.h"
#include "report/report_pdf.h"
#include "store/sqlite/sqlite_store.h"
#include "support/engine_fixture.h"
#include "support/temp_dir.h"

#include <cstdio>
#include <fmt/format.h>
#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <map>
#include <regex>
#include <set>

namespace aarshjul {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using testing::copenhagen;
using ::testing::HasSubstr;

const fs::path kRepo = AARSHJUL_SOURCE_DIR;

// The mapping as the shipped files write it, read with a regular expression
// rather than the DSL: Annex A control -> the ids of the workflows naming it,
// and whether each is switched on.
struct Mapping {
    std::map<std::string, std::set<std::string>> duties;
    std::set<std::string> enabled_controls;
};

Mapping mapping_of_files(const std::vector<fs::path>& folders) {
    Mapping m;
    const std::regex id_re("\\n  id = \"([A-Z0-9-]+)\"");
    const std::regex standards_re("standards = \\{ iso27001 = \\{ ([^}]*) \\}");
    const std::regex control_re("\"([0-9]+\\.[0-9]+)\"");
    const std::regex part_re("\\n  (agenda|minutes|approval) = \\{ id = \"([A-Z0-9-]+)\"|"
                             "\\n  (agenda|minutes|approval) = \\{\\n    id = \"([A-Z0-9-]+)\"");
    for (const auto& folder : folders)
        for (const auto& entry : fs::directory_iterator(folder)) {
            const std::string text = testing::read_file(entry.path());
            std::smatch found;
            if (!std::regex_search(text, found, standards_re))
                continue;
            std::vector<std::string> ids;
            for (auto it = std::sregex_iterator(text.begin(), text.end(), part_re);
                 it != std::sregex_iterator(); ++it)
                ids.push_back((*it)[2].matched ? (*it)[2].str() : (*it)[4].str());
            if (ids.empty()) {
                std::smatch id;
                if (std::regex_search(text, id, id_re))
                    ids.push_back(id[1]);
            }
            const bool enabled = text.find("enabled = false") == std::string::npos;
            const std::string list = found[1];
            for (auto it = std::sregex_iterator(list.begin(), list.end(), control_re);
                 it != std::sregex_iterator(); ++it)
                for (const auto& id : ids) {
                    m.duties[(*it)[1]].insert(id);
                    if (enabled)
                        m.enabled_controls.insert((*it)[1]);
                }
        }
    return m;
}

std::string pdf_text(const std::string& pdf, const testing::TempDir& dir) {
    const auto file = dir.write("coverage.pdf", pdf);
    std::string out;
    FILE* pipe = ::popen(("pdftotext -enc UTF-8 '" + file.string() + "' -").c_str(), "r");
    char buffer[4096];
    while (pipe && !std::feof(pipe))
        out.append(buffer, std::fread(buffer, 1, sizeof buffer, pipe));
    EXPECT_TRUE(pipe && ::pclose(pipe) == 0);
    return std::regex_replace(out, std::regex("\\s+"), " ");
}

// Coverage: the report's Annex A table has exactly the controls the shipped
// workflows name, each with the workflows naming it; a control is evidenced
// when one of them was done this year (a completion of December 2026 does
// not count for 2027), listing the completions with their evidence links;
// the rest of the 93 are counted as having no duty.
TEST(Coverage, AnnexATableMatchesTheShippedMappingAndTheYearsCompletions) {
    testing::TempDir dir;
    const auto config =
        dir.write("aarshjul.toml",
                  "[organisation]\nname = \"Testkommune\"\n[paths]\ndatabase = \"aarshjul.db\"\n"
                  "workflows = [\"" +
                      (kRepo / "workflows" / "common").string() + "\", \"" +
                      (kRepo / "workflows" / "municipality").string() + "\"]\nlua = \"" +
                      (kRepo / "lua").string() + "\"\ndirectory = \"" +
                      (kRepo / "config" / "directory.toml").string() + "\"\n");
    auto loaded = load_setup(SetupOptions{config, std::nullopt});
    for (const auto& e : loaded.errors)
        ADD_FAILURE() << e.to_string();
    ASSERT_TRUE(loaded.setup);
    const auto& definitions = loaded.setup->definitions;

    Database db = testing::memory_store();
    FakeClock clock{copenhagen("2026-12-01T09:00:00")};
    Engine engine{std::make_unique<SqliteStore>(db), clock,
                  EngineSettings{testing::copenhagen_zone()}};
    ASSERT_TRUE(engine.install(definitions).ok());
    ASSERT_TRUE(engine.materialise().ok());
    SqliteStore reader(db);

    // Completes the first task of `workflow` due from `from` to `to`, with an
    // evidence link, and the workflow's first outcome when it declares any.
    auto complete_first = [&](const std::string& workflow, const std::string& from,
                              const std::string& to, const std::string& suffix = "") -> std::string {
        TaskFilter filter;
        filter.workflow = workflow;
        filter.due_from = from;
        filter.due_to = to;
        filter.states = {"scheduled", "open", "due", "overdue", "escalated"};
        auto page = reader.queries().list_tasks(filter);
        EXPECT_TRUE(page.ok() && !page->tasks.empty()) << workflow << " has no task";
        if (!page.ok() || page->tasks.empty())
            return {};
        std::string outcome;
        for (const auto& w : definitions->workflows)
            if (w.id == workflow && !w.outcomes.empty())
                outcome = w.outcomes.front().id;
        const std::string link = "https://esdh.example/sag/" + workflow + suffix;
        auto done = engine.complete(std::to_string(page->tasks[0].id), "anna.jensen", "", link,
                                    CompletionKind::Done, outcome);
        EXPECT_TRUE(done.ok()) << workflow << ": " << done.error().to_string();
        return link;
    };
    // December 2026, ahead of time: outside the year of the report.
    clock.set(copenhagen("2026-12-10T10:00:00"));
    const std::string old_link = complete_first("RISK-SYS", "2027-01-01", "2027-03-31", "-2026");
    ASSERT_FALSE(old_link.empty());
    // 2027's first quarter: a risk assessment (5.9, 5.12) and a quarterly status (5.4, 5.36).
    clock.set(copenhagen("2027-03-15T10:00:00"));
    ASSERT_TRUE(engine.materialise().ok());
    const std::map<std::string, std::string> done_2027{
        {"RISK-SYS", complete_first("RISK-SYS", "2027-01-01", "2027-03-31")},
        {"ISU-QSTAT", complete_first("ISU-QSTAT", "2027-01-01", "2027-03-31")}};

    auto report = http::build_report(reader, testing::copenhagen_zone(), definitions.get(),
                                     "Testkommune", *http::parse_quarter("2027Q1"), clock.now());
    ASSERT_TRUE(report.ok()) << report.error().to_string();
    const auto& coverage = report->at("coverage").as_object();
    EXPECT_EQ(coverage.at("standard").as_string(), "ISO/IEC 27001:2022 Annex A");
    EXPECT_EQ(coverage.at("from").as_string(), "2027-01-01");
    EXPECT_EQ(coverage.at("to").as_string(), "2027-03-31");

    const Mapping files =
        mapping_of_files({kRepo / "workflows" / "common", kRepo / "workflows" / "municipality"});
    ASSERT_GT(files.duties.size(), 20u);
    std::map<std::string, std::set<std::string>> reported;
    std::set<std::string> evidenced;
    for (const auto& v : coverage.at("controls").as_array()) {
        const auto& c = v.as_object();
        const std::string id(c.at("id").as_string());
        ASSERT_NE(find_annex_a(id), nullptr) << id;
        EXPECT_EQ(c.at("title").as_string(), find_annex_a(id)->title);
        for (const auto& d : c.at("duties").as_array())
            reported[id].insert(std::string(d.at("workflow").as_string()));
        // Evidenced exactly when one of its duties was completed in 2027, with those links.
        std::set<std::string> links, expected_links;
        for (const auto& x : c.at("evidence").as_array())
            links.insert(std::string(x.at("evidence").as_string()));
        for (const auto& [workflow, link] : done_2027)
            if (files.duties.at(id).contains(workflow))
                expected_links.insert(link);
        EXPECT_EQ(links, expected_links) << id;
        EXPECT_EQ(c.at("evidenced").as_bool(), !expected_links.empty()) << id;
        EXPECT_EQ(c.at("done").as_int64(), static_cast<std::int64_t>(expected_links.size())) << id;
        EXPECT_FALSE(links.contains(old_link)) << id;
        if (c.at("evidenced").as_bool())
            evidenced.insert(id);
    }
    EXPECT_EQ(reported, files.duties);
    EXPECT_EQ(evidenced, (std::set<std::string>{"5.4", "5.9", "5.12", "5.36"}));
    EXPECT_EQ(coverage.at("evidenced").as_int64(), 4);
    const auto with_duty = static_cast<std::int64_t>(files.enabled_controls.size());
    EXPECT_EQ(coverage.at("with_duty").as_int64(), with_duty);
    EXPECT_EQ(coverage.at("without_duty").as_int64(), 93 - with_duty);
    EXPECT_EQ(static_cast<std::int64_t>(coverage.at("without").as_array().size()), 93 - with_duty);
    for (const auto& id : coverage.at("without").as_array())
        EXPECT_FALSE(files.enabled_controls.contains(std::string(id.as_string()))) << id;

    // The same table in the HTML and the PDF.
    const std::string html = http::render_report_html(*report, "en");
    EXPECT_THAT(html, HasSubstr("Coverage of ISO/IEC 27001:2022 Annex A"));
    for (const auto& [id, duties] : files.duties)
        EXPECT_THAT(html, HasSubstr("<tr data-control=\"" + id + "\">"));
    EXPECT_THAT(html, HasSubstr("<a href=\"https://esdh.example/sag/RISK-SYS\">"));
    auto pdf = render_report_pdf(*report, "da");
    ASSERT_TRUE(pdf.ok()) << pdf.error().to_string();
    const std::string text = pdf_text(*pdf, dir);
    EXPECT_THAT(text, HasSubstr("Dækning af ISO/IEC 27001:2022 Annex A"));
    EXPECT_THAT(text, HasSubstr(fmt::format("{} af 93 kontroller har en pligt i årshjulet; 4 er "
                                            "dokumenteret 2027-01-01 – 2027-03-31.",
                                            with_duty)));
    EXPECT_THAT(text, HasSubstr("Information security incident management planning and"));
    // A link wraps in its narrow cell: compare without the white space.
    EXPECT_THAT(std::regex_replace(text, std::regex(" "), ""),
                HasSubstr("https://esdh.example/sag/ISU-QSTAT"));
}

} // namespace
} // namespace aarshjul

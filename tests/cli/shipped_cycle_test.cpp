// SPDX-License-Identifier: MPL-2.0
// The shipped annual cycle (workflows/ with the two sample directories):
// it passes `check`, covers every control of shared/ANNUAL-CYCLE.md §1, its
// 2027 plan matches the reviewed golden files, and the README's tables are
// what `aarshjul workflows --format md` generates.
//
// To accept an intended change of the plan, run the test binary with
// AARSHJUL_UPDATE_GOLDEN=1 and review the diff of tests/golden/ before committing.
#include "cli/cli.h"
#include "model/standards.h"
#include "support/temp_dir.h"

#include <boost/json.hpp>
#include <cstdlib>
#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <map>
#include <set>
#include <sstream>

namespace aarshjul {
namespace {

namespace fs = std::filesystem;

const fs::path kRepo = AARSHJUL_SOURCE_DIR;

struct Sample {
    const char* name; // golden file and README block name
    fs::path config;
};
const Sample kSamples[] = {{"municipality", kRepo / "config" / "aarshjul.toml"},
                           {"region", kRepo / "config" / "region" / "aarshjul.toml"}};

struct Run {
    int code;
    std::string out, err;
};

Run run(const fs::path& config, std::vector<std::string> args) {
    std::ostringstream out, err;
    args.insert(args.begin(), {"--config", config.string(), "--log-level", "warn"});
    const int code = cli::run(args, out, err);
    return {code, out.str(), err.str()};
}

std::set<std::string> workflow_ids(const fs::path& config) {
    auto r = run(config, {"workflows", "--format", "json"});
    EXPECT_EQ(r.code, 0) << r.err;
    std::set<std::string> ids;
    if (r.code != 0)
        return ids;
    const boost::json::value list = boost::json::parse(r.out);
    for (const auto& wf : list.as_array())
        ids.insert(std::string(wf.as_object().at("id").as_string()));
    return ids;
}

TEST(ShippedCycle, BothSamplesPassCheck) {
    for (const auto& sample : kSamples) {
        SCOPED_TRACE(sample.name);
        auto r = run(sample.config, {"check"});
        EXPECT_EQ(r.code, 0) << r.err;
        // The shipped files use the spellings with units: no warning.
        EXPECT_EQ(r.err, "");
    }
}

// Every control of ANNUAL-CYCLE.md §1 has a workflow in one sample or the other.
TEST(ShippedCycle, EveryControlOfTheAnnualCycleShips) {
    const std::vector<std::string> controls = {
        "ISU-MEET", "ISU-QSTAT", "DIR-REP",   "BCP-TEST", "AWARE-EVAL", "AUDIT-EVAL", "POL-REV",
        "HANDBOOK", "ISMS-REV",  "RISK-PORT", "RISK-SYS", "ROPA",       "COMPL",      "OWNERS",
        "DPA-NEW",  "DP-TILSYN", "ONBOARD",   "INC-INT",  "INC-EVAL",   "INC-COMMS",  "GDPR-33",
        "NIS2-EW",  "NIS2-NOT",  "NIS2-FIN",  "NIS2-REG", "MGMT-REV",   "BERED-PLAN", "RSI-MEET",
        "RSI-MAIL", "RSI-PRIO",  "TSI-MEET",  "TSI-STAT", "KOMM-REV",   "STRAT-EXP"};
    std::set<std::string> shipped;
    for (const auto& sample : kSamples)
        for (const auto& id : workflow_ids(sample.config))
            shipped.insert(id);
    for (const auto& id : controls)
        EXPECT_TRUE(shipped.count(id)) << id << " has no workflow";
}

// Every shipped workflow names its ring of the wheel (none is left to "other").
TEST(ShippedCycle, EveryWorkflowNamesItsGroup) {
    const std::set<std::string> groups = {"committee", "risk", "data_protection", "incidents",
                                          "technical"};
    for (const auto& sample : kSamples) {
        SCOPED_TRACE(sample.name);
        auto r = run(sample.config, {"workflows", "--format", "json"});
        ASSERT_EQ(r.code, 0) << r.err;
        const boost::json::value list = boost::json::parse(r.out);
        for (const auto& wf : list.as_array()) {
            const auto& o = wf.as_object();
            EXPECT_TRUE(groups.contains(std::string(o.at("group").as_string())))
                << o.at("id").as_string() << ": " << o.at("group").as_string();
        }
    }
}

// Every shipped workflow names the Annex A controls it evidences, each a
// control of ISO/IEC 27001:2022 Annex A; CIS safeguards only where named.
TEST(ShippedCycle, EveryWorkflowNamesItsAnnexAControls) {
    for (const auto& sample : kSamples) {
        SCOPED_TRACE(sample.name);
        auto r = run(sample.config, {"workflows", "--format", "json"});
        ASSERT_EQ(r.code, 0) << r.err;
        const boost::json::value list = boost::json::parse(r.out);
        for (const auto& wf : list.as_array()) {
            const auto& o = wf.as_object();
            const auto& iso = o.at("standards").at("iso27001").as_array();
            EXPECT_FALSE(iso.empty()) << o.at("id").as_string() << " names no Annex A control";
            for (const auto& id : iso)
                EXPECT_NE(find_annex_a(id.as_string()), nullptr) << o.at("id").as_string();
        }
    }
}

// `aarshjul wheel` writes an SVG file of the year: the XML declaration, an
// <svg> with the year; a bad group is refused with exit 2.
TEST(ShippedCycle, WheelCommandWritesAnSvg) {
    const auto& sample = kSamples[0];
    testing::TempDir dir;
    const fs::path config = dir.path() / "aarshjul.toml";
    std::string text = testing::read_file(sample.config);
    const std::string from = "database = \"";
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos);
    text.replace(at, text.find('\n', at) - at,
                 "database = \"" + (dir.path() / "a.db").string() + "\"");
    for (const char* path : {"../workflows/", "\"../lua\"", "\"directory.toml\""}) {
        const std::string p = path;
        for (auto i = text.find(p); i != std::string::npos; i = text.find(p, i + 1)) {
            const std::string quoted = p.front() == '"' ? p.substr(1, p.size() - 2) : p;
            const std::string absolute = (sample.config.parent_path() / quoted).string();
            text.replace(p.front() == '"' ? i + 1 : i, quoted.size(), absolute);
            i += absolute.size();
        }
    }
    dir.write("aarshjul.toml", text);
    auto r = run(config, {"wheel", "--year", "2027", "--language", "en", "--group", "risk"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_TRUE(r.out.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ")) << r.out;
    EXPECT_NE(r.out.find("data-year=\"2027\""), std::string::npos);
    EXPECT_NE(r.out.find("data-group=\"risk\""), std::string::npos);
    EXPECT_EQ(r.out.find("data-group=\"committee\""), std::string::npos);
    EXPECT_NE(r.out.find("Annual cycle 2027"), std::string::npos);
    EXPECT_EQ(run(config, {"wheel", "--group", "finance"}).code, 2);
    EXPECT_NE(run(config, {"wheel", "--year", "1969"}).code, 0);
}

// Each calendar control occurs in 2027 as often as its source says: the number
// of occurrence dates per workflow, and tasks per date for per-entity controls.
// Event-driven controls, switched-off CIS controls, BERED-PLAN (once per
// electoral term: 2026, 2030) and STRAT-EXP (ended 2025) have none in 2027.
TEST(ShippedCycle, Plan2027FollowsEachCadence) {
    struct Expect {
        int dates;
        int tasks;
    };
    const std::map<std::string, std::map<std::string, Expect>> expected = {
        {"municipality",
         {
             {"ISU-MEET", {4, 4}},     // "Mødes 4 gange årligt" (S1)
             {"ISU-MEET-REF", {4, 4}}, // minutes after each meeting
             {"ISU-QSTAT", {4, 4}},    // "kvartalsvis sikkerhedsstatus" (S1)
             {"DIR-REP", {4, 4}},      // "kvartalsvis rapportering til direktionen" (S1)
             {"AWARE-EVAL", {2, 2}},   // "Evaluerer halvårligt" (S1)
             {"AUDIT-EVAL", {1, 1}},   // yearly (assumed)
             {"BCP-TEST", {1, 1}},     // "mindst en gang årligt" (S1)
             {"POL-REV", {1, 1}},      // "mindst én gang årligt" (S4); first chain step
             {"HANDBOOK", {1, 1}},     // "dog mindst én gang hvert år" (S4)
             {"ISMS-REV", {1, 1}},     // "én gang om året" (S4)
             {"RISK-PORT", {1, 1}},    // "én gang årligt" (S4)
             {"RISK-SYS", {1, 42}},    // one per registered system (S4)
             {"ROPA", {1, 1}},         // "årlig opdatering af fortegnelserne" (S4)
             {"COMPL", {1, 5}},        // yearly sample of five systems (S4)
             {"COMPL-REP", {1, 1}},    // "Én gang årligt … rapporteres til Direktionen" (S4)
             {"DP-TILSYN", {1, 9}},    // one per data processor
             {"MGMT-REV", {1, 1}},     // ISO 27001 9.3, yearly
         }},
        {"region",
         {
             {"RSI-MAIL", {22, 22}},      // 1st and 15th, July excluded (S2)
             {"RSI-MEET", {11, 11}},      // "cirka 11 gange årligt" (S2)
             {"RSI-MEET-REF", {11, 11}},  // minutes "senest en uge efter"
             {"RSI-MEET-GODK", {11, 11}}, // approved "på det efterfølgende møde"
             {"RSI-PRIO", {1, 1}},        // "1 gang årligt" (S2)
             {"TSI-MEET", {11, 11}},      // "10-11 møder årligt" (S0)
             {"TSI-STAT", {1, 1}},        // yearly status to RSI (S0)
             {"RISK-SYS", {1, 26}},
             {"ROPA", {1, 1}},
             {"DP-TILSYN", {1, 6}},
             {"MGMT-REV", {1, 1}},
         }},
    };
    for (const auto& sample : kSamples) {
        SCOPED_TRACE(sample.name);
        auto r = run(sample.config,
                     {"plan", "--from", "2027-01-01", "--to", "2027-12-31", "--format", "json"});
        ASSERT_EQ(r.code, 0) << r.err;
        std::map<std::string, std::set<std::string>> dates;
        std::map<std::string, int> tasks;
        const boost::json::value plan = boost::json::parse(r.out);
        for (const auto& t : plan.as_array()) {
            const std::string wf(t.as_object().at("workflow").as_string());
            dates[wf].insert(std::string(t.as_object().at("start").as_string()));
            ++tasks[wf];
        }
        const auto& want = expected.at(sample.name);
        for (const auto& [wf, e] : want) {
            EXPECT_EQ(static_cast<int>(dates[wf].size()), e.dates) << wf;
            EXPECT_EQ(tasks[wf], e.tasks) << wf;
        }
        for (const auto& [wf, d] : dates)
            EXPECT_TRUE(want.count(wf)) << wf << " occurs in 2027 but has no expectation here";
    }
}

// The README's "shipped cycle" tables are generated from the workflow files.
TEST(ShippedCycle, ReadmeTablesMatchTheWorkflows) {
    const std::string readme = testing::read_file(kRepo / "README.md");
    for (const auto& sample : kSamples) {
        SCOPED_TRACE(sample.name);
        auto r = run(sample.config, {"workflows", "--format", "md"});
        ASSERT_EQ(r.code, 0) << r.err;
        const std::string begin = std::string("<!-- cycle:") + sample.name + " -->\n";
        const std::string end = std::string("<!-- /cycle:") + sample.name + " -->";
        const auto from = readme.find(begin);
        const auto to = readme.find(end);
        ASSERT_NE(from, std::string::npos) << "README.md lacks " << begin;
        ASSERT_NE(to, std::string::npos) << "README.md lacks " << end;
        EXPECT_EQ(readme.substr(from + begin.size(), to - from - begin.size()), r.out)
            << "README.md is out of date: run scripts/update-readme-tables.sh";
    }
}

// `aarshjul plan` for 2027 equals the reviewed golden file of each sample.
TEST(ShippedCycle, Plan2027MatchesTheGoldenFiles) {
    const bool update = std::getenv("AARSHJUL_UPDATE_GOLDEN") != nullptr;
    for (const auto& sample : kSamples) {
        SCOPED_TRACE(sample.name);
        auto r = run(sample.config, {"plan", "--from", "2027-01-01", "--to", "2027-12-31"});
        ASSERT_EQ(r.code, 0) << r.err;
        const fs::path golden =
            kRepo / "tests" / "golden" / (std::string(sample.name) + "-2027.txt");
        if (update) {
            fs::create_directories(golden.parent_path());
            std::ofstream(golden, std::ios::binary) << r.out;
        }
        ASSERT_TRUE(fs::exists(golden)) << golden << " missing: run with AARSHJUL_UPDATE_GOLDEN=1";
        EXPECT_EQ(r.out, testing::read_file(golden))
            << "the 2027 plan changed: review it and rerun with AARSHJUL_UPDATE_GOLDEN=1";
    }
}

} // namespace
} // namespace aarshjul

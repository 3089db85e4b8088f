// SPDX-License-Identifier: MPL-2.0
#include "model/standards.h"

#include <gtest/gtest.h>
#include <set>
#include <string>

namespace aarshjul {
namespace {

// Annex A of ISO/IEC 27001:2022 has 93 controls, numbered without gaps in
// its four themes (5.1-5.37, 6.1-6.8, 7.1-7.14, 8.1-8.34), each once, each
// with a title.
TEST(Standards, AnnexAHasTheNinetyThreeControls) {
    const auto controls = annex_a_controls();
    ASSERT_EQ(controls.size(), 93u);
    std::vector<std::string> expected;
    for (auto [theme, count] : {std::pair{5, 37}, {6, 8}, {7, 14}, {8, 34}})
        for (int i = 1; i <= count; ++i)
            expected.push_back(std::to_string(theme) + "." + std::to_string(i));
    for (std::size_t i = 0; i < controls.size(); ++i) {
        EXPECT_EQ(controls[i].id, expected[i]);
        EXPECT_FALSE(controls[i].title.empty()) << controls[i].id;
    }
    ASSERT_NE(find_annex_a("5.24"), nullptr);
    EXPECT_EQ(find_annex_a("5.24")->title,
              "Information security incident management planning and preparation");
    EXPECT_EQ(find_annex_a("8.34")->title,
              "Protection of information systems during audit testing");
    for (const char* unknown : {"5.38", "6.9", "7.15", "8.35", "9.1", "A.5.1", "5.01", "", "5"})
        EXPECT_EQ(find_annex_a(unknown), nullptr) << unknown;
}

// CIS Controls v8: controls 1-18, each with its own number of safeguards
// (153 in all); anything else is refused.
TEST(Standards, CisSafeguardsAreThoseOfVersion8) {
    const struct {
        const char* id;
        bool known;
    } cases[] = {
        {"1.1", true},    {"1.5", true},   {"1.6", false},  {"3.14", true}, {"3.15", false},
        {"11.2", true},   {"16.14", true}, {"17.7", true},  {"17.9", true}, {"17.10", false},
        {"18.5", true},   {"18.6", false}, {"19.1", false}, {"0.1", false}, {"5.0", false},
        {"05.1", false},  {"5.01", false}, {"5", false},    {"5.", false},  {".5", false},
        {"5.1.1", false}, {"a.1", false},  {"", false},
    };
    for (const auto& c : cases)
        EXPECT_EQ(is_cis_safeguard(c.id), c.known) << c.id;
    int total = 0;
    for (int control = 1; control <= 18; ++control)
        for (int safeguard = 1; safeguard <= 20; ++safeguard)
            total += is_cis_safeguard(std::to_string(control) + "." + std::to_string(safeguard));
    EXPECT_EQ(total, 153);
}

} // namespace
} // namespace aarshjul

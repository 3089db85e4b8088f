// SPDX-License-Identifier: MPL-2.0
#pragma once
// The standards a workflow may say it evidences: the 93 controls of ISO/IEC
// 27001:2022 Annex A (5.1–5.37 organisational, 6.1–6.8 people, 7.1–7.14
// physical, 8.1–8.34 technological) with their short English titles, and the
// safeguards of CIS Controls v8 (N.M: control 1–18, each with its own count
// of safeguards, 153 in all). The report's coverage table and `aarshjul
// check` read them from here. Stateless; safe from any thread.

#include <span>
#include <string_view>

namespace aarshjul {

struct AnnexAControl {
    std::string_view id;    // "5.24"
    std::string_view title; // "Information security incident management planning and preparation"
};

// Every Annex A control, in the standard's order.
std::span<const AnnexAControl> annex_a_controls();

// The control `id` ("5.24"), or null when Annex A has none such.
const AnnexAControl* find_annex_a(std::string_view id);

// Whether `id` is a CIS Controls v8 safeguard ("17.1"; not "17", "19.1" or "1.6").
bool is_cis_safeguard(std::string_view id);

inline constexpr std::string_view kAnnexAName = "ISO/IEC 27001:2022 Annex A";

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#pragma once
// WorkflowGroup: which ring of the wheel (the årshjul drawing) a workflow's
// tasks go on, and how the ring is labelled. A workflow declares it in its
// file (group = "risk"); one that does not is in Other, the outermost ring.
// Stateless; safe from any thread.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace aarshjul {

enum class WorkflowGroup { Other, Committee, Risk, DataProtection, Incidents, Technical };

// The names the DSL, the codec and the API use, in the enum's order.
inline constexpr std::array<std::string_view, 6> kWorkflowGroupNames{
    "other", "committee", "risk", "data_protection", "incidents", "technical"};

inline std::string_view to_string(WorkflowGroup group) {
    return kWorkflowGroupNames[static_cast<std::size_t>(group)];
}

inline std::optional<WorkflowGroup> workflow_group_from_string(std::string_view text) {
    for (std::size_t i = 0; i < kWorkflowGroupNames.size(); ++i)
        if (kWorkflowGroupNames[i] == text)
            return static_cast<WorkflowGroup>(i);
    return std::nullopt;
}

// The ring's label in `language` ("da", otherwise English).
inline std::string_view group_label(WorkflowGroup group, std::string_view language) {
    static constexpr std::array<std::string_view, 6> da{
        "Øvrige", "Udvalg", "Risiko", "Databeskyttelse og databehandlere", "Hændelser", "Teknik"};
    static constexpr std::array<std::string_view, 6> en{
        "Other", "Committee", "Risk", "Data protection and processors", "Incidents", "Technical"};
    const auto i = static_cast<std::size_t>(group);
    return language == "da" ? da[i] : en[i];
}

} // namespace aarshjul

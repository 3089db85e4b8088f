// SPDX-License-Identifier: MPL-2.0
#include "model/event_facts.h"

#include <algorithm>

namespace aarshjul {

namespace {

bool allows(const std::vector<std::string>& answers, const std::string& answer) {
    return answers.empty() || std::find(answers.begin(), answers.end(), answer) != answers.end();
}

// "yes or unknown"
std::string either(const std::vector<std::string>& answers) {
    std::string out;
    for (std::size_t i = 0; i < answers.size(); ++i)
        out += (i == 0 ? "" : (i + 1 == answers.size() ? " or " : ", ")) + answers[i];
    return out;
}

} // namespace

bool valid_fact_answer(std::string_view answer) {
    return answer == "yes" || answer == "no" || answer == "unknown";
}

EventFacts EventFactsPatch::applied_to(EventFacts facts) const {
    if (personal_data)
        facts.personal_data = *personal_data;
    if (significant)
        facts.significant = *significant;
    if (systems)
        facts.systems = *systems;
    if (supplier)
        facts.supplier = *supplier;
    if (person)
        facts.person = *person;
    return facts;
}

bool FactCondition::holds(const EventFacts& facts) const {
    return !why_not(facts);
}

std::optional<std::string> FactCondition::why_not(const EventFacts& facts) const {
    if (!allows(personal_data, facts.personal_data))
        return "personal_data is " + facts.personal_data + ", the clock needs " +
               either(personal_data);
    if (!allows(significant, facts.significant))
        return "significant is " + facts.significant + ", the clock needs " + either(significant);
    return std::nullopt;
}

} // namespace aarshjul

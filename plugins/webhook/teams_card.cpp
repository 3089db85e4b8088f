// SPDX-License-Identifier: MPL-2.0
#include "webhook/teams_card.h"

#include "common/plugin_support.h"
#include "webhook/facts.h"

#include <boost/json/array.hpp>
#include <string>
#include <string_view>

namespace aarshjul_webhook {
namespace {

using aarshjul_plugin_support::field;
namespace json = boost::json;

// What the card's fixed words say in the recipient's language.
struct Labels {
    std::string_view system;
    std::string_view due;
    std::string_view overdue;
    std::string_view responsible;
    std::string_view mark_done;
    std::string_view more_before; // "… og " + N + " opgaver mere"
    std::string_view more_after;
};

constexpr Labels k_danish{.system = "System",
                          .due = "Frist",
                          .overdue = "Overskredet",
                          .responsible = "Ansvarlig",
                          .mark_done = "Markér som udført",
                          .more_before = "… og ",
                          .more_after = " opgaver mere"};
constexpr Labels k_english{.system = "System",
                           .due = "Due",
                           .overdue = "Overdue",
                           .responsible = "Responsible",
                           .mark_done = "Mark as done",
                           .more_before = "… and ",
                           .more_after = " more tasks"};

// The recipient's language from the facts; Danish when the daemon did not say.
const Labels& labels_for(const json::object& facts) {
    const auto* language = facts.if_contains("language");
    return language && language->is_string() && language->as_string() == "en" ? k_english
                                                                              : k_danish;
}

bool english(const Labels& labels) {
    return &labels == &k_english;
}

// An escalation is always about a task past its due date.
bool is_overdue(const json::value& item) {
    const std::string kind = string_of(item, "kind");
    return kind == "overdue" || kind == "escalation";
}

std::string complete_link(const json::value& item) {
    const auto* links = item.is_object() ? item.as_object().if_contains("links") : nullptr;
    return links ? string_of(*links, "complete") : std::string();
}

// The task's title in the recipient's language (English only when the workflow has one).
std::string task_title(const json::value& item, const Labels& labels) {
    std::string title = english(labels) ? string_of(item, "title_en") : std::string();
    return title.empty() ? string_of(item, "title") : title;
}

json::object text_block(std::string text) {
    return {{"type", "TextBlock"}, {"text", std::move(text)}, {"wrap", true}};
}

json::object fact(std::string_view title, std::string value) {
    return {{"title", title}, {"value", std::move(value)}};
}

// One task: its title, a fact set, the overdue mark and its button.
json::object task_container(const json::value& item, const Labels& labels, bool first) {
    std::string title = task_title(item, labels);
    std::string due = string_of(item, "due_text");
    if (due.empty())
        due = string_of(item, "due");
    const bool overdue = is_overdue(item);

    json::array facts;
    if (auto system = string_of(item, "system"); !system.empty())
        facts.push_back(fact(labels.system, std::move(system)));
    facts.push_back(
        fact(labels.due, overdue ? due + " (" + std::string(labels.overdue) + ")" : due));
    if (string_of(item, "kind") == "escalation") {
        std::string assignee = string_of(item, "assignee");
        std::string name = string_of(item, "assignee_name");
        facts.push_back(fact(labels.responsible, name.empty() || name == assignee
                                                     ? assignee
                                                     : name + " (" + assignee + ")"));
    }

    json::array items;
    json::object heading = text_block(std::move(title));
    heading["weight"] = "Bolder";
    items.push_back(std::move(heading));
    items.push_back(json::object{{"type", "FactSet"}, {"facts", std::move(facts)}});
    if (overdue) {
        json::object mark = text_block(std::string(labels.overdue));
        mark["color"] = "Attention";
        mark["weight"] = "Bolder";
        mark["spacing"] = "Small";
        items.push_back(std::move(mark));
    }
    // A committee's channel has no one-click link: nobody there completes as the body.
    if (auto link = complete_link(item); !link.empty()) {
        json::object open{
            {"type", "Action.OpenUrl"}, {"title", labels.mark_done}, {"url", std::move(link)}};
        items.push_back(
            json::object{{"type", "ActionSet"}, {"actions", json::array{std::move(open)}}});
    }
    json::object container{{"type", "Container"}, {"items", std::move(items)}};
    if (!first) {
        container["separator"] = true;
        container["spacing"] = "Medium";
    }
    return container;
}

} // namespace

json::object teams_adaptive_card(const aarshjul_notice& notice) {
    const json::object facts = notice_facts(notice);
    const Labels& labels = labels_for(facts);
    const json::array tasks = fact_items(facts);

    json::array body;
    json::object heading = text_block(std::string(field(notice.subject)));
    heading["size"] = "Large";
    heading["weight"] = "Bolder";
    body.push_back(std::move(heading));
    for (std::size_t i = 0; i < tasks.size() && i < k_max_card_tasks; ++i)
        body.push_back(task_container(tasks[i], labels, i == 0));
    if (tasks.size() > k_max_card_tasks) {
        json::object more = text_block(std::string(labels.more_before) +
                                       std::to_string(tasks.size() - k_max_card_tasks) +
                                       std::string(labels.more_after));
        more["isSubtle"] = true;
        body.push_back(std::move(more));
    }
    // A notice without tasks (a delivery failure, a test) shows its text.
    if (tasks.empty())
        body.push_back(text_block(std::string(field(notice.body))));

    json::object card{{"$schema", "http://adaptivecards.io/schemas/adaptive-card.json"},
                      {"type", "AdaptiveCard"},
                      {"version", "1.4"},
                      {"body", std::move(body)}};
    json::object attachment{{"contentType", "application/vnd.microsoft.card.adaptive"},
                            {"contentUrl", nullptr},
                            {"content", std::move(card)}};
    return {{"type", "message"}, {"attachments", json::array{std::move(attachment)}}};
}

json::object teams_message_card(const aarshjul_notice& notice) {
    const json::object facts = notice_facts(notice);
    json::object card{{"@type", "MessageCard"},
                      {"@context", "https://schema.org/extensions"},
                      {"summary", field(notice.subject)},
                      {"title", field(notice.subject)},
                      {"text", field(notice.body)}};
    // One button per task that has a one-click link (a digest has several);
    // connectors show at most four.
    constexpr std::size_t k_max_buttons = 4;
    const Labels& labels = labels_for(facts);
    const json::array tasks = fact_items(facts);
    json::array actions;
    for (const auto& item : tasks) {
        std::string link = complete_link(item);
        if (link.empty() || actions.size() >= k_max_buttons)
            continue;
        // Buttons sit below the text: with several tasks each names its own.
        std::string name(labels.mark_done);
        if (tasks.size() > 1)
            name += ": " + task_title(item, labels);
        json::object target{{"os", "default"}, {"uri", std::move(link)}};
        actions.push_back(json::object{{"@type", "OpenUri"},
                                       {"name", std::move(name)},
                                       {"targets", json::array{std::move(target)}}});
    }
    if (!actions.empty())
        card["potentialAction"] = std::move(actions);
    return card;
}

} // namespace aarshjul_webhook

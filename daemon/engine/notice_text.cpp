// SPDX-License-Identifier: MPL-2.0
#include "engine/notice_text.h"

#include "time/zone.h"

#include <array>
#include <boost/json.hpp>

namespace aarshjul {
namespace {

constexpr std::array<std::string_view, 12> kMonthsDa{
    "januar", "februar", "marts",     "april",   "maj",      "juni",
    "juli",   "august",  "september", "oktober", "november", "december"};
constexpr std::array<std::string_view, 12> kMonthsEn{
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

bool english(std::string_view language) {
    return language == "en";
}

std::string count_of(int n, std::string_view language, std::string_view one_da,
                     std::string_view many_da, std::string_view one_en, std::string_view many_en) {
    const bool en = english(language);
    return std::to_string(n) + " " +
           std::string(n == 1 ? (en ? one_en : one_da) : (en ? many_en : many_da));
}

std::string format_deadline(Instant at, const Zone& zone, std::string_view language) {
    const LocalTime local = zone.to_local(at);
    const auto day = date::floor<date::days>(local);
    const date::hh_mm_ss<std::chrono::seconds> time{
        std::chrono::duration_cast<std::chrono::seconds>(local - day)};
    char clock[8];
    std::snprintf(clock, sizeof clock, "%02d:%02d", static_cast<int>(time.hours().count()),
                  static_cast<int>(time.minutes().count()));
    return format_day(day, language) + (english(language) ? " at " : " kl. ") + clock;
}

// The due date as people write it: a day, or a day and a time for hour deadlines.
std::string due_text(const NoticeFacts& f, const Zone& zone, std::string_view language) {
    return f.due_at ? format_deadline(*f.due_at, zone, language) : format_day(f.due, language);
}

} // namespace

std::string format_day(LocalDate day, std::string_view language) {
    const date::year_month_day ymd{day};
    const unsigned m = static_cast<unsigned>(ymd.month());
    const std::string d = std::to_string(static_cast<unsigned>(ymd.day()));
    const std::string y = std::to_string(static_cast<int>(ymd.year()));
    if (english(language))
        return d + " " + std::string(kMonthsEn.at(m - 1)) + " " + y;
    return d + ". " + std::string(kMonthsDa.at(m - 1)) + " " + y;
}

void add_recipient_data(TemplateData& data, const NoticeRecipient& to,
                        const std::string& organisation, const RecipientLinks& links) {
    auto& t = data.text;
    t["organisation"] = organisation;
    t["recipient"] = to.id;
    t["recipient_name"] = to.name.empty() ? to.id : to.name;
    t["my_tasks_link"] = links.my_tasks;
    if (!links.my_tasks.empty() && links.expires)
        t["my_tasks_link_expires"] = format_day(*links.expires, to.language);
}

TemplateData notice_data(const NoticeFacts& f, const NoticeRecipient& to, const Zone& zone,
                         const std::string& organisation, const RecipientLinks& links) {
    const std::string& lang = to.language;
    TemplateData data;
    add_recipient_data(data, to, organisation, links);
    auto& t = data.text;
    t["task_id"] = std::to_string(f.task_id);
    t["title"] = english(lang) && !f.title_en.empty() ? f.title_en : f.title;
    t["due"] = due_text(f, zone, lang);
    t["system"] = f.system;
    t["link"] = links.complete;
    if (!links.complete.empty() && links.expires)
        t["link_expires"] = format_day(*links.expires, lang);
    if (f.workflow) {
        t["workflow"] = f.workflow->id;
        t["workflow_title"] = f.workflow->title.in(lang);
        t["source"] = f.workflow->source;
    }
    t["merged"] = std::to_string(f.merged);
    t["kind"] = f.escalation_rung > 0 ? "escalation" : std::string(to_string(f.slot.kind));

    // How late: days for day-based tasks, hours for deadlines less than two days gone.
    int days = f.slot.days_from_due < 0 ? -f.slot.days_from_due : f.slot.days_from_due;
    t["days"] = std::to_string(days);
    if (f.due_at && f.slot.at > *f.due_at && f.slot.at - *f.due_at < std::chrono::hours{48}) {
        const int hours = static_cast<int>(
            std::chrono::duration_cast<std::chrono::hours>(f.slot.at - *f.due_at).count());
        t["overdue_by"] = count_of(hours, lang, "time", "timer", "hour", "hours");
    } else {
        t["overdue_by"] = count_of(days, lang, "dag", "dage", "day", "days");
    }
    if (f.escalation_rung > 0) {
        t["rung"] = std::to_string(f.escalation_rung);
        t["assignee"] = f.assignee;
        t["assignee_name"] = f.assignee_name.empty() ? f.assignee : f.assignee_name;
    }

    auto& flags = data.flags;
    flags["new"] = f.slot.kind == ReminderSlot::Kind::New;
    flags["before_due"] = f.slot.kind == ReminderSlot::Kind::BeforeDue;
    flags["due_day"] = f.slot.kind == ReminderSlot::Kind::DueDay;
    flags["overdue"] = f.slot.kind == ReminderSlot::Kind::Overdue;
    flags["caught_up"] = f.merged > 1;
    flags["hour_deadline"] = f.due_at.has_value();
    return data;
}

std::string facts_json(const std::vector<std::pair<const NoticeFacts*, NoticeLinks>>& items,
                       const NoticeRecipient& to, const Zone& zone) {
    boost::json::array list;
    for (const auto& [f, links] : items) {
        boost::json::object item;
        item["kind"] = f->escalation_rung > 0 ? "escalation" : to_string(f->slot.kind);
        if (f->escalation_rung > 0)
            item["escalation_rung"] = f->escalation_rung;
        item["task_id"] = f->task_id;
        item["task_key"] = f->task_key;
        item["title"] = f->title;
        if (!f->title_en.empty())
            item["title_en"] = f->title_en;
        if (f->workflow) {
            item["workflow"] = f->workflow->id;
            item["workflow_title"] = f->workflow->title.in("da");
            if (!f->workflow->source.empty())
                item["source"] = f->workflow->source;
        }
        if (!f->system.empty())
            item["system"] = f->system;
        item["assignee"] = f->assignee;
        if (!f->assignee_name.empty())
            item["assignee_name"] = f->assignee_name;
        item["due"] = format_local_date(f->due);
        item["due_text"] = due_text(*f, zone, to.language);
        if (f->due_at)
            item["due_at"] = zone.format_iso(*f->due_at);
        boost::json::object link_object;
        if (!links.complete.empty())
            link_object["complete"] = links.complete;
        if (!links.task.empty())
            link_object["task"] = links.task;
        item["links"] = std::move(link_object);
        list.push_back(std::move(item));
    }
    boost::json::object out;
    out["language"] = english(to.language) ? "en" : "da";
    out["items"] = std::move(list);
    return boost::json::serialize(out);
}

} // namespace aarshjul

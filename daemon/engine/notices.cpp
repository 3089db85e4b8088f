// SPDX-License-Identifier: MPL-2.0
// Notices: the reminders and escalations a tick decided, rendered from the
// templates with their one-click links, grouped into digests and queued in
// the outbox.

#include "auth/action_link.h"
#include "engine/engine.h"
#include "engine/pending_notice.h"
#include "store/outbox.h"
#include "store/secrets.h"

#include <algorithm>
#include <map>

namespace aarshjul {

Result<const ActionLinks*> Engine::action_links() {
    if (m_settings.public_url.empty())
        return static_cast<const ActionLinks*>(nullptr);
    if (!m_links) {
        AARSHJUL_TRY_ASSIGN(std::string key, load_or_create_link_key(m_store.secrets()));
        m_links = std::make_unique<ActionLinks>(std::move(key), m_settings.public_url);
    }
    return static_cast<const ActionLinks*>(m_links.get());
}

NoticeRecipient Engine::recipient_of(const std::string& id) const {
    if (m_defs) {
        if (const Body* body = body_recipient(m_defs->directory, id))
            return {id, body->name, "da"};
        if (const Person* p = m_defs->directory.find_person(id))
            return {id, p->name, p->language};
    }
    return {id, id, "da"};
}

std::vector<std::string> Engine::channels_for(const std::string& recipient,
                                              const WorkflowDef* wf) const {
    // A committee hears of escalations in its own channel (a team's webhook).
    if (m_defs)
        if (const Body* body = body_recipient(m_defs->directory, recipient))
            return {body->channel};
    // A workflow may insist on its channels (an incident goes to mail and chat).
    if (wf && !wf->channels.empty())
        return wf->channels;
    const Person* p = m_defs ? m_defs->directory.find_person(recipient) : nullptr;
    return p && !p->channels.empty() ? p->channels : m_settings.default_channels;
}

Result<void> Engine::queue_notices(std::vector<Pending>& notices, Instant now, TickStats& stats) {
    const NoticeTemplates& templates =
        m_settings.templates ? *m_settings.templates : NoticeTemplates::builtin();
    AARSHJUL_TRY_ASSIGN(const ActionLinks* links, action_links());
    const std::int64_t expires =
        to_unix(now) + std::int64_t{m_settings.link_valid_days} * 24 * 3600;
    const LocalDate expires_day = m_settings.zone.local_date(from_unix(expires));

    // The links of one notice for its recipient. A committee's channel gets no
    // personal one-click link: nobody there completes as "the body".
    auto links_of = [&](const Pending& n, const NoticeRecipient& to) {
        NoticeLinks out;
        if (links && !body_recipient(m_defs->directory, to.id))
            out.complete = links->link({n.task_id, to.id, expires});
        if (!m_settings.public_url.empty())
            out.task = m_settings.public_url + "/api/v1/tasks/" + std::to_string(n.task_id);
        return out;
    };
    // The links in the text: the task's one-click link (none for a digest as
    // a whole) and the recipient's own page, "Mine opgaver", for people only.
    auto personal_of = [&](const Pending* n, const NoticeRecipient& to) {
        RecipientLinks out;
        out.expires = expires_day;
        if (n)
            out.complete = links_of(*n, to).complete;
        if (links && !body_recipient(m_defs->directory, to.id))
            out.my_tasks = links->personal_link(PersonalLink::MyTasks, to.id, expires);
        return out;
    };
    auto values = [&](const Pending& n, const NoticeRecipient& to) {
        return notice_data(n.facts, to, m_settings.zone, m_settings.organisation,
                           personal_of(&n, to));
    };
    auto enqueue_row = [&](const std::string& key, std::optional<std::int64_t> task_id,
                           const std::string& kind, const std::string& channel,
                           const std::string& person, const NoticeText& text,
                           const std::string& facts) -> Result<void> {
        OutboxNotice notice;
        notice.key = key + "#" + channel + "#" + person;
        notice.task_id = task_id;
        notice.kind = kind;
        notice.channel = channel;
        notice.recipient = person;
        notice.subject = text.subject;
        notice.body = text.body;
        notice.html_body = text.html;
        notice.facts_json = facts;
        notice.created_at = to_unix(now);
        AARSHJUL_TRY(m_store.outbox().enqueue(notice));
        return {};
    };

    // Group by recipient and channels: a person who wants digests and has
    // several notices at this instant gets one digest per set of channels.
    using Group = std::pair<std::string, std::vector<std::string>>;
    std::map<Group, std::vector<const Pending*>> groups, urgent;
    for (const auto& n : notices) {
        Group g{n.recipient, channels_for(n.recipient, n.facts.workflow)};
        (n.urgent ? urgent : groups)[g].push_back(&n);
    }
    for (auto& [group, list] : urgent) {
        auto& rest = groups[group];
        rest.insert(rest.begin(), list.begin(), list.end());
    }
    for (const auto& [group, list] : groups) {
        const auto& [person, channels] = group;
        const NoticeRecipient to = recipient_of(person);
        const Person* p = m_defs ? m_defs->directory.find_person(person) : nullptr;
        const bool any_urgent =
            std::any_of(list.begin(), list.end(), [](const Pending* n) { return n->urgent; });
        const bool digest =
            m_settings.digest && !any_urgent && list.size() > 1 && (!p || p->digest);
        if (!digest) {
            for (const Pending* n : list) {
                const NoticeText text =
                    templates.render(n->kind == "escalation" ? "escalation" : "reminder",
                                     to.language, values(*n, to));
                const std::string facts =
                    facts_json({{&n->facts, links_of(*n, to)}}, to, m_settings.zone);
                for (const auto& channel : channels)
                    AARSHJUL_TRY(enqueue_row(n->task_key + "#" + n->kind + "@" + n->slot,
                                             n->task_id, n->kind, channel, person, text, facts));
                ++stats.reminders;
                AARSHJUL_TRY(add_event(n->task_id, now, "reminded", "",
                                       n->kind + " " + n->slot + " to " + person));
            }
            continue;
        }
        TemplateData data;
        add_recipient_data(data, to, m_settings.organisation, personal_of(nullptr, to));
        data.text["count"] = std::to_string(list.size());
        for (const Pending* n : list) {
            TemplateData item = values(*n, to);
            item.text["subject"] = templates.subject(
                n->kind == "escalation" ? "escalation" : "reminder", to.language, item);
            data.flags["any_link"] = data.flags["any_link"] || !item.text["link"].empty();
            if (!item.text["link_expires"].empty())
                data.text["link_expires"] = item.text["link_expires"];
            data.items.push_back(std::move(item));
        }
        const NoticeText text = templates.render("digest", to.language, data);
        std::vector<std::pair<const NoticeFacts*, NoticeLinks>> fact_items;
        for (const Pending* n : list)
            fact_items.emplace_back(&n->facts, links_of(*n, to));
        const std::string facts = facts_json(fact_items, to, m_settings.zone);
        std::string key = "digest|" + person + "|" + format_instant_utc(now) + "|";
        for (const auto& channel : channels)
            key += channel + (&channel == &channels.back() ? "" : "+");
        for (const auto& channel : channels)
            AARSHJUL_TRY(enqueue_row(key, std::nullopt, "digest", channel, person, text, facts));
        ++stats.reminders;
        for (const Pending* n : list)
            AARSHJUL_TRY(add_event(n->task_id, now, "reminded", "",
                                   n->kind + " " + n->slot + " to " + person + " in " + key));
    }
    notices.clear();
    return {};
}

} // namespace aarshjul

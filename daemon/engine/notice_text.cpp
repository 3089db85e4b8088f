#include "engine/notice_text.h"

namespace aarshjul {

NoticeText compose_notice(const NoticeFacts& f) {
    const std::string due = f.due_text.empty() ? format_local_date(f.due) : f.due_text;
    NoticeText text;
    const int days = f.slot.days_from_due;
    if (f.escalation_rung > 0) {
        text.subject =
            "Eskalering: " + f.title + " er " + std::to_string(days) + " dage over fristen";
    } else {
        switch (f.slot.kind) {
        case ReminderSlot::Kind::New:
            text.subject = "Ny opgave: " + f.title + " (frist " + due + ")";
            break;
        case ReminderSlot::Kind::BeforeDue:
            text.subject = "Påmindelse: " + f.title + " (frist " + due + ")";
            break;
        case ReminderSlot::Kind::DueDay:
            text.subject = "Frist nu: " + f.title + " (" + due + ")";
            break;
        case ReminderSlot::Kind::Overdue:
            text.subject = "Overskredet frist: " + f.title + " (" + std::to_string(days) + " dage)";
            break;
        }
    }

    std::string& b = text.body;
    b += f.title + "\n";
    b += "Frist: " + due + "\n";
    if (f.escalation_rung > 0)
        b += "Ansvarlig: " + f.assignee + " (eskaleringstrin " + std::to_string(f.escalation_rung) +
             ")\n";
    if (f.workflow) {
        b += "Kontrol: " + f.workflow->id + "\n";
        if (!f.workflow->source.empty())
            b += "Kilde: " + f.workflow->source + "\n";
    }
    if (f.merged > 1)
        b += "(Samler " + std::to_string(f.merged) + " påmindelser, der ikke blev sendt.)\n";
    b += "Markér som udført: aarshjul complete " + std::to_string(f.task_id) +
         " --by <dit id> --note <note>\n";
    b += "\n" + f.title_en + "\nDue: " + due + "\n";
    return text;
}

NoticeText compose_digest(const std::vector<NoticeText>& parts, const std::string& person_name) {
    NoticeText text;
    text.subject = "Dagens opgaver i årshjulet: " + std::to_string(parts.size()) + " påmindelser";
    text.body = "Til " + person_name + "\n\n";
    for (const auto& p : parts)
        text.body += "* " + p.subject + "\n";
    text.body += "\n";
    for (const auto& p : parts)
        text.body += "----\n" + p.body;
    return text;
}

} // namespace aarshjul

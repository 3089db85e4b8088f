#include "engine/notice_text.h"

namespace aarshjul {

NoticeText compose_notice(const NoticeFacts& f) {
    const std::string due = format_local_date(f.due);
    NoticeText text;
    const int days = f.slot.days_from_due;
    switch (f.slot.kind) {
    case ReminderSlot::Kind::BeforeDue:
        text.subject = "Påmindelse: " + f.title + " (frist " + due + ")";
        break;
    case ReminderSlot::Kind::DueDay:
        text.subject = "Frist i dag: " + f.title;
        break;
    case ReminderSlot::Kind::Overdue:
        text.subject = "Overskredet frist: " + f.title + " (" + std::to_string(days) + " dage)";
        break;
    }

    std::string& b = text.body;
    b += f.title + "\n";
    b += "Frist: " + due + "\n";
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

} // namespace aarshjul

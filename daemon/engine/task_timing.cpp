#include "engine/task_timing.h"

#include <algorithm>
#include <array>

namespace aarshjul {

namespace {

constexpr std::array<std::string_view, 8> kStateNames{
    "scheduled", "open", "due", "overdue", "escalated", "done", "waived", "cancelled"};

} // namespace

std::string_view to_string(TaskState state) { return kStateNames[static_cast<size_t>(state)]; }

std::optional<TaskState> task_state_from_string(std::string_view text) {
    for (size_t i = 0; i < kStateNames.size(); ++i)
        if (kStateNames[i] == text)
            return static_cast<TaskState>(i);
    return std::nullopt;
}

bool is_terminal(TaskState state) {
    return state == TaskState::Done || state == TaskState::Waived || state == TaskState::Cancelled;
}

std::string_view to_string(ReminderSlot::Kind kind) {
    switch (kind) {
    case ReminderSlot::Kind::BeforeDue:
        return "reminder";
    case ReminderSlot::Kind::DueDay:
        return "due";
    case ReminderSlot::Kind::Overdue:
        return "overdue";
    }
    return "reminder";
}

TaskTiming::TaskTiming(LocalDate start, LocalDate due, const ReminderLadder& ladder,
                       const Zone& zone, int reminder_hour)
    : m_due(due), m_overdue_every(ladder.overdue_every_days), m_zone(zone),
      m_reminder_hour(reminder_hour) {
    std::vector<int> offsets = ladder.before_due_days;
    std::sort(offsets.begin(), offsets.end(), std::greater<>());
    offsets.erase(std::unique(offsets.begin(), offsets.end()), offsets.end());
    for (int days_before : offsets)
        if (days_before >= 0)
            m_before.push_back(slot_on(due - date::days{days_before}, -days_before));

    m_due_at = zone.start_of_day(due);
    m_overdue_at = zone.start_of_day(due + date::days{1});
    // The reminder window opens at the start date, or earlier if a reminder comes first.
    m_open_at = zone.start_of_day(start);
    if (!m_before.empty())
        m_open_at = std::min(m_open_at, m_before.front().at);
    m_open_at = std::min(m_open_at, m_due_at);
}

ReminderSlot TaskTiming::slot_on(LocalDate day, int days_from_due) const {
    auto kind = days_from_due < 0    ? ReminderSlot::Kind::BeforeDue
                : days_from_due == 0 ? ReminderSlot::Kind::DueDay
                                     : ReminderSlot::Kind::Overdue;
    Instant at = m_zone.to_instant(LocalTime{day} + std::chrono::hours{m_reminder_hour});
    return ReminderSlot{kind, day, at, days_from_due};
}

TaskState TaskTiming::state_at(Instant now) const {
    if (now >= m_overdue_at)
        return TaskState::Overdue;
    if (now >= m_due_at)
        return TaskState::Due;
    if (now >= m_open_at)
        return TaskState::Open;
    return TaskState::Scheduled;
}

std::optional<Instant> TaskTiming::next_transition_after(Instant now) const {
    for (Instant t : {m_open_at, m_due_at, m_overdue_at})
        if (t > now)
            return t;
    return std::nullopt;
}

std::optional<ReminderSlot> TaskTiming::next_slot_after(std::optional<Instant> after) const {
    for (const auto& slot : m_before)
        if (!after || slot.at > *after)
            return slot;
    if (m_overdue_every <= 0)
        return std::nullopt;
    // Overdue slots repeat every N days after the due date; jump straight to the right one.
    int n = 1;
    if (after) {
        auto after_day = m_zone.local_date(*after);
        auto days_late = (after_day - m_due).count();
        n = std::max<int>(1, static_cast<int>(days_late / m_overdue_every));
    }
    for (;; ++n) {
        auto slot = slot_on(m_due + date::days{n * m_overdue_every}, n * m_overdue_every);
        if (!after || slot.at > *after)
            return slot;
    }
}

std::optional<ReminderSlot> TaskTiming::last_slot_in(std::optional<Instant> after,
                                                     Instant now) const {
    std::optional<ReminderSlot> last;
    for (auto slot = next_slot_after(after); slot && slot->at <= now;
         slot = next_slot_after(slot->at))
        last = slot;
    return last;
}

int TaskTiming::slots_in(std::optional<Instant> after, Instant now) const {
    int count = 0;
    for (auto slot = next_slot_after(after); slot && slot->at <= now;
         slot = next_slot_after(slot->at))
        ++count;
    return count;
}

} // namespace aarshjul

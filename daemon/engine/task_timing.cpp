// SPDX-License-Identifier: MPL-2.0
#include "engine/task_timing.h"

#include <algorithm>
#include <array>

namespace aarshjul {

namespace {

LocalDate previous_business_day(const BusinessCalendar& calendar, LocalDate day) {
    while (!calendar.is_business_day(day))
        day -= date::days{1};
    return day;
}

} // namespace

std::string_view to_string(ReminderSlot::Kind kind) {
    switch (kind) {
    case ReminderSlot::Kind::New:
        return "new";
    case ReminderSlot::Kind::BeforeDue:
        return "reminder";
    case ReminderSlot::Kind::DueDay:
        return "due";
    case ReminderSlot::Kind::Overdue:
        return "overdue";
    }
    return "reminder";
}

ReminderSlot TaskTiming::day_slot(LocalDate day, int days_from_due, bool move_back) const {
    if (m_rules.business_days_only && !m_ctx.calendar.is_business_day(day))
        day = move_back ? previous_business_day(m_ctx.calendar, day)
                        : m_ctx.calendar.roll_forward(day);
    auto kind = days_from_due < 0    ? ReminderSlot::Kind::BeforeDue
                : days_from_due == 0 ? ReminderSlot::Kind::DueDay
                                     : ReminderSlot::Kind::Overdue;
    Instant at = m_ctx.zone.to_instant(LocalTime{day} + std::chrono::hours{m_ctx.reminder_hour});
    return ReminderSlot{kind, day, at, days_from_due};
}

TaskTiming TaskTiming::for_date(LocalDate start, LocalDate due, const TimingRules& rules,
                                const TimingContext& context) {
    TaskTiming t(rules, context);
    t.m_due_day = due;
    std::vector<int> offsets = rules.ladder.before_due_days;
    std::sort(offsets.begin(), offsets.end(), std::greater<>());
    for (int days_before : offsets) {
        if (days_before < 0)
            continue;
        auto slot = t.day_slot(due - date::days{days_before}, -days_before, true);
        // Quiet hours can fold two rungs onto one day: keep the later rung.
        if (!t.m_fixed.empty() && t.m_fixed.back().at >= slot.at)
            t.m_fixed.back() = slot;
        else
            t.m_fixed.push_back(slot);
    }
    t.m_due_at = context.zone.start_of_day(due);
    t.m_overdue_at = context.zone.start_of_day(due + date::days{1});
    // The reminder window opens at the start date, or earlier if a reminder comes first.
    t.m_open_at = context.zone.start_of_day(std::min(start, due));
    if (!t.m_fixed.empty())
        t.m_open_at = std::min(t.m_open_at, t.m_fixed.front().at);
    for (int after : rules.escalate_after_days)
        t.m_escalations.push_back(t.day_slot(due + date::days{after}, after, false).at);
    return t;
}

TaskTiming TaskTiming::for_deadline(Instant start_at, Instant due_at, const TimingRules& rules,
                                    const TimingContext& context) {
    TaskTiming t(rules, context);
    t.m_hour_based = true;
    t.m_due_day = context.zone.local_date(due_at);
    t.m_open_at = start_at;
    t.m_overdue_at = due_at;
    // `due` covers the last day before the deadline, or the whole span if shorter.
    t.m_due_at = std::max(start_at, due_at - std::chrono::hours{24});
    // An urgent duty is announced at once, then reminded N hours before the deadline.
    t.m_fixed.push_back(
        {ReminderSlot::Kind::New, context.zone.local_date(start_at), start_at,
         static_cast<int>((context.zone.local_date(start_at) - t.m_due_day).count())});
    std::vector<int> hours = rules.before_due_hours;
    std::sort(hours.begin(), hours.end(), std::greater<>());
    for (int h : hours) {
        Instant at = due_at - std::chrono::hours{h};
        if (h < 0 || at <= start_at)
            continue;
        auto kind = h == 0 ? ReminderSlot::Kind::DueDay : ReminderSlot::Kind::BeforeDue;
        t.m_fixed.push_back({kind, context.zone.local_date(at), at, 0});
    }
    for (int after : rules.escalate_after_days)
        t.m_escalations.push_back(due_at + date::days{after});
    return t;
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

std::optional<ReminderSlot> TaskTiming::overdue_slot_after(std::optional<Instant> after) const {
    if (m_hour_based) {
        if (m_rules.overdue_every_hours <= 0)
            return std::nullopt;
        const auto every = std::chrono::hours{m_rules.overdue_every_hours};
        std::int64_t n = 1;
        if (after && *after > m_overdue_at)
            n = std::max<std::int64_t>(1, (*after - m_overdue_at) / every);
        for (;; ++n) {
            Instant at = m_overdue_at + n * every;
            if (!after || at > *after)
                return ReminderSlot{
                    ReminderSlot::Kind::Overdue, m_ctx.zone.local_date(at), at,
                    static_cast<int>((m_ctx.zone.local_date(at) - m_due_day).count())};
        }
    }
    const int every = m_rules.ladder.overdue_every_days;
    if (every <= 0)
        return std::nullopt;
    // Jump close to the answer; quiet hours move a slot by a few days at most,
    // so start a few rungs early and let the loop find the first one after.
    int n = 1;
    if (after) {
        auto days_late = (m_ctx.zone.local_date(*after) - m_due_day).count();
        n = std::max<int>(1, static_cast<int>(days_late / every) - 3);
    }
    for (;; ++n) {
        auto slot = day_slot(m_due_day + date::days{n * every}, n * every, false);
        if (!after || slot.at > *after)
            return slot;
    }
}

std::optional<ReminderSlot> TaskTiming::next_slot_after(std::optional<Instant> after) const {
    for (const auto& slot : m_fixed)
        if (!after || slot.at > *after)
            return slot;
    return overdue_slot_after(after);
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

std::optional<Instant> TaskTiming::escalation_at(int rung) const {
    if (rung < 0 || rung >= static_cast<int>(m_escalations.size()))
        return std::nullopt;
    return m_escalations[static_cast<size_t>(rung)];
}

} // namespace aarshjul

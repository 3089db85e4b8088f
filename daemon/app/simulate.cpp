#include "app/simulate.h"

#include "store/migrations.h"

namespace aarshjul {

namespace {

// Reads the task events and outbox rows written since the last call.
class Collector {
public:
    explicit Collector(Database& db) : m_db(db) {}

    Result<void> collect(std::vector<SimulationItem>& out) {
        AARSHJUL_TRY_ASSIGN(auto events,
                            m_db.prepare("SELECT e.id, e.at, e.kind, t.occurrence_key, "
                                         "t.workflow_id, t.assignee, e.detail FROM task_events e "
                                         "JOIN tasks t ON t.id = e.task_id WHERE e.id > ?1 AND "
                                         "e.kind NOT IN ('created', 'reminded') ORDER BY e.id"));
        events.bind_all(m_last_event);
        for (;;) {
            AARSHJUL_TRY_ASSIGN(bool row, events.step());
            if (!row)
                break;
            m_last_event = events.column_int64(0);
            out.push_back({from_unix(events.column_int64(1)), events.column_text(2),
                           events.column_text(3), events.column_text(4), events.column_text(5),
                           events.column_text(6)});
        }
        AARSHJUL_TRY_ASSIGN(auto notices,
                            m_db.prepare("SELECT o.id, o.created_at, o.kind, t.occurrence_key, "
                                         "t.workflow_id, o.recipient, o.subject FROM outbox o "
                                         "LEFT JOIN tasks t ON t.id = o.task_id WHERE o.id > ?1 "
                                         "ORDER BY o.id"));
        notices.bind_all(m_last_notice);
        for (;;) {
            AARSHJUL_TRY_ASSIGN(bool row, notices.step());
            if (!row)
                break;
            m_last_notice = notices.column_int64(0);
            out.push_back({from_unix(notices.column_int64(1)), "notice:" + notices.column_text(2),
                           notices.column_optional_text(3).value_or(""),
                           notices.column_optional_text(4).value_or(""), notices.column_text(5),
                           notices.column_text(6)});
        }
        return {};
    }

private:
    Database& m_db;
    std::int64_t m_last_event = 0;
    std::int64_t m_last_notice = 0;
};

} // namespace

Result<std::vector<SimulationItem>> simulate(const Setup& setup, Instant from, Instant to) {
    AARSHJUL_TRY_ASSIGN(auto db, Database::open(":memory:"));
    AARSHJUL_TRY(migrate(db));
    FakeClock clock(from);
    Engine engine(db, clock, engine_settings(setup));
    AARSHJUL_TRY(engine.install(setup.definitions));
    AARSHJUL_TRY(engine.materialise());
    LocalDate materialised_on = setup.zone.local_date(from);

    std::vector<SimulationItem> items;
    Collector collector(db);
    for (;;) {
        AARSHJUL_TRY(engine.tick());
        AARSHJUL_TRY(collector.collect(items));
        // Wake at the next action, or at the next local midnight to move the horizon.
        Instant next = setup.zone.start_of_day(materialised_on + date::days{1});
        AARSHJUL_TRY_ASSIGN(auto action, engine.next_wakeup());
        if (action && *action < next)
            next = std::max(*action, clock.now());
        if (next <= clock.now())
            next = clock.now() + std::chrono::seconds{1}; // never spin on one instant
        if (next > to)
            break;
        clock.set(next);
        if (LocalDate today = setup.zone.local_date(next); today != materialised_on) {
            AARSHJUL_TRY(engine.materialise());
            materialised_on = today;
        }
    }
    return items;
}

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#include "app/simulate.h"

#include "store/open_store.h"
#include "store/read_queries.h"

namespace aarshjul {

namespace {

// Reads the task events and outbox rows written since the last call.
class Collector {
public:
    explicit Collector(ReadQueries& queries) : m_queries(queries) {}

    Result<void> collect(std::vector<SimulationItem>& out) {
        AARSHJUL_TRY_ASSIGN(auto events, m_queries.state_events_after(m_last_event));
        for (auto& e : events) {
            m_last_event = e.id;
            out.push_back({from_unix(e.at), std::move(e.kind), std::move(e.task_key),
                           std::move(e.workflow_id), std::move(e.assignee), std::move(e.detail)});
        }
        AARSHJUL_TRY_ASSIGN(auto notices, m_queries.notices_after(m_last_notice));
        for (auto& n : notices) {
            m_last_notice = n.id;
            out.push_back({from_unix(n.created_at), "notice:" + n.kind, std::move(n.task_key),
                           std::move(n.workflow_id), std::move(n.recipient), std::move(n.subject)});
        }
        return {};
    }

private:
    ReadQueries& m_queries;
    std::int64_t m_last_event = 0;
    std::int64_t m_last_notice = 0;
};

} // namespace

Result<std::vector<SimulationItem>> simulate(const Setup& setup, Instant from, Instant to) {
    AARSHJUL_TRY_ASSIGN(auto store, open_store(StoreSettings{.location = ":memory:"}));
    FakeClock clock(from);
    Engine engine(std::move(store), clock, engine_settings(setup));
    AARSHJUL_TRY(engine.install(setup.definitions));
    AARSHJUL_TRY(engine.materialise());
    LocalDate materialised_on = setup.zone.local_date(from);

    std::vector<SimulationItem> items;
    Collector collector(engine.store().queries());
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

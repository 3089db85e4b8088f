// SPDX-License-Identifier: MPL-2.0
#include "plugins/notice_source.h"

#include "store/sqlite/sqlite_store.h"
#include "support/engine_fixture.h"

#include <gtest/gtest.h>

namespace aarshjul::testing {

NoticeSource::NoticeSource()
    : db(memory_store()), clock(copenhagen("2027-01-01T00:00:00")), directory(small_directory()),
      settings(copenhagen_zone()) {
    settings.organisation = "Eksempel Kommune";
    settings.public_url = kPublicUrl;
    settings.link_valid_days = 30;
}

void NoticeSource::run(std::vector<WorkflowDef> workflows, Instant end) {
    m_engine = std::make_unique<Engine>(std::make_unique<SqliteStore>(db), clock, settings);
    auto definitions = std::make_shared<Definitions>();
    definitions->workflows = std::move(workflows);
    definitions->directory = directory;
    ASSERT_TRUE(m_engine->install(definitions).ok());
    auto made = m_engine->materialise();
    ASSERT_TRUE(made.ok()) << made.error().to_string();
    for (;;) {
        auto next = m_engine->next_wakeup();
        ASSERT_TRUE(next.ok()) << next.error().to_string();
        if (!*next || **next > end)
            break;
        clock.set(std::max(**next, clock.now()));
        auto ticked = m_engine->tick();
        ASSERT_TRUE(ticked.ok()) << ticked.error().to_string();
    }
    clock.set(end);
}

std::vector<QueuedNotice> NoticeSource::outbox() {
    std::vector<QueuedNotice> rows;
    auto st = db.prepare("SELECT notice_key, kind, channel, recipient, subject, body, "
                         "COALESCE(html_body, ''), COALESCE(facts, '{}') FROM outbox ORDER BY id");
    EXPECT_TRUE(st.ok());
    if (!st.ok())
        return rows;
    for (;;) {
        auto row = st->step();
        EXPECT_TRUE(row.ok());
        if (!row.ok() || !*row)
            break;
        rows.push_back({st->column_text(0), st->column_text(1), st->column_text(2),
                        st->column_text(3), st->column_text(4), st->column_text(5),
                        st->column_text(6), st->column_text(7)});
    }
    return rows;
}

std::vector<WorkflowDef> two_duties_for_anna(const std::string& channel) {
    auto a = make_workflow("A", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1", 30, {7}, 0);
    auto b = make_workflow("B", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1", 16, {}, 7);
    a.channels = {channel};
    b.channels = {channel};
    return {a, b};
}

} // namespace aarshjul::testing

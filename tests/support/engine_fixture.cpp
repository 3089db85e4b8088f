#include "support/engine_fixture.h"

#include "store/migrations.h"

#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>

namespace aarshjul::testing {

Zone copenhagen_zone() {
    auto zone = Zone::locate("Europe/Copenhagen");
    if (!zone.ok())
        throw std::runtime_error(zone.error().message);
    return *zone;
}

Instant copenhagen(const std::string& local_iso) {
    std::istringstream in(local_iso);
    LocalTime local{};
    in >> date::parse("%FT%T", local);
    if (in.fail())
        throw std::runtime_error("bad local time " + local_iso);
    return copenhagen_zone().to_instant(local);
}

Database memory_store() {
    auto db = Database::open(":memory:");
    if (!db.ok())
        throw std::runtime_error(db.error().to_string());
    if (auto m = migrate(*db); !m.ok())
        throw std::runtime_error(m.error().to_string());
    return std::move(db).value();
}

Directory small_directory() {
    Directory d;
    d.file = "test-directory.toml";
    d.people = {{"anna", "Anna Jensen", "anna@example.dk", {"coordinator"}},
                {"bo", "Bo Nielsen", "bo@example.dk", {"director"}},
                {"carla", "Carla Holm", "carla@example.dk", {}}};
    d.systems = {{"sys-a", "System A", "bo", "carla", "high"},
                 {"sys-b", "System B", "carla", "bo", "low"}};
    return d;
}

WorkflowDef make_workflow(std::string id, std::string rrule, int due_days,
                          std::vector<int> before_due, int overdue_every) {
    WorkflowDef wf;
    wf.id = std::move(id);
    wf.title = {"Titel " + wf.id, "Title " + wf.id};
    wf.source = "test";
    wf.assignee = {AssigneeRef::Kind::Person, "anna"};
    wf.schedule.rrule = std::move(rrule);
    wf.schedule.anchor = LocalDate{date::year{2000} / 1 / 1};
    wf.due_days = due_days;
    wf.due = {Offset::Unit::Days, due_days};
    wf.remind.before_due_days = std::move(before_due);
    wf.remind.overdue_every_days = overdue_every;
    wf.file = "test.lua";
    wf.line = 1;
    wf.content_hash = "hash-" + wf.id + "-" + wf.schedule.rrule + std::to_string(due_days);
    return wf;
}

std::vector<OutboxRow> read_outbox(Database& db) {
    std::vector<OutboxRow> rows;
    auto st = db.prepare("SELECT notice_key, kind, recipient, created_at FROM outbox ORDER BY id");
    EXPECT_TRUE(st.ok());
    for (;;) {
        auto row = st->step();
        EXPECT_TRUE(row.ok());
        if (!row.ok() || !*row)
            break;
        rows.push_back({st->column_text(0), st->column_text(1), st->column_text(2),
                        st->column_int64(3)});
    }
    return rows;
}

} // namespace aarshjul::testing

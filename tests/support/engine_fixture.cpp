// SPDX-License-Identifier: MPL-2.0
#include "support/engine_fixture.h"

#include "store/sqlite/migrations.h"

#include <gtest/gtest.h>
#include <stdexcept>

namespace aarshjul::testing {

Zone copenhagen_zone() {
    auto zone = Zone::locate("Europe/Copenhagen");
    if (!zone.ok())
        throw std::runtime_error(zone.error().message);
    return *zone;
}

Instant copenhagen(const std::string& local_iso) {
    // "YYYY-MM-DDTHH:MM:SS"
    auto day = parse_local_date(std::string_view(local_iso).substr(0, 10));
    if (!day || local_iso.size() != 19 || local_iso[10] != 'T')
        throw std::runtime_error("bad local time " + local_iso);
    const auto part = [&](size_t at) { return std::stoi(local_iso.substr(at, 2)); };
    const LocalTime local = LocalTime{*day} + std::chrono::hours{part(11)} +
                            std::chrono::minutes{part(14)} + std::chrono::seconds{part(17)};
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
    auto person = [](std::string id, std::string name, std::vector<std::string> roles) {
        Person p;
        p.email = id + "@example.dk";
        p.id = std::move(id);
        p.name = std::move(name);
        p.roles = std::move(roles);
        return p;
    };
    d.people = {person("anna", "Anna Jensen", {"coordinator"}),
                person("bo", "Bo Nielsen", {"director"}), person("carla", "Carla Holm", {})};
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
        rows.push_back(
            {st->column_text(0), st->column_text(1), st->column_text(2), st->column_int64(3)});
    }
    return rows;
}

std::vector<std::string> column_texts(Database& db, const std::string& sql) {
    std::vector<std::string> out;
    auto st = db.prepare(sql);
    EXPECT_TRUE(st.ok()) << sql;
    if (!st.ok())
        return out;
    for (;;) {
        auto row = st->step();
        EXPECT_TRUE(row.ok()) << sql;
        if (!row.ok() || !*row)
            break;
        out.push_back(st->column_text(0));
    }
    return out;
}

} // namespace aarshjul::testing

// SPDX-License-Identifier: MPL-2.0
#pragma once
// SqliteReportedEvents: the ReportedEvents in table `events`.

#include "store/reported_events.h"

namespace aarshjul {

class Database;

class SqliteReportedEvents final : public ReportedEvents {
public:
    explicit SqliteReportedEvents(Database& db) : m_db(db) {}

    Result<std::int64_t> add(const StoredEvent& event) override;
    Result<std::optional<StoredEvent>> find(std::int64_t id) override;
    Result<std::vector<StoredEvent>> of_type_since(std::string_view type,
                                                   std::int64_t since) override;
    Result<void> update_facts(std::int64_t id, const EventFacts& facts) override;

private:
    Database& m_db;
};

} // namespace aarshjul

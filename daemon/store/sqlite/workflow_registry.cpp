// SPDX-License-Identifier: MPL-2.0
#include "store/sqlite/workflow_registry.h"

#include "store/sqlite/database.h"

namespace aarshjul {

Result<void> SqliteWorkflowRegistry::record(const WorkflowRecord& wf, std::string_view today,
                                            std::int64_t now) {
    AARSHJUL_TRY_ASSIGN(auto upsert,
                        m_db.cached("INSERT INTO workflows(id, content_hash, file, first_seen, "
                                    "updated_at) VALUES(?1, ?2, ?3, ?4, ?5) "
                                    "ON CONFLICT(id) DO UPDATE SET content_hash = "
                                    "excluded.content_hash, file = excluded.file, updated_at = "
                                    "excluded.updated_at WHERE content_hash <> "
                                    "excluded.content_hash"));
    upsert->bind_all(wf.id, wf.content_hash, wf.file, today, now);
    return upsert->run();
}

Result<std::optional<std::string>> SqliteWorkflowRegistry::first_seen(std::string_view id) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.cached("SELECT first_seen FROM workflows WHERE id = ?1"));
    st->bind_all(id);
    AARSHJUL_TRY_ASSIGN(bool row, st->step());
    if (!row)
        return std::optional<std::string>{};
    return std::optional<std::string>{st->column_text(0)};
}

Result<PlanMark> SqliteWorkflowRegistry::plan_mark(std::string_view id) {
    AARSHJUL_TRY_ASSIGN(auto st, m_db.cached("SELECT plan_fingerprint, planned_through FROM "
                                             "workflows WHERE id = ?1"));
    st->bind_all(id);
    AARSHJUL_TRY_ASSIGN(bool row, st->step());
    if (!row)
        return PlanMark{};
    return PlanMark{st->column_optional_text(0), st->column_optional_text(1)};
}

Result<void> SqliteWorkflowRegistry::set_plan_mark(std::string_view id,
                                                   const std::optional<std::string>& fingerprint,
                                                   bool incremental, std::string_view through) {
    AARSHJUL_TRY_ASSIGN(auto mark,
                        m_db.cached("UPDATE workflows SET plan_fingerprint = ?2, planned_through = "
                                    "CASE WHEN ?3 AND planned_through > ?4 THEN planned_through "
                                    "ELSE ?4 END WHERE id = ?1"));
    mark->bind_all(id);
    mark->bind(2, fingerprint);
    mark->bind(3, incremental ? 1 : 0);
    mark->bind(4, through);
    return mark->run();
}

Result<void> SqliteWorkflowRegistry::forget_plan(std::string_view id) {
    AARSHJUL_TRY_ASSIGN(auto forget, m_db.cached("UPDATE workflows SET plan_fingerprint = NULL "
                                                 "WHERE id = ?1 AND plan_fingerprint IS NOT "
                                                 "NULL"));
    forget->bind_all(id);
    return forget->run();
}

} // namespace aarshjul

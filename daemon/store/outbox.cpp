#include "store/outbox.h"

#include "store/statement.h"

#include <sqlite3.h>

namespace aarshjul {

Result<bool> enqueue_notice(Database& db, const OutboxNotice& n) {
    AARSHJUL_TRY_ASSIGN(auto st,
                        db.prepare("INSERT INTO outbox(notice_key, task_id, kind, channel, "
                                   "recipient, subject, body, html_body, created_at, "
                                   "next_attempt_at, facts) "
                                   "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10) "
                                   "ON CONFLICT(notice_key) DO NOTHING"));
    st.bind(1, n.key).bind(2, n.task_id).bind(3, n.kind).bind(4, n.channel);
    st.bind(5, n.recipient).bind(6, n.subject).bind(7, n.body).bind(8, n.html_body);
    st.bind(9, n.created_at).bind(10, n.facts_json);
    AARSHJUL_TRY(st.run());
    return sqlite3_changes(db.handle()) > 0;
}

} // namespace aarshjul

#pragma once
// The handlers of the routes, one plain function each (see router.cpp for the
// table). Each reads a Request the router has filled in and returns a Response,
// or a Deferred when the work runs off the server's thread (post_reload).

#include "http/context.h"
#include "http/message.h"

namespace aarshjul::http {

Response get_healthz(const Request&, Context&);
Response get_metrics(const Request&, Context&);
Response get_status(const Request&, Context&);
Response get_tasks(const Request&, Context&);
Response get_task(const Request&, Context&);
Response post_complete(const Request&, Context&);
Response post_waive(const Request&, Context&);
Response get_workflows(const Request&, Context&);
Deferred post_reload(const Request&, Context&);
Response post_event(const Request&, Context&);
Response get_calendar(const Request&, Context&);
Response get_report(const Request&, Context&);
Response get_snapshots(const Request&, Context&);
Response post_snapshot(const Request&, Context&);
Response get_status_page(const Request&, Context&);
Response get_action_page(const Request&, Context&);
Response post_action(const Request&, Context&);

} // namespace aarshjul::http

#include "http/task_query.h"

#include <variant>

namespace aarshjul::http {

// Completes or waives a task as `by`, refusing an unknown task (404), one that
// is already finished (409) and an unknown person (422). Re-arms the scheduler.
std::variant<TaskRecord, Response> finish_task(Context& context, std::string_view task,
                                               std::string_view by, std::string_view note,
                                               std::string_view evidence, CompletionKind kind);

} // namespace aarshjul::http

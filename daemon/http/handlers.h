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
Response get_signin(const Request&, Context&);
Response post_signin(const Request&, Context&);
Response get_signin_link(const Request&, Context&);
Response post_signin_link(const Request&, Context&);
Response get_first_start(const Request&, Context&);
Response post_signout(const Request&, Context&);
Response get_my_tasks(const Request&, Context&);
Response post_my_task_complete(const Request&, Context&);
Response get_my_calendar(const Request&, Context&);

// A single-use link that signs in as admin (the first start, while no admin
// can sign in otherwise): "<base_url>/first-start?t=<token>", valid 24 hours.
Result<std::string> make_first_start_link(Context& context, const std::string& base_url);

} // namespace aarshjul::http

#include "http/task_query.h"

#include <variant>

namespace aarshjul::http {

// Completes or waives a task as `by`; the engine's error when it refuses.
// Re-arms the scheduler.
Result<TaskRecord> complete_task(Context& context, std::string_view task, std::string_view by,
                                 std::string_view note, std::string_view evidence,
                                 CompletionKind kind);

// Completes or waives a task as `by`, refusing an unknown task (404), one that
// is already finished (409) and an unknown person (422). Re-arms the scheduler.
std::variant<TaskRecord, Response> finish_task(Context& context, std::string_view task,
                                               std::string_view by, std::string_view note,
                                               std::string_view evidence, CompletionKind kind);

} // namespace aarshjul::http

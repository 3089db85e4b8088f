// SPDX-License-Identifier: MPL-2.0
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
Response post_event_facts(const Request&, Context&);
Response get_calendar(const Request&, Context&);
Response get_wheel(const Request&, Context&);
Response get_export(const Request&, Context&);
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
Response get_task_list_page(const Request&, Context&);
Response get_task_page(const Request&, Context&);
Response post_task_complete_page(const Request&, Context&);
Response post_task_waive_page(const Request&, Context&);
Response get_event_form(const Request&, Context&);
Response post_event_form(const Request&, Context&);
Response get_event_page(const Request&, Context&);
Response get_reload_page(const Request&, Context&);
Deferred post_reload_page(const Request&, Context&);

// A single-use link that signs in as admin (the first start, while no admin
// can sign in otherwise): "<base_url>/first-start?t=<token>", valid 24 hours.
Result<std::string> make_first_start_link(Context& context, const std::string& base_url);

} // namespace aarshjul::http

#include "store/read_queries.h"
#include "store/reported_events.h"
#include "store/task_repository.h"

#include <optional>
#include <variant>
#include <vector>

namespace aarshjul::http {

// Completes or waives a task as `by`; the engine's error when it refuses.
// Re-arms the scheduler.
Result<TaskRow> complete_task(Context& context, std::string_view task, std::string_view by,
                              std::string_view note, std::string_view evidence, CompletionKind kind,
                              std::string_view outcome = {});

// Completes or waives a task as `by`, refusing an unknown task (404), one that
// is already finished (409) and an unknown person (422). Re-arms the scheduler.
std::variant<TaskRow, Response> finish_task(Context& context, std::string_view task,
                                            std::string_view by, std::string_view note,
                                            std::string_view evidence, CompletionKind kind,
                                            std::string_view outcome = {});

// An event as the API or the event form reports it.
struct EventReport {
    std::string type;
    std::string title;
    std::optional<Instant> at; // when the organisation became aware; absent = now
    std::string detail;
    std::string by;     // who reports it: a directory person
    EventFacts facts{}; // triage
};

// What recording an event did: its id, when the organisation became aware and
// the tasks it started.
struct RecordedEvent {
    std::int64_t id = 0;
    Instant at;
    std::vector<TaskRow> tasks;
};

// Records an event and creates the tasks of the workflows it triggers, then
// re-arms the scheduler. Refuses (ErrorKind::Invalid, the field named) an
// empty type or one no loaded workflow is triggered by ("type"), an empty or
// too long title ("title"), a too long detail ("detail") and a person not in
// the directory ("by"). The API (post_event) and the event form share it.
Result<RecordedEvent> report_event(Context& context, const EventReport& event);

// Starts a reload of configuration and workflows for `who`; once it has
// finished, `answer` turns its outcome into the response (on the loop's
// thread). An installed set is logged and re-arms the scheduler first.
// `unavailable` is the answer when this server cannot reload. The API
// (post_reload) and the reload page share it.
Deferred start_reload(Context& context, std::string who, Response unavailable,
                      std::function<Response(const ReloadOutcome&)> answer);

} // namespace aarshjul::http

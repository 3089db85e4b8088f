// SPDX-License-Identifier: MPL-2.0
#include "http/handlers.h"

#include "app/status.h"
#include "http/json_util.h"
#include "http/page_common.h"

#include <boost/json.hpp>
#include <charconv>
#include <fmt/format.h>

namespace aarshjul::http {

namespace {

namespace json = boost::json;

constexpr int kMaxPageSize = 500;
constexpr std::size_t kMaxText = 4000; // notes, reasons, titles

Response internal(const Error& error) {
    return json_error(500, "internal", error.to_string());
}

std::optional<int> parse_int(std::string_view text) {
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

json::array deadline_lines(const std::vector<DeadlineLine>& lines, const Context& context) {
    json::array out;
    for (const auto& l : lines)
        out.push_back(json::object{{"id", l.task_id},
                                   {"workflow", l.workflow_id},
                                   {"title", l.title},
                                   {"assignee", l.assignee},
                                   {"assignee_name", person_name(context, l.assignee)},
                                   {"due", l.due_date},
                                   {"state", l.state}});
    return out;
}

json::object summary_json(const WorkflowStatus& wf) {
    json::object by_state;
    for (const auto& [state, n] : wf.by_state)
        by_state[state] = n;
    json::object outcomes;
    for (const auto& [outcome, n] : wf.outcomes_this_cycle)
        outcomes[outcome] = n;
    return json::object{{"on_track", wf.on_track},
                        {"outcomes_this_cycle", std::move(outcomes)},
                        {"due_soon", wf.due_soon},
                        {"overdue", wf.overdue},
                        {"done_this_cycle", wf.done_this_cycle},
                        {"waived_this_cycle", wf.waived_this_cycle},
                        {"by_state", std::move(by_state)}};
}

// A task's id from the path: its number, or its occurrence key.
std::string task_ref(const Request& request) {
    return request.params.empty() ? std::string() : request.params[0];
}

// The person a mutation is recorded for: coordinators and admins may name
// anyone with `by`; other tokens act as their own person.
std::variant<std::string, Response> acting_person(const Request& request,
                                                  const std::optional<std::string>& by) {
    const Principal& who = *request.principal;
    if (by && !by->empty() && *by != who.person) {
        if (who.role < Role::Coordinator)
            return json_error(403, "forbidden",
                              "only coordinators and admins may act for another person");
        return *by;
    }
    if (who.person.empty())
        return json_error(422, "missing_person",
                          "the token '" + who.name + "' names no person; give \"by\"");
    return who.person;
}

} // namespace

Result<TaskRow> complete_task(Context& context, std::string_view task, std::string_view by,
                              std::string_view note, std::string_view evidence, CompletionKind kind,
                              std::string_view outcome) {
    // The engine decides (unknown task or person, finished, evidence or outcome
    // missing); its error's kind says how to answer.
    AARSHJUL_TRY_ASSIGN(auto done,
                        context.engine.complete(task, by, note, evidence, kind, outcome));
    if (context.changed)
        context.changed();
    AARSHJUL_TRY_ASSIGN(auto stored, context.store.tasks().find(done.id));
    if (!stored)
        return make_error("task " + std::to_string(done.id) + " vanished");
    return std::move(*stored);
}

std::variant<TaskRow, Response> finish_task(Context& context, std::string_view task,
                                            std::string_view by, std::string_view note,
                                            std::string_view evidence, CompletionKind kind,
                                            std::string_view outcome) {
    auto done = complete_task(context, task, by, note, evidence, kind, outcome);
    if (!done.ok())
        return error_response(done.error());
    return std::move(*done);
}

Response get_healthz(const Request&, Context& context) {
    return json_response(200, json::object{{"status", "ok"},
                                           {"version", AARSHJUL_VERSION},
                                           {"time", context.zone.format_iso(context.clock.now())}});
}

Response get_metrics(const Request&, Context& context) {
    std::string out;
    out += "# HELP aarshjul_tasks Tasks by workflow and state.\n# TYPE aarshjul_tasks gauge\n";
    auto tasks = context.store.queries().task_gauge();
    if (!tasks.ok())
        return internal(tasks.error());
    for (const auto& g : *tasks)
        out += fmt::format("aarshjul_tasks{{workflow=\"{}\",state=\"{}\"}} {}\n", g.group, g.state,
                           g.count);
    out += "# HELP aarshjul_notices Outbox notices by channel and delivery state.\n"
           "# TYPE aarshjul_notices gauge\n";
    out += "# HELP aarshjul_outbox_depth Notices waiting for delivery, by channel.\n"
           "# TYPE aarshjul_outbox_depth gauge\n";
    auto outbox = context.store.queries().notice_gauge();
    if (!outbox.ok())
        return internal(outbox.error());
    for (const auto& g : *outbox) {
        out += fmt::format("aarshjul_notices{{channel=\"{}\",state=\"{}\"}} {}\n", g.group, g.state,
                           g.count);
        if (g.state == "pending")
            out += fmt::format("aarshjul_outbox_depth{{channel=\"{}\"}} {}\n", g.group, g.count);
    }
    out += "# HELP aarshjul_last_tick_timestamp_seconds When the scheduler last ran (unix).\n"
           "# TYPE aarshjul_last_tick_timestamp_seconds gauge\n";
    out += fmt::format("aarshjul_last_tick_timestamp_seconds {}\n",
                       context.last_tick ? to_unix(*context.last_tick) : 0);
    if (context.connection_stats) {
        const ConnectionStats connections = context.connection_stats();
        out += fmt::format(
            "# HELP aarshjul_http_connections Open HTTP connections holding a slot.\n"
            "# TYPE aarshjul_http_connections gauge\n"
            "aarshjul_http_connections {}\n"
            "# HELP aarshjul_http_connections_refused_total Connections over a cap that got 503 "
            "or were closed, by the cap.\n"
            "# TYPE aarshjul_http_connections_refused_total counter\n"
            "aarshjul_http_connections_refused_total{{cap=\"per_address\"}} {}\n"
            "aarshjul_http_connections_refused_total{{cap=\"global\"}} {}\n"
            "# HELP aarshjul_http_idle_connections_closed_total Idle keep-alive connections "
            "closed to make room for a new one.\n"
            "# TYPE aarshjul_http_idle_connections_closed_total counter\n"
            "aarshjul_http_idle_connections_closed_total {}\n"
            "# HELP aarshjul_http_probes_over_cap_total /healthz and /metrics requests answered "
            "while their connection was over a cap.\n"
            "# TYPE aarshjul_http_probes_over_cap_total counter\n"
            "aarshjul_http_probes_over_cap_total {}\n",
            connections.open, connections.refused_per_address, connections.refused_full,
            connections.idle_closed, connections.probes_answered_over_cap);
    }
    return text_response(200, std::move(out), "text/plain; version=0.0.4; charset=utf-8");
}

Response status_json(const StatusOptions& options, Context& context, Instant now);

namespace {

// PRAGMA data_version as of at least when `request` was received. Reading it
// is a read transaction (a lock and an unlock of the WAL index: two system
// calls, measured at 16 % of the daemon's CPU under wrk -c64), so a value read
// after the request arrived is reused: the server reads every request that
// arrived together before it answers any (see Server), and one read then
// serves them all. A request without a receive time always reads.
std::optional<std::int64_t> current_data_version(const Request& request, Context& context) {
    if (request.received && context.data_version_read_at &&
        *request.received <= *context.data_version_read_at)
        return context.data_version;
    const auto started = std::chrono::steady_clock::now();
    auto version = context.store.queries().others_version();
    if (!version.ok())
        return std::nullopt;
    context.data_version = *version;
    context.data_version_read_at = started;
    return context.data_version;
}

} // namespace

Response get_status(const Request& request, Context& context) {
    StatusOptions options;
    if (auto soon = request.query_value("due_soon_days"); !soon.empty()) {
        auto n = parse_int(soon);
        if (!n || *n < 0 || *n > 366)
            return json_error(400, "bad_parameter", "due_soon_days must be 0 to 366");
        options.due_soon_days = *n;
    }
    // Measured (bench/RESULTS.md): with 1 M tasks one report scans the whole
    // table. It depends only on the stored rows, the local date, the options and
    // the directory, so it is cached under a key of exactly those: this
    // connection's change counter (the engine and the API write through it),
    // PRAGMA data_version (commits of the delivery worker's connection and of
    // other processes), the day and the definitions in use. The key is plain
    // numbers and the statement is prepared once: this path runs per request.
    const Instant now = context.clock.now();
    std::optional<Context::StatusKey> key;
    if (auto version = current_data_version(request, context))
        key = Context::StatusKey{context.store.queries().own_changes(), *version,
                                 context.zone.local_date(now).time_since_epoch().count(),
                                 options.due_soon_days, context.definitions.get()};
    if (key && key == context.status_key)
        return context.status_response;
    Response response = status_json(options, context, now);
    if (response.status == 200 && key) {
        response.share_body(); // answers from the cache copy no body
        context.status_key = key;
        context.status_response = response;
    }
    return response;
}

Response status_json(const StatusOptions& options, Context& context, Instant now) {
    auto report = read_status(context.store.queries(), context.zone, now, options);
    if (!report.ok())
        return internal(report.error());
    json::array workflows;
    for (const auto& wf : report->workflows) {
        json::object o = summary_json(wf);
        o["workflow"] = wf.workflow_id;
        workflows.push_back(std::move(o));
    }
    json::array channels;
    for (const auto& c : report->channels)
        channels.push_back(json::object{{"channel", c.channel},
                                        {"pending", c.pending},
                                        {"sent", c.sent},
                                        {"failed", c.failed},
                                        {"last_error", c.last_error}});
    json::object overall = summary_json(report->total);
    overall["verdict"] = report->total.overdue == 0 ? "on_track" : "behind";
    overall["open_action_plans"] = report->open_action_plans;
    return json_response(200,
                         json::object{{"organisation", context.organisation},
                                      {"today", report->today},
                                      {"cycle_start", report->cycle_start},
                                      {"due_soon_days", report->due_soon_days},
                                      {"overall", std::move(overall)},
                                      {"workflows", std::move(workflows)},
                                      {"overdue", deadline_lines(report->overdue, context)},
                                      {"next_deadlines", deadline_lines(report->upcoming, context)},
                                      {"outbox", std::move(channels)}});
}

Response get_tasks(const Request& request, Context& context) {
    TaskFilter filter;
    for (auto [it, end] = request.query.equal_range("state"); it != end; ++it) {
        std::string_view list = it->second;
        while (!list.empty()) {
            auto comma = list.find(',');
            std::string state(list.substr(0, comma));
            if (!task_state_from_string(state))
                return json_error(400, "bad_parameter",
                                  "unknown state '" + state +
                                      "' (scheduled, open, due, overdue, escalated, done, "
                                      "waived, cancelled)");
            filter.states.push_back(std::move(state));
            list = comma == std::string_view::npos ? "" : list.substr(comma + 1);
        }
    }
    filter.workflow = request.query_value("workflow");
    filter.assignee = request.query_value("assignee");
    filter.system = request.query_value("system");
    for (auto [name, out] :
         {std::pair{"due_from", &filter.due_from}, std::pair{"due_to", &filter.due_to}}) {
        *out = request.query_value(name);
        if (!out->empty() && !parse_local_date(*out))
            return json_error(400, "bad_parameter",
                              std::string(name) + " must be a date YYYY-MM-DD");
    }
    if (auto limit = request.query_value("limit"); !limit.empty()) {
        auto n = parse_int(limit);
        if (!n || *n < 1 || *n > kMaxPageSize)
            return json_error(400, "bad_parameter",
                              "limit must be 1 to " + std::to_string(kMaxPageSize));
        filter.limit = *n;
    }
    if (auto offset = request.query_value("offset"); !offset.empty()) {
        auto n = parse_int(offset);
        if (!n || *n < 0)
            return json_error(400, "bad_parameter", "offset must be 0 or more");
        filter.offset = *n;
    }
    auto page = context.store.queries().list_tasks(filter);
    if (!page.ok())
        return internal(page.error());
    json::array items;
    for (const auto& t : page->tasks)
        items.push_back(task_json(t, context));
    return json_response(200, json::object{{"total", page->total},
                                           {"limit", filter.limit},
                                           {"offset", filter.offset},
                                           {"tasks", std::move(items)}});
}

Response get_task(const Request& request, Context& context) {
    auto found = context.engine.find_task(task_ref(request));
    if (!found.ok())
        return internal(found.error());
    if (!*found)
        return json_error(404, "not_found", "no task '" + task_ref(request) + "'");
    auto task = context.store.tasks().find((*found)->id);
    auto history = context.store.queries().task_history((*found)->id);
    if (!task.ok() || !*task)
        return internal(task.ok() ? make_error("task vanished") : task.error());
    if (!history.ok())
        return internal(history.error());
    json::object out = task_json(**task, context);
    json::array events;
    for (const auto& e : *history)
        events.push_back(json::object{{"at", context.zone.format_iso(from_unix(e.at))},
                                      {"kind", e.kind},
                                      {"actor", e.actor},
                                      {"detail", e.detail}});
    out["history"] = std::move(events);
    return json_response(200, out);
}

Response post_complete(const Request& request, Context& context) {
    auto body = json_body(request);
    if (auto* refused = std::get_if<Response>(&body))
        return std::move(*refused);
    const auto& object = std::get<json::object>(body);
    std::optional<std::string> fields[4];
    const char* names[4] = {"note", "evidence", "by", "outcome"};
    for (int i = 0; i < 4; ++i) {
        auto member = string_member(object, names[i]);
        if (auto* message = std::get_if<std::string>(&member))
            return json_error(400, "bad_field", *message);
        fields[i] = std::get<0>(member);
    }
    const std::string note = fields[0].value_or("");
    const std::string evidence = fields[1].value_or("");
    if (note.size() > kMaxText)
        return json_error(422, "bad_field", "note is too long");
    if (!evidence.empty() && !valid_evidence(evidence))
        return json_error(422, "bad_field",
                          "evidence must be an http:// or https:// link or a case or document "
                          "reference (up to 200 characters, no quotes or angle brackets)");
    auto by = acting_person(request, fields[2]);
    if (auto* refused = std::get_if<Response>(&by))
        return std::move(*refused);
    const std::string& person = std::get<std::string>(by);

    // An owner may complete only what is theirs: their own task, or one of a
    // system they own or are responsible for.
    if (request.principal->role == Role::Owner) {
        auto found = context.engine.find_task(task_ref(request));
        if (!found.ok())
            return internal(found.error());
        if (!*found)
            return json_error(404, "not_found", "no task '" + task_ref(request) + "'");
        const System* system = context.definitions
                                   ? context.definitions->directory.find_system((*found)->entity_id)
                                   : nullptr;
        const bool theirs = (*found)->assignee == person ||
                            (system && (system->owner == person || system->responsible == person));
        if (!theirs)
            return json_error(403, "forbidden",
                              "task " + std::to_string((*found)->id) + " is not " + person + "'s");
    }
    auto finished = finish_task(context, task_ref(request), person, note, evidence,
                                CompletionKind::Done, fields[3].value_or(""));
    if (auto* refused = std::get_if<Response>(&finished))
        return std::move(*refused);
    return json_response(200, task_json(std::get<TaskRow>(finished), context));
}

Response post_waive(const Request& request, Context& context) {
    auto body = json_body(request);
    if (auto* refused = std::get_if<Response>(&body))
        return std::move(*refused);
    const auto& object = std::get<json::object>(body);
    auto reason = string_member(object, "reason");
    auto by_member = string_member(object, "by");
    if (auto* message = std::get_if<std::string>(&reason))
        return json_error(400, "bad_field", *message);
    if (auto* message = std::get_if<std::string>(&by_member))
        return json_error(400, "bad_field", *message);
    const auto& why = std::get<0>(reason);
    if (!why || why->empty())
        return json_error(422, "missing_field", "a waiver needs a \"reason\"");
    if (why->size() > kMaxText)
        return json_error(422, "bad_field", "reason is too long");
    auto by = acting_person(request, std::get<0>(by_member));
    if (auto* refused = std::get_if<Response>(&by))
        return std::move(*refused);
    auto finished = finish_task(context, task_ref(request), std::get<std::string>(by), *why, "",
                                CompletionKind::Waived);
    if (auto* refused = std::get_if<Response>(&finished))
        return std::move(*refused);
    return json_response(200, task_json(std::get<TaskRow>(finished), context));
}

Response get_workflows(const Request&, Context& context) {
    json::array items;
    if (context.definitions)
        for (const auto& wf : context.definitions->workflows) {
            std::string_view trigger = "calendar";
            switch (wf.trigger.kind) {
            case Trigger::Kind::Calendar:
                trigger = "calendar";
                break;
            case Trigger::Kind::Meetings:
                trigger = "meetings";
                break;
            case Trigger::Kind::Event:
                trigger = "event";
                break;
            case Trigger::Kind::Completion:
                trigger = "completion";
                break;
            }
            items.push_back(json::object{
                {"id", wf.id},
                {"title", wf.title.da},
                {"title_en", wf.title.en},
                {"source", wf.source},
                {"file", wf.file},
                {"line", wf.line},
                {"trigger", trigger},
                {"trigger_name", wf.trigger.name},
                {"group", to_string(wf.group)},
            });
            if (wf.also)
                items.back().as_object()["also_on_event"] = wf.also->name;
        }
    return json_response(200, json::object{{"workflows", std::move(items)}});
}

namespace {

// The API's answer to a reload, on the loop's thread once it has finished.
Response reload_response(const ReloadOutcome& outcome) {
    switch (outcome.verdict) {
    case ReloadVerdict::Busy: {
        Response r = json_error(409, "reload_running",
                                "a reload is already running; try again when it has finished");
        r.headers.emplace_back("Retry-After", "1");
        return r;
    }
    case ReloadVerdict::Stopping:
        return json_error(503, "stopping", "the daemon is stopping; the reload was not installed");
    case ReloadVerdict::Refused: {
        json::array errors;
        for (const auto& e : outcome.errors)
            errors.push_back(json::string(e));
        json::object body{
            {"error", json::object{{"status", 422},
                                   {"code", "invalid_workflows"},
                                   {"message", "reload refused; the running workflows stay"}}},
            {"errors", std::move(errors)}};
        return json_response(422, body);
    }
    case ReloadVerdict::Installed:
        break;
    }
    return json_response(200, json::object{{"workflows", outcome.workflows},
                                           {"created", outcome.stats.created},
                                           {"updated", outcome.stats.updated},
                                           {"cancelled", outcome.stats.cancelled},
                                           {"unchanged", outcome.stats.unchanged}});
}

// The API's error code for a refused event, as it was before the event form
// shared report_event.
std::string_view event_refusal_code(const Error& error, const EventReport& event) {
    if (error.field == "by")
        return "unknown_person";
    if ((error.field == "type" && event.type.empty()) ||
        (error.field == "title" && event.title.empty()))
        return "missing_field";
    if (error.field == "type")
        return "unknown_event_type";
    return "bad_field";
}

} // namespace

Deferred start_reload(Context& context, std::string who, Response unavailable,
                      std::function<Response(const ReloadOutcome&)> answer) {
    return [&context, who = std::move(who), unavailable = std::move(unavailable),
            answer = std::move(answer)](Respond respond) {
        if (!context.reload) {
            respond(unavailable);
            return;
        }
        context.reload(
            [&context, who, answer, respond = std::move(respond)](ReloadOutcome outcome) {
                if (outcome.verdict == ReloadVerdict::Installed) {
                    spdlog::info("http: workflows reloaded by '{}'", who);
                    if (context.changed)
                        context.changed();
                }
                respond(answer(outcome));
            });
    };
}

// The evaluation (TOML, directory, Lua) runs on a worker thread, so the
// answer comes later; the server keeps serving meanwhile.
Deferred post_reload(const Request& request, Context& context) {
    return start_reload(context, request.principal->name,
                        json_error(503, "unavailable", "reloading is not available here"),
                        reload_response);
}

Result<RecordedEvent> report_event(Context& context, const EventReport& event) {
    if (event.type.empty())
        return make_error(ErrorKind::Invalid, "an event needs \"type\" and \"title\"", "type");
    if (event.title.empty())
        return make_error(ErrorKind::Invalid, "an event needs \"type\" and \"title\"", "title");
    if (event.title.size() > kMaxText)
        return make_error(ErrorKind::Invalid, "title is too long", "title");
    if (event.detail.size() > kMaxText)
        return make_error(ErrorKind::Invalid, "detail is too long", "detail");
    std::string known;
    bool triggers = false;
    if (context.definitions)
        for (const auto& wf : context.definitions->workflows)
            if (const std::string& type = wf.event_type(); !type.empty()) {
                triggers = triggers || type == event.type;
                known += (known.empty() ? "" : ", ") + type;
            }
    if (!triggers)
        return make_error(ErrorKind::Invalid,
                          "no workflow is triggered by events of type '" + event.type + "'" +
                              (known.empty() ? "" : " (known: " + known + ")"),
                          "type");
    if (!context.definitions->directory.find_person(event.by))
        return make_error(ErrorKind::Invalid, "unknown person '" + event.by + "'", "by");

    RecordedEvent recorded;
    recorded.at = event.at.value_or(context.clock.now());
    AARSHJUL_TRY_ASSIGN(recorded.id,
                        context.engine.record_event({event.type, event.title, recorded.at, event.by,
                                                     event.detail, event.facts}));
    if (context.changed)
        context.changed();
    AARSHJUL_TRY_ASSIGN(recorded.tasks, context.store.queries().tasks_of_event(recorded.id));
    return recorded;
}

namespace {

// The triage facts of a JSON body: "personal_data", "significant" (yes, no,
// unknown; default unknown), "systems" (a list of system ids), "supplier",
// "person"; the message of the first malformed one.
// The facts a body names: personal_data, significant, systems, supplier, person.
std::variant<EventFactsPatch, std::string> facts_members(const json::object& object) {
    EventFactsPatch facts;
    std::optional<std::string>* texts[4] = {&facts.personal_data, &facts.significant,
                                            &facts.supplier, &facts.person};
    const char* names[4] = {"personal_data", "significant", "supplier", "person"};
    for (int i = 0; i < 4; ++i) {
        auto member = string_member(object, names[i]);
        if (auto* message = std::get_if<std::string>(&member))
            return *message;
        if (auto value = std::get<0>(member))
            *texts[i] = *value;
    }
    if (const auto* systems = object.if_contains("systems")) {
        if (!systems->is_array())
            return std::string("systems must be a list of system ids");
        facts.systems.emplace();
        for (const auto& id : systems->as_array()) {
            if (!id.is_string() || id.as_string().size() > kMaxText)
                return std::string("systems must be a list of system ids");
            facts.systems->emplace_back(id.as_string());
        }
    }
    return facts;
}

// A new event's facts: those the body names, the rest unknown or none.
std::variant<EventFacts, std::string> facts_member(const json::object& object) {
    auto named = facts_members(object);
    if (auto* message = std::get_if<std::string>(&named))
        return std::move(*message);
    return std::get<EventFactsPatch>(named).applied_to(EventFacts{});
}

json::object facts_json(const EventFacts& facts) {
    json::array systems;
    for (const auto& id : facts.systems)
        systems.emplace_back(id);
    return json::object{{"personal_data", facts.personal_data},
                        {"significant", facts.significant},
                        {"systems", std::move(systems)},
                        {"supplier", facts.supplier},
                        {"person", facts.person}};
}

} // namespace

Response post_event(const Request& request, Context& context) {
    auto body = json_body(request);
    if (auto* refused = std::get_if<Response>(&body))
        return std::move(*refused);
    const auto& object = std::get<json::object>(body);
    std::optional<std::string> fields[5];
    const char* names[5] = {"type", "title", "at", "detail", "by"};
    for (int i = 0; i < 5; ++i) {
        auto member = string_member(object, names[i]);
        if (auto* message = std::get_if<std::string>(&member))
            return json_error(400, "bad_field", *message);
        fields[i] = std::get<0>(member);
    }
    EventReport event{fields[0].value_or(""), fields[1].value_or(""), std::nullopt,
                      fields[3].value_or(""), ""};
    if (fields[2]) {
        event.at = parse_instant(*fields[2]);
        if (!event.at)
            return json_error(422, "bad_field",
                              "at must be an ISO 8601 instant with offset, e.g. "
                              "2026-10-24T09:00:00+02:00");
    }
    auto by = acting_person(request, fields[4]);
    if (auto* refused = std::get_if<Response>(&by))
        return std::move(*refused);
    event.by = std::get<std::string>(by);
    auto facts = facts_member(object);
    if (auto* message = std::get_if<std::string>(&facts))
        return json_error(400, "bad_field", *message);
    event.facts = std::get<EventFacts>(facts);

    auto recorded = report_event(context, event);
    if (!recorded.ok())
        return recorded.error().kind == ErrorKind::Invalid
                   ? json_error(422, event_refusal_code(recorded.error(), event),
                                recorded.error().message)
                   : internal(recorded.error());
    json::array tasks;
    for (const auto& task : recorded->tasks)
        tasks.push_back(task_json(task, context));
    return json_response(201, json::object{{"event", recorded->id},
                                           {"type", event.type},
                                           {"facts", facts_json(event.facts)},
                                           {"at", context.zone.format_iso(recorded->at)},
                                           {"tasks", std::move(tasks)}});
}

// POST /api/v1/events/{id}/facts: a triage correction (coordinator).
Response post_event_facts(const Request& request, Context& context) {
    auto body = json_body(request);
    if (auto* refused = std::get_if<Response>(&body))
        return std::move(*refused);
    const auto& object = std::get<json::object>(body);
    const auto id = request.params.empty() ? std::nullopt : parse_page_id(request.params[0]);
    if (!id)
        return json_error(404, "not_found", "no event '" + task_ref(request) + "'");
    auto facts = facts_members(object);
    if (auto* message = std::get_if<std::string>(&facts))
        return json_error(400, "bad_field", *message);
    auto reason = string_member(object, "reason");
    if (auto* message = std::get_if<std::string>(&reason))
        return json_error(400, "bad_field", *message);
    auto by_member = string_member(object, "by");
    if (auto* message = std::get_if<std::string>(&by_member))
        return json_error(400, "bad_field", *message);
    auto by = acting_person(request, std::get<0>(by_member));
    if (auto* refused = std::get_if<Response>(&by))
        return std::move(*refused);
    const std::string why = std::get<0>(reason).value_or("");
    if (why.size() > kMaxText)
        return json_error(422, "bad_field", "reason is too long");
    auto corrected = context.engine.correct_event(
        *id, {std::get<EventFactsPatch>(facts), std::get<std::string>(by), why});
    if (!corrected.ok())
        return error_response(corrected.error());
    if (context.changed)
        context.changed();
    auto tasks = context.store.queries().tasks_of_event(*id);
    if (!tasks.ok())
        return internal(tasks.error());
    json::array list;
    for (const auto& task : *tasks)
        list.push_back(task_json(task, context));
    return json_response(200, json::object{{"event", *id},
                                           {"facts", facts_json(corrected->facts)},
                                           {"withdrawn", corrected->withdrawn},
                                           {"started", corrected->started},
                                           {"tasks", std::move(list)}});
}

} // namespace aarshjul::http

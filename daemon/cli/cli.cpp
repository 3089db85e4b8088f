// SPDX-License-Identifier: MPL-2.0
#include "cli/cli.h"

#include "app/catalogue.h"
#include "app/setup.h"
#include "app/simulate.h"
#include "app/status.h"
#include "app/wheel.h"
#include "app/year_export.h"
#include "audit/audit.h"
#include "cli/tokens.h"
#include "clock/clock.h"
#include "engine/planner.h"
#include "notify/channels.h"
#include "service/service.h"
#include "store/maintenance.h"
#include "store/open_store.h"
#include "util/error_kind.h"
#include "worker/worker_main.h"

#include <CLI/CLI.hpp>
#include <array>
#include <boost/json.hpp>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace aarshjul::cli {

namespace {

namespace fs = std::filesystem;

struct Options {
    std::string config;
    std::string log_level;
    std::string workflows;
    std::string from, to, format = "table";
    std::string task, by, note, evidence, outcome, title, at, channel, address;
    EventFacts facts;            // `event`, `event-facts`: the triage answers
    EventFactsPatch facts_given; // `event-facts`: only the answers given change
    std::string event_id;        // `event-facts`
    TokenAddArgs token;
    // `wheel`: year, first month (0: the configured one), language, group, person
    WheelRequest wheel{.first_month = 0};
    std::string wheel_group;
    YearExportRequest year_export; // `export`: year, language, person
    std::string export_group, export_format = "xlsx", output;
    const Clock* clock = nullptr; // "now" for every command; never null once parsed
};

// The configuration file: --config, $AARSHJUL_CONFIG, ./config/aarshjul.toml,
// then /etc/aarshjul/aarshjul.toml.
fs::path config_path(const Options& o) {
    if (!o.config.empty())
        return o.config;
    if (const char* env = std::getenv("AARSHJUL_CONFIG"); env && *env)
        return env;
    if (fs::exists("config/aarshjul.toml"))
        return "config/aarshjul.toml";
    return "/etc/aarshjul/aarshjul.toml";
}

SetupOptions setup_options(const Options& o) {
    SetupOptions s{config_path(o), std::nullopt};
    if (!o.workflows.empty())
        s.workflows_dir = fs::path(o.workflows);
    return s;
}

// Prints `error` after `prefix` ("complete: ") and gives the exit code its
// kind calls for (2 for invalid input, 1 for the rest).
int failed(std::ostream& err, std::string_view prefix, const Error& error) {
    err << prefix << error.to_string() << "\n";
    return category_of(error.kind).exit_code;
}

// Loads the setup or prints every error; nullopt means "exit kExitInvalid".
// The workflows' warnings go to `warnings` when given (check prints them,
// serve logs them) and are dropped otherwise.
std::optional<Setup> load_or_report(const Options& o, std::ostream& err,
                                    std::vector<Error>* warnings = nullptr) {
    auto report = load_setup(setup_options(o));
    if (warnings)
        *warnings = std::move(report.warnings);
    for (const auto& e : report.errors)
        err << e.to_string() << "\n";
    if (!report.setup)
        err << report.errors.size() << " error(s)\n";
    return std::move(report.setup);
}

// "<N>" with the syslog priority of the message: journald reads it from the
// start of each line on stderr (sd-daemon(3)) and stores the line without it.
class SyslogPriorityFlag final : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&,
                spdlog::memory_buf_t& dest) override {
        static constexpr std::array<const char*, 7> k_priority = {
            "<7>", "<7>", "<6>", "<4>", "<3>", "<2>", "<6>"}; // trace..critical, off
        const auto level = static_cast<std::size_t>(msg.level);
        const std::string_view text = k_priority.at(std::min<std::size_t>(level, 6));
        dest.append(text.data(), text.data() + text.size());
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<SyslogPriorityFlag>();
    }
};

// Under systemd stderr goes to the journal, which adds its own timestamps:
// lines are "<priority>message". On a terminal: time, coloured level, message.
void configure_logging(const Options& o, const std::optional<Setup>& setup, std::ostream& err) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(err);
    auto logger = std::make_shared<spdlog::logger>("aarshjul", sink);
    const char* journal = std::getenv("JOURNAL_STREAM");
    if (journal && *journal && &err == &std::cerr) {
        auto formatter = std::make_unique<spdlog::pattern_formatter>();
        formatter->add_flag<SyslogPriorityFlag>('*').set_pattern("%*%v");
        logger->set_formatter(std::move(formatter));
    } else {
        logger->set_pattern("%Y-%m-%d %H:%M:%S %^%l%$ %v");
    }
    std::string level = o.log_level;
    if (level.empty() && setup)
        level = setup->config.log_level;
    logger->set_level(spdlog::level::from_str(level.empty() ? "info" : level));
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(logger);
}

// "file:line: warning: message", as compilers print theirs.
std::string warning_text(const Error& warning) {
    Error labelled = warning;
    labelled.message = "warning: " + warning.message;
    return labelled.to_string();
}

int cmd_check(const Options& o, std::ostream& out, std::ostream& err) {
    std::vector<Error> warnings;
    auto setup = load_or_report(o, err, &warnings);
    // Warnings do not change the exit code: the files load as they are.
    for (const auto& w : warnings)
        err << warning_text(w) << "\n";
    if (!setup)
        return kExitInvalid;
    const auto& d = *setup->definitions;
    out << "ok: " << d.workflows.size() << " workflows, " << d.directory.people.size()
        << " people, " << d.directory.systems.size() << " systems (" << setup->config.file.string()
        << ")\n";
    return kExitOk;
}

std::string person_name(const Directory& dir, const std::string& id) {
    const Person* p = dir.find_person(id);
    return p ? p->name : id;
}

int cmd_plan(const Options& o, std::ostream& out, std::ostream& err) {
    auto from = parse_local_date(o.from);
    auto to = parse_local_date(o.to);
    if (!from || !to || *to < *from) {
        err << "plan: --from and --to must be dates (YYYY-MM-DD), --from not after --to\n";
        return kExitFailure;
    }
    auto setup = load_or_report(o, err);
    if (!setup)
        return kExitInvalid;
    const auto& d = *setup->definitions;
    const EngineSettings settings = engine_settings(*setup);
    const PlanContext context{settings.zone, settings.calendar, settings.reminder_hour};
    auto tasks = plan_tasks(d.workflows, d.directory, context, *from, *to);
    if (!tasks.ok()) {
        err << tasks.error().to_string() << "\n";
        return kExitInvalid;
    }
    if (o.format == "json") {
        boost::json::array items;
        for (const auto& t : *tasks) {
            const System* system = d.directory.find_system(t.entity_id);
            items.push_back(boost::json::object{
                {"key", t.occurrence_key},
                {"workflow", t.workflow->id},
                {"title", t.title},
                {"title_en", t.title_en},
                {"assignee", t.assignee},
                {"assignee_name", person_name(d.directory, t.assignee)},
                {"system", system ? boost::json::value(system->id) : boost::json::value(nullptr)},
                {"start", format_local_date(t.start)},
                {"due", format_local_date(t.due)},
                {"source", t.workflow->source},
            });
        }
        out << boost::json::serialize(items) << "\n";
        return kExitOk;
    }
    out << fmt::format("{:<10}  {:<10}  {:<12}  {:<18}  {}\n", "start", "due", "workflow",
                       "assignee", "title");
    for (const auto& t : *tasks)
        out << fmt::format("{:<10}  {:<10}  {:<12}  {:<18}  {}\n", format_local_date(t.start),
                           format_local_date(t.due), t.workflow->id, t.assignee, t.title);
    out << tasks->size() << " tasks\n";
    return kExitOk;
}

int cmd_complete(const Options& o, std::ostream& out, std::ostream& err) {
    auto setup = load_or_report(o, err);
    if (!setup)
        return kExitInvalid;
    auto store = open_store(store_settings(setup->config));
    if (!store.ok()) {
        return failed(err, "", store.error());
    }
    const Clock& clock = *o.clock;
    Engine engine(**store, clock, engine_settings(*setup));
    engine.use(setup->definitions);
    engine.set_hook_runner(hook_runner(*setup));
    auto done = engine.complete(o.task, o.by, o.note, o.evidence, CompletionKind::Done, o.outcome);
    if (!done.ok()) {
        return failed(err, "complete: ", done.error());
    }
    // The on_complete hook was queued with the completion; run it (in the
    // Lua worker) before exiting, so its follow-ups exist when we return.
    if (auto drained = engine.drain_hooks(); !drained.ok()) {
        return failed(err, "complete: ", drained.error());
    }
    out << "task " << done->id << " (" << done->title << ") done by " << o.by;
    if (done->outcome)
        out << ", outcome " << *done->outcome;
    out << "\n";
    if (done->outcome) {
        // The action plan the outcome asked for, if any.
        auto plan = engine.find_task(done->occurrence_key + "/PLAN");
        ignore_error(plan, "looking up the action plan to print (the completion is stored)");
        if (plan.ok() && *plan)
            out << "action plan: task " << (*plan)->id << " (" << (*plan)->title << ") for "
                << (*plan)->assignee << ", due " << (*plan)->due_date << "\n";
    }
    return kExitOk;
}

int cmd_event(const Options& o, std::ostream& out, std::ostream& err) {
    auto setup = load_or_report(o, err);
    if (!setup)
        return kExitInvalid;
    const Clock& clock = *o.clock;
    Instant at = clock.now();
    if (!o.at.empty()) {
        auto parsed = parse_instant(o.at);
        if (!parsed) {
            err << "event: --at must be an ISO 8601 instant with offset, e.g. "
                   "2026-10-24T09:00:00+02:00\n";
            return kExitFailure;
        }
        at = *parsed;
    }
    if (!o.by.empty() && !setup->definitions->directory.find_person(o.by)) {
        err << "event: unknown person '" << o.by << "'\n";
        return kExitFailure;
    }
    bool known = false;
    for (const auto& wf : setup->definitions->workflows)
        known = known || wf.event_type() == o.task;
    if (!known) {
        err << "event: no workflow is triggered by events of type '" << o.task << "'\n";
        return kExitFailure;
    }
    auto store = open_store(store_settings(setup->config));
    if (!store.ok()) {
        return failed(err, "", store.error());
    }
    Engine engine(**store, clock, engine_settings(*setup));
    engine.set_hook_runner(hook_runner(*setup));
    if (auto installed = engine.install(setup->definitions); !installed.ok()) {
        return failed(err, "", installed.error());
    }
    auto id = engine.record_event({o.task, o.title, at, o.by, o.note, o.facts});
    if (!id.ok()) {
        return failed(err, "event: ", id.error());
    }
    // The on_event hooks were queued with the tasks; run them before listing.
    if (auto drained = engine.drain_hooks(); !drained.ok()) {
        return failed(err, "event: ", drained.error());
    }
    auto tasks = engine.store().queries().tasks_of_event(*id);
    if (tasks.ok()) {
        out << "event " << *id << " recorded (" << o.task << ", aware "
            << setup->zone.format_iso(at) << ")\n";
        for (const auto& t : *tasks) {
            const auto due_at = t.due_at.value_or(0);
            out << "  task " << t.id << "  " << t.workflow_id << "  due "
                << (due_at ? setup->zone.format_iso(from_unix(due_at)) : t.due_date) << "  "
                << t.assignee << "  " << t.title << "\n";
        }
    }
    return kExitOk;
}

// `event-facts ID`: the facts given replaced, the others kept; the withdrawn
// and started clocks listed.
int cmd_event_facts(const Options& o, std::ostream& out, std::ostream& err) {
    std::int64_t id = 0;
    const auto [end, ec] =
        std::from_chars(o.event_id.data(), o.event_id.data() + o.event_id.size(), id);
    if (ec != std::errc() || end != o.event_id.data() + o.event_id.size() || id <= 0) {
        err << "event-facts: '" << o.event_id << "' is not an event id\n";
        return kExitInvalid;
    }
    auto setup = load_or_report(o, err);
    if (!setup)
        return kExitInvalid;
    auto store = open_store(store_settings(setup->config));
    if (!store.ok())
        return failed(err, "", store.error());
    Engine engine(**store, *o.clock, engine_settings(*setup));
    engine.set_hook_runner(hook_runner(*setup));
    if (auto installed = engine.install(setup->definitions); !installed.ok())
        return failed(err, "", installed.error());
    auto corrected = engine.correct_event(id, {o.facts_given, o.by, o.note});
    if (!corrected.ok())
        return failed(err, "event-facts: ", corrected.error());
    if (auto drained = engine.drain_hooks(); !drained.ok())
        return failed(err, "event-facts: ", drained.error());
    out << "event " << id << ": personal data " << corrected->facts.personal_data
        << ", significant " << corrected->facts.significant << "; " << corrected->withdrawn
        << " task(s) withdrawn, " << corrected->started << " started\n";
    auto tasks = engine.store().queries().tasks_of_event(id);
    if (tasks.ok())
        for (const auto& t : *tasks)
            out << "  task " << t.id << "  " << t.workflow_id << "  " << to_string(t.state) << "  "
                << t.assignee << "  " << t.title << "\n";
    return kExitOk;
}

int cmd_send_test(const Options& o, std::ostream& out, std::ostream& err) {
    auto setup = load_or_report(o, err);
    if (!setup)
        return kExitInvalid;
    auto notifiers = make_notifiers(setup->config);
    if (!notifiers.ok()) {
        return failed(err, "send-test: ", notifiers.error());
    }
    for (auto& notifier : *notifiers) {
        if (notifier->name() != o.channel)
            continue;
        const Clock& clock = *o.clock;
        Notice notice;
        notice.key = "send-test|" + format_instant_utc(clock.now());
        notice.kind = "test";
        notice.channel = o.channel;
        notice.recipient = "send-test";
        notice.address = o.address;
        notice.subject = "aarshjul: testbesked fra " + setup->config.organisation;
        notice.body = "Dette er en testbesked fra aarshjul (kanal " + o.channel +
                      ").\nThis is a test message from aarshjul.\n";
        auto result = notifier->send(notice);
        if (result.outcome != SendOutcome::Sent) {
            err << "send-test: " << o.channel << " to " << o.address << " failed ("
                << (result.outcome == SendOutcome::TemporaryFailure ? "temporary" : "permanent")
                << "): " << result.error << "\n";
            return kExitFailure;
        }
        out << "sent via " << o.channel << " to " << o.address << " (" << notice.key << ")\n";
        return kExitOk;
    }
    err << "send-test: no channel '" << o.channel << "' (log, or a [channel.NAME] section)\n";
    return kExitFailure;
}

int cmd_status(const Options& o, std::ostream& out, std::ostream& err) {
    auto setup = load_or_report(o, err);
    if (!setup)
        return kExitInvalid;
    auto store = open_store(store_settings(setup->config));
    if (!store.ok()) {
        return failed(err, "", store.error());
    }
    const Clock& clock = *o.clock;
    auto report = read_status((*store)->queries(), setup->zone, clock.now());
    if (!report.ok()) {
        return failed(err, "", report.error());
    }
    out << setup->config.organisation << "\n\n" << render_status_text(*report);
    return kExitOk;
}

// The year's wheel as an SVG file on `out` (aarshjul wheel --year 2027 > aarshjul-2027.svg).
int cmd_wheel(const Options& o, std::ostream& out, std::ostream& err) {
    WheelRequest request = o.wheel;
    if (!o.wheel_group.empty()) {
        request.group = workflow_group_from_string(o.wheel_group);
        if (!request.group) {
            err << "wheel: --group must be committee, risk, data_protection, incidents, "
                   "technical or other\n";
            return kExitInvalid;
        }
    }
    auto setup = load_or_report(o, err);
    if (!setup)
        return kExitInvalid;
    if (request.first_month == 0)
        request.first_month = static_cast<unsigned>(setup->config.wheel_first_month);
    if (request.year == 0)
        request.year = wheel_year_of(setup->zone.local_date(o.clock->now()), request.first_month);
    if (!request.person.empty() && !setup->definitions->directory.find_person(request.person)) {
        err << "wheel: unknown person '" << request.person << "'\n";
        return kExitInvalid;
    }
    auto store = open_store(store_settings(setup->config));
    if (!store.ok())
        return failed(err, "wheel: ", store.error());
    request.heading = wheel_heading(request, setup->config.organisation);
    auto input = read_wheel((*store)->queries(), setup->definitions->workflows, setup->zone,
                            o.clock->now(), request);
    if (!input.ok())
        return failed(err, "wheel: ", input.error());
    auto svg = render_wheel(*input);
    if (!svg.ok())
        return failed(err, "wheel: ", svg.error());
    out << kSvgDeclaration << *svg;
    return kExitOk;
}

// Writes `bytes` to `path` whole or not at all: a partial file is never left
// under the name asked for.
Result<void> write_file_atomically(const fs::path& path, std::string_view bytes) {
    fs::path part = path;
    part += ".part";
    {
        std::ofstream file(part, std::ios::binary | std::ios::trunc);
        file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        file.close();
        if (!file) {
            std::error_code ignored; // the write failed; what is left of it goes
            fs::remove(part, ignored);
            return make_error(ErrorKind::Io, "cannot write " + part.string());
        }
    }
    std::error_code ec;
    fs::rename(part, path, ec);
    if (ec)
        return make_error(ErrorKind::Io, "cannot write " + path.string() + ": " + ec.message());
    return {};
}

// The year's tasks as a spreadsheet, CSV or JSON (aarshjul export --year 2027
// --format xlsx --output aarshjul-2027.xlsx), on `out` or into --output.
int cmd_export(const Options& o, std::ostream& out, std::ostream& err) {
    YearExportRequest request = o.year_export;
    if (!o.export_group.empty()) {
        request.group = workflow_group_from_string(o.export_group);
        if (!request.group) {
            err << "export: --group must be committee, risk, data_protection, incidents, "
                   "technical or other\n";
            return kExitInvalid;
        }
    }
    // A workbook is binary: on a terminal it is noise, and can upset the terminal.
    if (o.export_format == "xlsx" && o.output.empty() && &out == &std::cout &&
        ::isatty(STDOUT_FILENO)) {
        err << "export: an xlsx workbook is not for a terminal: give --output FILE or redirect "
               "(> aarshjul.xlsx), or use --format csv or json\n";
        return kExitInvalid;
    }
    auto setup = load_or_report(o, err);
    if (!setup)
        return kExitInvalid;
    if (request.year == 0)
        request.year =
            static_cast<int>(date::year_month_day{setup->zone.local_date(o.clock->now())}.year());
    if (!request.person.empty() && !setup->definitions->directory.find_person(request.person)) {
        err << "export: unknown person '" << request.person << "'\n";
        return kExitInvalid;
    }
    request.public_url = setup->config.public_url;
    auto store = open_store(store_settings(setup->config));
    if (!store.ok())
        return failed(err, "export: ", store.error());
    const YearExportContext context{
        .workflows = setup->definitions->workflows,
        .directory = setup->definitions->directory,
        .zone = setup->zone,
        .now = o.clock->now(),
        .organisation = setup->config.organisation,
    };
    auto sheet = read_year_sheet((*store)->queries(), context, request);
    if (!sheet.ok())
        return failed(err, "export: ", sheet.error());
    std::string bytes;
    if (o.export_format == "json") {
        bytes = render_year_json(*sheet);
    } else if (o.export_format == "csv") {
        bytes = render_year_csv(*sheet);
    } else {
        auto workbook = render_year_xlsx(*sheet);
        if (!workbook.ok())
            return failed(err, "export: ", workbook.error());
        bytes = std::move(*workbook);
    }
    if (o.output.empty()) {
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out) {
            err << "export: cannot write the output\n";
            return kExitFailure;
        }
        return kExitOk;
    }
    if (auto written = write_file_atomically(o.output, bytes); !written.ok())
        return failed(err, "export: ", written.error());
    out << "export: " << sheet->rows.size() << " tasks of " << request.year << " written to "
        << o.output << "\n";
    return kExitOk;
}

int cmd_simulate(const Options& o, std::ostream& out, std::ostream& err) {
    auto from = parse_local_date(o.from);
    auto to = parse_local_date(o.to);
    if (!from || !to || *to < *from) {
        err << "simulate: --from and --to must be dates (YYYY-MM-DD), --from not after --to\n";
        return kExitFailure;
    }
    auto setup = load_or_report(o, err);
    if (!setup)
        return kExitInvalid;
    const Zone& zone = setup->zone;
    auto items = simulate(*setup, zone.start_of_day(*from),
                          zone.start_of_day(*to + date::days{1}) - std::chrono::seconds{1});
    if (!items.ok()) {
        return failed(err, "simulate: ", items.error());
    }
    if (o.format == "json") {
        // One JSON object per line, in time order.
        for (const auto& item : *items)
            out << boost::json::serialize(boost::json::object{
                       {"at", zone.format_iso(item.at)},
                       {"kind", item.kind},
                       {"task", item.task_key},
                       {"workflow", item.workflow_id},
                       {"person", item.person},
                       {"detail", item.detail},
                   })
                << "\n";
        return kExitOk;
    }
    for (const auto& item : *items)
        out << fmt::format("{}  {:<18} {:<34} {:<18} {}\n", zone.format_iso(item.at), item.kind,
                           item.task_key, item.person, item.detail);
    out << items->size() << " items\n";
    return kExitOk;
}

// The configuration and its store.
struct ConfiguredStore {
    Config config;
    std::unique_ptr<Store> store;
};

// The configured store, from the configuration file alone: maintenance
// commands work even while a workflow file is broken.
std::optional<ConfiguredStore> open_configured_store(const Options& o, std::ostream& err) {
    auto config = load_config(config_path(o));
    if (!config.ok()) {
        err << config.error().to_string() << "\n";
        return std::nullopt;
    }
    auto store = open_store(store_settings(*config));
    if (!store.ok()) {
        err << store.error().to_string() << "\n";
        return std::nullopt;
    }
    return ConfiguredStore{std::move(config).value(), std::move(store).value()};
}

int cmd_audit_verify(const Options& o, std::ostream& out, std::ostream& err) {
    auto store = open_configured_store(o, err);
    if (!store)
        return kExitFailure;
    auto v = verify_audit_chain(store->store->event_log());
    if (!v.ok()) {
        return failed(err, "", v.error());
    }
    if (v->broken_at) {
        err << "audit: the chain is broken at event " << *v->broken_at << ": stored hash "
            << v->found << ", expected " << v->expected
            << "\n(the event was changed, or one before it was inserted or deleted)\n";
        return kExitInvalid;
    }
    out << "ok: " << v->events << " events, chain head " << v->head;
    if (v->unchained > 0)
        out << " (" << v->unchained << " older events from before the chain)";
    out << "\n";
    return kExitOk;
}

int cmd_audit_export(const Options& o, std::ostream& out, std::ostream& err) {
    auto from = parse_local_date(o.from);
    auto to = parse_local_date(o.to);
    if (!from || !to || *to < *from) {
        err << "audit export: --from and --to must be dates (YYYY-MM-DD), --from not after --to\n";
        return kExitFailure;
    }
    auto store = open_configured_store(o, err);
    if (!store)
        return kExitFailure;
    auto zone = Zone::locate(store->config.time_zone);
    if (!zone.ok()) {
        return failed(err, "", zone.error());
    }
    const std::int64_t begin = to_unix(zone->start_of_day(*from));
    const std::int64_t end = to_unix(zone->start_of_day(*to + date::days{1})) - 1;
    auto n = export_audit(store->store->event_log(), *zone, begin, end, out);
    if (!n.ok()) {
        return failed(err, "", n.error());
    }
    return kExitOk;
}

int cmd_backup(const Options& o, std::ostream& out, std::ostream& err) {
    auto store = open_configured_store(o, err);
    if (!store)
        return kExitFailure;
    if (auto done = store->store->maintenance().backup(o.address); !done.ok()) {
        return failed(err, "", done.error());
    }
    out << "backup written to " << o.address << "\n";
    return kExitOk;
}

int cmd_db_check(const Options& o, std::ostream& out, std::ostream& err) {
    auto store = open_configured_store(o, err);
    if (!store)
        return kExitFailure;
    auto check = store->store->maintenance().check();
    if (!check.ok()) {
        return failed(err, "", check.error());
    }
    for (const auto& problem : check->problems)
        err << store->config.database.string() << ": " << problem << "\n";
    if (!check->problems.empty())
        return kExitInvalid;
    out << "ok: " << store->config.database.string() << " (schema " << check->schema_version
        << ", integrity and foreign keys checked)\n";
    return kExitOk;
}

int cmd_workflows(const Options& o, std::ostream& out, std::ostream& err) {
    auto setup = load_or_report(o, err);
    if (!setup)
        return kExitInvalid;
    const auto& d = *setup->definitions;
    out << render_catalogue(d.workflows, d.directory, o.format.empty() ? "table" : o.format);
    return kExitOk;
}

int cmd_serve(const Options& o, std::ostream& err) {
    std::vector<Error> warnings;
    auto setup = load_or_report(o, err, &warnings);
    if (!setup)
        return kExitInvalid;
    configure_logging(o, setup, err);
    for (const auto& w : warnings)
        spdlog::warn("{}", w.to_string());
    const Clock& clock = *o.clock;
    ServiceOptions options{setup_options(o)};
    return run_service(options, std::move(*setup), clock);
}

} // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
        const Clock& clock) {
    CLI::App app{"aarshjul: the annual control cycle (årshjul) of an information-security "
                 "management system"};
    app.require_subcommand(1);
    // Subcommands (added below, so they inherit this) hand the options they do
    // not know to their parent: the global options work after the command too.
    app.fallthrough();
    Options o;
    o.clock = &clock;
    app.add_option("-c,--config", o.config,
                   "configuration file (default: $AARSHJUL_CONFIG, config/aarshjul.toml, "
                   "/etc/aarshjul/aarshjul.toml)");
    app.add_option("--log-level", o.log_level, "trace, debug, info, warn, error, critical, off");
    app.set_version_flag("--version", AARSHJUL_VERSION);

    auto* serve = app.add_subcommand("serve", "run the daemon");
    auto* check = app.add_subcommand("check", "validate configuration, directory and workflows");
    check->add_option("--workflows", o.workflows, "check this workflow folder instead");
    auto* plan = app.add_subcommand("plan", "list every task of a span");
    plan->add_option("--from", o.from, "first date (YYYY-MM-DD)")->required();
    plan->add_option("--to", o.to, "last date (YYYY-MM-DD)")->required();
    plan->add_option("--format", o.format, "table or json")
        ->check(CLI::IsMember({"table", "json"}));
    plan->add_option("--workflows", o.workflows, "plan this workflow folder instead");
    auto* complete = app.add_subcommand("complete", "mark a task done");
    complete->add_option("task", o.task, "task id or occurrence key")->required();
    complete->add_option("--by", o.by, "person id from the directory")->required();
    complete->add_option("--note", o.note, "what was done");
    complete->add_option("--evidence", o.evidence, "link to the evidence");
    complete->add_option("--outcome", o.outcome,
                         "what the control found, one of its workflow's outcomes (e.g. deviation)");
    auto* status = app.add_subcommand("status", "where the cycle stands");
    auto* event =
        app.add_subcommand("event", "record an event (e.g. an incident) and create its tasks");
    event->add_option("type", o.task, "event type, e.g. incident")->required();
    event->add_option("--title", o.title, "what happened")->required();
    event->add_option("--at", o.at,
                      "when the organisation became aware (ISO 8601 with offset; default now)");
    event->add_option("--by", o.by, "person id of the reporter");
    event->add_option("--detail", o.note, "more detail");
    // The triage questions: each clock starts only when its facts hold.
    auto triage = [&](CLI::App* command) {
        const auto answers = CLI::IsMember({"yes", "no", "unknown"});
        command
            ->add_option("--personal-data", o.facts.personal_data,
                         "are personal data affected: yes, no or unknown (default)")
            ->check(answers);
        command
            ->add_option("--significant", o.facts.significant,
                         "significant in the NIS 2 sense: yes, no or unknown (default)")
            ->check(answers);
        command->add_option("--system", o.facts.systems,
                            "a system it concerns (directory id; repeat for more)");
        command->add_option("--supplier", o.facts.supplier,
                            "the supplier (data processor) it concerns (directory id)");
        command->add_option("--person", o.facts.person, "the person it concerns (directory id)");
    };
    triage(event);
    auto* event_facts = app.add_subcommand(
        "event-facts", "correct an event's facts: withdraw the clocks that no longer apply, "
                       "start those that now do (from the original time of awareness)");
    event_facts->add_option("event", o.event_id, "event id")->required();
    event_facts->add_option("--by", o.by, "person id of who corrects it")->required();
    event_facts->add_option("--reason", o.note, "why (kept in the audit trail)")->required();
    triage(event_facts);
    auto* send_test = app.add_subcommand("send-test", "send a test message through one channel");
    send_test->add_option("--channel", o.channel, "channel name (log or a [channel.NAME])")
        ->required();
    send_test->add_option("--to", o.address, "address (e-mail for smtp channels)")->required();
    auto* workflows = app.add_subcommand(
        "workflows", "list the loaded workflows: cadence, due rule, responsible, source");
    workflows->add_option("--format", o.format, "table, md (the README's table) or json")
        ->check(CLI::IsMember({"table", "md", "json"}));
    workflows->add_option("--workflows", o.workflows, "list this workflow folder instead");
    auto* audit = app.add_subcommand("audit", "the hash-chained audit trail of task events");
    audit->require_subcommand(1);
    auto* audit_verify =
        audit->add_subcommand("verify", "recompute the chain; name the first broken link");
    auto* audit_export = audit->add_subcommand("export", "events of a span as JSON lines");
    audit_export->add_option("--from", o.from, "first date (YYYY-MM-DD)")->required();
    audit_export->add_option("--to", o.to, "last date (YYYY-MM-DD)")->required();
    auto* backup =
        app.add_subcommand("backup", "copy the database (online, while the daemon runs)");
    backup->add_option("path", o.address, "the file to write")->required();
    auto* db_cmd = app.add_subcommand("db", "database maintenance");
    db_cmd->require_subcommand(1);
    auto* db_check = db_cmd->add_subcommand("check", "integrity and foreign-key check");
    auto* sim = app.add_subcommand("simulate", "run virtual time and print what would happen");
    sim->add_option("--from", o.from, "first date (YYYY-MM-DD)")->required();
    sim->add_option("--to", o.to, "last date (YYYY-MM-DD)")->required();
    sim->add_option("--format", o.format, "table or json")->check(CLI::IsMember({"table", "json"}));
    sim->add_option("--workflows", o.workflows, "simulate this workflow folder instead");
    auto* wheel = app.add_subcommand("wheel", "the year's tasks drawn as an årshjul (SVG)");
    wheel->add_option("--year", o.wheel.year, "the year (default: this year)")
        ->check(CLI::Range(1970, 9999));
    wheel
        ->add_option("--first-month", o.wheel.first_month,
                     "the month at the top (default: organisation.wheel_first_month, 1)")
        ->check(CLI::Range(1, 12));
    wheel->add_option("--language", o.wheel.language, "da or en (default da)")
        ->check(CLI::IsMember({"da", "en"}));
    wheel->add_option("--group", o.wheel_group,
                      "only this ring: committee, risk, data_protection, incidents, technical, "
                      "other");
    wheel->add_option("--person", o.wheel.person, "only tasks assigned to this person");
    auto* export_cmd = app.add_subcommand(
        "export", "the year's tasks as a spreadsheet (xlsx), CSV or JSON: one row per task");
    export_cmd->add_option("--year", o.year_export.year, "the year (default: this year)")
        ->check(CLI::Range(1970, 9999));
    export_cmd->add_option("--format", o.export_format, "xlsx (default), csv or json")
        ->check(CLI::IsMember({"xlsx", "csv", "json"}));
    export_cmd->add_option("--output,-o", o.output, "the file to write (default: standard output)");
    export_cmd->add_option("--language", o.year_export.language, "da or en (default da)")
        ->check(CLI::IsMember({"da", "en"}));
    export_cmd->add_option("--group", o.export_group,
                           "only this group's controls: committee, risk, data_protection, "
                           "incidents, technical, other");
    export_cmd->add_option("--person", o.year_export.person, "only tasks assigned to this person");
    auto* token = app.add_subcommand("token", "API tokens kept in the database");
    token->require_subcommand(1);
    auto* token_add_cmd =
        token->add_subcommand("add", "create a token and print it once (only its hash is kept)");
    token_add_cmd->add_option("name", o.token.name, "who holds it; shown in logs")->required();
    token_add_cmd->add_option("--role", o.token.role, "viewer, owner, coordinator or admin")
        ->required();
    token_add_cmd->add_option("--person", o.token.person,
                              "directory person the token acts as (completions, events)");
    token_add_cmd->add_option("--expires", o.token.expires,
                              "last day it works (YYYY-MM-DD, local); default: never");
    auto* token_list_cmd = token->add_subcommand("list", "the stored tokens and their state");
    auto* token_revoke_cmd = token->add_subcommand("revoke", "refuse a token from now on");
    token_revoke_cmd->add_option("name", o.task, "the token's name")->required();

    std::vector<std::string> reversed(args.rbegin(), args.rend());
    try {
        app.parse(reversed);
    } catch (const CLI::ParseError& e) {
        return app.exit(e, out, err);
    }

    configure_logging(o, std::nullopt, err);
    if (serve->parsed())
        return cmd_serve(o, err);
    if (check->parsed())
        return cmd_check(o, out, err);
    if (plan->parsed())
        return cmd_plan(o, out, err);
    if (complete->parsed())
        return cmd_complete(o, out, err);
    if (status->parsed())
        return cmd_status(o, out, err);
    if (send_test->parsed())
        return cmd_send_test(o, out, err);
    if (event->parsed())
        return cmd_event(o, out, err);
    if (event_facts->parsed()) {
        auto given = [&](const char* option) { return event_facts->count(option) > 0; };
        if (given("--personal-data"))
            o.facts_given.personal_data = o.facts.personal_data;
        if (given("--significant"))
            o.facts_given.significant = o.facts.significant;
        if (given("--system"))
            o.facts_given.systems = o.facts.systems;
        if (given("--supplier"))
            o.facts_given.supplier = o.facts.supplier;
        if (given("--person"))
            o.facts_given.person = o.facts.person;
        return cmd_event_facts(o, out, err);
    }
    if (sim->parsed())
        return cmd_simulate(o, out, err);
    if (wheel->parsed())
        return cmd_wheel(o, out, err);
    if (export_cmd->parsed())
        return cmd_export(o, out, err);
    if (workflows->parsed())
        return cmd_workflows(o, out, err);
    if (audit_verify->parsed())
        return cmd_audit_verify(o, out, err);
    if (audit_export->parsed())
        return cmd_audit_export(o, out, err);
    if (backup->parsed())
        return cmd_backup(o, out, err);
    if (db_check->parsed())
        return cmd_db_check(o, out, err);
    if (token_add_cmd->parsed())
        return token_add(config_path(o), o.token, clock, out, err);
    if (token_list_cmd->parsed())
        return token_list(config_path(o), clock, out, err);
    if (token_revoke_cmd->parsed())
        return token_revoke(config_path(o), o.task, clock, out, err);
    return kExitFailure;
}

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    const SystemClock clock;
    return run(args, out, err, clock);
}

int run(int argc, char** argv) {
    // The hidden worker command: the daemon's Lua worker process (worker/worker_main.h).
    worker::run_worker_if_asked(argc, argv);
    std::vector<std::string> args(argv + 1, argv + argc);
    return run(args, std::cout, std::cerr);
}

} // namespace aarshjul::cli

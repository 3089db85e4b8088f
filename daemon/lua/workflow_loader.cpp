#include "lua/workflow_loader.h"

#include <algorithm>
#include <map>
#include <openssl/evp.h>
#include <system_error>
#include <utility>

namespace aarshjul {

namespace {

constexpr const char* kDslModule = "aarshjul.dsl";

// Reads the plain tables that lua/aarshjul/dsl.lua registers. The DSL has
// checked them already, so a mismatch here is a bug in the DSL, reported as
// such at the workflow's position.
class DefinitionReader {
public:
    DefinitionReader(std::string file, int line) : m_file(std::move(file)), m_line(line) {}

    Error fail(const std::string& what) const {
        return Error::at(m_file, m_line,
                         m_prefix + "internal error in " + kDslModule + ": " + what);
    }
    void set_id(const std::string& id) { m_prefix = "workflow " + id + ": "; }

    Result<const LuaTable*> table(const LuaTable& parent, std::string_view name) const {
        const LuaValue* v = parent.field(name);
        if (!v || !v->as_table())
            return fail("field '" + std::string(name) + "' is not a table");
        return v->as_table();
    }
    Result<std::string> string(const LuaTable& parent, std::string_view name) const {
        const LuaValue* v = parent.field(name);
        if (!v || !v->as_string())
            return fail("field '" + std::string(name) + "' is not a string");
        return *v->as_string();
    }
    Result<int> integer(const LuaValue& v, std::string_view name) const {
        auto n = v.as_integer();
        if (!n || *n < 0 || *n > 1'000'000)
            return fail("field '" + std::string(name) +
                        "' is not a whole number from 0 to 1000000");
        return static_cast<int>(*n);
    }
    Result<int> integer(const LuaTable& parent, std::string_view name) const {
        const LuaValue* v = parent.field(name);
        if (!v)
            return fail("field '" + std::string(name) + "' is missing");
        return integer(*v, name);
    }
    Result<LocalDate> date(const std::string& text, std::string_view name) const {
        auto day = parse_local_date(text);
        if (!day)
            return fail("field '" + std::string(name) + "' is not a date: " + text);
        return *day;
    }
    Result<LocalizedText> text(const LuaTable& parent, std::string_view name) const {
        AARSHJUL_TRY_ASSIGN(const LuaTable* t, table(parent, name));
        AARSHJUL_TRY_ASSIGN(std::string da, string(*t, "da"));
        AARSHJUL_TRY_ASSIGN(std::string en, string(*t, "en"));
        return LocalizedText{std::move(da), std::move(en)};
    }

private:
    std::string m_file;
    int m_line;
    std::string m_prefix;
};

Result<WorkflowDef> to_workflow(const LuaValue& value, const std::string& fallback_file) {
    const LuaTable* t = value.as_table();
    std::string file = fallback_file;
    int line = 0;
    if (t) {
        if (auto* f = t->field("file"); f && f->as_string())
            file = *f->as_string();
        if (auto* l = t->field("line"); l && l->as_integer())
            line = static_cast<int>(*l->as_integer());
    }
    DefinitionReader r(file, line);
    if (!t)
        return r.fail("a definition is a " + value.type_name() + ", not a table");

    WorkflowDef def;
    def.file = file;
    def.line = line;
    AARSHJUL_TRY_ASSIGN(def.id, r.string(*t, "id"));
    r.set_id(def.id);
    AARSHJUL_TRY_ASSIGN(def.title, r.text(*t, "title"));
    AARSHJUL_TRY_ASSIGN(def.description, r.text(*t, "description"));
    AARSHJUL_TRY_ASSIGN(def.source, r.string(*t, "source"));

    AARSHJUL_TRY_ASSIGN(const LuaTable* assignee, r.table(*t, "assignee"));
    AARSHJUL_TRY_ASSIGN(std::string assignee_kind, r.string(*assignee, "kind"));
    if (assignee_kind != "role" && assignee_kind != "person")
        return r.fail("unknown assignee kind '" + assignee_kind + "'");
    def.assignee.kind =
        assignee_kind == "role" ? AssigneeRef::Kind::Role : AssigneeRef::Kind::Person;
    AARSHJUL_TRY_ASSIGN(def.assignee.id, r.string(*assignee, "id"));

    AARSHJUL_TRY_ASSIGN(const LuaTable* for_each, r.table(*t, "for_each"));
    AARSHJUL_TRY_ASSIGN(std::string for_each_kind, r.string(*for_each, "kind"));
    if (for_each_kind != "once" && for_each_kind != "systems")
        return r.fail("unknown for_each kind '" + for_each_kind + "'");
    def.for_each.kind = for_each_kind == "systems" ? ForEach::Kind::Systems : ForEach::Kind::Once;
    AARSHJUL_TRY_ASSIGN(const LuaTable* criticality, r.table(*for_each, "criticality"));
    for (const auto& c : criticality->array) {
        if (!c.as_string())
            return r.fail("a criticality is not a string");
        def.for_each.criticality.push_back(*c.as_string());
    }

    AARSHJUL_TRY_ASSIGN(const LuaTable* schedule, r.table(*t, "schedule"));
    AARSHJUL_TRY_ASSIGN(def.schedule.rrule, r.string(*schedule, "rrule"));
    AARSHJUL_TRY_ASSIGN(std::string from, r.string(*schedule, "from"));
    AARSHJUL_TRY_ASSIGN(def.schedule.anchor, r.date(from, "schedule.from"));
    if (schedule->field("valid_until")) {
        AARSHJUL_TRY_ASSIGN(std::string until, r.string(*schedule, "valid_until"));
        AARSHJUL_TRY_ASSIGN(def.schedule.valid_until, r.date(until, "schedule.valid_until"));
    }

    AARSHJUL_TRY_ASSIGN(def.due_days, r.integer(*t, "due_days"));
    // Without a `remind` the configured default ladder applies.
    def.remind_is_default = t->field("remind") == nullptr;
    if (!def.remind_is_default) {
        AARSHJUL_TRY_ASSIGN(const LuaTable* remind, r.table(*t, "remind"));
        AARSHJUL_TRY_ASSIGN(const LuaTable* before_due, r.table(*remind, "before_due"));
        for (const auto& n : before_due->array) {
            AARSHJUL_TRY_ASSIGN(int days, r.integer(n, "remind.before_due"));
            def.remind.before_due_days.push_back(days);
        }
        AARSHJUL_TRY_ASSIGN(def.remind.overdue_every_days, r.integer(*remind, "overdue_every"));
    }
    def.content_hash = workflow_content_hash(def);
    return def;
}

// Appends "name=<length>:<bytes>\n": the length prefix keeps any value unambiguous.
void put(std::string& out, std::string_view name, std::string_view value) {
    out.append(name)
        .append("=")
        .append(std::to_string(value.size()))
        .append(":")
        .append(value)
        .append("\n");
}

std::string hex_sha256(const std::string& data) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1)
        return {};
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(length * 2);
    for (unsigned int i = 0; i < length; ++i) {
        hex.push_back(kHex[digest[i] >> 4]);
        hex.push_back(kHex[digest[i] & 0xF]);
    }
    return hex;
}

std::string position(const WorkflowDef& def) {
    return def.file + ":" + std::to_string(def.line);
}

} // namespace

std::string workflow_content_hash(const WorkflowDef& w) {
    std::string out = "aarshjul-workflow-v1\n";
    put(out, "id", w.id);
    put(out, "title.da", w.title.da);
    put(out, "title.en", w.title.en);
    put(out, "description.da", w.description.da);
    put(out, "description.en", w.description.en);
    put(out, "source", w.source);
    put(out, "assignee.kind", w.assignee.kind == AssigneeRef::Kind::Role ? "role" : "person");
    put(out, "assignee.id", w.assignee.id);
    put(out, "for_each.kind", w.for_each.kind == ForEach::Kind::Systems ? "systems" : "once");
    put(out, "for_each.criticality", std::to_string(w.for_each.criticality.size()));
    for (const auto& c : w.for_each.criticality)
        put(out, "for_each.criticality[]", c);
    put(out, "schedule.rrule", w.schedule.rrule);
    put(out, "schedule.anchor", format_local_date(w.schedule.anchor));
    put(out, "schedule.valid_until",
        w.schedule.valid_until ? format_local_date(*w.schedule.valid_until) : std::string("-"));
    put(out, "due_days", std::to_string(w.due_days));
    put(out, "remind.before_due_days", std::to_string(w.remind.before_due_days.size()));
    for (int d : w.remind.before_due_days)
        put(out, "remind.before_due_days[]", std::to_string(d));
    put(out, "remind.overdue_every_days", std::to_string(w.remind.overdue_every_days));
    put(out, "remind_is_default", w.remind_is_default ? "1" : "0");
    return hex_sha256(out);
}

WorkflowLoadReport load_workflows(const WorkflowLoadOptions& options) {
    WorkflowLoadReport report;
    const auto& dir = options.workflows_dir;
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
        report.errors.push_back(Error::at(dir.string(), 0, "workflow folder not found"));
        return report;
    }
    std::vector<std::filesystem::path> files;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".lua" && it->is_regular_file(ec))
            files.push_back(dir / it->path().filename());
    if (ec) {
        report.errors.push_back(
            Error::at(dir.string(), 0, "cannot read workflow folder: " + ec.message()));
        return report;
    }
    if (files.empty()) {
        report.errors.push_back(Error::at(dir.string(), 0, "no workflows in " + dir.string()));
        return report;
    }
    std::sort(files.begin(), files.end(),
              [](const auto& a, const auto& b) { return a.filename() < b.filename(); });

    std::map<std::string, std::string> first_at; // id -> "file:line"
    std::vector<WorkflowDef> loaded;
    RunOptions run;
    run.prelude = {kDslModule};
    for (const auto& file : files) {
        auto sandbox = Sandbox::create(options.lua_dir, options.limits);
        if (!sandbox.ok()) {
            report.errors.push_back(sandbox.take_error());
            return report;
        }
        auto ran = (*sandbox)->run_file(file, run);
        if (!ran.ok())
            report.errors.push_back(ran.take_error());
        // Definitions registered before an error are still valid ones.
        auto defs = (*sandbox)->call_module_function(kDslModule, "_definitions");
        if (!defs.ok()) {
            if (ran.ok())
                report.errors.push_back(defs.take_error());
            continue;
        }
        const LuaTable* list = defs->as_table();
        if (!list) {
            report.errors.push_back(Error::at(
                file.string(), 0, std::string(kDslModule) + "._definitions() is not a list"));
            continue;
        }
        for (const auto& item : list->array) {
            auto def = to_workflow(item, file.string());
            if (!def.ok())
                report.errors.push_back(def.take_error());
            else
                loaded.push_back(std::move(def).value());
        }
    }
    // Duplicates: the first definition wins and the later one is the error.
    for (auto& def : loaded) {
        auto [it, fresh] = first_at.emplace(def.id, position(def));
        if (!fresh) {
            report.errors.push_back(Error::at(def.file, def.line,
                                              "duplicate workflow id '" + def.id +
                                                  "' (first defined at " + it->second + ")"));
            continue;
        }
        report.workflows.push_back(std::move(def));
    }
    if (report.workflows.empty() && report.errors.empty())
        report.errors.push_back(Error::at(dir.string(), 0, "no workflows in " + dir.string()));
    return report;
}

} // namespace aarshjul

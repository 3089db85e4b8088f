// SPDX-License-Identifier: MPL-2.0
#include "worker/protocol.h"

#include "model/workflow_codec.h"
#include "util/field_record.h"
#include "util/utf8.h"

namespace aarshjul::worker {

namespace {

constexpr std::string_view kRequestHeader = "aarshjul-worker-request-v1\n";
constexpr std::string_view kReplyHeader = "aarshjul-worker-reply-v1\n";
constexpr std::int64_t kMaxCount = 1'000'000;
constexpr std::int64_t kMaxInt = std::int64_t{1} << 50;

void put_error(FieldWriter& out, const Error& e) {
    out.put("error.message", e.message);
    out.put("error.file", e.file);
    out.put_int("error.line", e.line);
    out.put_int("error.kind", static_cast<int>(e.kind));
    out.put("error.field", e.field);
}

Result<void> get_error(FieldReader& in, Error& e) {
    AARSHJUL_TRY_ASSIGN(auto message, in.get("error.message"));
    AARSHJUL_TRY_ASSIGN(auto file, in.get("error.file"));
    AARSHJUL_TRY_ASSIGN(auto line, in.get_int("error.line", 0, 100'000'000));
    AARSHJUL_TRY_ASSIGN(auto kind, in.get_int("error.kind", 0, static_cast<int>(ErrorKind::Io)));
    AARSHJUL_TRY_ASSIGN(auto field, in.get("error.field"));
    // Text from the worker is echoed to logs and pages: it must be UTF-8 (it is, unless
    // the worker was subverted).
    e.message = to_valid_utf8(message);
    e.file = to_valid_utf8(file);
    e.line = static_cast<int>(line);
    e.kind = static_cast<ErrorKind>(kind);
    e.field = to_valid_utf8(field);
    return {};
}

} // namespace

std::string encode_request(const Request& r) {
    FieldWriter out{std::string(kRequestHeader)};
    out.put("kind", r.kind == Request::Kind::Load ? "load" : "hook");
    out.put_int("limits.instructions", static_cast<std::int64_t>(r.limits.instruction_budget));
    out.put_int("limits.memory", static_cast<std::int64_t>(r.limits.memory_cap_bytes));
    out.put_int("limits.wall_ms", r.limits.wall_deadline.count());
    out.put_int("limits.string", static_cast<std::int64_t>(r.limits.max_string_bytes));
    out.put("library.dir", r.library.dir.string());
    out.put_int("library.modules", static_cast<std::int64_t>(r.library.modules.size()));
    for (const auto& [name, module] : r.library.modules) {
        out.put("module.name", name);
        out.put("module.file", module.file);
        out.put("module.source", module.source);
        out.put("module.error", module.error);
    }
    out.put_int("files", static_cast<std::int64_t>(r.files.size()));
    for (const auto& file : r.files) {
        out.put("file.path", file.path);
        out.put("file.text", file.text);
    }
    if (r.kind == Request::Kind::Hook) {
        out.put("hook.file", r.hook.file.string());
        out.put("hook.workflow", r.hook.workflow_id);
        out.put("hook.name", r.hook.hook);
        out.put_int("hook.args", static_cast<std::int64_t>(r.hook.args.size()));
        for (const auto& [key, value] : r.hook.args) {
            out.put("arg.key", key);
            out.put("arg.value", value);
        }
    }
    return out.take();
}

Result<Request> decode_request(std::string_view text) {
    FieldReader in(text, kRequestHeader);
    Request r;
    AARSHJUL_TRY_ASSIGN(auto kind, in.get("kind"));
    if (kind != "load" && kind != "hook")
        return make_error("unknown request kind");
    r.kind = kind == "load" ? Request::Kind::Load : Request::Kind::Hook;
    AARSHJUL_TRY_ASSIGN(auto instructions, in.get_int("limits.instructions", 1, kMaxInt));
    AARSHJUL_TRY_ASSIGN(auto memory, in.get_int("limits.memory", 1, kMaxInt));
    AARSHJUL_TRY_ASSIGN(auto wall, in.get_int("limits.wall_ms", 1, kMaxInt));
    AARSHJUL_TRY_ASSIGN(auto string_bytes, in.get_int("limits.string", 1, kMaxInt));
    r.limits.instruction_budget = static_cast<std::uint64_t>(instructions);
    r.limits.memory_cap_bytes = static_cast<std::size_t>(memory);
    r.limits.wall_deadline = std::chrono::milliseconds{wall};
    r.limits.max_string_bytes = static_cast<std::size_t>(string_bytes);
    AARSHJUL_TRY_ASSIGN(auto dir, in.get("library.dir"));
    r.library.dir = std::string(dir);
    AARSHJUL_TRY_ASSIGN(auto modules, in.get_int("library.modules", 0, kMaxCount));
    for (std::int64_t i = 0; i < modules; ++i) {
        AARSHJUL_TRY_ASSIGN(auto name, in.get("module.name"));
        LuaModule module;
        AARSHJUL_TRY_ASSIGN(auto file, in.get("module.file"));
        AARSHJUL_TRY_ASSIGN(auto source, in.get("module.source"));
        AARSHJUL_TRY_ASSIGN(auto error, in.get("module.error"));
        module.file = file;
        module.source = source;
        module.error = error;
        r.library.modules.emplace(std::string(name), std::move(module));
    }
    AARSHJUL_TRY_ASSIGN(auto files, in.get_int("files", 0, kMaxCount));
    for (std::int64_t i = 0; i < files; ++i) {
        AARSHJUL_TRY_ASSIGN(auto path, in.get("file.path"));
        AARSHJUL_TRY_ASSIGN(auto file_text, in.get("file.text"));
        r.files.push_back(SourceFile{std::string(path), std::string(file_text)});
    }
    if (r.kind == Request::Kind::Hook) {
        AARSHJUL_TRY_ASSIGN(auto file, in.get("hook.file"));
        AARSHJUL_TRY_ASSIGN(auto workflow, in.get("hook.workflow"));
        AARSHJUL_TRY_ASSIGN(auto name, in.get("hook.name"));
        r.hook.file = std::string(file);
        r.hook.workflow_id = workflow;
        r.hook.hook = name;
        AARSHJUL_TRY_ASSIGN(auto args, in.get_int("hook.args", 0, kMaxCount));
        for (std::int64_t i = 0; i < args; ++i) {
            AARSHJUL_TRY_ASSIGN(auto key, in.get("arg.key"));
            AARSHJUL_TRY_ASSIGN(auto value, in.get("arg.value"));
            r.hook.args.emplace(std::string(key), std::string(value));
        }
    }
    AARSHJUL_TRY(in.expect_end());
    return r;
}

std::string encode_reply(const Reply& r) {
    FieldWriter out{std::string(kReplyHeader)};
    out.put_int("items", static_cast<std::int64_t>(r.items.size()));
    for (const auto& item : r.items) {
        if (item.workflow) {
            out.put("item", "workflow");
            out.put_int("workflow.line", item.workflow->line);
            out.put("workflow.definition", encode_workflow(*item.workflow));
        } else {
            out.put("item", item.warning ? "warning" : "error");
            put_error(out, item.error);
        }
    }
    out.put_bool("failed", r.failed);
    if (r.failed)
        put_error(out, r.error);
    out.put_int("follow_ups", static_cast<std::int64_t>(r.follow_ups.size()));
    for (const auto& f : r.follow_ups)
        out.put("follow_up", encode_follow_up(f));
    return out.take();
}

Result<Reply> decode_reply(std::string_view text) {
    FieldReader in(text, kReplyHeader);
    Reply r;
    AARSHJUL_TRY_ASSIGN(auto items, in.get_int("items", 0, kMaxCount));
    for (std::int64_t i = 0; i < items; ++i) {
        AARSHJUL_TRY_ASSIGN(auto kind, in.get("item"));
        FileItem item;
        if (kind == "workflow") {
            AARSHJUL_TRY_ASSIGN(auto line, in.get_int("workflow.line", 0, 100'000'000));
            AARSHJUL_TRY_ASSIGN(auto definition, in.get("workflow.definition"));
            AARSHJUL_TRY_ASSIGN(WorkflowDef def, decode_workflow(definition));
            def.line = static_cast<int>(line);
            item.workflow = std::move(def);
        } else if (kind == "error" || kind == "warning") {
            AARSHJUL_TRY(get_error(in, item.error));
            item.warning = kind == "warning";
        } else {
            return make_error("unknown reply item");
        }
        r.items.push_back(std::move(item));
    }
    AARSHJUL_TRY_ASSIGN(r.failed, in.get_bool("failed"));
    if (r.failed)
        AARSHJUL_TRY(get_error(in, r.error));
    AARSHJUL_TRY_ASSIGN(auto follow_ups, in.get_int("follow_ups", 0, kMaxCount));
    for (std::int64_t i = 0; i < follow_ups; ++i) {
        AARSHJUL_TRY_ASSIGN(auto text_of, in.get("follow_up"));
        AARSHJUL_TRY_ASSIGN(FollowUpSpec f, decode_follow_up(text_of));
        r.follow_ups.push_back(std::move(f));
    }
    AARSHJUL_TRY(in.expect_end());
    return r;
}

std::string frame(std::string_view message) {
    std::string out = std::to_string(message.size());
    out += '\n';
    out.append(message);
    return out;
}

} // namespace aarshjul::worker

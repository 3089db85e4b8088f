// SPDX-License-Identifier: MPL-2.0
#include "worker/workflow_loader.h"

#include "lua/lua_library.h"
#include "model/workflow_check.h"
#include "worker/lua_worker.h"

#include <algorithm>
#include <map>
#include <optional>
#include <system_error>
#include <utility>

namespace aarshjul {

namespace {

std::string position(const WorkflowDef& def) {
    return def.file + ":" + std::to_string(def.line);
}

} // namespace

WorkflowLoadReport load_workflows(const WorkflowLoadOptions& options) {
    WorkflowLoadReport report;
    std::vector<std::filesystem::path> files;
    for (const auto& dir : options.workflows_dirs) {
        std::error_code ec;
        if (!std::filesystem::is_directory(dir, ec)) {
            report.errors.push_back(Error::at(dir.string(), 0, "workflow folder not found"));
            return report;
        }
        std::vector<std::filesystem::path> here;
        for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end;
             it.increment(ec))
            if (it->path().extension() == ".lua" && it->is_regular_file(ec))
                here.push_back(dir / it->path().filename());
        if (ec) {
            report.errors.push_back(
                Error::at(dir.string(), 0, "cannot read workflow folder: " + ec.message()));
            return report;
        }
        if (here.empty()) {
            report.errors.push_back(Error::at(dir.string(), 0, "no workflows in " + dir.string()));
            return report;
        }
        std::sort(here.begin(), here.end(),
                  [](const auto& a, const auto& b) { return a.filename() < b.filename(); });
        files.insert(files.end(), here.begin(), here.end());
    }
    if (files.empty()) {
        report.errors.push_back(Error::at("", 0, "no workflow folder configured"));
        return report;
    }

    std::map<std::string, std::string> first_at; // id -> "file:line"
    auto library = read_lua_library(options.lua_dir, options.limits.max_string_bytes);
    if (!library.ok()) {
        report.errors.push_back(library.take_error());
        return report;
    }
    // Files that cannot be read are reported in their place; the rest go to the worker.
    worker::Request request;
    request.kind = worker::Request::Kind::Load;
    request.limits = options.limits;
    request.library = std::move(library).value();
    std::vector<std::optional<Error>> unreadable;
    for (const auto& file : files) {
        auto text = read_source_file(file, options.limits.max_string_bytes);
        if (!text.ok()) {
            unreadable.push_back(text.take_error());
            continue;
        }
        unreadable.push_back(std::nullopt);
        request.files.push_back(worker::SourceFile{file.string(), std::move(text).value()});
    }
    std::vector<worker::Reply> replies;
    if (!request.files.empty())
        replies = worker::run_load(request, worker::default_worker_settings());

    std::vector<WorkflowDef> loaded;
    std::size_t reply = 0;
    for (const auto& error : unreadable) {
        if (error) {
            report.errors.push_back(*error);
            continue;
        }
        const std::string& file = request.files[reply].path;
        for (auto& item : replies[reply].items) {
            if (!item.workflow) {
                (item.warning ? report.warnings : report.errors).push_back(std::move(item.error));
                continue;
            }
            WorkflowDef def = std::move(*item.workflow);
            def.file = file;
            // The DSL checked the file as it ran; this is the check that counts.
            if (auto checked = check_workflow(def); !checked.ok()) {
                report.errors.push_back(checked.take_error());
                continue;
            }
            def.content_hash = workflow_content_hash(def);
            loaded.push_back(std::move(def));
        }
        ++reply;
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
    if (report.workflows.empty() && report.errors.empty()) {
        const std::string where = options.workflows_dirs.front().string();
        report.errors.push_back(Error::at(where, 0, "no workflows in " + where));
    }
    return report;
}

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#include "worker/hook_runner.h"

#include "lua/lua_library.h"
#include "model/workflow_check.h"
#include "worker/lua_worker.h"

#include <utility>

namespace aarshjul {

namespace {

bool known_hook(const std::string& hook) {
    return hook == "on_complete" || hook == "on_overdue" || hook == "on_event";
}

} // namespace

Result<std::vector<FollowUpSpec>> run_hook(const std::filesystem::path& lua_dir,
                                           const HookCall& call, SandboxLimits limits) {
    if (!known_hook(call.hook))
        return Error::at(call.file.string(), 0,
                         "unknown hook '" + call.hook +
                             "' (expected on_complete, on_overdue or on_event)");
    worker::Request request;
    request.kind = worker::Request::Kind::Hook;
    request.limits = limits;
    AARSHJUL_TRY_ASSIGN(request.library, read_lua_library(lua_dir, limits.max_string_bytes));
    AARSHJUL_TRY_ASSIGN(std::string text, read_source_file(call.file, limits.max_string_bytes));
    request.files.push_back(worker::SourceFile{call.file.string(), std::move(text)});
    request.hook = call;
    AARSHJUL_TRY_ASSIGN(std::vector<FollowUpSpec> follow_ups,
                        worker::run_hook(request, worker::default_worker_settings()));
    for (const auto& spec : follow_ups)
        if (auto checked = check_follow_up(spec); !checked.ok()) {
            Error error = checked.take_error();
            if (error.file.empty())
                error.file = call.file.string();
            return error;
        }
    return follow_ups;
}

} // namespace aarshjul

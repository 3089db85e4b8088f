#include "lua/hook_runner.h"

#include "lua/definition_reader.h"
#include "model/workflow_check.h"

#include <memory>
#include <utility>

namespace aarshjul {

namespace {

bool known_hook(const std::string& hook) {
    return hook == "on_complete" || hook == "on_overdue" || hook == "on_event";
}

// Errors raised outside the workflow file (by the DSL with no caller line)
// still name the file the hook belongs to.
Error in_file(Error error, const HookCall& call) {
    if (error.file.empty())
        error.file = call.file.string();
    return error;
}

} // namespace

Result<std::vector<FollowUpSpec>> run_hook(const std::filesystem::path& lua_dir,
                                           const HookCall& call, SandboxLimits limits) {
    if (!known_hook(call.hook))
        return Error::at(call.file.string(), 0,
                         "unknown hook '" + call.hook +
                             "' (expected on_complete, on_overdue or on_event)");
    AARSHJUL_TRY_ASSIGN(std::unique_ptr<Sandbox> sandbox, Sandbox::create(lua_dir, limits));
    RunOptions run;
    run.prelude = {kDslModule};
    auto loaded = sandbox->run_file(call.file, run);
    if (!loaded.ok())
        return in_file(loaded.take_error(), call);

    auto args = std::make_shared<LuaTable>();
    for (const auto& [key, value] : call.args)
        args->fields.emplace(key, LuaValue(value));
    const std::vector<LuaValue> arguments = {
        LuaValue(call.workflow_id), LuaValue(call.hook),
        LuaValue(std::shared_ptr<const LuaTable>(std::move(args)))};
    auto result = sandbox->call_module_function(kDslModule, "_run_hook", arguments);
    if (!result.ok())
        return in_file(result.take_error(), call);

    DefinitionReader reader(call.file.string(), 0);
    reader.set_id(call.workflow_id);
    const LuaTable* list = result->as_table();
    if (!list)
        return reader.fail("_run_hook returned a " + result->type_name() + ", not a list");
    std::vector<FollowUpSpec> follow_ups;
    for (const auto& item : list->array) {
        AARSHJUL_TRY_ASSIGN(FollowUpSpec spec, read_follow_up(reader, item));
        if (auto checked = check_follow_up(spec); !checked.ok())
            return in_file(checked.take_error(), call);
        follow_ups.push_back(std::move(spec));
    }
    return follow_ups;
}

} // namespace aarshjul

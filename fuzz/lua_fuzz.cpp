// SPDX-License-Identifier: MPL-2.0
// Fuzzes workflow evaluation: the input is one workflow file evaluated in the
// sandbox with the real DSL (lua/aarshjul/dsl.lua), in this process (as the
// Lua worker does, so coverage counts), and every definition goes through
// the canonical form the worker sends back; it yields definitions or
// errors, never a crash, and the sandbox's small budget here stops any Lua
// loop. (A C function running long is the worker's kill's to stop: the
// fuzzer's -timeout reports one.)
#include "lua/evaluation.h"
#include "model/workflow_check.h"
#include "model/workflow_codec.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

namespace {
std::shared_ptr<const aarshjul::LuaLibrary> g_library;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    auto library = aarshjul::read_lua_library(std::filesystem::path(AARSHJUL_SOURCE_DIR) / "lua",
                                              16 * 1024 * 1024);
    if (!library.ok())
        std::abort();
    g_library = std::make_shared<const aarshjul::LuaLibrary>(std::move(library).value());
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace aarshjul;
    if (size > 16 * 1024)
        return 0;
    SandboxLimits limits;
    limits.instruction_budget = 2'000'000;
    limits.wall_deadline = std::chrono::milliseconds{250};
    const std::string text(reinterpret_cast<const char*>(data), size);
    for (const auto& item : evaluate_workflow_file(g_library, "fuzz.lua", text, limits)) {
        if (!item.workflow)
            continue;
        // What the worker sends, the daemon reads back unchanged.
        auto back = decode_workflow(encode_workflow(*item.workflow));
        if (!back.ok())
            std::abort();
        back->file = item.workflow->file;
        back->line = item.workflow->line;
        if (!(*back == *item.workflow))
            std::abort();
        (void)check_workflow(*back);
    }
    return 0;
}

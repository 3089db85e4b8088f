// Fuzzes workflow loading: the input is one workflow file evaluated in the
// sandbox with the real DSL (lua/aarshjul/dsl.lua); it yields definitions or
// errors, never a crash, and the sandbox's small budget here stops any loop.
#include "lua/workflow_loader.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace {
std::filesystem::path g_dir;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    g_dir = std::filesystem::temp_directory_path() /
            ("aarshjul-fuzz-lua-" + std::to_string(::getpid()));
    std::filesystem::create_directories(g_dir);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace aarshjul;
    if (size > 16 * 1024)
        return 0;
    {
        std::ofstream out(g_dir / "fuzz.lua", std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    WorkflowLoadOptions options;
    options.workflows_dirs = {g_dir};
    options.lua_dir = std::filesystem::path(AARSHJUL_SOURCE_DIR) / "lua";
    options.limits.instruction_budget = 2'000'000;
    options.limits.wall_deadline = std::chrono::milliseconds{250};
    (void)load_workflows(options);
    return 0;
}

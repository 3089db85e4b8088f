// SPDX-License-Identifier: MPL-2.0
// Fuzzes the configuration parser: any text gives a Config or an Error with
// its file and line, never a crash.
#include "config/config.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 64 * 1024)
        return 0;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)aarshjul::parse_config(text, "/nonexistent/fuzz/aarshjul.toml");
    return 0;
}

// SPDX-License-Identifier: MPL-2.0
#include "support/temp_dir.h"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <stdlib.h>

namespace aarshjul::testing {

TempDir::TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "aarshjul-test-XXXXXX").string();
    if (!mkdtemp(pattern.data()))
        throw std::runtime_error("mkdtemp failed");
    m_path = pattern;
}

TempDir::~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
}

std::filesystem::path TempDir::write(const std::string& relative,
                                     const std::string& content) const {
    auto full = m_path / relative;
    std::filesystem::create_directories(full.parent_path());
    std::ofstream out(full, std::ios::binary);
    out << content;
    return full;
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void copy_basic_workflows(const std::filesystem::path& folder) {
    const std::filesystem::path src = AARSHJUL_SOURCE_DIR;
    std::filesystem::copy(src / "tests" / "data" / "workflows" / "basic", folder,
                          std::filesystem::copy_options::recursive);
    std::filesystem::copy_file(src / "examples" / "workflows" / "incident.lua",
                               folder / "incident.lua");
}

} // namespace aarshjul::testing

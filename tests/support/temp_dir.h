// SPDX-License-Identifier: MPL-2.0
#pragma once
// TempDir: a fresh directory under the system temp folder, removed on destruction.

#include <filesystem>
#include <string>

namespace aarshjul::testing {

class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    const std::filesystem::path& path() const { return m_path; }
    // Writes `content` to `relative` (creating folders) and returns its full path.
    std::filesystem::path write(const std::string& relative, const std::string& content) const;

private:
    std::filesystem::path m_path;
};

// Copies the fixed workflow set of the HTTP and service tests into `folder`:
// tests/data/workflows/basic and the incident example (8 workflows).
void copy_basic_workflows(const std::filesystem::path& folder);

// The contents of a file, or "" when it cannot be read.
std::string read_file(const std::filesystem::path& path);

} // namespace aarshjul::testing

// SPDX-License-Identifier: MPL-2.0
#include "store/instance_lock.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <utility>

namespace aarshjul {

namespace {

std::string host_name() {
    std::array<char, 256> name{};
    if (::gethostname(name.data(), name.size() - 1) != 0)
        return "an unknown host";
    return name.data();
}

// The value of `key` in the lock file's "key=value" lines, or "".
std::string field(const std::string& text, const std::string& key) {
    const std::string prefix = key + "=";
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t end = std::min(text.find('\n', at), text.size());
        if (text.compare(at, prefix.size(), prefix) == 0)
            return text.substr(at + prefix.size(), end - at - prefix.size());
        at = end + 1;
    }
    return {};
}

std::string read_all(int fd) {
    std::string text;
    std::array<char, 512> buffer{};
    for (off_t offset = 0;;) {
        const ssize_t n = ::pread(fd, buffer.data(), buffer.size(), offset);
        if (n <= 0)
            return text;
        text.append(buffer.data(), static_cast<std::size_t>(n));
        offset += n;
    }
}

// Call with errno still that of the failed call.
Error io_error(const std::filesystem::path& path, const char* what) {
    const int error = errno;
    return make_error(ErrorKind::Io, path.string() + ": " + what + ": " + std::strerror(error));
}

} // namespace

std::filesystem::path InstanceLock::path_for(const std::filesystem::path& database) {
    return std::filesystem::path(database.string() + ".lock");
}

Result<InstanceLock> InstanceLock::acquire(const std::filesystem::path& database,
                                           const std::string& since) {
    const auto path = path_for(database);
    if (path.has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(path.parent_path(), ec);
        if (ec)
            return make_error(ErrorKind::Io,
                              path.parent_path().string() +
                                  ": cannot create the database folder: " + ec.message());
    }
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return io_error(path, "cannot open the lock file");
    InstanceLock lock(fd);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK)
            return io_error(path, "cannot lock");
        const std::string text = read_all(fd);
        const std::string pid = field(text, "pid");
        std::string holder = "another aarshjul (it is starting)";
        if (!pid.empty())
            holder = "aarshjul pid " + pid + " on " + field(text, "host") + " since " +
                     field(text, "since");
        return make_error(ErrorKind::Busy, "database " + database.string() + " is in use by " +
                                               holder + " (" + path.string() + ")");
    }
    const std::string text =
        "pid=" + std::to_string(::getpid()) + "\nhost=" + host_name() + "\nsince=" + since + "\n";
    if (::ftruncate(fd, 0) != 0)
        return io_error(path, "cannot write the lock file");
    if (::pwrite(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size()))
        return io_error(path, "cannot write the lock file");
    return lock;
}

InstanceLock::InstanceLock(InstanceLock&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}

InstanceLock& InstanceLock::operator=(InstanceLock&& other) noexcept {
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
}

InstanceLock::~InstanceLock() {
    if (m_fd >= 0)
        ::close(m_fd); // closing the last descriptor releases the flock
}

} // namespace aarshjul

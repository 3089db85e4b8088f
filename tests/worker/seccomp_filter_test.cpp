// SPDX-License-Identifier: MPL-2.0
#include "worker/seccomp_filter.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <functional>
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace aarshjul::worker {
namespace {

// How a child that installed the filter and then ran `attempt` ended.
struct Ending {
    bool exited = false;
    int code = -1;  // exit status when exited
    int signal = 0; // the signal that ended it otherwise
};

// Forks; the child installs the filter, runs `attempt` and exits with its
// result (0: the call was refused with EPERM, 1: it succeeded, 2: another error).
Ending after_filter(const std::function<int()>& attempt) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        if (!install_worker_filter().ok())
            ::_exit(9);
        ::_exit(attempt());
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    Ending e;
    e.exited = WIFEXITED(status);
    e.code = e.exited ? WEXITSTATUS(status) : -1;
    e.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    return e;
}

int refused(long result) {
    if (result >= 0)
        return 1;
    return errno == EPERM ? 0 : 2;
}

// After the filter the worker opens no file: open() fails with EPERM, even
// for a file it could read before.
TEST(SeccompFilter, OpenFailsWithEperm) {
    const int before = ::open("/etc/hostname", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(before, 0);
    ::close(before);
    const Ending e = after_filter([] { return refused(::open("/etc/hostname", O_RDONLY)); });
    EXPECT_TRUE(e.exited);
    EXPECT_EQ(e.code, 0) << "open was not refused with EPERM";
    const Ending creat = after_filter(
        [] { return refused(::open("/tmp/aarshjul-seccomp-test", O_WRONLY | O_CREAT, 0600)); });
    EXPECT_EQ(creat.code, 0);
    EXPECT_FALSE(::access("/tmp/aarshjul-seccomp-test", F_OK) == 0);
}

// Making a socket, starting a process or a program kills the worker at once.
TEST(SeccompFilter, SocketForkAndExecKillTheProcess) {
    const struct {
        const char* name;
        std::function<int()> attempt;
    } cases[] = {
        {"socket", [] { return refused(::socket(AF_INET, SOCK_STREAM, 0)); }},
        {"socketpair",
         [] {
             int fds[2];
             return refused(::socketpair(AF_UNIX, SOCK_STREAM, 0, fds));
         }},
        {"fork", [] { return refused(::fork()); }},
        {"execve",
         [] {
             char sh[] = "/bin/sh";
             char* argv[] = {sh, nullptr};
             return refused(::execve("/bin/sh", argv, nullptr));
         }},
        {"kill", [] { return refused(::kill(::getppid(), SIGTERM)); }},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const Ending e = after_filter(c.attempt);
        EXPECT_FALSE(e.exited) << "exited with " << e.code;
        EXPECT_EQ(e.signal, SIGSYS);
    }
}

// What the worker needs still works: its own fds, memory, the clock; writing
// to any other descriptor and executable memory are refused.
TEST(SeccompFilter, LeavesTheWorkerItsPipeMemoryAndClock) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const Ending e = after_filter([&] {
        void* block =
            ::mmap(nullptr, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (block == MAP_FAILED)
            return 3;
        static_cast<char*>(block)[0] = 1;
        ::munmap(block, 1 << 20);
        timespec now{};
        if (::clock_gettime(CLOCK_MONOTONIC, &now) != 0)
            return 4;
        if (::write(2, "", 0) != 0)
            return 5;
#if !defined(__SANITIZE_ADDRESS__)
        // Sanitizer builds let the worker write to pipes of its own (the
        // sanitizers' memory checks need it; see seccomp_filter.cpp).
        if (refused(::write(fds[1], "x", 1)) != 0)
            return 6;
#endif
        void* code =
            ::mmap(nullptr, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (code != MAP_FAILED)
            return 7;
        return 0;
    });
    ::close(fds[0]);
    ::close(fds[1]);
    EXPECT_TRUE(e.exited) << "signal " << e.signal;
    EXPECT_EQ(e.code, 0);
}

} // namespace
} // namespace aarshjul::worker

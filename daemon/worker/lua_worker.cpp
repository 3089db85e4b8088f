// SPDX-License-Identifier: MPL-2.0
#include "worker/lua_worker.h"

#include "worker/seccomp_filter.h"
#include "worker/worker_main.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace aarshjul::worker {

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

// A worker starts, reads its request and answers Ready well within this.
constexpr auto kStartTimeout = 10s;

// Owns a file descriptor.
class Fd {
public:
    explicit Fd(int fd = -1) : m_fd(fd) {}
    ~Fd() { reset(); }
    Fd(Fd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    Fd& operator=(Fd&&) = delete;
    int get() const { return m_fd; }
    void reset() {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }

private:
    int m_fd;
};

std::string signal_text(int signal) {
    switch (signal) {
    case SIGSYS:
        return "signal " + std::to_string(signal) + ": a forbidden system call";
    case SIGXCPU:
        return "signal " + std::to_string(signal) + ": its CPU time limit";
    case SIGKILL:
        return "signal " + std::to_string(signal) + ": killed";
    case SIGABRT:
        return "signal " + std::to_string(signal) + ": aborted, e.g. out of memory";
    default:
        return "signal " + std::to_string(signal);
    }
}

// One worker process on a socket pair; killed and reaped on destruction.
class Process {
public:
    static Result<std::unique_ptr<Process>> start(const WorkerSettings& settings,
                                                  const WorkerRlimits& limits) {
        int fds[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
            return make_error(std::string("lua worker: socketpair: ") + std::strerror(errno));
        Fd mine(fds[0]);
        Fd theirs(fds[1]);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, theirs.get(), 0);
        posix_spawn_file_actions_adddup2(&actions, theirs.get(), 1);
        posix_spawnattr_t attr;
        posix_spawnattr_init(&attr);
        // Default signal dispositions and an empty mask, whatever the daemon set.
        sigset_t none;
        sigset_t all;
        sigemptyset(&none);
        sigfillset(&all);
        posix_spawnattr_setsigmask(&attr, &none);
        posix_spawnattr_setsigdefault(&attr, &all);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
        const std::string program = settings.program.string();
        char arg0[] = "aarshjul";
        std::string command = kWorkerCommand;
        char* argv[] = {arg0, command.data(), nullptr};
        pid_t pid = 0;
        const int spawned = ::posix_spawn(&pid, program.c_str(), &actions, &attr, argv, environ);
        posix_spawn_file_actions_destroy(&actions);
        posix_spawnattr_destroy(&attr);
        if (spawned != 0)
            return make_error("lua worker: cannot start " + program + ": " +
                              std::strerror(spawned));
        std::unique_ptr<Process> process(new Process(pid, std::move(mine)));
        if (auto capped = apply_rlimits(pid, limits); !capped.ok())
            return capped.take_error();
        return process;
    }

    ~Process() {
        kill();
        reap();
    }

    // Sends all of `data` by `deadline`.
    Result<void> send(std::string_view data, Clock::time_point deadline) {
        while (!data.empty()) {
            AARSHJUL_TRY(wait_for(POLLOUT, deadline));
            const ssize_t n =
                ::send(m_fd.get(), data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            if (n <= 0)
                return ended();
            data.remove_prefix(static_cast<std::size_t>(n));
        }
        return {};
    }

    // The next frame by `deadline`, at most `max_bytes`.
    Result<std::string> receive(Clock::time_point deadline, std::size_t max_bytes) {
        for (;;) {
            const std::size_t newline = m_buffer.find('\n');
            if (newline != std::string::npos) {
                std::size_t length = 0;
                for (std::size_t i = 0; i < newline; ++i) {
                    const char c = m_buffer[i];
                    if (c < '0' || c > '9' || i > 12)
                        return malformed("a bad frame");
                    length = length * 10 + static_cast<std::size_t>(c - '0');
                }
                if (newline == 0 || length > max_bytes)
                    return malformed("a reply of more than " + std::to_string(max_bytes) +
                                     " bytes");
                if (m_buffer.size() - newline - 1 >= length) {
                    std::string message = m_buffer.substr(newline + 1, length);
                    m_buffer.erase(0, newline + 1 + length);
                    return message;
                }
            } else if (m_buffer.size() > 16) {
                return malformed("a bad frame");
            }
            AARSHJUL_TRY(wait_for(POLLIN, deadline));
            char chunk[65536];
            const ssize_t n = ::recv(m_fd.get(), chunk, sizeof chunk, MSG_DONTWAIT);
            if (n < 0 && (errno == EAGAIN || errno == EINTR))
                continue;
            if (n <= 0)
                return ended();
            m_buffer.append(chunk, static_cast<std::size_t>(n));
        }
    }

    bool timed_out() const { return m_timed_out; }

private:
    Process(pid_t pid, Fd fd) : m_pid(pid), m_fd(std::move(fd)) {}

    Result<void> wait_for(short events, Clock::time_point deadline) {
        for (;;) {
            const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
            if (left <= 0ms) {
                m_timed_out = true;
                kill();
                return make_error("deadline");
            }
            pollfd p{m_fd.get(), events, 0};
            const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
            if (ready < 0 && errno == EINTR)
                continue;
            if (ready < 0)
                return make_error(std::string("poll: ") + std::strerror(errno));
            if (ready > 0)
                return {};
        }
    }

    void kill() {
        if (m_pid > 0 && !m_reaped)
            ::kill(m_pid, SIGKILL);
    }

    // Waits for the process and describes how it ended.
    std::string reap() {
        if (m_pid <= 0 || m_reaped)
            return m_end;
        int status = 0;
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
        }
        m_reaped = true;
        if (WIFSIGNALED(status))
            m_end = "the Lua worker ended (" + signal_text(WTERMSIG(status)) + ")";
        else if (WIFEXITED(status))
            m_end = "the Lua worker exited with status " + std::to_string(WEXITSTATUS(status));
        return m_end;
    }

    Error ended() {
        kill(); // it closed its end early, so it is of no more use
        return make_error(reap());
    }

    Error malformed(const std::string& what) {
        kill();
        reap();
        return make_error("the Lua worker sent " + what);
    }

    pid_t m_pid;
    Fd m_fd;
    std::string m_buffer;
    bool m_reaped = false;
    bool m_timed_out = false;
    std::string m_end;
};

std::chrono::milliseconds grace(std::chrono::milliseconds wall) {
    return std::max<std::chrono::milliseconds>(20ms, wall / 20);
}

WorkerRlimits rlimits_for(const Request& request, std::size_t evaluations,
                          const WorkerSettings& settings) {
    WorkerRlimits limits;
    const auto wall = request.limits.wall_deadline + grace(request.limits.wall_deadline);
    limits.cpu =
        std::chrono::ceil<std::chrono::seconds>(wall * static_cast<long>(evaluations)) + 1s;
    limits.address_space_bytes = settings.address_space_base_bytes +
                                 4 * request.limits.memory_cap_bytes + 2 * settings.max_reply_bytes;
    return limits;
}

// Starts a worker on `request` and waits for its Ready.
Result<std::unique_ptr<Process>> start(const Request& request, std::size_t evaluations,
                                       const WorkerSettings& settings) {
    AARSHJUL_TRY_ASSIGN(auto process,
                        Process::start(settings, rlimits_for(request, evaluations, settings)));
    const auto deadline = Clock::now() + kStartTimeout;
    if (auto sent = process->send(frame(encode_request(request)), deadline); !sent.ok())
        return make_error("the Lua worker did not take its request: " + sent.error().message);
    auto ready = process->receive(deadline, 1024);
    if (!ready.ok())
        return make_error("the Lua worker did not start: " + ready.error().message);
    if (*ready != kReady)
        return make_error("the Lua worker did not start: it sent no Ready");
    return process;
}

// Why the worker gave no reply for `file`.
Error no_reply(const std::string& file, const Process& process, const Error& why,
               std::chrono::milliseconds wall) {
    if (process.timed_out())
        return Error::at(file, 0,
                         "stopped after " + std::to_string(wall.count()) +
                             " ms (the Lua worker was killed at its wall-clock deadline)");
    return Error::at(file, 0, why.message);
}

} // namespace

WorkerSettings& default_worker_settings() {
    static WorkerSettings settings;
    return settings;
}

std::vector<Reply> run_load(const Request& request, const WorkerSettings& settings) {
    std::vector<Reply> replies(request.files.size());
    const auto wall = request.limits.wall_deadline;
    std::size_t next = 0;
    while (next < request.files.size()) {
        Request part;
        part.kind = Request::Kind::Load;
        part.limits = request.limits;
        part.library = request.library;
        part.files.assign(request.files.begin() + static_cast<std::ptrdiff_t>(next),
                          request.files.end());
        auto process = start(part, part.files.size(), settings);
        if (!process.ok()) {
            // Nothing can be evaluated: every remaining file says why.
            for (; next < request.files.size(); ++next)
                replies[next].items.push_back(FileItem{
                    std::nullopt, Error::at(request.files[next].path, 0, process.error().message)});
            break;
        }
        for (; next < request.files.size(); ++next) {
            const std::string& file = request.files[next].path;
            auto message =
                (*process)->receive(Clock::now() + wall + grace(wall), settings.max_reply_bytes);
            if (!message.ok()) {
                replies[next].items.push_back(
                    FileItem{std::nullopt, no_reply(file, **process, message.error(), wall)});
                ++next;
                break; // a fresh worker for the files after it
            }
            auto reply = decode_reply(*message);
            if (!reply.ok()) {
                replies[next].items.push_back(FileItem{
                    std::nullopt,
                    Error::at(file, 0,
                              "the Lua worker sent a malformed reply: " + reply.error().message)});
                ++next;
                break;
            }
            replies[next] = std::move(reply).value();
        }
    }
    return replies;
}

Result<std::vector<FollowUpSpec>> run_hook(const Request& request, const WorkerSettings& settings) {
    const std::string file = request.hook.file.string();
    const auto wall = request.limits.wall_deadline;
    auto process = start(request, 1, settings);
    if (!process.ok())
        return Error::at(file, 0, process.error().message);
    auto message = (*process)->receive(Clock::now() + wall + grace(wall), settings.max_reply_bytes);
    if (!message.ok())
        return no_reply(file, **process, message.error(), wall);
    auto reply = decode_reply(*message);
    if (!reply.ok())
        return Error::at(file, 0,
                         "the Lua worker sent a malformed reply: " + reply.error().message);
    if (reply->failed)
        return std::move(reply->error);
    return std::move(reply->follow_ups);
}

} // namespace aarshjul::worker

// SPDX-License-Identifier: MPL-2.0
#include "worker/worker_main.h"

#include "lua/evaluation.h"
#include "worker/protocol.h"
#include "worker/seccomp_filter.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <linux/close_range.h>
#include <string>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace aarshjul::worker {

namespace {

// The largest request the worker reads: the library and every workflow file.
constexpr std::size_t kMaxRequestBytes = 512 * 1024 * 1024;

[[noreturn]] void die(const char* what) {
    const std::string line = std::string("aarshjul lua-worker: ") + what + "\n";
    (void)!::write(2, line.data(), line.size());
    ::_exit(3);
}

bool write_all(std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::write(1, data.data(), data.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

bool read_exact(char* out, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::read(0, out, size);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        out += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

// "<length>\n<bytes>" from fd 0.
bool read_frame(std::string& out) {
    std::size_t length = 0;
    for (int digits = 0;; ++digits) {
        char c = 0;
        if (!read_exact(&c, 1) || digits > 12)
            return false;
        if (c == '\n' && digits > 0)
            break;
        if (c < '0' || c > '9')
            return false;
        length = length * 10 + static_cast<std::size_t>(c - '0');
    }
    if (length > kMaxRequestBytes)
        return false;
    out.resize(length);
    return read_exact(out.data(), length);
}

} // namespace

void run_worker() {
    // Dies with the daemon; a daemon gone already (re-parented) means nobody reads.
    const pid_t parent = ::getppid();
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent)
        ::_exit(3);
    // Nothing of the daemon's but the socket on 0 and 1, and stderr.
    ::syscall(SYS_close_range, 3U, ~0U, 0U);
    // glibc reads the zone file on the first localtime (os.date): read it now.
    ::tzset();
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    (void)::localtime_r(&now, &local);
    if (auto filtered = install_worker_filter(); !filtered.ok())
        die(filtered.error().message.c_str());

    std::string text;
    if (!read_frame(text))
        die("no request");
    auto request = decode_request(text);
    if (!request.ok())
        die(request.error().message.c_str());
    std::string().swap(text);
    if (!write_all(frame(kReady)))
        ::_exit(3);
    auto library = std::make_shared<const LuaLibrary>(std::move(request->library));
    if (request->kind == Request::Kind::Load) {
        for (const auto& file : request->files) {
            Reply reply;
            reply.items = evaluate_workflow_file(library, file.path, file.text, request->limits);
            if (!write_all(frame(encode_reply(reply))))
                ::_exit(3);
        }
    } else {
        Reply reply;
        const std::string_view source =
            request->files.empty() ? std::string_view() : request->files.front().text;
        auto follow_ups = evaluate_hook(library, request->hook, source, request->limits);
        if (follow_ups.ok()) {
            reply.follow_ups = std::move(follow_ups).value();
        } else {
            reply.failed = true;
            reply.error = follow_ups.take_error();
        }
        if (!write_all(frame(encode_reply(reply))))
            ::_exit(3);
    }
    ::_exit(0);
}

void run_worker_if_asked(int argc, char** argv) {
    if (argc >= 2 && std::strcmp(argv[1], kWorkerCommand) == 0)
        run_worker();
}

} // namespace aarshjul::worker

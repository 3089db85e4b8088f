// SPDX-License-Identifier: MPL-2.0
#include "worker/seccomp_filter.h"

#include <cerrno>
#include <cstring>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/resource.h>

#if defined(__SANITIZE_ADDRESS__)
#define AARSHJUL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define AARSHJUL_ASAN 1
#endif
#endif

namespace aarshjul::worker {

namespace {

// "The first argument equals `value`": SCMP_A0(SCMP_CMP_EQ, value) spelled
// out, since the macro's two-argument form leaves a field to the compiler's
// zero (which clang's -Wmissing-field-initializers refuses).
scmp_arg_cmp first_argument_is(scmp_datum_t value) {
    return scmp_arg_cmp{0, SCMP_CMP_EQ, value, 0};
}

// Owns a libseccomp context.
class Filter {
public:
    explicit Filter(std::uint32_t default_action) : m_ctx(seccomp_init(default_action)) {}
    ~Filter() {
        if (m_ctx)
            seccomp_release(m_ctx);
    }
    Filter(const Filter&) = delete;
    Filter& operator=(const Filter&) = delete;
    scmp_filter_ctx get() const { return m_ctx; }

private:
    scmp_filter_ctx m_ctx;
};

} // namespace

Result<void> install_worker_filter() {
    Filter filter(SCMP_ACT_ERRNO(EPERM));
    if (!filter.get())
        return make_error("seccomp_init failed");
    int rc = 0;
    auto allow = [&](int syscall) {
        if (rc == 0)
            rc = seccomp_rule_add(filter.get(), SCMP_ACT_ALLOW, syscall, 0);
    };
    auto allow_if = [&](int syscall, scmp_arg_cmp cmp) {
        if (rc == 0)
            rc = seccomp_rule_add(filter.get(), SCMP_ACT_ALLOW, syscall, 1, cmp);
    };
    auto kill = [&](int syscall) {
        if (rc == 0)
            rc = seccomp_rule_add(filter.get(), SCMP_ACT_KILL_PROCESS, syscall, 0);
    };
    // Its socket: requests in on fd 0, replies out on fd 1, diagnostics on fd 2.
    allow_if(SCMP_SYS(read), first_argument_is(0));
    allow_if(SCMP_SYS(write), first_argument_is(1));
    allow_if(SCMP_SYS(write), first_argument_is(2));
#if AARSHJUL_ASAN
    // The sanitizers test whether memory is readable by writing it into a pipe
    // of their own (sanitizer_common's IsAccessibleMemoryRange, used by UBSan's
    // vptr check): without pipe2 and write to that pipe every dynamic type
    // check fails as "invalid vptr". And ASan reads the alternate signal stack
    // at every longjmp (a Lua error). Sanitizer builds only; neither opens a file.
    allow(SCMP_SYS(sigaltstack));
    allow(SCMP_SYS(pipe2));
    allow(SCMP_SYS(pipe));
    allow(SCMP_SYS(write));
#endif
    // Memory, never executable.
    allow(SCMP_SYS(brk));
    allow_if(SCMP_SYS(mmap), SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
    allow_if(SCMP_SYS(mprotect), SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0));
    allow(SCMP_SYS(munmap));
    allow(SCMP_SYS(mremap));
    allow(SCMP_SYS(madvise));
    // The clock (os.time, os.clock, the sandbox's deadline) when the vDSO is not used.
    allow(SCMP_SYS(clock_gettime));
    allow(SCMP_SYS(clock_getres));
    allow(SCMP_SYS(gettimeofday));
    allow(SCMP_SYS(time));
    // An uncontended lock never needs the kernel; a contended one does (sanitizers).
    allow(SCMP_SYS(futex));
    allow(SCMP_SYS(sched_yield));
    // abort() and the end.
    allow(SCMP_SYS(rt_sigprocmask));
    allow(SCMP_SYS(rt_sigreturn));
    allow(SCMP_SYS(getpid));
    allow(SCMP_SYS(gettid));
    allow(SCMP_SYS(tgkill));
    allow(SCMP_SYS(close));
    allow(SCMP_SYS(exit));
    allow(SCMP_SYS(exit_group));
    // What only an escape would try: the process dies at once.
    for (int syscall :
         {SCMP_SYS(execve), SCMP_SYS(execveat), SCMP_SYS(fork), SCMP_SYS(vfork), SCMP_SYS(clone),
          SCMP_SYS(clone3), SCMP_SYS(socket), SCMP_SYS(socketpair), SCMP_SYS(connect),
          SCMP_SYS(bind), SCMP_SYS(ptrace), SCMP_SYS(process_vm_writev), SCMP_SYS(kill),
          SCMP_SYS(mount), SCMP_SYS(unshare), SCMP_SYS(setns)})
        kill(syscall);
    if (rc != 0)
        return make_error(std::string("seccomp_rule_add failed: ") + std::strerror(-rc));
    if (int loaded = seccomp_load(filter.get()); loaded != 0)
        return make_error(std::string("seccomp_load failed: ") + std::strerror(-loaded));
    return {};
}

bool address_space_limit_unsupported() {
#ifdef AARSHJUL_ASAN
    return true;
#else
    return false;
#endif
}

Result<void> apply_rlimits(pid_t pid, const WorkerRlimits& limits) {
    auto set = [&](__rlimit_resource resource, rlim_t value, const char* name) -> Result<void> {
        const rlimit limit{value, value};
        if (prlimit(pid, resource, &limit, nullptr) != 0)
            return make_error(std::string("prlimit ") + name + ": " + std::strerror(errno));
        return {};
    };
    // SIGXCPU at the soft limit; the hard limit one second later is SIGKILL.
    const rlimit cpu{static_cast<rlim_t>(limits.cpu.count()),
                     static_cast<rlim_t>(limits.cpu.count() + 1)};
    if (prlimit(pid, RLIMIT_CPU, &cpu, nullptr) != 0)
        return make_error(std::string("prlimit RLIMIT_CPU: ") + std::strerror(errno));
    AARSHJUL_TRY(set(RLIMIT_CORE, 0, "RLIMIT_CORE"));
    AARSHJUL_TRY(set(RLIMIT_FSIZE, 0, "RLIMIT_FSIZE"));
    if (limits.address_space_bytes > 0 && !address_space_limit_unsupported())
        AARSHJUL_TRY(set(RLIMIT_AS, limits.address_space_bytes, "RLIMIT_AS"));
    return {};
}

} // namespace aarshjul::worker

// SPDX-License-Identifier: MPL-2.0
#pragma once
// Clock: the one source of "now" for the whole daemon.
//
// Everything that needs the current time takes a `const Clock&`, so tests,
// `aarshjul plan` and `aarshjul simulate` can run a year of virtual time in
// milliseconds. Thread rules: SystemClock is stateless; FakeClock may be read
// from any thread but is advanced by one owner.

#include "time/civil.h"

#include <atomic>

namespace aarshjul {

class Clock {
public:
    virtual ~Clock() = default;
    virtual Instant now() const = 0;
};

// The wall clock (CLOCK_REALTIME), to whole seconds.
class SystemClock final : public Clock {
public:
    Instant now() const override;
};

// A clock that only moves when told to.
class FakeClock final : public Clock {
public:
    explicit FakeClock(Instant start) : m_now(to_unix(start)) {}
    Instant now() const override { return from_unix(m_now.load()); }
    void set(Instant at) { m_now.store(to_unix(at)); }
    void advance(std::chrono::seconds by) { m_now.fetch_add(by.count()); }

private:
    std::atomic<std::int64_t> m_now;
};

} // namespace aarshjul

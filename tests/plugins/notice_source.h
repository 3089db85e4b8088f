// SPDX-License-Identifier: MPL-2.0
#pragma once
// NoticeSource: a real engine on a fake clock in Copenhagen, with the test
// directory (anna, bo, carla), a public URL and an in-memory store, that
// queues real notices in the outbox for the plugin tests to deliver through
// the dispatcher. Thread rules: owned and used by one test thread.

#include "clock/clock.h"
#include "engine/engine.h"
#include "store/sqlite/database.h"

#include <memory>
#include <string>
#include <vector>

namespace aarshjul::testing {

inline constexpr const char* kPublicUrl = "https://aarshjul.example.dk";

// One outbox row as the engine wrote it.
struct QueuedNotice {
    std::string key, kind, channel, recipient, subject, body, html_body, facts;
};

class NoticeSource {
public:
    NoticeSource();

    // Installs `workflows`, then runs every engine wake-up up to `end`
    // (assertions fail the calling test on an engine error).
    void run(std::vector<WorkflowDef> workflows, Instant end);

    // Every outbox row, oldest first.
    std::vector<QueuedNotice> outbox();

    Database db;
    FakeClock clock;
    Directory directory;
    EngineSettings settings;

private:
    std::unique_ptr<Engine> m_engine;
};

// Two duties for anna in March 2027, both sent to `channel`: "Titel A" (due 31
// March, reminded 7 days before) and "Titel B" (due 17 March, overdue
// reminders every 7 days). On 24 March at 08:00 both are due a notice at the
// same instant, so anna gets one digest of the two.
std::vector<WorkflowDef> two_duties_for_anna(const std::string& channel);

} // namespace aarshjul::testing

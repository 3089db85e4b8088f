// SPDX-License-Identifier: MPL-2.0
#pragma once
// Store: the persistence layer's entry point. Everything the daemon keeps
// (tasks, the event log, the outbox, the hook queue, the read models of status, report and
// API, API tokens and web sessions) and the store's maintenance are reached
// through it; only the implementations under store/<engine>/ speak SQL, each
// in its own dialect (store/sqlite/ today). Code outside store/ includes only
// store/*.h (scripts/check-layers.py refuses the rest).
//
// A Store is one connection. Its repositories all act on that connection, so
// a write is part of the unit of work open on the Store when it runs:
//
//     AARSHJUL_TRY_ASSIGN(auto work, store.begin_write());
//     AARSHJUL_TRY(store.tasks().cancel(id, now));
//     AARSHJUL_TRY(store.event_log().append(entry));
//     AARSHJUL_TRY(work->commit());
//
// Without one, each call is its own transaction. Thread rules: one thread at
// a time; give each thread its own Store (store/open_store.h opens one).

#include "util/result.h"

#include <memory>

namespace aarshjul {

class ApiTokens;
class EventLog;
class HookQueue;
class Maintenance;
class Outbox;
class ReadQueries;
class ReportedEvents;
class Secrets;
class TaskRepository;
class WebSessions;
class WorkflowRegistry;

// One write transaction (SQLite: BEGIN IMMEDIATE; a server engine: a
// serializable transaction). Rolls back in its destructor unless committed;
// the destructor never throws.
class UnitOfWork {
public:
    virtual ~UnitOfWork() = default;
    // On failure the work stays open and the destructor rolls it back.
    virtual Result<void> commit() = 0;
};

class Store {
public:
    virtual ~Store() = default;

    // Starts a write; the store's repositories write inside it until it ends.
    virtual Result<std::unique_ptr<UnitOfWork>> begin_write() = 0;

    virtual TaskRepository& tasks() = 0;
    virtual EventLog& event_log() = 0;
    virtual Outbox& outbox() = 0;
    virtual HookQueue& hooks() = 0;
    virtual WorkflowRegistry& workflows() = 0;
    virtual ReportedEvents& reported_events() = 0;
    virtual Secrets& secrets() = 0;
    virtual ReadQueries& queries() = 0;
    virtual ApiTokens& api_tokens() = 0;
    virtual WebSessions& web_sessions() = 0;
    virtual Maintenance& maintenance() = 0;
};

} // namespace aarshjul

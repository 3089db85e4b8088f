// SPDX-License-Identifier: MPL-2.0
#pragma once
// The messages between the daemon and its Lua worker process.
//
// The daemon sends one request; the worker answers with a Ready frame once
// it has read it (its system-call filter is in place by then), then one
// reply per workflow file (a load) or one reply (a hook), and exits. Each
// message is a FieldWriter record (util/field_record.h); on the socket each
// is framed as "<decimal length>\n<record>". Definitions travel in their
// canonical form (model/workflow_codec.h). Decoding trusts nothing: the
// worker runs untrusted Lua. Plain values; no thread rules.

#include "lua/evaluation.h"
#include "lua/lua_library.h"
#include "lua/sandbox.h"
#include "model/workflow.h"
#include "util/result.h"

#include <string>
#include <string_view>
#include <vector>

namespace aarshjul::worker {

struct SourceFile {
    std::string path; // as the daemon names it: the chunk name and WorkflowDef::file
    std::string text;
};

struct Request {
    enum class Kind { Load, Hook };
    Kind kind = Kind::Load;
    SandboxLimits limits;
    LuaLibrary library;
    std::vector<SourceFile> files; // Load: every file; Hook: the workflow's file
    HookCall hook;                 // Hook only
};

// A file's evaluation (Load) or a hook's (Hook).
struct Reply {
    std::vector<FileItem> items;          // Load
    std::vector<FollowUpSpec> follow_ups; // Hook, when `failed` is false
    bool failed = false;                  // Hook: `error` says why
    Error error;
};

std::string encode_request(const Request& request);
Result<Request> decode_request(std::string_view text);
std::string encode_reply(const Reply& reply);
Result<Reply> decode_reply(std::string_view text);

// "<length>\n" + message.
std::string frame(std::string_view message);
// The Ready message the worker sends once it has read its request.
inline constexpr std::string_view kReady = "aarshjul-worker-ready\n";

} // namespace aarshjul::worker

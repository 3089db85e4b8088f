// SPDX-License-Identifier: MPL-2.0
/*
 * aarshjul notifier plugin ABI, version 2 (2 added aarshjul_notice.facts_json).
 *
 * A notifier plugin is a shared object that exports one C function,
 *
 *     const struct aarshjul_plugin* aarshjul_plugin_entry(void);
 *
 * returning a pointer to a static descriptor. The daemon dlopen()s the file,
 * calls the entry point, refuses the plugin unless `abi_version` equals
 * AARSHJUL_PLUGIN_ABI_VERSION, then creates one instance per configured
 * channel. Only plain C types cross this boundary, so a plugin built with
 * another compiler (or another C++ standard library) still loads.
 *
 * Strings are UTF-8 and NUL-terminated. Nothing allocated on one side is freed
 * on the other: the daemon owns the context, notices and result buffers; the
 * plugin owns its instance.
 *
 * Thread rules: create() and destroy() may be called from any thread, never
 * concurrently for the same instance. send() is called from one thread at a
 * time per instance (different instances may be used from different threads
 * at once). The log callback may be called from within create(), send() and
 * destroy() only, on the calling thread.
 *
 * Changing any struct below, a function signature or a constant's meaning
 * requires a new ABI version.
 */
#ifndef AARSHJUL_PLUGIN_H
#define AARSHJUL_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI version this header describes. */
#define AARSHJUL_PLUGIN_ABI_VERSION 2u

/* The name of the entry point the daemon looks up with dlsym(). */
#define AARSHJUL_PLUGIN_ENTRY_SYMBOL "aarshjul_plugin_entry"

/* Marks the entry point as exported when the plugin builds with hidden visibility. */
#if defined(__GNUC__)
#define AARSHJUL_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define AARSHJUL_PLUGIN_EXPORT
#endif

/* Severity of a message passed to the log callback. */
enum aarshjul_log_level {
    AARSHJUL_LOG_DEBUG = 0,
    AARSHJUL_LOG_INFO = 1,
    AARSHJUL_LOG_WARN = 2,
    AARSHJUL_LOG_ERROR = 3
};

/* Outcome of one send() call. */
enum aarshjul_send_outcome {
    AARSHJUL_SENT = 0,              /* delivered (accepted by the next hop) */
    AARSHJUL_TEMPORARY_FAILURE = 1, /* try again later with the same notice */
    AARSHJUL_PERMANENT_FAILURE = 2  /* retrying will not help */
};

/* One key/value pair of the plugin's configuration section. */
struct aarshjul_config_entry {
    const char* key;   /* flat key; nested TOML tables are flattened as "table.key" */
    const char* value; /* the value as text (numbers and booleans as written in TOML) */
};

/* Writes one message to the daemon's log. `user` is the context's log_user. */
typedef void (*aarshjul_log_fn)(void* user, int level, const char* message);

/*
 * What a plugin instance gets from the daemon: its configuration and a log.
 * The context and everything it points to stay valid and unchanged from
 * create() until destroy() of that instance has returned.
 */
struct aarshjul_plugin_context {
    const struct aarshjul_config_entry* config; /* config_count entries, keys unique */
    size_t config_count;
    aarshjul_log_fn log; /* never NULL */
    void* log_user;      /* passed back as the first argument of log */
};

/*
 * One message to deliver. Every pointer is non-NULL except html_body, and is
 * valid only for the duration of the send() call.
 */
struct aarshjul_notice {
    const char* key;       /* outbox key: identical on every retry (Message-ID, webhook-id) */
    const char* kind;      /* reminder, due, overdue, escalation, digest */
    const char* channel;   /* the channel (notifier) name the notice was routed to */
    const char* recipient; /* person id */
    const char* name;      /* the person's display name, may be "" */
    const char* address;   /* e-mail address or endpoint, may be "" for channel-wide webhooks */
    const char* subject;   /* one line */
    const char* body;      /* plain text, lines separated by "\n" */
    const char* html_body; /* HTML alternative, or NULL to let the plugin derive one */
    /*
     * The facts behind the text as a JSON object, for receivers that want
     * structure (webhooks): {"language", "items": [{"kind", "escalation_rung",
     * "task_id", "task_key", "title", "title_en", "workflow", "workflow_title",
     * "system", "assignee", "assignee_name", "due", "due_at", "due_text",
     * "source", "links": {"complete", "task"}}]}; one item, or several for a
     * digest. "language" is the recipient's ("da" or "en"), "due_text" the due
     * date written out in it. Optional keys are left out; a plugin ignores keys
     * it does not know. "{}" when the daemon has no facts.
     */
    const char* facts_json;
};

/*
 * Filled in by send(). The daemon initialises outcome to AARSHJUL_SENT, error
 * to an empty string and retry_after_seconds to 0 before the call.
 */
struct aarshjul_send_result {
    int32_t outcome;              /* one of enum aarshjul_send_outcome */
    char* error;                  /* buffer for a NUL-terminated, human-readable reason */
    size_t error_len;             /* size of `error` in bytes, including room for the NUL */
    uint32_t retry_after_seconds; /* earliest retry the receiver asked for; 0 = no hint */
};

/* The descriptor returned by the entry point; static storage in the plugin. */
struct aarshjul_plugin {
    /* Must be AARSHJUL_PLUGIN_ABI_VERSION; the only field the daemon reads before checking. */
    uint32_t abi_version;
    /* Short plugin name ("smtp", "webhook", "log"); the default channel name. */
    const char* name;
    /*
     * Creates an instance from the context. Returns 0 and stores the instance
     * in *instance on success; otherwise returns non-zero and writes a
     * NUL-terminated reason of at most error_len bytes (including the NUL) to
     * `error`. Secrets from the configuration are never written to the log or
     * the error.
     */
    int (*create)(const struct aarshjul_plugin_context* context, void** instance, char* error,
                  size_t error_len);
    /* Delivers one notice; never blocks longer than the instance's configured timeout. */
    void (*send)(void* instance, const struct aarshjul_notice* notice,
                 struct aarshjul_send_result* result);
    /* Releases an instance created by create(); never fails. */
    void (*destroy)(void* instance);
};

/* The type of the entry point. */
typedef const struct aarshjul_plugin* (*aarshjul_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* AARSHJUL_PLUGIN_H */

/* A plugin whose create() always fails: the loader must report its reason. */
#include "aarshjul_plugin.h"

#include <stdio.h>

static int create(const struct aarshjul_plugin_context* context, void** instance, char* error,
                  size_t error_len) {
    (void)instance;
    snprintf(error, error_len, "refusing with %u config entries", (unsigned)context->config_count);
    return 1;
}

static void send(void* instance, const struct aarshjul_notice* notice,
                 struct aarshjul_send_result* result) {
    (void)instance;
    (void)notice;
    result->outcome = AARSHJUL_PERMANENT_FAILURE;
}

static void destroy(void* instance) {
    (void)instance;
}

static const struct aarshjul_plugin descriptor = {AARSHJUL_PLUGIN_ABI_VERSION, "failing_create",
                                                  create, send, destroy};

AARSHJUL_PLUGIN_EXPORT const struct aarshjul_plugin* aarshjul_plugin_entry(void) {
    return &descriptor;
}

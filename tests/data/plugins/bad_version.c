/* A plugin built against a future ABI: the loader must refuse it. */
#include "aarshjul_plugin.h"

static struct aarshjul_plugin descriptor = {99u, "bad_version", 0, 0, 0};

AARSHJUL_PLUGIN_EXPORT const struct aarshjul_plugin* aarshjul_plugin_entry(void) {
    return &descriptor;
}

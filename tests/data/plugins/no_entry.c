/* A shared object without the entry point: the loader must refuse it. */
#include "aarshjul_plugin.h"

AARSHJUL_PLUGIN_EXPORT int aarshjul_plugin_entry_misspelt(void) {
    return AARSHJUL_PLUGIN_ABI_VERSION;
}

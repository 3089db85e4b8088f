// SPDX-License-Identifier: MPL-2.0
// The factory may include the engine it opens.
#include "store/sqlite/database.h"

// SPDX-License-Identifier: MPL-2.0
// A plugin reaching into the store's engine.
#include "store/sqlite/database.h"

// SPDX-License-Identifier: MPL-2.0
#pragma once
#include "store/sqlite/database.h"
#include "store/store.h"

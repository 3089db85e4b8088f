// SPDX-License-Identifier: MPL-2.0
#pragma once
#include "util/result.h"

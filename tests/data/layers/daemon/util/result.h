// SPDX-License-Identifier: MPL-2.0
#pragma once

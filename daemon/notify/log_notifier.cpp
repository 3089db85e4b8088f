// SPDX-License-Identifier: MPL-2.0
#include "notify/log_notifier.h"

#include <spdlog/spdlog.h>

namespace aarshjul {

SendResult LogNotifier::send(const Notice& notice) {
    spdlog::info("notice {} to {} <{}>: {}", notice.key,
                 notice.name.empty() ? notice.recipient : notice.name, notice.address,
                 notice.subject);
    return {};
}

} // namespace aarshjul

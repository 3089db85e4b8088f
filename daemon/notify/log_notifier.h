// SPDX-License-Identifier: MPL-2.0
#pragma once
// LogNotifier: "delivers" a notice by writing it to the log. For trials, and
// the default channel until e-mail or webhooks are configured.

#include "notify/notifier.h"

namespace aarshjul {

class LogNotifier final : public Notifier {
public:
    std::string_view name() const override { return "log"; }
    SendResult send(const Notice& notice) override;
};

} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
#pragma once
// The wheel over HTTP: GET /api/v1/wheel.svg (get_wheel in handlers.h) and
// the status page's picture, both drawn from the context's store and its
// loaded workflows. Thread rules: the Context's (the event loop's thread).

#include "app/wheel.h"
#include "http/context.h"
#include "util/result.h"

#include <string>

namespace aarshjul::http {

// The <svg> element of `request`'s wheel, titled with the organisation's
// name when the request names no heading.
Result<std::string> wheel_svg(Context& context, WheelRequest request);

} // namespace aarshjul::http

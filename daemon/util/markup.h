// SPDX-License-Identifier: MPL-2.0
#pragma once
// Text placed in HTML or XML (pages, mails, the wheel's SVG): the five
// characters with a meaning there are escaped. The apostrophe becomes &#39;,
// valid in both, rather than &apos;, which Outlook's HTML4 renderer shows
// literally.

#include <string>
#include <string_view>

namespace aarshjul {

std::string escape_markup(std::string_view text);

} // namespace aarshjul

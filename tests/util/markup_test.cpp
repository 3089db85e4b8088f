// SPDX-License-Identifier: MPL-2.0
#include "util/markup.h"

#include <gtest/gtest.h>

namespace aarshjul {
namespace {

// The five characters with a meaning in HTML and XML are escaped, the
// apostrophe numerically (valid in both, and shown right by Outlook); other
// text, UTF-8 included, passes unchanged.
TEST(Markup, EscapesTheFiveCharactersAndNothingElse) {
    EXPECT_EQ(escape_markup(R"(<a href="x?a=1&b='2'">)"),
              "&lt;a href=&quot;x?a=1&amp;b=&#39;2&#39;&quot;&gt;");
    EXPECT_EQ(escape_markup("Årshjul – Økonomiudvalget"), "Årshjul – Økonomiudvalget");
    EXPECT_EQ(escape_markup(""), "");
    EXPECT_EQ(escape_markup("&amp;"), "&amp;amp;"); // escaped text is escaped again
}

} // namespace
} // namespace aarshjul

// SPDX-License-Identifier: MPL-2.0
// check_framing: only `chunked` alone frames a request body by
// Transfer-Encoding (RFC 9112 §6.1-6.3); everything else is refused.
#include "http/framing.h"

#include <gtest/gtest.h>

namespace aarshjul::http {
namespace {

// A header with these Transfer-Encoding values.
Framing te(std::vector<std::string> values, bool content_length = false, unsigned version = 11) {
    return Framing{.version = version,
                   .transfer_encoding = std::move(values),
                   .content_length = content_length};
}

struct Case {
    const char* name;
    Framing framing;
    bool accepted;
};

const Case kCases[] = {
    {.name = "no Transfer-Encoding", .framing = te({}), .accepted = true},
    {.name = "Content-Length alone", .framing = te({}, true), .accepted = true},
    {.name = "chunked", .framing = te({"chunked"}), .accepted = true},
    {.name = "CHUNKED", .framing = te({"CHUNKED"}), .accepted = true},
    {.name = "empty elements around chunked", .framing = te({" , chunked ,"}), .accepted = true},
    {.name = "identity", .framing = te({"identity"}), .accepted = false},
    {.name = "gzip", .framing = te({"gzip"}), .accepted = false},
    {.name = "chunked, identity", .framing = te({"chunked, identity"}), .accepted = false},
    {.name = "chunked, chunked", .framing = te({"chunked, chunked"}), .accepted = false},
    {.name = "gzip, chunked", .framing = te({"gzip, chunked"}), .accepted = false},
    {.name = "two fields, the last identity",
     .framing = te({"chunked", "identity"}),
     .accepted = false},
    {.name = "two fields, the last chunked",
     .framing = te({"identity", "chunked"}),
     .accepted = false},
    {.name = "empty value", .framing = te({""}), .accepted = false},
    {.name = "a parameter", .framing = te({"chunked;x=1"}), .accepted = false},
    {.name = "a bad character after chunked",
     .framing = te({"chunked, @identity"}),
     .accepted = false},
    {.name = "chunked with Content-Length", .framing = te({"chunked"}, true), .accepted = false},
    {.name = "identity with Content-Length", .framing = te({"identity"}, true), .accepted = false},
    {.name = "chunked in HTTP/1.0", .framing = te({"chunked"}, false, 10), .accepted = false},
};

// Each case is accepted or refused as RFC 9112 says; a refusal is Invalid and
// names the Transfer-Encoding field.
TEST(Framing, OnlyChunkedAloneIsAccepted) {
    for (const Case& c : kCases) {
        const auto result = check_framing(c.framing);
        EXPECT_EQ(result.ok(), c.accepted) << c.name;
        if (!result.ok()) {
            EXPECT_EQ(result.error().kind, ErrorKind::Invalid) << c.name;
            EXPECT_EQ(result.error().field, "Transfer-Encoding") << c.name;
        }
    }
}

} // namespace
} // namespace aarshjul::http

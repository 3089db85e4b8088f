// SPDX-License-Identifier: MPL-2.0
#include "http/framing.h"

#include <boost/beast/core/string.hpp>
#include <boost/beast/http/rfc7230.hpp>

namespace aarshjul::http {

namespace {

namespace bhttp = boost::beast::http;

Error refused(const std::string& why) {
    return make_error(ErrorKind::Invalid, why, "Transfer-Encoding");
}

} // namespace

Result<void> check_framing(const Framing& framing) {
    if (framing.transfer_encoding.empty())
        return {};
    if (framing.content_length)
        return refused("Transfer-Encoding and Content-Length together");
    if (framing.version < 11)
        return refused("Transfer-Encoding in an HTTP/1.0 request");
    // All Transfer-Encoding fields form one list of codings (RFC 9110 §5.3).
    std::vector<std::string> codings;
    for (const std::string& value : framing.transfer_encoding) {
        const bhttp::opt_token_list list{value};
        // The list parser stops silently at the first bad character; a
        // truncated list would be framed differently by someone else.
        if (!bhttp::validate_list(list))
            return refused("Transfer-Encoding is not a list of codings: \"" + value + "\"");
        for (const auto coding : list)
            codings.emplace_back(coding);
    }
    if (codings.empty() || !boost::beast::iequals(codings.back(), "chunked"))
        return refused("the final Transfer-Encoding is not chunked");
    if (codings.size() > 1)
        return refused("no Transfer-Encoding but chunked alone is supported");
    return {};
}

} // namespace aarshjul::http

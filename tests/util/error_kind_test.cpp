// SPDX-License-Identifier: MPL-2.0
// The error table: every kind has one row, and the API and the command line
// answer by it.
#include "http/message.h"
#include "util/error_kind.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace aarshjul {
namespace {

TEST(ErrorKind, EveryKindHasItsOwnRow) {
    const ErrorKind kinds[] = {ErrorKind::Internal, ErrorKind::Invalid, ErrorKind::NotFound,
                               ErrorKind::Conflict, ErrorKind::Busy,    ErrorKind::Io};
    for (ErrorKind kind : kinds)
        EXPECT_EQ(category_of(kind).kind, kind) << static_cast<int>(kind);
}

TEST(ErrorKind, StatusAndExitCodeFollowTheKind) {
    EXPECT_EQ(category_of(ErrorKind::Invalid).http_status, 422);
    EXPECT_EQ(category_of(ErrorKind::Invalid).exit_code, 2);
    EXPECT_EQ(category_of(ErrorKind::NotFound).http_status, 404);
    EXPECT_EQ(category_of(ErrorKind::Conflict).http_status, 409);
    EXPECT_EQ(category_of(ErrorKind::Busy).http_status, 503);
    EXPECT_EQ(category_of(ErrorKind::Io).http_status, 500);
    EXPECT_EQ(category_of(ErrorKind::Internal).exit_code, 1);
}

TEST(ErrorKind, ApiErrorNamesTheFieldOfAnInvalidInput) {
    const auto response =
        http::error_response(make_error(ErrorKind::Invalid, "evidence is required", "evidence"));
    EXPECT_EQ(response.status, 422);
    const auto body = boost::json::parse(response.body).as_object().at("error").as_object();
    EXPECT_EQ(body.at("code").as_string(), "invalid_evidence");
    EXPECT_EQ(body.at("message").as_string(), "evidence is required");

    const auto io = http::error_response(make_error(ErrorKind::Io, "disk I/O error"));
    EXPECT_EQ(io.status, 500);
    EXPECT_EQ(boost::json::parse(io.body).at("error").at("code").as_string(), "internal");
}

} // namespace
} // namespace aarshjul

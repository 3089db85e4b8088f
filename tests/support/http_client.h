// SPDX-License-Identifier: MPL-2.0
#pragma once
// A small HTTP client for tests: libcurl for ordinary requests, a raw socket
// for requests no well-behaved client would send.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace aarshjul::testing {

struct HttpReply {
    long status = 0; // 0 when the request failed at the transport level
    std::string body;
    std::map<std::string, std::string> headers; // lower-case names
    std::string error;                          // libcurl's message when status is 0
};

// One request to http://127.0.0.1:<port><path>. `headers` are "Name: value".
HttpReply http_request(std::uint16_t port, const std::string& method, const std::string& path,
                       const std::string& body = {}, std::vector<std::string> headers = {});

// Connects to 127.0.0.1:<port>, writes `bytes`, and reads until the server
// closes or `timeout` passes. Returns what was read.
std::string raw_exchange(std::uint16_t port, const std::string& bytes,
                         std::chrono::milliseconds timeout);

// The status code of a raw HTTP response ("HTTP/1.1 413 ..." -> 413), or 0.
int raw_status(const std::string& response);

} // namespace aarshjul::testing

// SPDX-License-Identifier: MPL-2.0
#include "http/message.h"

#include "util/error_kind.h"

#include <boost/json/serialize.hpp>

namespace aarshjul::http {

std::string Request::header(std::string_view name) const {
    auto it = headers.find(std::string(name));
    return it == headers.end() ? std::string() : it->second;
}

std::string Request::query_value(std::string_view name) const {
    auto it = query.find(std::string(name));
    return it == query.end() ? std::string() : it->second;
}

std::optional<std::string> Response::header(std::string_view name) const {
    for (const auto& [key, value] : headers)
        if (key == name)
            return value;
    return std::nullopt;
}

std::string_view Response::content() const {
    return shared_body ? std::string_view(*shared_body) : std::string_view(body);
}

void Response::share_body() {
    if (!shared_body)
        shared_body = std::make_shared<const std::string>(std::move(body));
    body.clear();
}

Response json_response(int status, const boost::json::value& body) {
    return Response{status, "application/json", boost::json::serialize(body) + "\n", {}, {}};
}

Response json_error(int status, std::string_view code, std::string_view message) {
    boost::json::object error{{"status", status}, {"code", code}, {"message", message}};
    return json_response(status, boost::json::object{{"error", std::move(error)}});
}

int http_status(ErrorKind kind) {
    return category_of(kind).http_status;
}

// An Invalid error that names its field gets a code of its own
// ("invalid_evidence"), so a client can point at the input.
Response error_response(const Error& error) {
    const ErrorCategory& category = category_of(error.kind);
    std::string code(category.code);
    if (error.kind == ErrorKind::Invalid && !error.field.empty())
        code += "_" + error.field;
    return json_error(category.http_status, code, error.to_string());
}

Response html_response(int status, std::string body) {
    return Response{status, "text/html; charset=utf-8", std::move(body), {}, {}};
}

Response text_response(int status, std::string body, std::string content_type) {
    return Response{status, std::move(content_type), std::move(body), {}, {}};
}

std::string_view reason_phrase(int status) {
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 303:
        return "See Other";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 413:
        return "Payload Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "";
    }
}

} // namespace aarshjul::http

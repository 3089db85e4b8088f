// SPDX-License-Identifier: MPL-2.0
#pragma once
// Result<T>: the one way aarshjul reports a failure that a caller must handle.
//
// A function that can fail returns Result<T> (or Result<void>). Callers either
// inspect it or propagate it with AARSHJUL_TRY / AARSHJUL_TRY_ASSIGN. Exceptions
// are not used for expected failures and never cross a Lua C frame or an Asio
// handler.

#include <string>
#include <utility>
#include <variant>

namespace aarshjul {

// What kind of failure an error is, so callers answer it without re-checking
// the condition: the HTTP status and the exit code follow from it.
enum class ErrorKind {
    Internal, // a bug or an unexpected failure (the default)
    Invalid,  // the input is wrong: fix it and try again (HTTP 422)
    NotFound, // the thing named does not exist (404)
    Conflict, // the state forbids it, e.g. a finished task (409)
    Busy,     // try again later (503)
    Io,       // the database, a file or the network failed
};

// An error with an optional source position ("file:line: message").
struct Error {
    std::string message;
    std::string file; // empty when the error has no source position
    int line = 0;     // 0 when unknown
    ErrorKind kind = ErrorKind::Internal;
    std::string field; // for Invalid: the input at fault ("evidence", "by"), if one is

    static Error at(std::string file, int line, std::string message) {
        return Error{std::move(message), std::move(file), line, ErrorKind::Internal, {}};
    }

    // "file:line: message", "file: message" or "message".
    std::string to_string() const {
        if (file.empty())
            return message;
        if (line > 0)
            return file + ":" + std::to_string(line) + ": " + message;
        return file + ": " + message;
    }
};

template <class T> class [[nodiscard]] Result {
public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_v.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(m_v); }
    const T& value() const& { return std::get<0>(m_v); }
    T&& value() && { return std::get<0>(std::move(m_v)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const Error& error() const { return std::get<1>(m_v); }
    Error&& take_error() { return std::get<1>(std::move(m_v)); }

private:
    std::variant<T, Error> m_v;
};

template <> class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_ok(false) {}

    bool ok() const { return m_ok; }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return m_error; }
    Error&& take_error() { return std::move(m_error); }

private:
    Error m_error;
    bool m_ok = true;
};

inline Error make_error(std::string message) {
    return Error{std::move(message), {}, 0, ErrorKind::Internal, {}};
}

inline Error make_error(ErrorKind kind, std::string message, std::string field = {}) {
    return Error{std::move(message), {}, 0, kind, std::move(field)};
}

} // namespace aarshjul

// Propagates the error of a Result-returning expression.
#define AARSHJUL_TRY(expr)                                                                         \
    do {                                                                                           \
        auto&& aarshjul_try_result_ = (expr);                                                      \
        if (!aarshjul_try_result_.ok())                                                            \
            return aarshjul_try_result_.take_error();                                              \
    } while (0)

#define AARSHJUL_CONCAT_INNER_(a, b) a##b
#define AARSHJUL_CONCAT_(a, b) AARSHJUL_CONCAT_INNER_(a, b)

// Declares `decl` from the value of a Result-returning expression, or propagates its error.
#define AARSHJUL_TRY_ASSIGN(decl, expr)                                                            \
    AARSHJUL_TRY_ASSIGN_IMPL_(AARSHJUL_CONCAT_(aarshjul_try_, __LINE__), decl, expr)
#define AARSHJUL_TRY_ASSIGN_IMPL_(tmp, decl, expr)                                                 \
    auto tmp = (expr);                                                                             \
    if (!tmp.ok())                                                                                 \
        return tmp.take_error();                                                                   \
    decl = std::move(tmp).value()

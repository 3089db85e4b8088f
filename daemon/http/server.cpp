#include "http/server.h"

#include "http/framing.h"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <optional>
#include <set>
#include <spdlog/spdlog.h>

namespace aarshjul::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::redirect_error;
using asio::use_awaitable;
using error_code = boost::system::error_code;

// After refusing a request, read and drop what the client is still sending
// (at most this much, for at most this long) so closing does not reset the
// connection before the client has read the refusal.
constexpr std::size_t kLingerBytes = 1024 * 1024;
constexpr std::chrono::seconds kLingerTime{2};

struct Session {
    explicit Session(tcp::socket socket) : stream(std::move(socket)) {}
    beast::tcp_stream stream;
    bool busy = false;             // a request is being handled or answered
    std::function<void()> abandon; // while a deferred response is pending: answer 503
};

// Keeps a session in the server's set for as long as its coroutine lives,
// also when the coroutine is destroyed unfinished (its io_context stopped
// while a deferred response was pending).
class SessionEntry {
public:
    SessionEntry(std::set<Session*>& set, Session* session) : m_set(set), m_session(session) {
        m_set.insert(m_session);
    }
    ~SessionEntry() { m_set.erase(m_session); }
    SessionEntry(const SessionEntry&) = delete;
    SessionEntry& operator=(const SessionEntry&) = delete;

private:
    std::set<Session*>& m_set;
    Session* m_session;
};

// The body is not copied: the message points into `response`, which must
// outlive the write.
using BeastResponse = bhttp::response<bhttp::span_body<const char>>;

BeastResponse to_beast(const Response& response, unsigned version, bool keep_alive) {
    BeastResponse res{static_cast<bhttp::status>(response.status), version};
    res.set(bhttp::field::server, "aarshjul");
    res.set(bhttp::field::content_type, response.content_type);
    res.set(bhttp::field::cache_control, "no-store");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("X-Frame-Options", "DENY");
    for (const auto& [name, value] : response.headers)
        res.set(name, value);
    const std::string_view content = response.content();
    res.body() = {content.data(), content.size()};
    res.keep_alive(keep_alive);
    res.prepare_payload();
    return res;
}

Framing framing_of(const bhttp::request_header<>& header) {
    Framing framing;
    framing.version = header.version();
    const auto [first, last] = header.equal_range(bhttp::field::transfer_encoding);
    for (auto it = first; it != last; ++it)
        framing.transfer_encoding.emplace_back(it->value());
    framing.content_length = header.count(bhttp::field::content_length) > 0;
    return framing;
}

void log_exception(std::exception_ptr error) {
    if (!error)
        return;
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        spdlog::error("http: connection failed: {}", e.what());
    }
}

} // namespace

struct Server::Impl : std::enable_shared_from_this<Impl> {
    Impl(asio::io_context& context, ServerLimits l, RequestHandler h)
        : io(context), limits(l), handler(std::move(h)), acceptor(context), grace_timer(context) {}

    asio::io_context& io;
    ServerLimits limits;
    RequestHandler handler;
    tcp::acceptor acceptor;
    asio::steady_timer grace_timer;
    std::set<Session*> sessions;
    bool stopping = false;
    std::function<void()> on_stopped;

    awaitable<void> accept_loop() {
        auto self = shared_from_this();
        for (;;) {
            error_code ec;
            tcp::socket socket = co_await acceptor.async_accept(redirect_error(use_awaitable, ec));
            if (ec) {
                if (ec == asio::error::operation_aborted || !acceptor.is_open())
                    co_return;
                spdlog::warn("http: accept: {}", ec.message());
                // Out of file descriptors and the like: breathe before trying again.
                asio::steady_timer pause(io, std::chrono::milliseconds{100});
                co_await pause.async_wait(redirect_error(use_awaitable, ec));
                continue;
            }
            // Each response goes out in one write; do not let Nagle hold back
            // a part of one behind the peer's delayed ACK.
            socket.set_option(tcp::no_delay(true), ec);
            asio::co_spawn(io, run_session(std::move(socket)), log_exception);
        }
    }

    awaitable<void> run_session(tcp::socket socket) {
        auto self = shared_from_this();
        auto session = std::make_shared<Session>(std::move(socket));
        error_code ec;
        const auto peer = session->stream.socket().remote_endpoint(ec);
        const std::string remote = ec ? std::string("unknown") : peer.address().to_string();
        if (stopping || sessions.size() >= static_cast<std::size_t>(limits.max_connections)) {
            Response busy = json_error(503, "busy", "too many connections; try again shortly");
            busy.headers.emplace_back("Retry-After", "1");
            co_await write_and_close(*session, busy, 11);
            co_return;
        }
        {
            SessionEntry entry(sessions, session.get());
            co_await serve(*session, remote);
        }
        session->stream.socket().shutdown(tcp::socket::shutdown_both, ec);
        session->stream.close();
        if (stopping && sessions.empty())
            finish_stop();
    }

    awaitable<void> serve(Session& s, const std::string& remote) {
        beast::flat_buffer buffer;
        for (bool first = true;; first = false) {
            s.busy = false;
            if (stopping)
                co_return;
            error_code ec;
            if (!first && buffer.size() == 0) {
                // Keep-alive: the next request must start within the idle timeout.
                s.stream.expires_after(limits.idle_timeout);
                const std::size_t n = co_await s.stream.async_read_some(
                    buffer.prepare(4096), redirect_error(use_awaitable, ec));
                if (ec)
                    co_return;
                buffer.commit(n);
            }
            bhttp::request_parser<bhttp::string_body> parser;
            parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
            parser.body_limit(limits.body_limit);
            s.stream.expires_after(limits.header_timeout);
            co_await bhttp::async_read_header(s.stream, buffer, parser,
                                              redirect_error(use_awaitable, ec));
            if (!ec) {
                // Before the body: a request framed in a way a proxy may read
                // differently is refused, and nothing after it is parsed.
                if (auto framing = check_framing(framing_of(parser.get())); !framing) {
                    spdlog::info("http: 400 from {}: {}", remote, framing.error().message);
                    co_await write_and_close(
                        s, json_error(400, "bad_request", framing.error().message), 11);
                    co_return;
                }
            }
            if (!ec && !parser.is_done()) {
                s.busy = true;
                s.stream.expires_after(limits.body_timeout);
                co_await bhttp::async_read(s.stream, buffer, parser,
                                           redirect_error(use_awaitable, ec));
            }
            if (ec) {
                co_await refuse(s, ec, remote);
                co_return;
            }
            s.busy = true;
            auto& req = parser.get();
            Request request;
            request.method = std::string(req.method_string());
            request.target = std::string(req.target());
            request.remote = remote;
            for (const auto& field : req) {
                std::string name(field.name_string());
                std::transform(name.begin(), name.end(), name.begin(),
                               [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
                auto [it, inserted] = request.headers.emplace(name, std::string(field.value()));
                if (!inserted)
                    it->second += ", " + std::string(field.value());
            }
            request.body = std::move(req.body());
            request.received = std::chrono::steady_clock::now();
            const bool keep_alive = req.keep_alive();
            const unsigned version = req.version();
            // One trip through the loop's queue before answering: the requests
            // that arrived together are all read first, so work a handler can
            // share between them (the status cache's database check) runs once.
            co_await asio::post(s.stream.get_executor(), use_awaitable);
            Reply reply = handler(std::move(request));
            // Not a conditional expression: GCC 12 miscompiles co_await inside one.
            Response response;
            if (auto* now = std::get_if<Response>(&reply))
                response = std::move(*now);
            else
                response = co_await complete(s, std::move(std::get<Deferred>(reply)));
            auto res = to_beast(response, version, keep_alive && !stopping);
            s.stream.expires_after(limits.write_timeout);
            co_await bhttp::async_write(s.stream, res, redirect_error(use_awaitable, ec));
            if (ec || !res.keep_alive())
                co_return;
        }
    }

    // Waits for a deferred response. Its Respond may run on any thread: the
    // response is posted to the loop and only the first call counts. A stop
    // whose grace runs out first answers 503 through `abandon`.
    awaitable<Response> complete(Session& s, Deferred deferred) {
        auto initiate = [this, &s, &deferred](auto handler) {
            auto pending = std::make_shared<std::optional<decltype(handler)>>(std::move(handler));
            Respond respond = [pending, &context = io](Response response) {
                asio::post(context, [pending, response = std::move(response)]() mutable {
                    if (auto resume = std::exchange(*pending, std::nullopt))
                        std::move (*resume)(std::move(response));
                });
            };
            s.abandon = [respond] {
                respond(json_error(503, "stopping",
                                   "the server is stopping; the request did "
                                   "not finish in time"));
            };
            try {
                deferred(respond);
            } catch (const std::exception& e) {
                spdlog::error("http: a deferred response failed: {}", e.what());
                respond(json_error(500, "internal", "the request failed inside the server"));
            }
        };
        Response response =
            co_await asio::async_initiate<const asio::use_awaitable_t<>&, void(Response)>(
                initiate, use_awaitable);
        s.abandon = nullptr;
        co_return response;
    }

    // Answers a request that broke a limit or could not be parsed, then closes.
    awaitable<void> refuse(Session& s, error_code ec, const std::string& remote) {
        int status = 0;
        std::string message;
        if (ec == bhttp::error::header_limit) {
            status = 431;
            message = "the request headers are larger than " + std::to_string(limits.header_limit) +
                      " bytes";
        } else if (ec == bhttp::error::body_limit) {
            status = 413;
            message =
                "the request body is larger than " + std::to_string(limits.body_limit) + " bytes";
        } else if (ec == beast::error::timeout) {
            status = 408;
            message = "the request did not arrive in time";
        } else if (ec == bhttp::error::end_of_stream || ec == asio::error::eof ||
                   ec == asio::error::operation_aborted || ec == asio::error::connection_reset) {
            co_return;
        } else if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) {
            status = 400;
            message = "the request is not valid HTTP/1.1: " + ec.message();
        } else {
            co_return;
        }
        spdlog::info("http: {} from {}: {}", status, remote, message);
        Response response = json_error(status,
                                       status == 413   ? "body_too_large"
                                       : status == 431 ? "headers_too_large"
                                       : status == 408 ? "timeout"
                                                       : "bad_request",
                                       message);
        co_await write_and_close(s, response, 11);
    }

    awaitable<void> write_and_close(Session& s, const Response& response, unsigned version) {
        error_code ec;
        auto res = to_beast(response, version, false);
        s.stream.expires_after(limits.write_timeout);
        co_await bhttp::async_write(s.stream, res, redirect_error(use_awaitable, ec));
        if (ec)
            co_return;
        s.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        // Lingering close: drain what the client still sends so it sees our answer.
        std::array<char, 16 * 1024> sink{};
        std::size_t drained = 0;
        s.stream.expires_after(kLingerTime);
        while (drained < kLingerBytes) {
            const std::size_t n = co_await s.stream.async_read_some(
                asio::buffer(sink), redirect_error(use_awaitable, ec));
            if (ec)
                break;
            drained += n;
        }
        s.stream.close();
    }

    void finish_stop() {
        grace_timer.cancel();
        if (auto done = std::exchange(on_stopped, nullptr))
            asio::post(io, std::move(done));
    }
};

Server::Server(asio::io_context& io, ServerLimits limits, RequestHandler handler)
    : m_impl(std::make_shared<Impl>(io, limits, std::move(handler))) {}

Server::~Server() {
    error_code ec;
    m_impl->acceptor.close(ec);
    for (Session* s : m_impl->sessions)
        s->stream.cancel();
}

Result<std::uint16_t> Server::listen(const std::string& host_port) {
    const auto colon = host_port.rfind(':');
    if (colon == std::string::npos)
        return make_error("http: listen address '" + host_port + "' must be host:port");
    std::string host = host_port.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    const std::string port = host_port.substr(colon + 1);
    error_code ec;
    tcp::resolver resolver(m_impl->io);
    auto endpoints = resolver.resolve(host, port, tcp::resolver::numeric_service, ec);
    if (ec || endpoints.empty())
        return make_error("http: cannot resolve '" + host_port + "': " + ec.message());
    const tcp::endpoint endpoint = *endpoints.begin();
    auto& acceptor = m_impl->acceptor;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec)
        acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec)
        acceptor.bind(endpoint, ec);
    if (!ec)
        acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        error_code ignored;
        acceptor.close(ignored);
        return make_error("http: cannot listen on " + host_port + ": " + ec.message());
    }
    const auto bound = acceptor.local_endpoint(ec).port();
    asio::co_spawn(m_impl->io, m_impl->accept_loop(), log_exception);
    return bound;
}

void Server::stop(std::chrono::seconds grace, std::function<void()> done) {
    auto& impl = *m_impl;
    impl.stopping = true;
    impl.on_stopped = std::move(done);
    error_code ec;
    impl.acceptor.close(ec);
    // Idle connections go at once; in-flight requests get `grace` to finish.
    for (Session* s : impl.sessions)
        if (!s->busy)
            s->stream.cancel();
    if (impl.sessions.empty()) {
        impl.finish_stop();
        return;
    }
    impl.grace_timer.expires_after(grace);
    impl.grace_timer.async_wait([weak = std::weak_ptr<Impl>(m_impl)](const error_code& error) {
        auto impl = weak.lock();
        if (error || !impl)
            return;
        for (Session* s : impl->sessions) {
            s->stream.cancel();
            if (s->abandon)
                s->abandon();
        }
    });
}

std::size_t Server::connections() const {
    return m_impl->sessions.size();
}

} // namespace aarshjul::http

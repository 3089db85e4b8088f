// SPDX-License-Identifier: MPL-2.0
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
#include <list>
#include <map>
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

using Clock = std::chrono::steady_clock;

// Where a session stands in the server's accounting.
enum class Place {
    None,  // counted nowhere: not yet admitted, closed by the server, or answering from the pool
    Slot,  // holds one of the server's slots (the global and its address's cap)
    Probe, // over a cap, waiting in the probe pool for its first request
};

// Which cap a connection arrived over.
enum class Over { Nothing, AddressCap, GlobalCap };

struct Session {
    Session(tcp::socket socket, asio::ip::address peer)
        : stream(std::move(socket)), address(peer), remote(peer.to_string()) {}
    beast::tcp_stream stream;
    asio::ip::address address;
    std::string remote;
    Place place = Place::None;
    Over over = Over::Nothing;
    bool dropped = false;          // the server closed it to make room for another
    bool answered = false;         // a handler's response was written
    bool busy = false;             // a request is being handled or answered
    std::function<void()> abandon; // while a deferred response is pending: answer 503
    // Set while waiting on keep-alive for the first byte of the next request:
    // the connection idle the longest is closed when the server is full.
    std::optional<Clock::time_point> idle_since;
};

// Requests a connection over a cap may still make: what monitors and the
// proxy ask to tell whether the service lives.
bool is_probe(const bhttp::request_header<>& header) {
    const std::string_view target = header.target();
    const std::string_view path = target.substr(0, target.find('?'));
    return (header.method() == bhttp::verb::get || header.method() == bhttp::verb::head) &&
           (path == "/healthz" || path == "/metrics");
}

Response busy_response() {
    Response busy = json_error(503, "busy", "too many connections; try again shortly");
    busy.headers.emplace_back("Retry-After", "1");
    return busy;
}

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
        : io(context), limits(std::move(l)), handler(std::move(h)), acceptor(context),
          grace_timer(context) {
        for (const auto& text : limits.unlimited_addresses) {
            error_code ec;
            const auto address = asio::ip::make_address(text, ec);
            if (!ec)
                unlimited.insert(address);
        }
    }

    asio::io_context& io;
    ServerLimits limits;
    RequestHandler handler;
    tcp::acceptor acceptor;
    asio::steady_timer grace_timer;
    std::set<Session*> sessions;                  // those holding a slot
    std::map<asio::ip::address, int> per_address; // slots held, by client address
    std::set<asio::ip::address> unlimited;        // addresses without a cap of their own
    std::list<Session*> probes;                   // the probe pool, oldest first
    ConnectionStats stats;
    bool stopping = false;
    std::function<void()> on_stopped;

    // Takes a session out of the accounting when its coroutine ends, also
    // when the coroutine is destroyed unfinished (its io_context stopped
    // while a deferred response was pending).
    struct Leave {
        Impl& impl;
        Session& session;
        ~Leave() { impl.leave(session); }
    };

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
        error_code ec;
        const auto peer = socket.remote_endpoint(ec);
        if (ec)
            co_return; // the client is gone already
        auto session = std::make_shared<Session>(std::move(socket), peer.address());
        if (stopping) {
            const Response busy = busy_response();
            co_await write_and_close(*session, busy, 11);
            co_return;
        }
        {
            Leave leave_at_end{*this, *session};
            admit(*session);
            co_await serve(*session);
        }
        // Over a cap and not answered as a probe: given 503, displaced or out of time.
        if (session->over == Over::AddressCap && !session->answered)
            ++stats.refused_per_address;
        if (session->over == Over::GlobalCap && !session->answered)
            ++stats.refused_full;
        session->stream.socket().shutdown(tcp::socket::shutdown_both, ec);
        session->stream.close();
        if (stopping && sessions.empty() && probes.empty())
            finish_stop();
    }

    // Gives `s` a slot when its address and the server have room, closing a
    // keep-alive connection that idles (of the same address when that
    // address is at its cap) to make room; otherwise it waits in the probe pool.
    void admit(Session& s) {
        const auto held = per_address.find(s.address);
        if (!unlimited.contains(s.address) && held != per_address.end() &&
            held->second >= limits.max_connections_per_address && !close_longest_idle(&s.address)) {
            enter_probe_pool(s, Over::AddressCap);
            return;
        }
        if (sessions.size() >= static_cast<std::size_t>(limits.max_connections) &&
            !close_longest_idle(nullptr)) {
            enter_probe_pool(s, Over::GlobalCap);
            return;
        }
        sessions.insert(&s);
        ++per_address[s.address];
        s.place = Place::Slot;
    }

    // Closes the keep-alive connection (of `from`, or of any address) that
    // has waited longest for its next request, freeing its slot at once;
    // false when none idles.
    bool close_longest_idle(const asio::ip::address* from) {
        Session* longest = nullptr;
        for (Session* s : sessions)
            if (s->idle_since && (!from || s->address == *from) &&
                (!longest || *s->idle_since < *longest->idle_since))
                longest = s;
        if (!longest)
            return false;
        spdlog::debug("http: closing an idle connection of {} to make room", longest->remote);
        drop(*longest);
        ++stats.idle_closed;
        return true;
    }

    // A newcomer to a full pool displaces the oldest waiting there: a real
    // probe sends its request at once, so only a slow client loses its place.
    void enter_probe_pool(Session& s, Over over) {
        if (!probes.empty() && probes.size() >= static_cast<std::size_t>(limits.probe_connections))
            drop(*probes.front());
        probes.push_back(&s);
        s.place = Place::Probe;
        s.over = over;
    }

    // Closes a session to make room for another; its coroutine sees the
    // cancelled read (or `dropped`, if the read had finished) and ends.
    void drop(Session& s) {
        leave(s);
        s.dropped = true;
        s.stream.cancel();
    }

    // Gives up the session's slot or its place in the probe pool.
    void leave(Session& s) {
        if (s.place == Place::Slot) {
            sessions.erase(&s);
            if (const auto held = per_address.find(s.address); --held->second == 0)
                per_address.erase(held);
        } else if (s.place == Place::Probe) {
            probes.remove(&s);
        }
        s.place = Place::None;
    }

    // Every session the server counts: those with a slot and those in the pool.
    template <typename F> void each_session(F&& f) {
        for (Session* s : sessions)
            f(*s);
        for (Session* s : probes)
            f(*s);
    }

    awaitable<void> serve(Session& s) {
        const std::string& remote = s.remote;
        beast::flat_buffer buffer;
        for (bool first = true;; first = false) {
            s.busy = false;
            if (stopping)
                co_return;
            error_code ec;
            if (!first && buffer.size() == 0) {
                // Keep-alive: the next request must start within the idle timeout.
                s.idle_since = Clock::now();
                s.stream.expires_after(limits.idle_timeout);
                const std::size_t n = co_await s.stream.async_read_some(
                    buffer.prepare(4096), redirect_error(use_awaitable, ec));
                s.idle_since.reset();
                if (ec || s.dropped)
                    co_return;
                buffer.commit(n);
            }
            bhttp::request_parser<bhttp::string_body> parser;
            parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
            parser.body_limit(limits.body_limit);
            const bool probe = s.place == Place::Probe;
            s.stream.expires_after(probe ? std::min(limits.probe_timeout, limits.header_timeout)
                                         : limits.header_timeout);
            co_await bhttp::async_read_header(s.stream, buffer, parser,
                                              redirect_error(use_awaitable, ec));
            if (s.dropped)
                co_return;
            if (probe) {
                // Out of the pool: its request is here (or never will be). Only
                // a probe without a body is answered: it holds no slot, so
                // nothing else may wait on it.
                leave(s);
                if (!ec && (!is_probe(parser.get()) || !parser.is_done())) {
                    const Response busy = busy_response();
                    co_await write_and_close(s, busy, parser.get().version());
                    co_return;
                }
            }
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
            auto res = to_beast(response, version, keep_alive && !stopping && !probe);
            s.stream.expires_after(limits.write_timeout);
            co_await bhttp::async_write(s.stream, res, redirect_error(use_awaitable, ec));
            if (ec)
                co_return;
            s.answered = true;
            if (probe)
                ++stats.probes_answered_over_cap;
            if (!res.keep_alive())
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
    m_impl->each_session([](Session& s) { s.stream.cancel(); });
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
    impl.each_session([](Session& s) {
        if (!s.busy)
            s.stream.cancel();
    });
    if (impl.sessions.empty() && impl.probes.empty()) {
        impl.finish_stop();
        return;
    }
    impl.grace_timer.expires_after(grace);
    impl.grace_timer.async_wait([weak = std::weak_ptr<Impl>(m_impl)](const error_code& error) {
        auto impl = weak.lock();
        if (error || !impl)
            return;
        impl->each_session([](Session& s) {
            s.stream.cancel();
            if (s.abandon)
                s.abandon();
        });
    });
}

std::size_t Server::connections() const {
    return m_impl->sessions.size();
}

ConnectionStats Server::stats() const {
    ConnectionStats stats = m_impl->stats;
    stats.open = m_impl->sessions.size();
    return stats;
}

} // namespace aarshjul::http

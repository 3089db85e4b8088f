// SPDX-License-Identifier: MPL-2.0
// Signing in and out: the e-mail link (GET/POST /signin, /signin/<token>),
// the first-start link the daemon logs while no admin can sign in
// (/first-start), and sign-out. See http/web_auth.h for sessions and single
// sign-on.

#include "http/handlers.h"
#include "http/json_util.h"
#include "http/page_common.h"
#include "store/outbox.h"
#include "store/web_sessions.h"
#include "util/random.h"
#include "util/sha256.h"

#include <spdlog/spdlog.h>

namespace aarshjul::http {

namespace {

// The sign-in form has no session yet: its CSRF token is a cookie of its own
// that the form repeats (double submit), so another site cannot post it.
constexpr std::string_view kSigninCookie = "aarshjul_signin";

// Where to go after signing in: a local path only (no open redirect).
std::string safe_next(const std::string& next, std::string_view fallback) {
    if (next.size() > 1 && next.size() < 512 && next.front() == '/' && next[1] != '/' &&
        next.find('\\') == std::string::npos && next.find_first_of("\r\n") == std::string::npos)
        return next;
    return std::string(fallback);
}

Response signin_form(int status, const Request& request, Context& context, Lang lang,
                     const std::string& email) {
    std::string token = cookie_value(request.header("cookie"), kSigninCookie);
    const bool fresh = token.size() < 16;
    if (fresh) {
        auto drawn = random_token(24);
        if (!drawn.ok())
            return message_page(500, request, context, lang, "error_heading", "error_text");
        token = *drawn;
    }
    PageData data = page_object();
    data.set("csrf", token);
    data.set("next", page_text(safe_next(request.query_value("next"), "")));
    data.set("email", email);
    data.set("sso", page_bool(!context.web.settings().user_header.empty()));
    Response response = page_response(status, request, context, lang, "signin",
                                      word(lang, "signin_heading"), std::move(data));
    if (fresh)
        response.headers.emplace_back("Set-Cookie",
                                      std::string(kSigninCookie) + "=" + token +
                                          "; Path=/signin; HttpOnly; SameSite=Lax" +
                                          (context.web.settings().secure_cookie ? "; Secure" : ""));
    return response;
}

// Sends the sign-in link to the person's channels through the outbox.
Result<void> send_signin_link(Context& context, const Person& person, const std::string& token,
                              Instant now) {
    const Lang lang = person.language == "en" ? Lang::En : Lang::Da;
    const std::string link = context.links ? context.links->public_url() + "/signin/" + token
                                           : std::string("/signin/") + token;
    PageData data = page_object();
    data.set("name", person.name);
    data.set("link", link);
    data.set("organisation", context.organisation);
    const std::string body = PageTemplates::builtin().render_bare("signin_mail", lang, data);
    const std::vector<std::string>& channels =
        person.channels.empty() ? context.default_channels : person.channels;
    for (const auto& channel : channels) {
        OutboxNotice notice;
        notice.key = "signin|" + sha256_hex(token).substr(0, 16) + "#" + channel + "#" + person.id;
        notice.kind = "signin";
        notice.channel = channel;
        notice.recipient = person.id;
        notice.subject = word(lang, "signin_mail_subject");
        notice.body = body;
        notice.created_at = to_unix(now);
        AARSHJUL_TRY_ASSIGN(bool added, context.store.outbox().enqueue(notice));
        (void)added; // a new token makes a new key
    }
    spdlog::info("http: sign-in link for {} queued on {} channel(s)", person.id, channels.size());
    if (context.outbox_added)
        context.outbox_added();
    return {};
}

} // namespace

Response get_signin(const Request& request, Context& context) {
    const Lang lang = page_lang(request, context);
    if (request.web)
        return see_other(safe_next(request.query_value("next"), "/me"));
    return signin_form(200, request, context, lang, "");
}

Response post_signin(const Request& request, Context& context) {
    Lang lang = page_lang(request, context);
    auto form = parse_form(request.body);
    if (!form)
        return message_page(400, request, context, lang, "wrong_form_heading",
                            "form_unreadable_text", "refused");
    if (!same_secret(form_field(*form, "csrf"),
                     cookie_value(request.header("cookie"), kSigninCookie)))
        return refused_page(request, context, lang, "refused_csrf");
    const std::string email = form_field(*form, "email");
    const Instant now = context.clock.now();
    // The same answer whatever the address: nobody learns who is in the
    // directory. Mail goes out only for a person, within the limits.
    PageData data = page_object();
    Response answer = page_response(200, request, context, lang, "signin_sent",
                                    word(lang, "signin_sent_heading"), std::move(data));
    if (email.empty() || email.size() > 254)
        return answer;
    if (!context.web.allow_signin(email, request.remote, now)) {
        spdlog::warn("http: sign-in requests over the limit (address or client {})",
                     request.remote);
        return answer;
    }
    const Person* person =
        context.definitions ? WebAuth::find_person(context.definitions->directory, email) : nullptr;
    if (!person || person->email.empty() || email.find('@') == std::string::npos) {
        spdlog::info("http: sign-in asked for an address not in the directory, from {}",
                     request.remote);
        return answer;
    }
    auto token = random_token(32);
    if (!token.ok())
        return message_page(500, request, context, lang, "error_heading", "error_text");
    const std::int64_t expires = to_unix(now) + std::chrono::seconds(kSigninLinkValid).count();
    if (auto stored = context.store.web_sessions().insert_signin_link(
            sha256_hex(*token), person->id, "email", to_unix(now), expires);
        !stored.ok()) {
        spdlog::error("http: sign-in link: {}", stored.error().to_string());
        return message_page(500, request, context, lang, "error_heading", "error_text");
    }
    if (auto sent = send_signin_link(context, *person, *token, now); !sent.ok()) {
        spdlog::error("http: sign-in mail: {}", sent.error().to_string());
        return message_page(500, request, context, lang, "error_heading", "error_text");
    }
    return answer;
}

Response get_signin_link(const Request& request, Context& context) {
    Lang lang = page_lang(request, context);
    // Opening the link only shows a button: mail scanners follow links, and a
    // single-use link they opened would be spent.
    auto link = context.store.web_sessions().find_usable_signin_link(
        sha256_hex(request.params.at(0)), to_unix(context.clock.now()));
    if (!link.ok())
        return message_page(500, request, context, lang, "error_heading", "error_text");
    if (!*link || (*link)->purpose != "email")
        return refused_page(request, context, lang, "signin_link_spent");
    lang = page_lang(request, context, (*link)->person);
    PageData data = page_object();
    data.set("person_name", person_name(context, (*link)->person));
    data.set("action", "/signin/" + request.params.at(0));
    data.set("next", page_text(safe_next(request.query_value("next"), "")));
    return page_response(200, request, context, lang, "signin_confirm",
                         word(lang, "signin_confirm_heading"), std::move(data));
}

Response post_signin_link(const Request& request, Context& context) {
    const Lang lang = page_lang(request, context);
    const Instant now = context.clock.now();
    auto link = context.store.web_sessions().consume_signin_link(sha256_hex(request.params.at(0)),
                                                                 to_unix(now));
    if (!link.ok())
        return message_page(500, request, context, lang, "error_heading", "error_text");
    if (!*link || (*link)->purpose != "email")
        return refused_page(request, context, lang, "signin_link_spent");
    const Person* person =
        context.definitions ? context.definitions->directory.find_person((*link)->person) : nullptr;
    if (!person)
        return refused_page(request, context, lang, "signin_link_spent");
    auto session = context.web.start_session(
        context.store.web_sessions(), person->id,
        context.web.role_of(context.definitions->directory, *person), "email", request.remote, now);
    if (!session.ok())
        return message_page(500, request, context, lang, "error_heading", "error_text");
    std::string next = "/me";
    if (auto form = parse_form(request.body))
        next = safe_next(form_field(*form, "next"), "/me");
    Response response = see_other(next);
    response.headers.emplace_back("Set-Cookie", session->set_cookie);
    return response;
}

Response get_first_start(const Request& request, Context& context) {
    const Lang lang = page_lang(request, context);
    const Instant now = context.clock.now();
    auto link = context.store.web_sessions().consume_signin_link(
        sha256_hex(request.query_value("t")), to_unix(now));
    if (!link.ok())
        return message_page(500, request, context, lang, "error_heading", "error_text");
    if (!*link || (*link)->purpose != "first-start")
        return refused_page(request, context, lang, "first_start_spent");
    auto session = context.web.start_session(context.store.web_sessions(), "", Role::Admin,
                                             "first-start", request.remote, now);
    if (!session.ok())
        return message_page(500, request, context, lang, "error_heading", "error_text");
    Response response = see_other("/");
    response.headers.emplace_back("Set-Cookie", session->set_cookie);
    return response;
}

Response post_signout(const Request& request, Context& context) {
    const Lang lang = page_lang(request, context);
    if (!request.web)
        return see_other("/signin");
    if (auto ended = context.web.end_session(context.store.web_sessions(), *request.web,
                                             context.clock.now());
        !ended.ok())
        return message_page(500, request, context, lang, "error_heading", "error_text");
    Response response = see_other("/signin");
    response.headers.emplace_back("Set-Cookie", context.web.cleared_cookie());
    return response;
}

Result<std::string> make_first_start_link(Context& context, const std::string& base_url) {
    AARSHJUL_TRY_ASSIGN(std::string token, random_token(32));
    const std::int64_t now = to_unix(context.clock.now());
    AARSHJUL_TRY(context.store.web_sessions().insert_signin_link(
        sha256_hex(token), "", "first-start", now, now + std::int64_t{24} * 3600));
    return base_url + "/first-start?t=" + token;
}

} // namespace aarshjul::http

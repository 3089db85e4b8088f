// SPDX-License-Identifier: MPL-2.0
// The admin's reload page: a form (/reload) whose POST reloads configuration
// and workflows as the API's reload does (start_reload: evaluated on a worker
// thread, installed on the loop) and shows the outcome in #reload-result.

#include "http/handlers.h"
#include "http/page_common.h"

namespace aarshjul::http {

namespace {

// The outcome page; `request` is a copy kept until the reload has answered.
Response reload_result(const Request& request, Context& context, const ReloadOutcome& outcome) {
    const Lang lang = page_lang(request, context);
    PageData data = page_object();
    int status = 200;
    data.set("installed", page_bool(outcome.verdict == ReloadVerdict::Installed));
    data.set("refused", page_bool(outcome.verdict == ReloadVerdict::Refused));
    data.set("busy", page_bool(outcome.verdict == ReloadVerdict::Busy));
    data.set("stopping", page_bool(outcome.verdict == ReloadVerdict::Stopping));
    switch (outcome.verdict) {
    case ReloadVerdict::Installed:
        data.set("workflows", std::to_string(outcome.workflows));
        data.set("created", std::to_string(outcome.stats.created));
        data.set("updated", std::to_string(outcome.stats.updated));
        data.set("cancelled", std::to_string(outcome.stats.cancelled));
        data.set("unchanged", std::to_string(outcome.stats.unchanged));
        break;
    case ReloadVerdict::Refused: {
        status = 422;
        PageData errors = page_list();
        for (const auto& e : outcome.errors) {
            PageData line = page_object();
            line.set("text", e);
            errors.push_back(line);
        }
        data.set("errors", errors);
        break;
    }
    case ReloadVerdict::Busy:
        status = 409;
        break;
    case ReloadVerdict::Stopping:
        status = 503;
        break;
    }
    data.set("again", "/reload" + kept_lang_query(request, lang));
    Response response = page_response(status, request, context, lang, "reload_result",
                                      word(lang, "reload_heading"), std::move(data));
    if (outcome.verdict == ReloadVerdict::Busy)
        response.headers.emplace_back("Retry-After", "1");
    return response;
}

} // namespace

Response get_reload_page(const Request& request, Context& context) {
    const Lang lang = page_lang(request, context);
    PageData data = page_object();
    data.set("action", "/reload" + kept_lang_query(request, lang));
    data.set("csrf", request.web ? request.web->csrf : std::string());
    data.set("workflows",
             std::to_string(context.definitions ? context.definitions->workflows.size() : 0));
    data.set("available", page_bool(static_cast<bool>(context.reload)));
    empty_text_as_false(data, {"csrf"});
    return page_response(200, request, context, lang, "reload", word(lang, "reload_heading"),
                         std::move(data));
}

Deferred post_reload_page(const Request& request, Context& context) {
    const Lang lang = page_lang(request, context);
    return start_reload(context, request.principal->name,
                        message_page(503, request, context, lang, "unavailable_heading",
                                     "reload_unavailable", "reload-result"),
                        [&context, request](const ReloadOutcome& outcome) {
                            return reload_result(request, context, outcome);
                        });
}

} // namespace aarshjul::http

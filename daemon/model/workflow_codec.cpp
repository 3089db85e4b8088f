// SPDX-License-Identifier: MPL-2.0
#include "model/workflow_codec.h"

#include "util/field_record.h"
#include "util/sha256.h"
#include "util/utf8.h"

#include <array>
#include <optional>

namespace aarshjul {

namespace {

constexpr std::string_view kWorkflowHeader = "aarshjul-workflow-v2\n";
constexpr std::string_view kFollowUpHeader = "aarshjul-follow-up-v1\n";

// The longest list a definition may hold; a worker claiming more is refused.
constexpr std::int64_t kMaxItems = 100'000;
constexpr int kMaxNumber = 1'000'000; // as lua/definition_reader.h

constexpr std::array<std::string_view, 3> kAssigneeKinds{"role", "person", "body"};
constexpr std::array<std::string_view, 4> kUnits{"days", "business_days", "hours", "months"};
constexpr std::array<std::string_view, 4> kForEachKinds{"once", "systems", "processors", "sample"};
constexpr std::array<std::string_view, 4> kTriggerKinds{"calendar", "meetings", "event",
                                                        "completion"};
constexpr std::array<std::string_view, 2> kCadences{"calendar", "from_completion"};

// Writes each field visited.
class Encoder {
public:
    explicit Encoder(std::string_view header) : m_out(std::string(header)) {}

    void text(std::string_view name, const std::string& value) { m_out.put(name, value); }
    void integer(std::string_view name, int value, int = 0) { m_out.put_int(name, value); }
    void flag(std::string_view name, bool value) { m_out.put_bool(name, value); }
    template <class E, std::size_t N>
    void choice(std::string_view name, E value, const std::array<std::string_view, N>& names) {
        m_out.put(name, names[static_cast<std::size_t>(value)]);
    }
    void date(std::string_view name, LocalDate value) { m_out.put(name, format_local_date(value)); }
    void optional_date(std::string_view name, const std::optional<LocalDate>& value) {
        m_out.put(name, value ? format_local_date(*value) : std::string("-"));
    }
    // A count, then each item.
    template <class T, class F>
    void list(std::string_view name, const std::vector<T>& items, F&& each) {
        m_out.put_int(name, static_cast<std::int64_t>(items.size()));
        for (const auto& item : items)
            each(item);
    }
    // "1" and the value's fields, or "0".
    template <class T, class F>
    void optional(std::string_view name, const std::optional<T>& value, F&& each) {
        m_out.put_bool(name, value.has_value());
        if (value)
            each(*value);
    }

    // A field added after v2: written only when set, so a definition that
    // does not use it keeps its v2 bytes (and its stored hash).
    template <class F> void added(std::string_view, bool set, F&& each) {
        if (set)
            each();
    }

    std::string take() { return m_out.take(); }

private:
    FieldWriter m_out;
};

// Reads each field visited; after the first problem every call does nothing.
class Decoder {
public:
    Decoder(std::string_view text, std::string_view header) : m_in(text, header) {}

    void text(std::string_view name, std::string& value) {
        if (auto v = get(name)) {
            if (!valid_utf8(*v))
                return fail(name, "not valid UTF-8");
            value.assign(*v);
        }
    }
    void integer(std::string_view name, int& value, int low = 0) {
        if (!m_error.message.empty())
            return;
        auto v = m_in.get_int(name, low, kMaxNumber);
        if (!v.ok())
            return keep(v.take_error());
        value = static_cast<int>(*v);
    }
    void flag(std::string_view name, bool& value) {
        if (!m_error.message.empty())
            return;
        auto v = m_in.get_bool(name);
        if (!v.ok())
            return keep(v.take_error());
        value = *v;
    }
    template <class E, std::size_t N>
    void choice(std::string_view name, E& value, const std::array<std::string_view, N>& names) {
        auto v = get(name);
        if (!v)
            return;
        for (std::size_t i = 0; i < N; ++i)
            if (names[i] == *v) {
                value = static_cast<E>(i);
                return;
            }
        fail(name, "unknown value");
    }
    void date(std::string_view name, LocalDate& value) {
        auto v = get(name);
        if (!v)
            return;
        auto parsed = parse_local_date(*v);
        if (!parsed)
            return fail(name, "not a date");
        value = *parsed;
    }
    void optional_date(std::string_view name, std::optional<LocalDate>& value) {
        if (m_in.peek_name() == name && peek_value_is_dash(name)) {
            (void)get(name);
            value.reset();
            return;
        }
        LocalDate day{};
        date(name, day);
        value = day;
    }
    template <class T, class F> void list(std::string_view name, std::vector<T>& items, F&& each) {
        if (!m_error.message.empty())
            return;
        auto count = m_in.get_int(name, 0, kMaxItems);
        if (!count.ok())
            return keep(count.take_error());
        items.assign(static_cast<std::size_t>(*count), T{});
        for (auto& item : items)
            each(item);
    }
    template <class T, class F>
    void optional(std::string_view name, std::optional<T>& value, F&& each) {
        bool present = false;
        flag(name, present);
        value.reset();
        if (!present || !m_error.message.empty())
            return;
        value.emplace();
        each(*value);
    }

    // An added field is read when the record holds it next.
    template <class F> void added(std::string_view name, bool, F&& each) {
        if (m_error.message.empty() && m_in.peek_name() == name)
            each();
    }

    Result<void> finish() {
        if (!m_error.message.empty())
            return m_error;
        return m_in.expect_end();
    }

private:
    std::optional<std::string_view> get(std::string_view name) {
        if (!m_error.message.empty())
            return std::nullopt;
        auto v = m_in.get(name);
        if (!v.ok()) {
            keep(v.take_error());
            return std::nullopt;
        }
        return *v;
    }
    bool peek_value_is_dash(std::string_view name) {
        FieldReader copy = m_in;
        auto v = copy.get(name);
        return v.ok() && *v == "-";
    }
    void fail(std::string_view name, const std::string& what) {
        keep(make_error("malformed definition, field '" + std::string(name) + "': " + what));
    }
    void keep(Error error) {
        if (m_error.message.empty())
            m_error = std::move(error);
    }

    FieldReader m_in;
    Error m_error;
};

template <class Io, class A> void assignee_fields(Io& io, const std::string& name, A& a) {
    io.choice(name + ".kind", a.kind, kAssigneeKinds);
    io.text(name + ".id", a.id);
}

template <class Io, class O> void offset_fields(Io& io, const std::string& name, O& o) {
    io.choice(name + ".unit", o.unit, kUnits);
    io.integer(name + ".amount", o.amount, -kMaxNumber);
}

template <class Io, class R> void recurrence_fields(Io& io, const std::string& name, R& r) {
    io.text(name + ".rrule", r.rrule);
    io.date(name + ".anchor", r.anchor);
    io.optional_date(name + ".valid_until", r.valid_until);
}

// `prefix` names a follow-up inside a workflow ("outcomes[].action_plan.");
// a follow-up record of its own has none.
template <class Io, class F> void follow_up_fields(Io& io, F& f, const std::string& prefix = "") {
    io.text(prefix + "id", f.id);
    io.text(prefix + "title.da", f.title.da);
    io.text(prefix + "title.en", f.title.en);
    assignee_fields(io, prefix + "assignee", f.assignee);
    offset_fields(io, prefix + "due", f.due);
}

// The schema of a workflow: every field but file, line and content_hash. The
// order is the hash's; a new field goes at the end (and changes every hash:
// a re-plan, which is harmless, see engine materialise).
template <class Io, class W> void workflow_fields(Io& io, W& w) {
    auto strings = [&](std::string_view name, auto& list, std::string_view item) {
        io.list(name, list, [&](auto& s) { io.text(item, s); });
    };
    auto numbers = [&](std::string_view name, auto& list, std::string_view item) {
        io.list(name, list, [&](auto& n) { io.integer(item, n); });
    };
    io.text("id", w.id);
    io.text("title.da", w.title.da);
    io.text("title.en", w.title.en);
    io.text("description.da", w.description.da);
    io.text("description.en", w.description.en);
    io.text("source", w.source);
    assignee_fields(io, "assignee", w.assignee);
    io.choice("for_each.kind", w.for_each.kind, kForEachKinds);
    strings("for_each.criticality", w.for_each.criticality, "for_each.criticality[]");
    strings("for_each.tiers", w.for_each.tiers, "for_each.tiers[]");
    recurrence_fields(io, "schedule", w.schedule);
    io.integer("due_days", w.due_days, -kMaxNumber);
    numbers("remind.before_due_days", w.remind.before_due_days, "remind.before_due_days[]");
    io.integer("remind.overdue_every_days", w.remind.overdue_every_days);
    io.flag("remind_is_default", w.remind_is_default);
    io.choice("trigger.kind", w.trigger.kind, kTriggerKinds);
    io.text("trigger.name", w.trigger.name);
    offset_fields(io, "due", w.due);
    numbers("remind_before_due_hours", w.remind_before_due_hours, "remind_before_due_hours[]");
    io.integer("overdue_every_hours", w.overdue_every_hours);
    io.text("due_next_meeting", w.due_next_meeting);
    io.flag("roll_to_business_day", w.roll_to_business_day);
    io.flag("roll_backward", w.roll_backward);
    io.choice("cadence", w.cadence, kCadences);
    offset_fields(io, "interval", w.interval);
    strings("depends_on", w.depends_on, "depends_on[]");
    io.list("steps", w.steps, [&](auto& step) {
        io.text("steps[].id", step.id);
        io.text("steps[].title.da", step.title.da);
        io.text("steps[].title.en", step.title.en);
        io.text("steps[].body", step.body);
        assignee_fields(io, "steps[].assignee", step.assignee);
    });
    io.flag("escalate_is_default", w.escalate_is_default);
    strings("channels", w.channels, "channels[]");
    io.list("escalate", w.escalate, [&](auto& step) {
        io.integer("escalate[].after", step.after_days_overdue, 1);
        assignee_fields(io, "escalate[].to", step.to);
    });
    io.optional("horizon_check", w.horizon_check, [&](auto& check) {
        io.integer("horizon_check.months", check.months, 1);
        assignee_fields(io, "horizon_check.assignee", check.assignee);
    });
    io.list("schedule_by_tier", w.schedule_by_tier, [&](auto& entry) {
        io.text("schedule_by_tier[].key", entry.first);
        recurrence_fields(io, "schedule_by_tier[]", entry.second);
    });
    io.integer("for_each.sample_size", w.for_each.sample_size);
    io.text("for_each.sample_seed", w.for_each.sample_seed);
    io.flag("evidence_required", w.evidence_required);
    io.flag("enabled", w.enabled);
    io.flag("has_on_complete", w.has_on_complete);
    io.flag("has_on_overdue", w.has_on_overdue);
    io.flag("has_on_event", w.has_on_event);
    // Added after v2 (see Encoder::added), in this order.
    io.added("trigger.outcome", !w.trigger.outcome.empty(),
             [&] { io.text("trigger.outcome", w.trigger.outcome); });
    io.added("outcomes", !w.outcomes.empty(), [&] {
        io.list("outcomes", w.outcomes, [&](auto& o) {
            io.text("outcomes[].id", o.id);
            io.text("outcomes[].label.da", o.label.da);
            io.text("outcomes[].label.en", o.label.en);
            io.optional("outcomes[].action_plan", o.action_plan,
                        [&](auto& plan) { follow_up_fields(io, plan, "outcomes[].action_plan."); });
        });
    });
    io.added("group", w.group != WorkflowGroup::Other,
             [&] { io.choice("group", w.group, kWorkflowGroupNames); });
    io.added("trigger.facts.personal_data", !w.trigger.facts.empty(), [&] {
        strings("trigger.facts.personal_data", w.trigger.facts.personal_data,
                "trigger.facts.personal_data[]");
        strings("trigger.facts.significant", w.trigger.facts.significant,
                "trigger.facts.significant[]");
    });
    io.added("also", w.also.has_value(), [&] {
        io.optional("also", w.also, [&](auto& also) {
            io.choice("also.kind", also.kind, kTriggerKinds);
            io.text("also.name", also.name);
            strings("also.facts.personal_data", also.facts.personal_data,
                    "also.facts.personal_data[]");
            strings("also.facts.significant", also.facts.significant, "also.facts.significant[]");
        });
    });
    io.added("standards.iso27001", !w.standards.iso27001.empty(),
             [&] { strings("standards.iso27001", w.standards.iso27001, "standards.iso27001[]"); });
    io.added("standards.cis", !w.standards.cis.empty(),
             [&] { strings("standards.cis", w.standards.cis, "standards.cis[]"); });
}

} // namespace

std::string encode_workflow(const WorkflowDef& workflow) {
    Encoder out(kWorkflowHeader);
    workflow_fields(out, workflow);
    return out.take();
}

Result<WorkflowDef> decode_workflow(std::string_view text) {
    Decoder in(text, kWorkflowHeader);
    WorkflowDef workflow;
    workflow_fields(in, workflow);
    AARSHJUL_TRY(in.finish());
    return workflow;
}

std::string workflow_content_hash(const WorkflowDef& workflow) {
    return sha256_hex(encode_workflow(workflow));
}

std::string encode_follow_up(const FollowUpSpec& follow_up) {
    Encoder out(kFollowUpHeader);
    follow_up_fields(out, follow_up);
    return out.take();
}

Result<FollowUpSpec> decode_follow_up(std::string_view text) {
    Decoder in(text, kFollowUpHeader);
    FollowUpSpec follow_up;
    follow_up_fields(in, follow_up);
    AARSHJUL_TRY(in.finish());
    return follow_up;
}

} // namespace aarshjul

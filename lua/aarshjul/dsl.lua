-- SPDX-License-Identifier: MPL-2.0
-- aarshjul workflow DSL: what a file in workflows/ may write.
--
--   workflow {
--     id = "RISK-SYS",                                   -- capitals, digits, '-'
--     title = { da = "Risikovurdering af system", en = "Risk assessment of system" },
--     description = { da = "...", en = "..." },          -- optional
--     source = "004_8f337844b52a9e9a.txt: årlige risikovurdering af systemerne",
--     for_each = systems { criticality = { "high" } },   -- optional: one task per system
--     assignee = role "system_responsible",              -- or person "anna.jensen"
--     schedule = yearly { month = 3, day = 1 },          -- a calendar schedule or a trigger
--     due = days(30),                                    -- optional, default days(0)
--     remind = { before_due = days{14, 3, 0}, overdue_every = days(7) }, -- optional: default from the config
--   }
--
-- Every span says its unit: days(n), business_days(n), hours(n), months(n), and
-- for a list of reminders days{14, 3, 0} or hours{24, 4}.
--
-- Every field (only `id`, `title`, `source`, `assignee` and `schedule` are
-- required; any other name is an error):
--   for_each = systems { criticality = { "high", "medium" } }  one task per system
--                                     (criticality: low | medium | high; empty = all)
--   for_each = processors { tier = { "high" } }                one task per data processor
--   schedule = <calendar schedule>    see below; one occurrence per date
--   schedule = meetings "isu"         one occurrence per meeting of that body
--   schedule = on_event "incident"    one occurrence per reported event of that type
--   schedule = on_event { "incident", personal_data = { "yes", "unknown" },
--                         significant = { "yes", "unknown" } }
--                                     ... whose facts hold (each yes | no | unknown; a list
--                                     left out accepts any answer)
--   schedule = on_completion "NIS2-NOT"  one per completed task of that workflow
--   schedule = on_completion { "NIS2-NOT", outcome = "notified" }  ... completed with that outcome
--   also = on_event "business_change"  beside a calendar or meetings schedule: each reported
--                                     event of that type is an occurrence too (facts as in
--                                     schedule = on_event); with cadence = from_completion its
--                                     completion withdraws the planned occurrence and the
--                                     next is counted from it
--   due = days(n)                     n may be negative ("the day before": days(-1))
--   due = business_days(n)            n >= 0, counted on business days
--   due = months(n)                   calendar months, clamped to the month's end
--   due = hours(n)                    an instant, n hours after the trigger on the UTC
--                                     time line; only with on_event, on_completion or once
--   due = next_meeting "byraad"       the body's next meeting after the occurrence
--   roll = "forward" | "backward" | "none"  a day-based due date on a weekend or holiday moves
--                                     to the next business day, or back to the one before
--                                     (default "none"; hour-based
--                                     due times never roll, so roll is ignored for hours)
--   cadence = "calendar"              the default: occurrences follow the schedule
--   cadence = from_completion { months = 12 }  (or { days = N }) the next occurrence is
--                                     counted from the last completion; calendar schedules only
--   depends_on = { "RISK-PORT" }      workflow ids (or one id as a string) whose current
--                                     task must be done first
--   steps = { { id = "DIR", title = { da = "...", en = "..." }, body = "direktion",
--               assignee = role "executive_board" }, ... }
--                                     an approval chain: one task per step, each due at the
--                                     next meeting of its body; step ids unique, like workflow ids
--   escalate = { { after = days(7), to = role "system_owner" }, { after = days(21), to = role "coordinator" } }
--                                     days overdue, whole numbers > 0, strictly increasing
--                                     (in days also for an hour-based due: hours(n) is refused);
--                                     absent: the configured default ladder; {} never escalates;
--                                     to = committee "isu" posts the escalation to that body's
--                                     channel (directory.toml: [[body]] channel = "...")
--   channels = { "mail", "isu-teams" } every notice of this workflow goes to these channels
--                                     instead of each recipient's own
--   horizon_check = { months = 6, assignee = role "committee_secretary" }
--                                     warn when the body's meetings are booked less than
--                                     `months` ahead (default 6); only with schedule = meetings
--   schedule_by_criticality = { high = yearly { ... }, medium = rrule { ... }, low = ... }
--                                     keys low | medium | high, values calendar schedules; needs
--                                     for_each systems or processors; `schedule` is then optional
--                                     and serves the criticalities not listed
--   remind = { before_due = days{14, 3, 0}, overdue_every = days(7) }
--                                     reminders 14 and 3 days before and on the due day, then
--                                     every 7 days while overdue; days(0) or no overdue_every:
--                                     no repeated reminders
--   remind = { before_due = hours{24, 4}, overdue_every = hours(12) }
--                                     the same in hours: only with due = hours(n), which in
--                                     turn takes no days{...} / days(n) reminders
--   group = "risk"                    the workflow's ring on the wheel (the årshjul drawing):
--                                     committee | risk | data_protection | incidents | technical;
--                                     absent: "other", the outer ring (every shipped workflow
--                                     names one)
--   standards = { iso27001 = { "5.24", "5.26" }, cis = { "17.1" } }
--                                     the controls its tasks evidence: ISO/IEC 27001:2022
--                                     Annex A ("5.1" to "8.34") and CIS Controls v8 safeguards;
--                                     each list optional; the report's coverage table reads them
--   outcomes = { { id = "ok", label = { da = "Ingen bemærkninger", en = "No remarks" } },
--                { id = "deviation", label = { da = "Afvigelse", en = "Deviation" },
--                  action_plan = { title = { da = "Handlingsplan", en = "Action plan" },
--                                  assignee = role "coordinator", due = days(30) } } }
--                                     what a completed control found: completing one of the
--                                     workflow's tasks then needs one (ids lower-case, 1 to 20);
--                                     an action_plan starts a task of its own (assignee: the
--                                     workflow's unless given; due days, business_days or months
--                                     after the completion), linked to the task that found it
--   on_complete = function(task) ... end   hooks, run when a task of this workflow is
--   on_overdue = function(task) ... end    completed / goes overdue / (on_event only with
--   on_event = function(event) ... end     schedule = on_event or also) an event is reported
--
-- Old spellings still load, each with a warning from `aarshjul check` that
-- names the new one: bare numbers in days (before_due = { 14, 3, 0 },
-- overdue_every = 7, escalate after = 7) and before_due_hours = { 24, 4 },
-- overdue_every_hours = 12.
--
-- The duties around every meeting of a body are one construct, meeting_cycle,
-- which writes one workflow per part (schedule = meetings body):
--   meeting_cycle {
--     body = "isu",                              -- [[body]] id of directory.toml
--     secretary = role "committee_secretary",    -- each part's assignee unless it names one
--     chair = role "committee_chair",            -- optional: whom escalate_after escalates to
--     horizon = months(6),                       -- optional: the agenda's horizon_check,
--                                                --   assigned to the secretary
--     evidence = "optional",                     -- optional: each part's default
--     group = "committee",                       -- optional: each part's default
--     standards = { iso27001 = { "5.4" } },      -- optional: each part's default
--     agenda = { id = "ISU-MEET", title = { ... }, description = { ... }, source = "...",
--                due = days(-7),                 -- the default
--                remind = { before_due = days{7, 1, 0}, overdue_every = days(2) },
--                escalate_after = days(3) },     -- escalate = { { after = days(3), to = chair } }
--     minutes = { id = "ISU-MEET-REF", ..., due = days(7) },  -- optional; due days(7) by default
--     approval = { id = "RSI-MEET-GODK", ... },             -- optional; due at the body's next
--                                                           --   meeting by default
--   }
-- A part takes id, title, description, source (id, title and source required)
-- and assignee, due, roll, remind, escalate or escalate_after, evidence,
-- enabled, channels, depends_on, group, standards, on_complete, on_overdue, as in workflow { }.
-- The result is exactly the workflows written out by hand; every mistake points
-- at the meeting_cycle's line.
--
-- Hooks run later, each in a fresh sandbox that re-evaluates the file, so they
-- keep no state between calls. Their argument is a read-only table of strings
-- (the task's or the event's fields). Inside a hook, follow_up asks for a task:
--   follow_up { id = "NOTIFY-DPO", title = { da = "...", en = "..." },
--               assignee = role "dpo", due = hours(24) }
-- ids are unique per hook call; due is days, business_days, hours or months
-- (not negative), counted from the moment the hook ran. Outside a hook
-- follow_up is an error.
--
-- Calendar schedules (each takes optional from = "YYYY-MM-DD", the first possible
-- occurrence, default "2000-01-01", and to = "YYYY-MM-DD", the last one;
-- ["until"] = "..." means the same as to, `until` being a Lua keyword):
--   yearly { month = 3, day = 1 }
--   half_yearly { months = { 1, 7 }, day = 1 }        months default { 1, 7 }, day 1
--   quarterly { months = { 1, 4, 7, 10 }, day = 1 }   the defaults
--   monthly { day = 1 }                               day default 1
--   weekly { weekday = "MO" }                         MO..SU, default MO
--   rrule "FREQ=MONTHLY;BYMONTHDAY=1,15"              a raw RFC 5545 RRULE
--   rrule { "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=11", from = "2023-04-11" }
--   once "2025-12-31"                                 a single occurrence (årsplan work)
-- A day past the 28th falls on the month's last day in months that are
-- shorter (yearly { month = 2, day = 29 } is Feb 28 in common years).
--
-- Every mistake stops the file with "file:line: message", the line being the
-- coordinator's call. The loader reads the definitions through _definitions()
-- and the warnings (file, line, message) through _warnings();
-- the hook runner calls _run_hook(id, hook, args). Fields starting with '_' are
-- hidden from workflow files by the sandbox. The checks here come first, for
-- their messages; the loader checks every definition again in C++
-- (daemon/model/workflow_check.h: ids, names, UTF-8), and that check counts.

local M = {}

local where = sandbox.where
local tointeger = math.tointeger

-- Values made by the constructors below, and what kind each is. Weak keys:
-- the tag lives only as long as the value.
local kind_of = setmetatable({}, { __mode = "k" })
local function tagged(kind, value)
  kind_of[value] = kind
  return value
end

-- The position of the coordinator's call: the first frame outside this file.
local this_file = where(1)
local function caller()
  local level = 2
  while true do
    local file, line = where(level)
    if not file then
      return { file = "?", line = 0 }
    end
    if file ~= this_file then
      return { file = file, line = line }
    end
    level = level + 1
  end
end

local function fail(pos, message)
  if pos.line == 0 then
    error(message, 0)
  end
  error(pos.file .. ":" .. pos.line .. ": " .. message, 0)
end

-- What loads but should be written otherwise (an old spelling), in order;
-- the loader reads them through _warnings() and `aarshjul check` prints them.
local warnings = {}
local function warn(pos, message)
  warnings[#warnings + 1] = { file = pos.file, line = pos.line, message = message }
end

local function quote(value)
  if type(value) == "string" then
    return "'" .. value .. "'"
  end
  return tostring(value)
end

-- Fails on any key of `t` not in `allowed` (a set), naming the first one in sorted order.
local function check_keys(pos, what, t, allowed)
  local unknown = {}
  for key in pairs(t) do
    if not allowed[key] then
      unknown[#unknown + 1] = tostring(key)
    end
  end
  if #unknown > 0 then
    table.sort(unknown)
    fail(pos, what .. ": unknown field '" .. unknown[1] .. "'")
  end
end

-- Fails unless `value` is a plain list (keys 1..n only).
local function plain_list(pos, what, value, example)
  if type(value) ~= "table" or kind_of[value] then
    fail(pos, what .. " must be a list such as " .. example .. " (got " .. (kind_of[value] or type(value)) .. ")")
  end
  for key in pairs(value) do
    if math.type(key) ~= "integer" or key < 1 or key > #value then
      fail(pos, what .. " must be a list such as " .. example .. " (unexpected key " .. quote(key) .. ")")
    end
  end
  return value
end

local function set(...)
  local s = {}
  for _, key in ipairs({ ... }) do
    s[key] = true
  end
  return s
end

local function integer_in(pos, what, value, low, high)
  local n = type(value) == "number" and tointeger(value) or nil
  if n == nil or n < low or (high and n > high) then
    if high then
      fail(pos, what .. " must be a whole number from " .. low .. " to " .. high .. " (got " .. quote(value) .. ")")
    end
    fail(pos, what .. " must be a whole number of at least " .. low .. " (got " .. quote(value) .. ")")
  end
  return n
end

local function nonempty_string(pos, what, value)
  if type(value) ~= "string" or value == "" then
    fail(pos, what .. " must be a non-empty string (got " .. quote(value) .. ")")
  end
  return value
end

local function is_leap(year)
  return year % 4 == 0 and (year % 100 ~= 0 or year % 400 == 0)
end

local max_days = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }
local min_days = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }

local function iso_date(pos, what, value)
  if type(value) ~= "string" then
    fail(pos, what .. " must be a date \"YYYY-MM-DD\" (got " .. quote(value) .. ")")
  end
  local y, m, d = value:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  local ok = y and m >= 1 and m <= 12 and d >= 1
  if ok then
    local last = min_days[m]
    if m == 2 and is_leap(y) then
      last = 29
    end
    ok = d <= last
  end
  if not ok then
    fail(pos, what .. " must be a date \"YYYY-MM-DD\" (got " .. quote(value) .. ")")
  end
  return value
end

-- from / to / ["until"] shared by every schedule; returns the schedule value.
local function schedule(pos, what, spec, rule)
  local from = "2000-01-01"
  if spec.from ~= nil then
    from = iso_date(pos, what .. ": from", spec.from)
  end
  if spec.to ~= nil and spec["until"] ~= nil then
    fail(pos, what .. ": give either to or until, not both")
  end
  local last = spec.to
  if last == nil then
    last = spec["until"]
  end
  if last ~= nil then
    last = iso_date(pos, what .. ": to", last)
    if last < from then
      fail(pos, what .. ": to (" .. last .. ") is before from (" .. from .. ")")
    end
  end
  return tagged("schedule", { rrule = rule, from = from, valid_until = last })
end

local function spec_table(pos, what, spec)
  if type(spec) ~= "table" or kind_of[spec] then
    fail(pos, what .. " expects a table, as in " .. what .. " { ... } (got " .. type(spec) .. ")")
  end
  return spec
end

-- "BYMONTHDAY=D", or for a day that some month lacks "BYMONTHDAY=28,...,D;BYSETPOS=-1":
-- the last of those days that the month has.
local function by_month_day(day, shortest_month)
  if day <= shortest_month then
    return "BYMONTHDAY=" .. day
  end
  local days = {}
  for d = 28, day do
    days[#days + 1] = d
  end
  return "BYMONTHDAY=" .. table.concat(days, ",") .. ";BYSETPOS=-1"
end

-- months: a list of distinct months (1-12), `count` of them; returned sorted.
local function month_list(pos, what, value, count)
  if type(value) ~= "table" then
    fail(pos, what .. ": months must be a list of " .. count .. " months (got " .. quote(value) .. ")")
  end
  local months, seen = {}, {}
  for key in pairs(value) do
    if math.type(key) ~= "integer" or key < 1 or key > #value then
      fail(pos, what .. ": months must be a list of " .. count .. " months")
    end
  end
  for i, m in ipairs(value) do
    m = integer_in(pos, what .. ": months[" .. i .. "]", m, 1, 12)
    if seen[m] then
      fail(pos, what .. ": month " .. m .. " is listed twice")
    end
    seen[m] = true
    months[#months + 1] = m
  end
  if #months ~= count then
    fail(pos, what .. ": months must list exactly " .. count .. " months (got " .. #months .. ")")
  end
  table.sort(months)
  return months
end

-- A rule over several months: FREQ=MONTHLY with BYMONTH, so that BYSETPOS counts per month.
local function multi_month(pos, what, spec, default_months, count)
  local months = default_months
  if spec.months ~= nil then
    months = month_list(pos, what, spec.months, count)
  end
  local longest, shortest = 0, 31
  for _, m in ipairs(months) do
    longest = math.max(longest, max_days[m])
    shortest = math.min(shortest, min_days[m])
  end
  local day = 1
  if spec.day ~= nil then
    day = integer_in(pos, what .. ": day", spec.day, 1, longest)
  end
  return schedule(pos, what, spec,
    "FREQ=MONTHLY;BYMONTH=" .. table.concat(months, ",") .. ";" .. by_month_day(day, shortest))
end

function M.yearly(spec)
  local pos = caller()
  spec = spec_table(pos, "yearly", spec)
  check_keys(pos, "yearly", spec, set("month", "day", "from", "to", "until"))
  if spec.month == nil or spec.day == nil then
    fail(pos, "yearly needs month and day, as in yearly { month = 3, day = 1 }")
  end
  local month = integer_in(pos, "yearly: month", spec.month, 1, 12)
  local day = integer_in(pos, "yearly: day", spec.day, 1, max_days[month])
  return schedule(pos, "yearly", spec,
    "FREQ=YEARLY;BYMONTH=" .. month .. ";" .. by_month_day(day, min_days[month]))
end

function M.half_yearly(spec)
  local pos = caller()
  spec = spec_table(pos, "half_yearly", spec)
  check_keys(pos, "half_yearly", spec, set("months", "day", "from", "to", "until"))
  return multi_month(pos, "half_yearly", spec, { 1, 7 }, 2)
end

function M.quarterly(spec)
  local pos = caller()
  spec = spec_table(pos, "quarterly", spec)
  check_keys(pos, "quarterly", spec, set("months", "day", "from", "to", "until"))
  return multi_month(pos, "quarterly", spec, { 1, 4, 7, 10 }, 4)
end

function M.monthly(spec)
  local pos = caller()
  spec = spec_table(pos, "monthly", spec)
  check_keys(pos, "monthly", spec, set("day", "from", "to", "until"))
  local day = 1
  if spec.day ~= nil then
    day = integer_in(pos, "monthly: day", spec.day, 1, 31)
  end
  return schedule(pos, "monthly", spec, "FREQ=MONTHLY;" .. by_month_day(day, 28))
end

local weekdays = set("MO", "TU", "WE", "TH", "FR", "SA", "SU")

function M.weekly(spec)
  local pos = caller()
  spec = spec_table(pos, "weekly", spec)
  check_keys(pos, "weekly", spec, set("weekday", "from", "to", "until"))
  local weekday = "MO"
  if spec.weekday ~= nil then
    weekday = type(spec.weekday) == "string" and spec.weekday:upper() or spec.weekday
    if not weekdays[weekday] then
      fail(pos, "weekly: weekday must be one of MO, TU, WE, TH, FR, SA, SU (got " .. quote(spec.weekday) .. ")")
    end
  end
  return schedule(pos, "weekly", spec, "FREQ=WEEKLY;BYDAY=" .. weekday)
end

-- rrule "FREQ=..." or rrule { "FREQ=...", from = ..., to = ... }: passed through as written.
function M.rrule(spec)
  local pos = caller()
  local rule
  if type(spec) == "string" then
    rule, spec = spec, {}
  elseif type(spec) == "table" and not kind_of[spec] then
    check_keys(pos, "rrule", spec, set(1, "from", "to", "until"))
    rule = spec[1]
  else
    fail(pos, "rrule expects a string or a table, as in rrule \"FREQ=YEARLY\" (got " .. type(spec) .. ")")
  end
  nonempty_string(pos, "rrule", rule)
  if not (";" .. rule):find(";FREQ=", 1, true) then
    fail(pos, "rrule: an RRULE needs a FREQ part (got " .. quote(rule) .. ")")
  end
  if rule:find("[^%w=;,:+%-]") then
    fail(pos, "rrule: unexpected character in " .. quote(rule))
  end
  return schedule(pos, "rrule", spec, rule)
end

-- A single occurrence on `day`: one-off work (the årsplan) and the anchor of hours(n) dues.
local once_schedules = setmetatable({}, { __mode = "k" })

function M.once(day)
  local pos = caller()
  if type(day) ~= "string" then
    fail(pos, "once expects a date, as in once \"2025-12-31\" (got " .. quote(day) .. ")")
  end
  iso_date(pos, "once", day)
  local s = tagged("schedule", { rrule = "FREQ=DAILY;COUNT=1", from = day })
  once_schedules[s] = true
  return s
end

-- Offsets: due = days(30), business_days(5), hours(72), months(1); the same
-- values say what unit overdue_every = days(7) and escalate after = days(7) count in.
local max_amount = 100000

local function offset(unit, amount)
  return tagged("offset", { unit = unit, amount = amount })
end

-- days{14, 3, 0}, hours{24, 4}: the reminders before a deadline, counted back
-- from it (0 is the deadline itself); kept distinct and sorted from the largest.
local function offset_list(pos, unit, list)
  local example = unit .. "{" .. (unit == "days" and "14, 3, 0" or "24, 4") .. "}"
  plain_list(pos, unit, list, example)
  if #list == 0 then
    fail(pos, unit .. "{} lists no " .. unit .. ": give at least one, as in " .. example)
  end
  local amounts, seen = {}, {}
  for i, n in ipairs(list) do
    local what = unit .. "{...}[" .. i .. "]"
    local whole = type(n) == "number" and tointeger(n) or nil
    if whole == nil then
      fail(pos, what .. " must be a whole number of " .. unit .. " (got " .. quote(n) .. ")")
    end
    if whole < 0 then
      fail(pos, what .. " is " .. whole .. ": the list counts back from the deadline, so every "
        .. "number is 0 or more (0 is the deadline itself)")
    end
    n = integer_in(pos, what, whole, 0, max_amount)
    if not seen[n] then
      seen[n] = true
      amounts[#amounts + 1] = n
    end
  end
  table.sort(amounts, function(a, b) return a > b end)
  return tagged("offsets", { unit = unit, amounts = amounts })
end

function M.days(n)
  local pos = caller()
  if type(n) == "table" and not kind_of[n] then
    return offset_list(pos, "days", n)
  end
  return offset("days", integer_in(pos, "days", n, -max_amount, max_amount))
end

function M.business_days(n)
  return offset("business_days", integer_in(caller(), "business_days", n, 0, max_amount))
end

function M.hours(n)
  local pos = caller()
  if type(n) == "table" and not kind_of[n] then
    return offset_list(pos, "hours", n)
  end
  return offset("hours", integer_in(pos, "hours", n, 0, max_amount))
end

function M.months(n)
  return offset("months", integer_in(caller(), "months", n, 0, 1200))
end

-- Body ids (meetings, next_meeting, steps) and event types: a letter, then letters, digits, '_' or '-'.
local function is_name(value)
  return type(value) == "string" and value:match("^%a[%w_%-]*$") ~= nil
end

local function is_id(value)
  return type(value) == "string" and value:match("^[A-Z][A-Z0-9%-]*$") ~= nil
end

function M.next_meeting(body)
  local pos = caller()
  if not is_name(body) then
    fail(pos, "next_meeting expects a body id such as \"byraad\" (got " .. quote(body) .. ")")
  end
  return tagged("next_meeting", { body = body })
end

-- Triggers: schedule = meetings "isu" | on_event "incident" | on_completion "NIS2-NOT".
local function trigger(kind, what, check, example)
  return function(name)
    local pos = caller()
    if not check(name) then
      fail(pos, what .. " expects " .. example .. " (got " .. quote(name) .. ")")
    end
    return tagged("trigger", { kind = kind, name = name })
  end
end

M.meetings = trigger("meetings", "meetings", is_name, "a body id such as \"isu\"")

-- on_event "incident", or on_event { "incident", personal_data = { "yes", "unknown" },
-- significant = { "yes", "unknown" } }: only events whose facts hold start the clock.
local answers = set("yes", "no", "unknown")
local function fact_answers(pos, what, value)
  plain_list(pos, what, value, "{ \"yes\", \"unknown\" }")
  if #value == 0 then
    fail(pos, what .. " must list at least one of yes, no, unknown")
  end
  local out, seen = {}, {}
  for i, answer in ipairs(value) do
    if not answers[answer] or seen[answer] then
      fail(pos, what .. "[" .. i .. "] must be yes, no or unknown, once each (got " .. quote(answer) .. ")")
    end
    seen[answer] = true
    out[#out + 1] = answer
  end
  return out
end
local event_example = "an event type such as \"incident\" or { \"incident\", personal_data = { \"yes\", \"unknown\" } }"
function M.on_event(spec)
  local pos = caller()
  local name, personal_data, significant = spec, {}, {}
  if type(spec) == "table" and not kind_of[spec] then
    check_keys(pos, "on_event", spec, set(1, "personal_data", "significant"))
    name = spec[1]
    if spec.personal_data ~= nil then
      personal_data = fact_answers(pos, "on_event: personal_data", spec.personal_data)
    end
    if spec.significant ~= nil then
      significant = fact_answers(pos, "on_event: significant", spec.significant)
    end
  end
  if not is_name(name) then
    fail(pos, "on_event expects " .. event_example .. " (got " .. quote(name) .. ")")
  end
  return tagged("trigger", { kind = "event", name = name, personal_data = personal_data,
    significant = significant })
end

-- Outcome ids: lower-case letters, digits and '_', starting with a letter.
local function is_outcome_id(value)
  return type(value) == "string" and value:match("^%l[%l%d_]*$") ~= nil and #value <= 64
end

-- on_completion "NIS2-NOT", or on_completion { "NIS2-NOT", outcome = "notified" }:
-- only completions with that outcome (one the other workflow declares) count.
local completion_example = "a workflow id such as \"NIS2-NOT\" or { \"NIS2-NOT\", outcome = \"notified\" }"
function M.on_completion(spec)
  local pos = caller()
  local name, outcome = spec, ""
  if type(spec) == "table" and not kind_of[spec] then
    check_keys(pos, "on_completion", spec, set(1, "outcome"))
    name = spec[1]
    if spec.outcome ~= nil then
      if not is_outcome_id(spec.outcome) then
        fail(pos, "on_completion: outcome must be an outcome id such as \"notified\" (got "
          .. quote(spec.outcome) .. ")")
      end
      outcome = spec.outcome
    end
  end
  if not is_id(name) then
    fail(pos, "on_completion expects " .. completion_example .. " (got " .. quote(name) .. ")")
  end
  return tagged("trigger", { kind = "completion", name = name, outcome = outcome })
end

function M.from_completion(spec)
  local pos = caller()
  spec = spec_table(pos, "from_completion", spec)
  check_keys(pos, "from_completion", spec, set("months", "days"))
  if (spec.months == nil) == (spec.days == nil) then
    fail(pos, "from_completion needs months or days (one of them), as in from_completion { months = 12 }")
  end
  local interval
  if spec.months ~= nil then
    interval = { unit = "months", amount = integer_in(pos, "from_completion: months", spec.months, 1, 1200) }
  else
    interval = { unit = "days", amount = integer_in(pos, "from_completion: days", spec.days, 1, max_amount) }
  end
  return tagged("cadence", { kind = "from_completion", interval = interval })
end

function M.role(id)
  local pos = caller()
  if type(id) ~= "string" or not id:match("^[%a_][%w_]*$") then
    fail(pos, "role expects a role name such as \"system_responsible\" (got " .. quote(id) .. ")")
  end
  return tagged("assignee", { kind = "role", id = id })
end

-- An escalation target: the body's channel (a committee's Teams or Slack webhook).
function M.committee(id)
  local pos = caller()
  if type(id) ~= "string" or not id:match("^[%a_][%w_%-]*$") then
    fail(pos, "committee expects a body id from directory.toml such as \"isu\" (got " .. quote(id) .. ")")
  end
  return tagged("assignee", { kind = "body", id = id })
end

function M.person(id)
  local pos = caller()
  if type(id) ~= "string" or not id:match("^[%w_][%w_.@%-]*$") then
    fail(pos, "person expects a person id such as \"anna.jensen\" (got " .. quote(id) .. ")")
  end
  return tagged("assignee", { kind = "person", id = id })
end

local criticalities = set("low", "medium", "high")

-- A list of levels (low, medium, high), or one level as a string.
local function level_list(pos, what, list)
  if type(list) == "string" then
    list = { list }
  end
  local levels = {}
  if list ~= nil then
    if type(list) ~= "table" or kind_of[list] then
      fail(pos, what .. " must be a list such as { \"high\", \"medium\" }")
    end
    for i, c in ipairs(list) do
      if not criticalities[c] then
        fail(pos, what .. "[" .. i .. "] must be low, medium or high (got " .. quote(c) .. ")")
      end
      levels[#levels + 1] = c
    end
  end
  return levels
end

function M.systems(spec)
  local pos = caller()
  if spec == nil then
    spec = {}
  end
  spec = spec_table(pos, "systems", spec)
  check_keys(pos, "systems", spec, set("criticality"))
  return tagged("for_each", {
    kind = "systems",
    criticality = level_list(pos, "systems: criticality", spec.criticality),
    tiers = {},
  })
end

function M.processors(spec)
  local pos = caller()
  if spec == nil then
    spec = {}
  end
  spec = spec_table(pos, "processors", spec)
  check_keys(pos, "processors", spec, set("tier"))
  return tagged("for_each", {
    kind = "processors",
    criticality = {},
    tiers = level_list(pos, "processors: tier", spec.tier),
  })
end

-- A reproducible sample (stikprøve) of the systems: `size` of them per
-- occurrence, drawn from `seed` and the occurrence date.
function M.sample(spec)
  local pos = caller()
  spec = spec_table(pos, "sample", spec)
  check_keys(pos, "sample", spec, set("size", "criticality", "seed"))
  if spec.size == nil then
    fail(pos, "sample: missing field 'size' (how many systems to draw each time)")
  end
  local seed = spec.seed or ""
  if type(seed) ~= "string" then
    fail(pos, "sample: seed must be a string such as \"COMPL\" (got " .. type(seed) .. ")")
  end
  return tagged("for_each", {
    kind = "sample",
    criticality = level_list(pos, "sample: criticality", spec.criticality),
    tiers = {},
    sample_size = integer_in(pos, "sample: size", spec.size, 1, 1000),
    sample_seed = seed,
  })
end

-- Definitions registered by this file, in order, and their hooks by workflow id.
local definitions = {}
local hooks = {}
local hook_names = { "on_complete", "on_overdue", "on_event" }

-- While a hook runs: the follow-ups it asked for and their ids.
local running_hook = nil

local workflow_fields = set("id", "title", "description", "source", "for_each", "assignee",
  "schedule", "due", "remind", "roll", "cadence", "depends_on", "steps", "escalate", "channels",
  "evidence", "enabled", "outcomes", "group", "also", "standards",
  "horizon_check", "schedule_by_criticality", "on_complete", "on_overdue", "on_event")

-- The wheel's rings a workflow may name (model/workflow_group.h); "other" is the default.
local groups = set("committee", "risk", "data_protection", "incidents", "technical", "other")
local group_list = "\"committee\", \"risk\", \"data_protection\", \"incidents\", \"technical\" or \"other\""

-- standards = { iso27001 = { "5.24", "5.26" }, cis = { "17.1" } }: the shape
-- is checked here; whether each id is a control of its standard is checked
-- by the daemon (model/standards.h), with the same file:line.
local standard_lists = { iso27001 = "{ \"5.24\", \"5.26\" }", cis = "{ \"17.1\" }" }

local function standards_of(pos, what, value)
  if type(value) ~= "table" or kind_of[value] then
    fail(pos, what .. " must be a table such as { iso27001 = { \"5.24\" }, cis = { \"17.1\" } } (got "
      .. (kind_of[value] or type(value)) .. ")")
  end
  check_keys(pos, what, value, set("iso27001", "cis"))
  local out = {}
  for _, name in ipairs({ "iso27001", "cis" }) do
    local list = value[name]
    if list ~= nil then
      if type(list) == "string" then
        list = { list }
      end
      plain_list(pos, what .. "." .. name, list, standard_lists[name])
      local ids = {}
      for i, id in ipairs(list) do
        if type(id) ~= "string" or not id:match("^%d+%.%d+$") then
          fail(pos, what .. "." .. name .. "[" .. i .. "] must be a control number such as "
            .. (name == "cis" and "\"17.1\"" or "\"5.24\"") .. " (got " .. quote(id) .. ")")
        end
        ids[#ids + 1] = id
      end
      out[name] = ids
    end
  end
  return out
end

local function text(pos, wf, name, value, required)
  local what = wf .. ": " .. name
  if type(value) ~= "table" or kind_of[value] then
    fail(pos, what .. " must be a table { da = \"...\", en = \"...\" } (got " .. type(value) .. ")")
  end
  check_keys(pos, what, value, set("da", "en"))
  local out = { da = value.da or "", en = value.en or "" }
  for _, language in ipairs({ "da", "en" }) do
    if value[language] ~= nil and type(value[language]) ~= "string" then
      fail(pos, what .. "." .. language .. " must be a string (got " .. quote(value[language]) .. ")")
    end
    if required and out[language] == "" then
      fail(pos, wf .. ": missing field '" .. name .. "." .. language .. "'")
    end
  end
  return out
end

local function expect(pos, what, value, kind, example)
  if kind_of[value] ~= kind then
    fail(pos, what .. " must be " .. example .. " (got " .. (kind_of[value] or type(value)) .. ")")
  end
  return value
end

-- `allow_committee`: only escalations may go to a body (committee "isu").
local function assignee_of(pos, what, value, allow_committee)
  local a = expect(pos, what, value, "assignee", "role \"...\" or person \"...\"")
  if a.kind == "body" and not allow_committee then
    fail(pos, what .. ": committee \"" .. a.id .. "\" can only receive escalations (escalate = { { after = ..., to = committee \"" .. a.id .. "\" } })")
  end
  return { kind = a.kind, id = a.id }
end

local function schedule_of(s)
  return { rrule = s.rrule, from = s.from, valid_until = s.valid_until }
end

-- A list of whole numbers >= 0, distinct, sorted from the largest.
local function countdown(pos, what, value, example)
  plain_list(pos, what, value, example)
  local out, seen = {}, {}
  for i, n in ipairs(value) do
    n = integer_in(pos, what .. "[" .. i .. "]", n, 0)
    if not seen[n] then
      seen[n] = true
      out[#out + 1] = n
    end
  end
  table.sort(out, function(a, b) return a > b end)
  return out
end

local function list_text(list)
  return table.concat(list, ", ")
end

-- A checked list of whole numbers as the file wrote it: "14, 3, 0".
local function as_written(list)
  local out = {}
  for i, n in ipairs(list) do
    out[i] = tointeger(n)
  end
  return list_text(out)
end

-- remind = { before_due = days{14, 3, 0}, overdue_every = days(7) }, or in
-- hours{...} / hours(n) for an hour-based deadline (`hour_based`). The old
-- spellings (bare numbers in days, before_due_hours, overdue_every_hours)
-- still load, with a warning that names the new one.
local function ladder(pos, what, value, hour_based)
  if type(value) ~= "table" or kind_of[value] then
    fail(pos, what .. " must be a table { before_due = days{14, 3, 0}, overdue_every = days(7) }")
  end
  check_keys(pos, what, value, set("before_due", "overdue_every", "before_due_hours", "overdue_every_hours"))
  local out = { before_due = {}, overdue_every = 0, before_due_hours = {}, overdue_every_hours = 0 }
  -- Hours given in the old spelling, which has its own message below.
  local old_hours = false

  local before = value.before_due
  if before ~= nil then
    local bw = what .. ".before_due"
    if kind_of[before] == "offsets" then
      if before.unit == "hours" then
        if value.before_due_hours ~= nil then
          fail(pos, what .. ": give before_due = hours{...} or before_due_hours (its old spelling), not both")
        end
        if not hour_based then
          fail(pos, bw .. " = hours{" .. list_text(before.amounts) .. "} needs due = hours(n); "
            .. "a day-based deadline is reminded in days: write days{...}")
        end
        out.before_due_hours = before.amounts
      else
        if hour_based then
          fail(pos, bw .. " = days{" .. list_text(before.amounts) .. "} does nothing with due = hours(n); "
            .. "an hour-based deadline is reminded in hours: write hours{...}")
        end
        out.before_due = before.amounts
      end
    elseif kind_of[before] == "offset" then
      fail(pos, bw .. " must be a list such as days{14, 3, 0} or hours{24, 4} (got "
        .. before.unit .. "(" .. before.amount .. "); write " .. before.unit .. "{" .. before.amount .. "} for one reminder)")
    else
      out.before_due = countdown(pos, bw, before, "days{14, 3, 0}")
      if #before > 0 then
        local given = as_written(before)
        if hour_based then
          warn(pos, bw .. " = { " .. given .. " } counts days, which an hour-based deadline does not use: "
            .. "leave it out, or write before_due = hours{...}")
        else
          warn(pos, bw .. " = { " .. given .. " } is in days without saying so; write before_due = days{"
            .. given .. "}")
        end
      end
    end
  end

  local every = value.overdue_every
  if every ~= nil then
    local ow = what .. ".overdue_every"
    if kind_of[every] == "offset" then
      if every.unit ~= "days" and every.unit ~= "hours" then
        fail(pos, ow .. " must be days(n) or hours(n), as in overdue_every = days(7) (got "
          .. every.unit .. "(" .. every.amount .. "))")
      end
      local n = every.amount
      if n < 0 then
        fail(pos, ow .. " = " .. every.unit .. "(" .. n .. ") is negative: write " .. every.unit
          .. "(0), or leave it out, for no repeated reminders")
      end
      if every.unit == "hours" then
        if value.overdue_every_hours ~= nil then
          fail(pos, what .. ": give overdue_every = hours(n) or overdue_every_hours (its old spelling), not both")
        end
        if not hour_based then
          fail(pos, ow .. " = hours(" .. n .. ") needs due = hours(n); "
            .. "a day-based deadline is reminded in days: write days(n)")
        end
        out.overdue_every_hours = n
      else
        if hour_based then
          fail(pos, ow .. " = days(" .. n .. ") does nothing with due = hours(n); "
            .. "an hour-based deadline is reminded in hours: write hours(n)")
        end
        out.overdue_every = n
      end
    elseif type(every) == "number" then
      out.overdue_every = integer_in(pos, ow, every, 0)
      if hour_based then
        warn(pos, ow .. " = " .. out.overdue_every .. " counts days, which an hour-based deadline does not "
          .. "use: leave it out, or write overdue_every = hours(n)")
      else
        warn(pos, ow .. " = " .. out.overdue_every .. " is in days without saying so; write overdue_every = days("
          .. out.overdue_every .. ")")
      end
    else
      fail(pos, ow .. " must be days(n) or hours(n), as in overdue_every = days(7) (got "
        .. (kind_of[every] or type(every)) .. ")")
    end
  end

  if value.before_due_hours ~= nil then
    out.before_due_hours = countdown(pos, what .. ".before_due_hours", value.before_due_hours, "{ 24, 4 }")
    old_hours = true
    warn(pos, what .. ".before_due_hours is the old spelling; write before_due = hours{"
      .. as_written(value.before_due_hours) .. "}")
  end
  if value.overdue_every_hours ~= nil then
    out.overdue_every_hours = integer_in(pos, what .. ".overdue_every_hours", value.overdue_every_hours, 0)
    old_hours = true
    warn(pos, what .. ".overdue_every_hours is the old spelling; write overdue_every = hours("
      .. out.overdue_every_hours .. ")")
  end
  if old_hours and not hour_based then
    fail(pos, what .. ".before_due_hours and remind.overdue_every_hours need due = hours(n)")
  end
  return out
end

local function id_list(pos, what, value)
  if type(value) == "string" then
    value = { value }
  end
  plain_list(pos, what, value, "{ \"RISK-PORT\" }")
  local out, seen = {}, {}
  for i, id in ipairs(value) do
    if not is_id(id) then
      fail(pos, what .. "[" .. i .. "] must be a workflow id such as \"RISK-PORT\" (got " .. quote(id) .. ")")
    end
    if seen[id] then
      fail(pos, what .. ": '" .. id .. "' is listed twice")
    end
    seen[id] = true
    out[#out + 1] = id
  end
  return out
end

local step_fields = { "id", "title", "body", "assignee" }

local function approval_steps(pos, what, value)
  plain_list(pos, what, value, "{ { id = \"DIR\", title = {...}, body = \"direktion\", assignee = ... } }")
  if #value == 0 then
    fail(pos, what .. " must list at least one step")
  end
  local out, seen = {}, {}
  for i, step in ipairs(value) do
    local sw = what .. "[" .. i .. "]"
    if type(step) ~= "table" or kind_of[step] then
      fail(pos, sw .. " must be a table { id = \"DIR\", title = {...}, body = \"...\", assignee = ... }")
    end
    check_keys(pos, sw, step, set(table.unpack(step_fields)))
    for _, field in ipairs(step_fields) do
      if step[field] == nil then
        fail(pos, sw .. ": missing field '" .. field .. "'")
      end
    end
    if not is_id(step.id) then
      fail(pos, sw .. ": id must be capitals, digits and '-' starting with a capital, such as "
        .. "\"DIR\" (got " .. quote(step.id) .. ")")
    end
    if seen[step.id] then
      fail(pos, what .. ": step id '" .. step.id .. "' is used twice")
    end
    seen[step.id] = true
    if not is_name(step.body) then
      fail(pos, sw .. ": body must be a body id such as \"direktion\" (got " .. quote(step.body) .. ")")
    end
    out[#out + 1] = {
      id = step.id,
      title = text(pos, sw, "title", step.title, true),
      body = step.body,
      assignee = assignee_of(pos, sw .. ": assignee", step.assignee),
    }
  end
  return out
end

-- A rung's `after`: days(n) overdue. A bare number is the old spelling (days, with a
-- warning); the engine counts escalations in whole days, so hours(n) is refused.
local function escalate_after(pos, what, value)
  if type(value) == "number" then
    local n = integer_in(pos, what, value, 1, max_amount)
    warn(pos, what .. " = " .. n .. " is in days without saying so; write after = days(" .. n .. ")")
    return n
  end
  if kind_of[value] ~= "offset" then
    fail(pos, what .. " must be days(n), as in after = days(7) (got " .. (kind_of[value] or type(value)) .. ")")
  end
  if value.unit == "hours" then
    fail(pos, what .. " = hours(" .. value.amount .. "): escalations count whole days overdue, "
      .. "also for an hour-based deadline; write after = days(n)")
  end
  if value.unit ~= "days" then
    fail(pos, what .. " must be days(n), as in after = days(7) (got " .. value.unit .. "(" .. value.amount .. "))")
  end
  return integer_in(pos, what, value.amount, 1, max_amount)
end

local function escalation(pos, what, value)
  plain_list(pos, what, value, "{ { after = days(7), to = role \"system_owner\" } }")
  local out, last = {}, 0
  for i, rung in ipairs(value) do
    local rw = what .. "[" .. i .. "]"
    if type(rung) ~= "table" or kind_of[rung] then
      fail(pos, rw .. " must be a table { after = days(7), to = role \"...\" }")
    end
    check_keys(pos, rw, rung, set("after", "to"))
    for _, field in ipairs({ "after", "to" }) do
      if rung[field] == nil then
        fail(pos, rw .. ": missing field '" .. field .. "'")
      end
    end
    local after = escalate_after(pos, rw .. ".after", rung.after)
    if after <= last then
      fail(pos, what .. ": after must increase from step to step (" .. after .. " follows " .. last .. ")")
    end
    last = after
    out[#out + 1] = { after = after, to = assignee_of(pos, rw .. ".to", rung.to, true) }
  end
  return out
end

local function horizon(pos, what, value)
  if type(value) ~= "table" or kind_of[value] then
    fail(pos, what .. " must be a table { months = 6, assignee = role \"...\" }")
  end
  check_keys(pos, what, value, set("months", "assignee"))
  if value.assignee == nil then
    fail(pos, what .. ": missing field 'assignee'")
  end
  local months = 6
  if value.months ~= nil then
    months = integer_in(pos, what .. ".months", value.months, 1, 120)
  end
  return { months = months, assignee = assignee_of(pos, what .. ".assignee", value.assignee) }
end

-- { high = yearly {...}, ... } -> { { key = "high", schedule = ... }, ... } sorted by key.
local function by_criticality(pos, what, value)
  if type(value) ~= "table" or kind_of[value] then
    fail(pos, what .. " must be a table { high = yearly { ... }, low = ... }")
  end
  local keys, unknown = {}, {}
  for key in pairs(value) do
    if criticalities[key] then
      keys[#keys + 1] = key
    else
      unknown[#unknown + 1] = tostring(key)
    end
  end
  if #unknown > 0 then
    table.sort(unknown)
    fail(pos, what .. ": unknown criticality '" .. unknown[1] .. "' (use low, medium or high)")
  end
  if #keys == 0 then
    fail(pos, what .. " must give a schedule for at least one of low, medium, high")
  end
  table.sort(keys)
  local out = {}
  for _, key in ipairs(keys) do
    local s = expect(pos, what .. "." .. key, value[key], "schedule",
      "a calendar schedule such as yearly { month = 3, day = 1 }")
    out[#out + 1] = { key = key, schedule = schedule_of(s) }
  end
  return out
end

local offset_example = "days(n), business_days(n), hours(n), months(n) or next_meeting \"body\""

-- Checks one workflow { ... } written at `pos` and registers its definition.
-- outcomes = { { id = "ok", label = { da = "...", en = "..." } },
--              { id = "deviation", label = { ... },
--                action_plan = { title = { ... }, assignee = role "...", due = days(30) } } }
local max_outcomes = 20
local function outcome_list(pos, what, value, workflow_assignee)
  plain_list(pos, what, value, "{ { id = \"ok\", label = { da = \"...\", en = \"...\" } } }")
  if #value == 0 or #value > max_outcomes then
    fail(pos, what .. " must declare from 1 to " .. max_outcomes .. " outcomes (got " .. #value .. ")")
  end
  local out, seen = {}, {}
  for i, o in ipairs(value) do
    local ow = what .. "[" .. i .. "]"
    if type(o) ~= "table" or kind_of[o] then
      fail(pos, ow .. " must be a table { id = \"ok\", label = { da = \"...\", en = \"...\" } }")
    end
    check_keys(pos, ow, o, set("id", "label", "action_plan"))
    if not is_outcome_id(o.id) then
      fail(pos, ow .. ": id must be lower-case letters, digits and '_' starting with a letter, "
        .. "such as \"deviation\" (got " .. quote(o.id) .. ")")
    end
    if seen[o.id] then
      fail(pos, what .. ": '" .. o.id .. "' is declared twice")
    end
    seen[o.id] = true
    if o.label == nil then
      fail(pos, ow .. ": missing field 'label'")
    end
    local item = { id = o.id, label = text(pos, ow, "label", o.label, true) }
    if o.action_plan ~= nil then
      local pw = ow .. ": action_plan"
      local plan = o.action_plan
      if type(plan) ~= "table" or kind_of[plan] then
        fail(pos, pw .. " must be a table { title = { ... }, assignee = role \"...\", due = days(30) }")
      end
      check_keys(pos, pw, plan, set("title", "assignee", "due"))
      for _, field in ipairs({ "title", "due" }) do
        if plan[field] == nil then
          fail(pos, pw .. ": missing field '" .. field .. "'")
        end
      end
      local due = expect(pos, pw .. ": due", plan.due, "offset", "days(n), business_days(n) or months(n)")
      if due.amount < 0 or due.unit == "hours" then
        fail(pos, pw .. ": due must be days(n), business_days(n) or months(n) after the completion, n >= 0")
      end
      item.action_plan = {
        id = "PLAN",
        title = text(pos, pw, "title", plan.title, true),
        assignee = plan.assignee == nil and workflow_assignee
          or assignee_of(pos, pw .. ": assignee", plan.assignee),
        due = { unit = due.unit, amount = due.amount },
      }
    end
    out[#out + 1] = item
  end
  return out
end

local function define(pos, spec)
  if running_hook then
    fail(pos, "workflow cannot be defined inside a hook")
  end
  if type(spec) ~= "table" or kind_of[spec] then
    fail(pos, "workflow expects a table, as in workflow { id = \"RISK-SYS\", ... }")
  end
  if spec.id == nil then
    fail(pos, "workflow: missing field 'id'")
  end
  if not is_id(spec.id) then
    fail(pos, "workflow: id must be capitals, digits and '-' starting with a capital, such as "
      .. "\"RISK-SYS\" (got " .. quote(spec.id) .. ")")
  end
  local what = "workflow " .. spec.id
  check_keys(pos, what, spec, workflow_fields)
  for _, field in ipairs({ "title", "source", "assignee" }) do
    if spec[field] == nil then
      fail(pos, what .. ": missing field '" .. field .. "'")
    end
  end
  if spec.schedule == nil and spec.schedule_by_criticality == nil then
    fail(pos, what .. ": missing field 'schedule'")
  end
  local def = {
    id = spec.id,
    title = text(pos, what, "title", spec.title, true),
    description = { da = "", en = "" },
    source = nonempty_string(pos, what .. ": source", spec.source),
    for_each = { kind = "once", criticality = {}, tiers = {}, sample_size = 0, sample_seed = "" },
    evidence_required = false,
    enabled = true,
    assignee = assignee_of(pos, what .. ": assignee", spec.assignee),
    -- schedule stays nil for triggers and for schedule_by_criticality without a fallback.
    trigger = { kind = "calendar", name = "", outcome = "" },
    due = { unit = "days", amount = 0 },
    due_days = 0,
    due_next_meeting = "",
    roll_to_business_day = false,
    roll_backward = false,
    cadence = { kind = "calendar", interval = { unit = "months", amount = 12 } },
    depends_on = {},
    channels = {},
    steps = {},
    -- remind, escalate and horizon_check stay nil when not given.
    schedule_by_tier = {},
    has_on_complete = false,
    has_on_overdue = false,
    has_on_event = false,
    group = "other",
    file = pos.file,
    line = pos.line,
  }
  if spec.description ~= nil then
    def.description = text(pos, what, "description", spec.description, false)
  end
  if spec.for_each ~= nil then
    local f = expect(pos, what .. ": for_each", spec.for_each, "for_each",
      "systems { ... }, processors { ... } or sample { ... }")
    def.for_each = { kind = f.kind, criticality = f.criticality, tiers = f.tiers,
      sample_size = f.sample_size or 0, sample_seed = f.sample_seed or "" }
  end
  if spec.evidence ~= nil then
    if spec.evidence ~= "required" and spec.evidence ~= "optional" then
      fail(pos, what .. ": evidence must be \"required\" or \"optional\" (got " .. quote(spec.evidence) .. ")")
    end
    def.evidence_required = spec.evidence == "required"
  end
  if spec.group ~= nil then
    if not groups[spec.group] then
      fail(pos, what .. ": group must be one of " .. group_list .. " (got " .. quote(spec.group) .. ")")
    end
    def.group = spec.group
  end
  if spec.standards ~= nil then
    def.standards = standards_of(pos, what .. ": standards", spec.standards)
  end
  if spec.enabled ~= nil then
    if type(spec.enabled) ~= "boolean" then
      fail(pos, what .. ": enabled must be true or false (got " .. quote(spec.enabled) .. ")")
    end
    def.enabled = spec.enabled
  end

  local once = false
  if spec.schedule ~= nil then
    local kind = kind_of[spec.schedule]
    if kind == "trigger" then
      def.trigger = { kind = spec.schedule.kind, name = spec.schedule.name,
        outcome = spec.schedule.outcome or "", personal_data = spec.schedule.personal_data,
        significant = spec.schedule.significant }
    elseif kind == "schedule" then
      def.schedule = schedule_of(spec.schedule)
      once = once_schedules[spec.schedule] == true
    else
      fail(pos, what .. ": schedule must be a schedule such as yearly { month = 3, day = 1 } or a "
        .. "trigger such as meetings \"isu\" (got " .. (kind or type(spec.schedule)) .. ")")
    end
  end
  local trigger_kind = def.trigger.kind
  if spec.also ~= nil then
    local also = spec.also
    if kind_of[also] ~= "trigger" or also.kind ~= "event" then
      fail(pos, what .. ": also must be an event trigger such as on_event \"business_change\" (got "
        .. (kind_of[also] == "trigger" and (also.kind == "meetings" and "meetings" or "on_" .. also.kind)
          or kind_of[also] or type(also)) .. ")")
    end
    if trigger_kind ~= "calendar" and trigger_kind ~= "meetings" then
      fail(pos, what .. ": also = on_event needs a calendar or meetings schedule beside it (got "
        .. "schedule = on_" .. trigger_kind .. ")")
    end
    def.also = { kind = "event", name = also.name, outcome = "",
      personal_data = also.personal_data, significant = also.significant }
  end

  if spec.due ~= nil then
    local kind = kind_of[spec.due]
    if kind == "offset" then
      def.due = { unit = spec.due.unit, amount = spec.due.amount }
      if spec.due.unit == "days" then
        def.due_days = spec.due.amount
      end
    elseif kind == "next_meeting" then
      def.due_next_meeting = spec.due.body
    else
      fail(pos, what .. ": due must be " .. offset_example .. " (got " .. (kind or type(spec.due)) .. ")")
    end
  end
  if def.due.unit == "hours" and trigger_kind ~= "event" and trigger_kind ~= "completion" and not once then
    fail(pos, what .. ": due = hours(n) needs an instant to count from: schedule = on_event \"...\", "
      .. "on_completion \"...\" or once \"YYYY-MM-DD\"")
  end

  if spec.roll ~= nil then
    if spec.roll ~= "forward" and spec.roll ~= "backward" and spec.roll ~= "none" then
      fail(pos, what .. ": roll must be \"forward\", \"backward\" or \"none\" (got " .. quote(spec.roll) .. ")")
    end
    def.roll_to_business_day = spec.roll == "forward"
    def.roll_backward = spec.roll == "backward"
  end

  if spec.cadence ~= nil and spec.cadence ~= "calendar" then
    local c = expect(pos, what .. ": cadence", spec.cadence, "cadence",
      "\"calendar\" or from_completion { months = 12 }")
    if trigger_kind ~= "calendar" then
      fail(pos, what .. ": cadence = from_completion needs a calendar schedule (got a " .. trigger_kind .. " trigger)")
    end
    def.cadence = { kind = c.kind, interval = { unit = c.interval.unit, amount = c.interval.amount } }
  end

  if spec.depends_on ~= nil then
    def.depends_on = id_list(pos, what .. ": depends_on", spec.depends_on)
    for _, id in ipairs(def.depends_on) do
      if id == spec.id then
        fail(pos, what .. ": depends_on lists the workflow itself")
      end
    end
  end
  if spec.steps ~= nil then
    def.steps = approval_steps(pos, what .. ": steps", spec.steps)
  end
  if spec.channels ~= nil then
    local channels = spec.channels
    if type(channels) == "string" then
      channels = { channels }
    end
    plain_list(pos, what .. ": channels", channels, "{ \"mail\", \"isu-teams\" }")
    if #channels == 0 then
      fail(pos, what .. ": channels must name at least one channel (leave it out for each recipient's own)")
    end
    local seen = {}
    for i, name in ipairs(channels) do
      if type(name) ~= "string" or not name:match("^[%w_][%w_.%-]*$") then
        fail(pos, what .. ": channels[" .. i .. "] must be a channel name such as \"mail\" (got " .. quote(name) .. ")")
      end
      if seen[name] then
        fail(pos, what .. ": channels: '" .. name .. "' is listed twice")
      end
      seen[name] = true
      def.channels[#def.channels + 1] = name
    end
  end
  if spec.escalate ~= nil then
    def.escalate = escalation(pos, what .. ": escalate", spec.escalate)
  end
  if spec.horizon_check ~= nil then
    if trigger_kind ~= "meetings" then
      fail(pos, what .. ": horizon_check needs schedule = meetings \"body\"")
    end
    def.horizon_check = horizon(pos, what .. ": horizon_check", spec.horizon_check)
  end
  if def.for_each.kind == "sample" then
    if trigger_kind ~= "calendar" or def.cadence.kind ~= "calendar" or spec.schedule_by_criticality ~= nil then
      fail(pos, what .. ": for_each = sample { ... } needs a plain calendar schedule (no trigger, from_completion or schedule_by_criticality)")
    end
  end
  if spec.schedule_by_criticality ~= nil then
    if def.for_each.kind ~= "systems" and def.for_each.kind ~= "processors" then
      fail(pos, what .. ": schedule_by_criticality needs for_each = systems { ... } or processors { ... }")
    end
    if trigger_kind ~= "calendar" then
      fail(pos, what .. ": schedule_by_criticality cannot be combined with a " .. trigger_kind .. " trigger")
    end
    def.schedule_by_tier = by_criticality(pos, what .. ": schedule_by_criticality", spec.schedule_by_criticality)
  end

  if spec.outcomes ~= nil then
    def.outcomes = outcome_list(pos, what .. ": outcomes", spec.outcomes, def.assignee)
  end

  if spec.remind ~= nil then
    def.remind = ladder(pos, what .. ": remind", spec.remind, def.due.unit == "hours")
  end

  local own_hooks = {}
  for _, name in ipairs(hook_names) do
    local fn = spec[name]
    if fn ~= nil then
      if type(fn) ~= "function" then
        fail(pos, what .. ": " .. name .. " must be a function, as in " .. name
          .. " = function(" .. (name == "on_event" and "event" or "task") .. ") ... end (got "
          .. (kind_of[fn] or type(fn)) .. ")")
      end
      own_hooks[name] = fn
      def["has_" .. name] = true
    end
  end
  if def.has_on_event and trigger_kind ~= "event" and def.also == nil then
    fail(pos, what .. ": an on_event hook needs schedule = on_event \"type\" or also = on_event \"type\"")
  end

  definitions[#definitions + 1] = def
  -- The first definition of an id wins, as in the loader.
  if hooks[spec.id] == nil then
    hooks[spec.id] = own_hooks
  end
  return spec.id
end

function M.workflow(spec)
  return define(caller(), spec)
end

-- meeting_cycle { body = "isu", secretary = ..., agenda = {...}, minutes = {...}, approval = {...} }:
-- the duties around every meeting of a body, each an ordinary workflow with
-- schedule = meetings body. Parts in this order, with the due each takes by default.
local cycle_parts = {
  { name = "agenda", due = function() return offset("days", -7) end },
  { name = "minutes", due = function() return offset("days", 7) end },
  { name = "approval", due = function(body) return tagged("next_meeting", { body = body }) end },
}
local cycle_fields = set("body", "secretary", "chair", "horizon", "evidence", "group", "standards", "agenda",
  "minutes", "approval")
local part_fields = set("id", "title", "description", "source", "assignee", "due", "roll", "remind",
  "escalate", "escalate_after", "evidence", "enabled", "channels", "depends_on", "on_complete", "on_overdue",
  "group", "standards")

local function cycle_part(pos, cycle, part, value)
  local what = "meeting_cycle " .. cycle.body .. ": " .. part.name
  if type(value) ~= "table" or kind_of[value] then
    fail(pos, what .. " must be a table { id = \"...\", title = { da = \"...\", en = \"...\" }, source = \"...\", ... }")
  end
  if value.schedule ~= nil then
    fail(pos, what .. ": leave schedule out; every part is due around meetings \"" .. cycle.body .. "\"")
  end
  if value.horizon_check ~= nil then
    fail(pos, what .. ": the booking check is the cycle's: write horizon = months(6) beside body")
  end
  check_keys(pos, what, value, part_fields)
  if value.id == nil then
    fail(pos, what .. ": missing field 'id'")
  end
  local spec = {}
  for key, field in pairs(value) do
    spec[key] = field
  end
  spec.escalate_after = nil
  spec.schedule = tagged("trigger", { kind = "meetings", name = cycle.body })
  spec.assignee = value.assignee or cycle.secretary
  spec.due = value.due or part.due(cycle.body)
  spec.evidence = value.evidence or cycle.evidence
  spec.group = value.group or cycle.group
  spec.standards = value.standards or cycle.standards
  local after = value.escalate_after
  if after ~= nil then
    local aw = what .. ": escalate_after"
    if value.escalate ~= nil then
      fail(pos, what .. ": give escalate_after or escalate, not both")
    end
    if cycle.chair == nil then
      fail(pos, aw .. " escalates to the chair: add chair = role \"...\" to the meeting_cycle, or write escalate = { ... }")
    end
    if kind_of[after] ~= "offset" or after.unit ~= "days" then
      local got = kind_of[after] == "offset" and after.unit .. "(" .. after.amount .. ")" or quote(after)
      fail(pos, aw .. " must be days(n), as in escalate_after = days(3); escalations count whole days overdue (got "
        .. got .. ")")
    end
    integer_in(pos, aw, after.amount, 1, max_amount)
    spec.escalate = { { after = after, to = cycle.chair } }
  end
  if part.name == "agenda" and cycle.horizon ~= nil then
    spec.horizon_check = { months = cycle.horizon.amount, assignee = cycle.secretary }
  end
  return define(pos, spec)
end

function M.meeting_cycle(spec)
  local pos = caller()
  if type(spec) ~= "table" or kind_of[spec] then
    fail(pos, "meeting_cycle expects a table, as in meeting_cycle { body = \"isu\", ... }")
  end
  if not is_name(spec.body) then
    fail(pos, "meeting_cycle: body must be a body id such as \"isu\" (got " .. quote(spec.body) .. ")")
  end
  local what = "meeting_cycle " .. spec.body
  check_keys(pos, what, spec, cycle_fields)
  if spec.secretary == nil then
    fail(pos, what .. ": missing field 'secretary' (who sends the agenda and the minutes, "
      .. "such as secretary = role \"committee_secretary\")")
  end
  assignee_of(pos, what .. ": secretary", spec.secretary)
  if spec.chair ~= nil then
    assignee_of(pos, what .. ": chair", spec.chair, true)
  end
  local h = spec.horizon
  if h ~= nil and (kind_of[h] ~= "offset" or h.unit ~= "months" or h.amount < 1) then
    local got = kind_of[h] == "offset" and h.unit .. "(" .. h.amount .. ")" or quote(h)
    fail(pos, what .. ": horizon must be months(n), n from 1, as in horizon = months(6) (got " .. got .. ")")
  end
  if spec.agenda == nil then
    fail(pos, what .. ": missing field 'agenda'")
  end
  local ids = {}
  for _, part in ipairs(cycle_parts) do
    if spec[part.name] ~= nil then
      ids[#ids + 1] = cycle_part(pos, spec, part, spec[part.name])
    end
  end
  return ids
end

local offset_kinds = "days(n), business_days(n), hours(n) or months(n)"

-- Inside a hook: asks for a follow-up task, due `due` after the hook ran.
function M.follow_up(spec)
  local pos = caller()
  if not running_hook then
    fail(pos, "follow_up is only available inside a hook (on_complete, on_overdue, on_event)")
  end
  if type(spec) ~= "table" or kind_of[spec] then
    fail(pos, "follow_up expects a table, as in follow_up { id = \"NOTIFY-DPO\", ... }")
  end
  if spec.id == nil then
    fail(pos, "follow_up: missing field 'id'")
  end
  if not is_id(spec.id) then
    fail(pos, "follow_up: id must be capitals, digits and '-' starting with a capital, such as "
      .. "\"NOTIFY-DPO\" (got " .. quote(spec.id) .. ")")
  end
  local what = "follow_up " .. spec.id
  check_keys(pos, what, spec, set("id", "title", "assignee", "due"))
  for _, field in ipairs({ "title", "assignee", "due" }) do
    if spec[field] == nil then
      fail(pos, what .. ": missing field '" .. field .. "'")
    end
  end
  if running_hook.seen[spec.id] then
    fail(pos, what .. ": id is used twice in this hook")
  end
  local due = expect(pos, what .. ": due", spec.due, "offset", offset_kinds)
  if due.amount < 0 then
    fail(pos, what .. ": due must not be negative (got " .. due.unit .. "(" .. due.amount .. "))")
  end
  local item = {
    id = spec.id,
    title = text(pos, what, "title", spec.title, true),
    assignee = assignee_of(pos, what .. ": assignee", spec.assignee),
    due = { unit = due.unit, amount = due.amount },
  }
  running_hook.seen[spec.id] = true
  running_hook.list[#running_hook.list + 1] = item
  return spec.id
end

-- A read-only view of a copy of `args`.
local function read_only(args)
  local data = {}
  for key, value in pairs(args) do
    data[key] = value
  end
  return setmetatable({}, {
    __index = data,
    __newindex = function(_, key)
      error("the hook's argument is read-only (cannot set " .. quote(key) .. ")", 2)
    end,
    __pairs = function()
      return next, data, nil
    end,
    __len = function()
      return #data
    end,
    __metatable = false,
  })
end

-- For the loader: every definition registered so far, as plain tables.
function M._definitions()
  return definitions
end

-- For the loader: what loads but should be written otherwise, as
-- { file = ..., line = ..., message = ... } in the order found.
function M._warnings()
  return warnings
end

-- For the hook runner: calls hook `name` of workflow `id` (defined by the
-- file already run) with a read-only copy of `args`; returns the follow-ups.
function M._run_hook(id, name, args)
  local def
  for _, d in ipairs(definitions) do
    if d.id == id then
      def = d
      break
    end
  end
  if not def then
    error("no workflow '" .. tostring(id) .. "' is defined in this file", 0)
  end
  local fn = hooks[id][name]
  if not fn then
    fail({ file = def.file, line = def.line }, "workflow " .. id .. " has no " .. tostring(name) .. " hook")
  end
  running_hook = { seen = {}, list = {} }
  fn(read_only(args or {}))
  local list = running_hook.list
  running_hook = nil
  return list
end

return M

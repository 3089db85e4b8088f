-- aarshjul workflow DSL: what a file in workflows/ may write.
--
--   workflow {
--     id = "RISK-SYS",
--     title = { da = "Risikovurdering af system", en = "Risk assessment of system" },
--     description = { da = "...", en = "..." },          -- optional
--     source = "004_8f337844b52a9e9a.txt: årlige risikovurdering af systemerne",
--     for_each = systems { criticality = { "high" } },   -- optional: one task per system
--     assignee = role "system_responsible",              -- or person "anna.jensen"
--     schedule = yearly { month = 3, day = 1 },
--     due = days(30),                                    -- optional, default days(0)
--     remind = { before_due = { 14, 3, 0 }, overdue_every = 7 }, -- optional: default from the config
--   }
--
-- Schedules (each takes optional from = "YYYY-MM-DD", the first possible
-- occurrence, default "2000-01-01", and to = "YYYY-MM-DD", the last one;
-- ["until"] = "..." means the same as to, `until` being a Lua keyword):
--   yearly { month = 3, day = 1 }
--   half_yearly { months = { 1, 7 }, day = 1 }        months default { 1, 7 }, day 1
--   quarterly { months = { 1, 4, 7, 10 }, day = 1 }   the defaults
--   monthly { day = 1 }                               day default 1
--   weekly { weekday = "MO" }                         MO..SU, default MO
--   rrule "FREQ=MONTHLY;BYMONTHDAY=1,15"              a raw RFC 5545 RRULE
--   rrule { "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=11", from = "2023-04-11" }
-- A day past the 28th falls on the month's last day in months that are
-- shorter (yearly { month = 2, day = 29 } is Feb 28 in common years).
--
-- Every mistake stops the file with "file:line: message", the line being the
-- coordinator's call. The loader reads the definitions through _definitions().

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

function M.days(n)
  local pos = caller()
  return tagged("days", { days = integer_in(pos, "days", n, 0) })
end

function M.role(id)
  local pos = caller()
  if type(id) ~= "string" or not id:match("^[%a_][%w_]*$") then
    fail(pos, "role expects a role name such as \"system_responsible\" (got " .. quote(id) .. ")")
  end
  return tagged("assignee", { kind = "role", id = id })
end

function M.person(id)
  local pos = caller()
  if type(id) ~= "string" or not id:match("^[%w_][%w_.@%-]*$") then
    fail(pos, "person expects a person id such as \"anna.jensen\" (got " .. quote(id) .. ")")
  end
  return tagged("assignee", { kind = "person", id = id })
end

local criticalities = set("low", "medium", "high")

function M.systems(spec)
  local pos = caller()
  if spec == nil then
    spec = {}
  end
  spec = spec_table(pos, "systems", spec)
  check_keys(pos, "systems", spec, set("criticality"))
  local list = spec.criticality
  if type(list) == "string" then
    list = { list }
  end
  local criticality = {}
  if list ~= nil then
    if type(list) ~= "table" then
      fail(pos, "systems: criticality must be a list such as { \"high\", \"medium\" }")
    end
    for i, c in ipairs(list) do
      if not criticalities[c] then
        fail(pos, "systems: criticality[" .. i .. "] must be low, medium or high (got " .. quote(c) .. ")")
      end
      criticality[#criticality + 1] = c
    end
  end
  return tagged("for_each", { kind = "systems", criticality = criticality })
end

-- Definitions registered by this file, in order.
local definitions = {}

local workflow_fields =
  set("id", "title", "description", "source", "for_each", "assignee", "schedule", "due", "remind")

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

local function ladder(pos, what, value)
  if type(value) ~= "table" or kind_of[value] then
    fail(pos, what .. " must be a table { before_due = { 14, 3, 0 }, overdue_every = 7 }")
  end
  check_keys(pos, what, value, set("before_due", "overdue_every"))
  local before, seen = {}, {}
  if value.before_due ~= nil then
    if type(value.before_due) ~= "table" then
      fail(pos, what .. ".before_due must be a list of days such as { 14, 3, 0 }")
    end
    for i, n in ipairs(value.before_due) do
      n = integer_in(pos, what .. ".before_due[" .. i .. "]", n, 0)
      if not seen[n] then
        seen[n] = true
        before[#before + 1] = n
      end
    end
    table.sort(before, function(a, b) return a > b end)
  end
  local every = 0
  if value.overdue_every ~= nil then
    every = integer_in(pos, what .. ".overdue_every", value.overdue_every, 0)
  end
  return { before_due = before, overdue_every = every }
end

function M.workflow(spec)
  local pos = caller()
  if type(spec) ~= "table" or kind_of[spec] then
    fail(pos, "workflow expects a table, as in workflow { id = \"RISK-SYS\", ... }")
  end
  if spec.id == nil then
    fail(pos, "workflow: missing field 'id'")
  end
  if type(spec.id) ~= "string" or not spec.id:match("^[A-Z][A-Z0-9%-]*$") then
    fail(pos, "workflow: id must be capitals, digits and '-' starting with a capital, such as "
      .. "\"RISK-SYS\" (got " .. quote(spec.id) .. ")")
  end
  local what = "workflow " .. spec.id
  check_keys(pos, what, spec, workflow_fields)
  for _, field in ipairs({ "title", "source", "assignee", "schedule" }) do
    if spec[field] == nil then
      fail(pos, what .. ": missing field '" .. field .. "'")
    end
  end
  local def = {
    id = spec.id,
    title = text(pos, what, "title", spec.title, true),
    description = { da = "", en = "" },
    source = nonempty_string(pos, what .. ": source", spec.source),
    for_each = { kind = "once", criticality = {} },
    assignee = expect(pos, what .. ": assignee", spec.assignee, "assignee",
      "role \"...\" or person \"...\""),
    schedule = expect(pos, what .. ": schedule", spec.schedule, "schedule",
      "a schedule such as yearly { month = 3, day = 1 }"),
    due_days = 0,
    -- remind stays nil when not given: the daemon's configured ladder applies.
    file = pos.file,
    line = pos.line,
  }
  if spec.description ~= nil then
    def.description = text(pos, what, "description", spec.description, false)
  end
  if spec.for_each ~= nil then
    def.for_each = expect(pos, what .. ": for_each", spec.for_each, "for_each", "systems { ... }")
  end
  if spec.due ~= nil then
    def.due_days = expect(pos, what .. ": due", spec.due, "days", "days(n)").days
  end
  if spec.remind ~= nil then
    def.remind = ladder(pos, what .. ": remind", spec.remind)
  end
  definitions[#definitions + 1] = def
  return spec.id
end

-- For the loader: every definition registered so far, as plain tables.
function M._definitions()
  return definitions
end

return M

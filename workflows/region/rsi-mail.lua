-- RSI-MAIL: the deadline for input to the RSI directors' mail.
--
-- Source: S2: "Udover møderne i RSI-kredsen bliver der to gange om måneden
-- udsendt RSI-direktørkredsmail. Mailen bliver sendt ud hver 14. dag,
-- henholdsvis den 1. og den 15. i hver måned undtagen juli. Deadline for
-- indmeldelse af sager til RSI-direktørkredsmailen er senest dagen inden
-- udsendelse." The secretariat's task list says "Månedlige udsendelser af
-- RSI-direktørmailen".
--
-- Assumptions a coordinator may change:
--   * CADENCE (setting below): S2 contradicts itself (ANNUAL-CYCLE §5):
--       "1-og-15"     the 1st and the 15th of every month except July
--                     (default: the most precise of the three readings, and
--                     the one "to gange om måneden" confirms);
--       "hver-14-dag" every 14 days from FIRST_MAILING, except in July;
--       "maanedlig"   the 1st of every month except July.
--   * FIRST_MAILING (setting below): the anchor of "hver-14-dag".
--   * due: the day before each mailing (days(-1)).
--   * ROLL (setting below): S2 gives no rule for a deadline on a weekend or
--     holiday (in 2026 the deadlines of 1 and 15 February, 1 and 15 March and
--     1 and 15 November fall on Saturdays). Default "none": the deadline stays
--     on that day. "backward" moves it to the business day before (Friday), so
--     the input is in before the mailing; "forward" would move it to the next
--     business day — past the mailing, so use it only if the secretariat
--     accepts late input.
--   * The mailing of 1 August is kept; its deadline, 31 July, falls in the
--     excluded month (only mailings, not deadlines, are excluded).
--   * assignee: the RSI secretariat, which closes the input and sends the mail.
--   * escalate: none (the table names no one).
--   * evidence: optional.

local CADENCE = "1-og-15" -- "1-og-15" | "hver-14-dag" | "maanedlig"
local FIRST_MAILING = "2026-01-15"
local ROLL = "none" -- "none" | "backward" | "forward"

local not_july = "BYMONTH=1,2,3,4,5,6,8,9,10,11,12"
local schedules = {
  ["1-og-15"] = rrule("FREQ=MONTHLY;" .. not_july .. ";BYMONTHDAY=1,15"),
  ["hver-14-dag"] = rrule { "FREQ=DAILY;INTERVAL=14;" .. not_july, from = FIRST_MAILING },
  ["maanedlig"] = rrule("FREQ=MONTHLY;" .. not_july .. ";BYMONTHDAY=1"),
}
if schedules[CADENCE] == nil then
  error("CADENCE must be \"1-og-15\", \"hver-14-dag\" or \"maanedlig\" (got " .. tostring(CADENCE) .. ")")
end

workflow {
  id = "RSI-MAIL",
  group = "committee",
  standards = { iso27001 = { "5.6" } },
  title = { da = "Deadline for input til RSI-direktørkredsmail", en = "Deadline for input to the RSI directors' mail" },
  description = {
    da = "Sager til RSI-direktørkredsmailen indmeldes senest dagen inden udsendelse; sekretariatet lukker for input og udsender mailen.",
    en = "Items for the RSI directors' mail are due the day before it is sent; the secretariat closes the input and sends the mail.",
  },
  source = "002_a255e5597da1f231.txt: \"Mailen bliver sendt ud hver 14. dag, henholdsvis den 1. og den 15. i hver måned undtagen juli. Deadline for indmeldelse af sager til RSI-direktørkredsmailen er senest dagen inden udsendelse.\"",
  assignee = role "rsi_secretariat",
  schedule = schedules[CADENCE],
  due = days(-1),
  roll = ROLL,
  remind = { before_due = days{2, 0} },
  escalate = {},
  evidence = "optional",
}

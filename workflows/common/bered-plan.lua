-- BERED-PLAN: the municipality's or region's emergency plan, once per
-- electoral term.
--
-- Source: Beredskabsloven § 25: the plan for the emergency preparedness is
-- adopted "mindst én gang i hver kommunale og regionale valgperiode".
-- Municipal and regional elections are held the same day, the third Tuesday
-- of November every four years (2025, 2029, ...); the new term starts on
-- 1 January (2026, 2030, ...).
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule: one occurrence at the start of every term, from 1 January 2026
--     (so there is none in 2027, 2028 or 2029). Move `from` when the election
--     calendar changes.
--   * due: 11 months, so the council can adopt the plan before the end of the
--     term's first year (1 December, rolled to a business day).
--   * escalate: none (the council is the top of the line).
--   * evidence: required (the council's decision).

workflow {
  id = "BERED-PLAN",
  group = "risk",
  standards = { iso27001 = { "5.29", "5.30" } },
  title = { da = "Beredskabsplan i valgperioden", en = "Emergency plan for the electoral term" },
  description = {
    da = "Den samlede plan for beredskabet (herunder it- og informationssikkerhedsberedskabet) vedtages af kommunalbestyrelsen/regionsrådet mindst én gang i valgperioden.",
    en = "The council adopts the overall emergency plan (including the IT and information-security contingency) at least once per electoral term.",
  },
  source = "Beredskabsloven § 25: mindst én gang i hver kommunale og regionale valgperiode",
  assignee = role "council",
  schedule = rrule { "FREQ=YEARLY;INTERVAL=4;BYMONTH=1;BYMONTHDAY=1", from = "2026-01-01" },
  due = months(11),
  roll = "forward",
  remind = { before_due = days{60, 14, 0}, overdue_every = days(14) },
  escalate = {},
  evidence = "required",
}

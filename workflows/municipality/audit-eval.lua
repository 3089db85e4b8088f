-- AUDIT-EVAL: the committee's evaluation of the internal security audit.
--
-- Source: S1, the committee "Evaluerer intern informationssikkerhedsaudit".
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule: S1 gives no cadence; yearly, opening 1 November after the
--     year's internal follow-up (COMPL, September–October), due at the
--     committee's next meeting (December).
--   * assignee: the committee's secretary prepares the evaluation for the
--     committee.
--   * escalate: the executive board 14 days overdue.
--   * evidence: required (the evaluation in the committee's minutes).

workflow {
  id = "AUDIT-EVAL",
  group = "committee",
  standards = { iso27001 = { "5.35" } },
  title = { da = "Evaluering af intern audit", en = "Evaluation of the internal audit" },
  description = {
    da = "Udvalget evaluerer årets interne informationssikkerhedsaudit: fund, afvigelser, handlingsplaner og metode til næste år.",
    en = "The committee evaluates the year's internal information-security audit: findings, deviations, action plans and next year's method.",
  },
  source = "001_212b8b4fbfbe2aa5.txt: \"Evaluerer intern informationssikkerhedsaudit\"",
  assignee = role "committee_secretary",
  schedule = yearly { month = 11, day = 1 },
  due = next_meeting "isu",
  remind = { before_due = days{14, 3, 0}, overdue_every = days(7) },
  escalate = {
    { after = days(14), to = role "executive_board" },
  },
  evidence = "required",
}

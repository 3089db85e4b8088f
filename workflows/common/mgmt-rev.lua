-- MGMT-REV: the management review of the ISMS (ISO/IEC 27001:2022, 9.3).
--
-- Source: ISO/IEC 27001 clause 9.3: top management reviews the information
-- security management system at planned intervals.
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule: yearly, opening 1 November, when the year's follow-up
--     (COMPL), audit evaluation and risk assessments are done.
--   * due: 42 days (mid-December, before the year closes).
--   * escalate: none (the review is the executive board's own; the table
--     names no one above it). Add a ladder to change that.
--   * evidence: required (minutes of the review with its decisions).

workflow {
  id = "MGMT-REV",
  group = "committee",
  standards = { iso27001 = { "5.1", "5.4" } },
  title = { da = "Ledelsens gennemgang", en = "Management review" },
  description = {
    da = "Direktionens årlige gennemgang af ledelsessystemet for informationssikkerhed: status, hændelser, kontrolresultater, risici og forbedringer (ISO 27001, 9.3).",
    en = "The executive board's yearly review of the ISMS: status, incidents, control results, risks and improvements (ISO 27001, 9.3).",
  },
  source = "ISO/IEC 27001:2022, 9.3 Ledelsens gennemgang: topledelsen skal med planlagte mellemrum gennemgå ledelsessystemet for informationssikkerhed",
  assignee = role "executive_board",
  schedule = yearly { month = 11, day = 1 },
  due = days(42),
  remind = { before_due = days{14, 3, 0}, overdue_every = days(7) },
  escalate = {},
  evidence = "required",
}

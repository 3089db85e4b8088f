-- ISU-QSTAT: quarterly security status to the security committee.
--
-- Source: template terms of reference of the municipal security committee
-- (S1): "Behandler og godkender kvartalsvis sikkerhedsstatus, herunder status
-- på risikovurdering og andre gennemførte kontroller/opfølgninger i årshjulet."
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule and due: the coordinator prepares the status in the first
--     half of each quarter: it opens on the 1st of January, April, July and
--     October and is due 21 days later, ahead of the committee's quarterly
--     meeting, which approves it.
--   * escalate: the committee chair 14 days overdue, then the executive board
--     (the table's assumption).
--   * evidence: required (the status report).

workflow {
  id = "ISU-QSTAT",
  group = "committee",
  standards = { iso27001 = { "5.4", "5.36" } },
  title = { da = "Kvartalsvis sikkerhedsstatus", en = "Quarterly security status" },
  description = {
    da = "Status på risikovurderinger og gennemførte kontroller i årshjulet til informationssikkerhedsudvalget.",
    en = "Status of risk assessments and completed controls of the annual cycle for the security committee.",
  },
  source = "001_212b8b4fbfbe2aa5.txt: \"Behandler og godkender kvartalsvis sikkerhedsstatus, herunder status på risikovurdering og andre gennemførte kontroller/opfølgninger i årshjulet.\"",
  assignee = role "coordinator",
  schedule = quarterly { months = { 1, 4, 7, 10 }, day = 1 },
  due = days(21),
  remind = { before_due = days{7, 1, 0}, overdue_every = days(7) },
  escalate = {
    { after = days(14), to = role "committee_chair" },
    { after = days(30), to = role "executive_board" },
  },
  evidence = "required",
}

-- COMPL-REP: the yearly follow-up's report to Direktionen (the second half
-- of COMPL).
--
-- Source: S4: "Én gang årligt skal der laves en systematisk opfølgning på
-- overholdelse af informationssikkerhedsbeskrivelsen i organisationen.
-- Resultatet skal rapporteres til Direktionen."
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule: opens 1 November, after the sample controls (COMPL, due end
--     of October); due = 28 days, in time for Direktionen's late-November
--     meeting and the management review (MGMT-REV).
--   * escalate: the executive board 14 days overdue.
--   * evidence: required (the report with the action plans).

workflow {
  id = "COMPL-REP",
  group = "committee",
  standards = { iso27001 = { "5.36" } },
  title = { da = "Rapport til Direktionen om årets opfølgning", en = "Report to the executive board on the yearly follow-up" },
  description = {
    da = "Saml resultatet af årets systematiske opfølgning og stikprøvekontroller med afvigelser og handlingsplaner, og rapportér det til Direktionen.",
    en = "Combine the results of the year's follow-up and sample controls with deviations and action plans, and report them to the executive board.",
  },
  source = "004_8f337844b52a9e9a.txt: \"Én gang årligt skal der laves en systematisk opfølgning på overholdelse af informationssikkerhedsbeskrivelsen i organisationen. Resultatet skal rapporteres til Direktionen.\"",
  assignee = role "security_working_group",
  schedule = yearly { month = 11, day = 1 },
  due = days(28),
  remind = { before_due = days{7, 1, 0}, overdue_every = days(7) },
  escalate = {
    { after = days(14), to = role "executive_board" },
  },
  evidence = "required",
}

-- COMPL: the yearly systematic follow-up (ledelsestilsyn), with the control
-- of business systems by sample (stikprøve).
--
-- Source: S4: "Én gang årligt skal der laves en systematisk opfølgning på
-- overholdelse af informationssikkerhedsbeskrivelsen i organisationen.
-- Resultatet skal rapporteres til Direktionen." ... "Samtidig skal der laves
-- en handlingsplan, der beskriver, hvordan afvigelserne håndteres." ...
-- "Kontrollen af sikkerhed for fagsystemer bliver foretaget som stikprøve.
-- Udvælgelse af fagsystemer foretages af Informationssikkerhedsgruppen."
-- The report to Direktionen is COMPL-REP.
--
-- Assumptions a coordinator may change (each is a field below):
--   * for_each: each year the working group's sample is 5 systems of high or
--     medium criticality, drawn reproducibly from the seed "COMPL" and the
--     occurrence date; each task records the seed and the list drawn. Change
--     size, criticality or seed (a new seed draws a new, equally
--     reproducible, sample).
--   * schedule: opens 1 September; due in 60 days.
--   * escalate: the executive board 14 days overdue.
--   * evidence: required (the control, deviations and their action plan).
--   * outcomes: ok, remarks or deviation; a deviation starts the action plan
--     (S4: "en handlingsplan, der beskriver, hvordan afvigelserne håndteres"),
--     for the system's responsible, due 60 days after.

workflow {
  id = "COMPL",
  group = "risk",
  standards = { iso27001 = { "5.36" } },
  title = { da = "Stikprøvekontrol af fagsystem", en = "Sample control of business system" },
  description = {
    da = "Kontrollér at informationssikkerhedsbeskrivelsen overholdes for systemet: ansvar, regler, risikovurdering og databehandleraftale. Beskriv årsager til afvigelser og en handlingsplan.",
    en = "Check that the system complies with the security description: responsibilities, rules, risk assessment and data processing agreement. Describe the causes of deviations and an action plan.",
  },
  source = "004_8f337844b52a9e9a.txt: \"Kontrollen af sikkerhed for fagsystemer bliver foretaget som stikprøve. Udvælgelse af fagsystemer foretages af Informationssikkerhedsgruppen.\"",
  for_each = sample { size = 5, criticality = { "high", "medium" }, seed = "COMPL" },
  assignee = role "security_working_group",
  schedule = yearly { month = 9, day = 1 },
  due = days(60),
  remind = { before_due = days{14, 3, 0}, overdue_every = days(7) },
  escalate = {
    { after = days(14), to = role "executive_board" },
  },
  evidence = "required",
  outcomes = {
    { id = "ok", label = { da = "Ingen bemærkninger", en = "No remarks" } },
    { id = "remarks", label = { da = "Ikke-kritiske bemærkninger", en = "Non-critical remarks" } },
    { id = "deviation", label = { da = "Kritisk afvigelse", en = "Critical deviation" },
      action_plan = {
        title = { da = "Handlingsplan for afvigelser", en = "Action plan for deviations" },
        assignee = role "system_responsible", due = days(60),
      } },
  },
}

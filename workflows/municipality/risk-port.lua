-- RISK-PORT: the overall risk assessment of the system portfolio.
--
-- Source: S4, the top security owner ensures "At der udføres en overordnet
-- risikovurdering af kommunens systemportefølje. Den opdateres én gang årligt
-- i forbindelse med revision af informationssikkerhedsbeskrivelsen."; S1: the
-- committee "Fastlægger samt godkender organisationens risikoniveau gennem
-- godkendelse af risikovurderingernes resultater og risikohåndteringsplaner".
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule: opens 1 April, after the per-system assessments (RISK-SYS,
--     March), and must be done before the policy revision (POL-REV depends
--     on it).
--   * due: the committee's next meeting (June), which approves the risk level.
--   * assignee: the top security owner, with the security working group (S4:
--     "Informationssikkerhedsgruppen sikrer den løbende risikovurdering").
--   * escalate: the executive board 14 days overdue.
--   * evidence: required (the assessment and the committee's approval).
--   * outcomes: ok, remarks or deviation; a deviation starts an action plan
--     for the top security owner, due 60 days after.

workflow {
  id = "RISK-PORT",
  group = "risk",
  standards = { iso27001 = { "5.7", "5.9" } },
  title = { da = "Overordnet risikovurdering af systemporteføljen", en = "Risk assessment of the system portfolio" },
  description = {
    da = "Saml årets risikovurderinger af systemerne til en overordnet vurdering af porteføljen med risikohåndteringsplan, og få risikoniveauet godkendt i informationssikkerhedsudvalget.",
    en = "Combine the year's system risk assessments into an overall assessment of the portfolio with a risk treatment plan, and have the committee approve the risk level.",
  },
  source = "004_8f337844b52a9e9a.txt: \"Den opdateres én gang årligt i forbindelse med revision af informationssikkerhedsbeskrivelsen.\"; 001_212b8b4fbfbe2aa5.txt: \"Fastlægger samt godkender organisationens risikoniveau\"",
  assignee = role "top_security_owner",
  schedule = yearly { month = 4, day = 1 },
  due = next_meeting "isu",
  remind = { before_due = days{30, 7, 1}, overdue_every = days(7) },
  escalate = {
    { after = days(14), to = role "executive_board" },
  },
  evidence = "required",
  outcomes = {
    { id = "ok", label = { da = "Ingen bemærkninger", en = "No remarks" } },
    { id = "remarks", label = { da = "Ikke-kritiske bemærkninger", en = "Non-critical remarks" } },
    { id = "deviation", label = { da = "Kritisk afvigelse", en = "Critical deviation" },
      action_plan = {
        title = { da = "Handlingsplan for porteføljens risici", en = "Action plan for the portfolio's risks" },
        due = days(60),
      } },
  },
}

-- RISK-SYS: yearly risk assessment of every registered system.
--
-- Source: Middelfart, "Organisering og styring af informationssikkerhed"
-- (S4), the system responsible's duties: "At der foretages årlige
-- risikovurdering af systemerne."
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule: the seed gives no date: we start every review on 1 March, so
--     the results are ready for RISK-PORT (1 April) and the yearly policy
--     revision.
--   * due: 30 days to complete it.
--   * escalate: the seed names no escalation; we assume the system owner after
--     14 days overdue, then the director (S4: "Direktørerne er – indenfor eget
--     område – ansvarlige"). The DSL resolves `director` to the first person
--     holding the role, not the director of the system's own area.
--   * evidence: required (a link to the assessment in the ESDH).
--   * outcomes: ok, remarks or deviation (a risk not acceptable); a deviation
--     starts an action plan for the system responsible, due 60 days after.

workflow {
  id = "RISK-SYS",
  group = "risk",
  standards = { iso27001 = { "5.9", "5.12" } },
  title = { da = "Risikovurdering af system", en = "Risk assessment of system" },
  description = {
    da = "Årlig risikovurdering af systemet: trusler, sårbarheder, konsekvens og tiltag.",
    en = "Yearly risk assessment of the system: threats, vulnerabilities, impact and measures.",
  },
  source = "004_8f337844b52a9e9a.txt: \"At der foretages årlige risikovurdering af systemerne.\"",
  for_each = systems {},
  assignee = role "system_responsible",
  schedule = yearly { month = 3, day = 1 },
  due = days(30),
  remind = { before_due = days{14, 3, 0}, overdue_every = days(7) },
  escalate = {
    { after = days(14), to = role "system_owner" },
    { after = days(30), to = role "director" },
  },
  evidence = "required",
  outcomes = {
    { id = "ok", label = { da = "Ingen bemærkninger", en = "No remarks" } },
    { id = "remarks", label = { da = "Ikke-kritiske bemærkninger", en = "Non-critical remarks" } },
    { id = "deviation", label = { da = "Kritisk afvigelse", en = "Critical deviation" },
      action_plan = {
        title = { da = "Handlingsplan for uacceptable risici", en = "Action plan for unacceptable risks" },
        due = days(60),
      } },
  },
}

-- RISK-SYS: yearly risk assessment of every registered system.
--
-- Source: Middelfart, "Organisering og styring af informationssikkerhed"
-- (S4), the system responsible's duties: "At der foretages årlige
-- risikovurdering af systemerne."
--
-- Assumptions a coordinator may change:
--   * The seed gives no date: we start every review on 1 March, so the
--     results are ready for RISK-PORT and the yearly policy revision.
--   * 30 days to complete it.

workflow {
  id = "RISK-SYS",
  group = "risk",
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
}

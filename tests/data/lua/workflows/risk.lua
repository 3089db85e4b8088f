-- Fixture: the example from the workflow DSL's documentation.
workflow {
  id = "RISK-SYS",
  title = { da = "Risikovurdering af system", en = "Risk assessment of system" },
  description = { da = "Årlig risikovurdering pr. system.", en = "Yearly risk assessment per system." },
  source = "004_8f337844b52a9e9a.txt: årlige risikovurdering af systemerne",
  for_each = systems { criticality = { "high", "medium" } },
  assignee = role "system_responsible",
  schedule = yearly { month = 3, day = 1 },
  due = days(30),
  remind = { before_due = { 14, 3, 0 }, overdue_every = 7 },
}

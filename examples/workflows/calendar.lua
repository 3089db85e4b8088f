-- Calendar patterns: days of the month with an excluded month and a deadline
-- the day before (S2), an anchor date, an election-period cadence, a validity
-- window, and a cadence by risk tier for data processors.

workflow {
  id = "RSI-MAIL",
  group = "committee",
  title = { da = "Input til RSI-direktørkredsmail", en = "Input to the RSI directors' mail" },
  source = "002_a255e5597da1f231.txt: den 1. og den 15. i hver måned undtagen juli; input senest dagen inden",
  schedule = rrule "FREQ=MONTHLY;BYMONTH=1,2,3,4,5,6,8,9,10,11,12;BYMONTHDAY=1,15",
  assignee = role "coordinator",
  due = days(-1),
  remind = { before_due = days{2, 0} },
}

workflow {
  id = "ORG-REV",
  group = "committee",
  title = { da = "Gennemgang af organiseringen", en = "Review of the organisation" },
  source = "004_8f337844b52a9e9a.txt: godkendt af byrådet 11-04-2023",
  schedule = rrule { "FREQ=YEARLY", from = "2023-04-11" }, -- every year from the approval date
  assignee = role "top_security_owner",
  due = days(30),
  -- Days overdue and who hears of it; the last rung is posted to the security
  -- committee's channel ([[body]] channel in directory.toml).
  escalate = {
    { after = days(14), to = role "coordinator" },
    { after = days(30), to = committee "isu" },
  },
}

workflow {
  id = "BERED-PLAN",
  group = "risk",
  title = { da = "Beredskabsplan i valgperioden", en = "Emergency plan for the electoral term" },
  source = "Beredskabsloven §25: mindst én gang i hver kommunale valgperiode",
  -- Municipal elections: third Tuesday of November every four years; plan in the first year after.
  schedule = rrule { "FREQ=YEARLY;INTERVAL=4;BYMONTH=1;BYMONTHDAY=1", from = "2026-01-01" },
  assignee = role "coordinator",
  due = months(12),
}

workflow {
  id = "STRAT-EXP",
  group = "committee",
  title = { da = "Sektorstrategien udløber", en = "The sector strategy expires" },
  source = "000_89e3a9f534686912.txt: strategi 2023-2025",
  schedule = once "2025-12-31",
  assignee = role "coordinator",
  escalate = {}, -- a one-off note: never escalated
}

workflow {
  id = "DP-TILSYN",
  group = "data_protection",
  title = { da = "Tilsyn med databehandler", en = "Supervision of data processor" },
  source = "Datatilsynets vejledning: risikobaseret tilsyn; årlig ISAE 3000-erklæring",
  for_each = processors {},
  assignee = role "processor_responsible",
  schedule_by_criticality = {
    high = yearly { month = 5, day = 1 },
    medium = rrule { "FREQ=YEARLY;INTERVAL=2;BYMONTH=5;BYMONTHDAY=1", from = "2027-01-01" },
    low = rrule { "FREQ=YEARLY;INTERVAL=3;BYMONTH=5;BYMONTHDAY=1", from = "2027-01-01" },
  },
  due = days(60),
}

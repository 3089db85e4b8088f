-- Fixture: two workflows in one file, an anchored raw RRULE and the defaults.
workflow {
  id = "POL-REV",
  title = { da = "Revision af politik", en = "Policy review" },
  source = "004_8f337844b52a9e9a.txt: revideres mindst én gang årligt",
  assignee = role "top_security_owner",
  schedule = rrule { "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=11", from = "2023-04-11" },
}

workflow {
  id = "STRAT-EXP",
  title = { da = "Udløb af strategi", en = "Strategy expires" },
  source = "000_89e3a9f534686912.txt: 2023-2025",
  assignee = person "anna.jensen",
  schedule = yearly { month = 12, day = 31, from = "2023-01-01", to = "2025-12-31" },
}

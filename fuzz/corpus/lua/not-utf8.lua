-- a title saved as Latin-1
workflow {
  id = "LATIN",
  title = { da = "Årlig kontrol", en = "Yearly" },
  description = { da = "æ", en = "í €" },
  source = "S",
  assignee = role "coordinator",
  schedule = yearly { month = 5, day = 1 },
}

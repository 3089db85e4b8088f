-- The yearly policy revision (S4 "revideres mindst én gang årligt") must wait
-- for the portfolio risk assessment (RISK-PORT) and then pass Direktionen,
-- Økonomiudvalget and Byrådet, each at its next meeting (S3).

workflow {
  id = "RISK-PORT",
  group = "risk",
  title = { da = "Overordnet risikovurdering af systemporteføljen", en = "Portfolio risk assessment" },
  source = "004_8f337844b52a9e9a.txt: én gang årligt i forbindelse med revision af informationssikkerhedsbeskrivelsen",
  schedule = yearly { month = 2, day = 1 },
  assignee = role "top_security_owner",
  due = days(45),
}

workflow {
  id = "POL-REV",
  group = "committee",
  title = { da = "Revision af informationssikkerhedspolitikken", en = "Information security policy revision" },
  source = "004_8f337844b52a9e9a.txt: revideres mindst én gang årligt; 003_ad63dc2954ba5f2c.txt: godkendelsesvej",
  schedule = yearly { month = 4, day = 1 },
  depends_on = { "RISK-PORT" },
  assignee = role "top_security_owner",
  steps = {
    { id = "DIR", title = { da = "Direktionen", en = "Executive board" }, body = "direktion",
      assignee = role "top_security_owner" },
    { id = "OEU", title = { da = "Økonomiudvalget", en = "Finance committee" }, body = "oekonomiudvalg",
      assignee = role "top_security_owner" },
    { id = "BR", title = { da = "Byrådet", en = "City council" }, body = "byraad",
      assignee = role "top_security_owner" },
  },
}

workflow {
  id = "HANDBOOK",
  group = "committee",
  title = { da = "Revision af informationssikkerhedshåndbogen", en = "Security handbook revision" },
  source = "004_8f337844b52a9e9a.txt: efter behov ... dog mindst én gang hvert år",
  schedule = yearly { month = 9, day = 1 },
  cadence = from_completion { months = 12 }, -- an ad-hoc revision resets the clock
  assignee = role "top_security_owner",
  due = days(30),
  roll = "forward",
}

-- HANDBOOK: review of the information security rules (the handbook),
-- "efter behov, dog mindst én gang hvert år".
--
-- Source: S4, the top security owner's "Gennemgang af
-- informationssikkerhedsregler efter behov. Det skal dog ske mindst én gang
-- hvert år for at sikre, at de er fyldestgørende og afspejler de faktiske
-- forhold i kommunen." S3: Direktionen "godkender informationssikkerheds-
-- håndbogen som kommunens administrative ramme" (no political treatment).
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule and cadence: the first review opens 1 October; each next one
--     12 months after the last completion, so an ad-hoc revision (complete the
--     open task early) resets the clock.
--   * due: 45 days, rolled to a business day, including Direktionen's
--     approval (complete with the link to its decision).
--   * escalate: the executive board 14 days overdue.
--   * evidence: required.

workflow {
  id = "HANDBOOK",
  group = "committee",
  standards = { iso27001 = { "5.1", "5.10" } },
  title = { da = "Revision af informationssikkerhedshåndbogen", en = "Security handbook revision" },
  description = {
    da = "Gennemgå informationssikkerhedsreglerne (håndbogen), så de er fyldestgørende og afspejler de faktiske forhold, og få dem godkendt af Direktionen.",
    en = "Review the information security rules (the handbook) so they are complete and match reality, and have the executive board approve them.",
  },
  source = "004_8f337844b52a9e9a.txt: \"Gennemgang af informationssikkerhedsregler efter behov. Det skal dog ske mindst én gang hvert år\"; 003_ad63dc2954ba5f2c.txt: \"godkender informationssikkerhedshåndbogen som kommunens administrative ramme\"",
  assignee = role "top_security_owner",
  schedule = yearly { month = 10, day = 1 },
  cadence = from_completion { months = 12 },
  due = days(45),
  roll = "forward",
  remind = { before_due = days{14, 3, 0}, overdue_every = days(7) },
  escalate = {
    { after = days(14), to = role "executive_board" },
  },
  evidence = "required",
}

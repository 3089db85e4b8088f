-- CIS-IR-EX: yearly incident response exercise (CIS Controls v8, 17.7).
-- Optional technical control: switched OFF by default.
-- To switch it on, set enabled = true below (or delete the line) and run
-- `aarshjul check`; its tasks appear from the next occurrence.
-- A municipality's committee also tests the contingency yearly (BCP-TEST);
-- one exercise may serve both: link the same report.
--
-- Source: CIS Controls v8, safeguard 17.7 "Conduct Routine Incident Response
-- Exercises": plan and conduct exercises and scenarios for key personnel, on
-- an annual basis, at a minimum.
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule: yearly, opening 1 March; due in 90 days.
--   * escalate: the top security owner 30 days overdue.
--   * evidence: required (the exercise report and lessons learned).

workflow {
  id = "CIS-IR-EX",
  group = "incidents",
  standards = { iso27001 = { "5.24" }, cis = { "17.7" } },
  title = { da = "Øvelse i hændelseshåndtering (CIS 17.7)", en = "Incident response exercise (CIS 17.7)" },
  description = {
    da = "Planlæg og gennemfør en øvelse i hændelseshåndtering for nøglepersoner (fx skrivebordsøvelse om ransomware) og følg op på erfaringerne.",
    en = "Plan and run an incident response exercise for key personnel (e.g. a ransomware tabletop) and follow up on the lessons learned.",
  },
  source = "CIS Controls v8, 17.7: \"Plan and conduct routine incident response exercises and scenarios for key personnel ... on an annual basis, at a minimum.\"",
  enabled = false,
  assignee = role "head_of_it",
  schedule = yearly { month = 3, day = 1 },
  due = days(90),
  remind = { before_due = days{30, 7, 0}, overdue_every = days(7) },
  escalate = {
    { after = days(30), to = role "top_security_owner" },
  },
  evidence = "required",
}

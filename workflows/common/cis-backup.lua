-- CIS-BACKUP: weekly backup check (CIS Controls v8, 11.2).
-- Optional technical control: switched OFF by default.
-- To switch it on, set enabled = true below (or delete the line) and run
-- `aarshjul check`; its tasks appear from the next occurrence.
--
-- Source: CIS Controls v8, safeguard 11.2 "Perform Automated Backups": run
-- automated backups of in-scope enterprise assets weekly, or more frequently,
-- based on the sensitivity of the data (restores are tested under 11.5).
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule: every Monday: check last week's backup jobs and restore one
--     sample file; due in 2 days.
--   * escalate: the head of IT 3 days overdue, then the top security owner.
--   * evidence: optional (the job report).

workflow {
  id = "CIS-BACKUP",
  group = "technical",
  standards = { iso27001 = { "8.13" }, cis = { "11.2" } },
  title = { da = "Kontrol af backup (CIS 11.2)", en = "Backup check (CIS 11.2)" },
  description = {
    da = "Kontrollér at ugens automatiske backupjob er gennemført, og genskab en stikprøvefil.",
    en = "Check that the week's automated backup jobs completed, and restore one sample file.",
  },
  source = "CIS Controls v8, 11.2: \"Run automated backups of in-scope enterprise assets. Run backups weekly, or more frequently, based on the sensitivity of the data.\"",
  enabled = false,
  assignee = role "system_administrator",
  schedule = weekly { weekday = "MO" },
  due = days(2),
  roll = "forward",
  remind = { before_due = days{0}, overdue_every = days(1) },
  escalate = {
    { after = days(3), to = role "head_of_it" },
    { after = days(14), to = role "top_security_owner" },
  },
  evidence = "optional",
}

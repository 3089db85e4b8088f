-- CIS-DORMANT: disable dormant accounts (CIS Controls v8, 5.3).
-- Optional technical control: switched OFF by default.
-- To switch it on, set enabled = true below (or delete the line) and run
-- `aarshjul check`; its tasks appear from the next occurrence.
--
-- Source: CIS Controls v8, safeguard 5.3 "Disable Dormant Accounts": delete or
-- disable any dormant accounts after a period of 45 days of inactivity, where
-- supported.
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule: the disabling itself should be automatic; this task checks
--     every month (the 1st) that no account has been inactive for more than 45
--     days and that the automation works. Due in 7 days.
--   * escalate: the head of IT 7 days overdue, then the top security owner.
--   * evidence: optional (the list of disabled accounts).

workflow {
  id = "CIS-DORMANT",
  group = "technical",
  standards = { iso27001 = { "5.18" }, cis = { "5.3" } },
  title = { da = "Deaktivering af inaktive konti (CIS 5.3)", en = "Dormant accounts disabled (CIS 5.3)" },
  description = {
    da = "Kontrollér at konti uden aktivitet i 45 dage er deaktiveret eller slettet, og at den automatiske deaktivering virker.",
    en = "Check that accounts without activity for 45 days are disabled or deleted, and that the automatic disabling works.",
  },
  source = "CIS Controls v8, 5.3: \"Delete or disable any dormant accounts after a period of 45 days of inactivity, where supported.\"",
  enabled = false,
  assignee = role "system_administrator",
  schedule = monthly { day = 1 },
  due = days(7),
  roll = "forward",
  remind = { before_due = days{0}, overdue_every = days(3) },
  escalate = {
    { after = days(7), to = role "head_of_it" },
    { after = days(21), to = role "top_security_owner" },
  },
  evidence = "optional",
}

-- CIS-ACCOUNTS: review of the account inventory (CIS Controls v8, 5.1).
-- Optional technical control: switched OFF by default.
-- To switch it on, set enabled = true below (or delete the line) and run
-- `aarshjul check`; its tasks appear from the next occurrence.
--
-- Source: CIS Controls v8, safeguard 5.1 "Establish and Maintain an Inventory
-- of Accounts": validate that all active accounts are authorised, on a
-- recurring schedule at a minimum quarterly, or more frequently.
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule: quarterly, the 1st of January, April, July and October; due
--     in 21 days.
--   * escalate: the top security owner 14 days overdue.
--   * evidence: required (the reviewed account list).

workflow {
  id = "CIS-ACCOUNTS",
  group = "technical",
  standards = { iso27001 = { "5.16", "5.18" }, cis = { "5.1" } },
  title = { da = "Gennemgang af brugerkonti (CIS 5.1)", en = "Account review (CIS 5.1)" },
  description = {
    da = "Kontrollér at alle aktive brugerkonti og servicekonti er godkendte, og luk dem der ikke er.",
    en = "Check that every active user and service account is authorised, and close those that are not.",
  },
  source = "CIS Controls v8, 5.1: \"Validate that all active accounts are authorized, on a recurring schedule at a minimum quarterly, or more frequently.\"",
  enabled = false,
  assignee = role "head_of_it",
  schedule = quarterly { months = { 1, 4, 7, 10 }, day = 1 },
  due = days(21),
  remind = { before_due = days{7, 0}, overdue_every = days(7) },
  escalate = {
    { after = days(14), to = role "top_security_owner" },
  },
  evidence = "required",
}

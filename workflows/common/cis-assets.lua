-- CIS-ASSETS: review of the enterprise asset inventory (CIS Controls v8, 1.1).
-- Optional technical control: switched OFF by default.
-- To switch it on, set enabled = true below (or delete the line) and run
-- `aarshjul check`; its tasks appear from the next occurrence.
--
-- Source: CIS Controls v8, safeguard 1.1 "Establish and Maintain Detailed
-- Enterprise Asset Inventory": review and update the inventory of all
-- enterprise assets bi-annually, or more frequently.
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule: twice a year, 1 February and 1 August; due in 30 days.
--   * escalate: the top security owner 14 days overdue.
--   * evidence: required (the reviewed inventory).

workflow {
  id = "CIS-ASSETS",
  group = "technical",
  standards = { iso27001 = { "5.9" }, cis = { "1.1" } },
  title = { da = "Gennemgang af aktivfortegnelsen (CIS 1.1)", en = "Asset inventory review (CIS 1.1)" },
  description = {
    da = "Gennemgå og opdatér fortegnelsen over alle enheder (klienter, servere, netværk, mobile enheder), mindst halvårligt.",
    en = "Review and update the inventory of all enterprise assets (end-user devices, servers, network, mobile), at least twice a year.",
  },
  source = "CIS Controls v8, 1.1: \"Review and update the inventory of all enterprise assets bi-annually, or more frequently.\"",
  enabled = false,
  assignee = role "head_of_it",
  schedule = half_yearly { months = { 2, 8 }, day = 1 },
  due = days(30),
  remind = { before_due = days{7, 0}, overdue_every = days(7) },
  escalate = {
    { after = days(14), to = role "top_security_owner" },
  },
  evidence = "required",
}

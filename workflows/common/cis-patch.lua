-- CIS-PATCH: monthly patch management review (CIS Controls v8, 7.3 and 7.4).
-- Optional technical control: switched OFF by default.
-- To switch it on, set enabled = true below (or delete the line) and run
-- `aarshjul check`; its tasks appear from the next occurrence.
--
-- Source: CIS Controls v8, safeguards 7.3 "Perform Automated Operating System
-- Patch Management" and 7.4 "Perform Automated Application Patch Management":
-- operating system and application updates on a monthly, or more frequent,
-- basis.
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule: the 15th of every month (after Microsoft's Patch Tuesday);
--     due in 10 days.
--   * escalate: the head of IT 7 days overdue, then the top security owner.
--   * evidence: optional (the patch compliance report).

workflow {
  id = "CIS-PATCH",
  group = "technical",
  standards = { iso27001 = { "8.8" }, cis = { "7.3", "7.4" } },
  title = { da = "Opfølgning på opdateringer (CIS 7.3/7.4)", en = "Patch management review (CIS 7.3/7.4)" },
  description = {
    da = "Kontrollér at operativsystemer og applikationer er opdateret inden for den månedlige cyklus, og følg op på enheder der mangler.",
    en = "Check that operating systems and applications are patched within the monthly cycle, and follow up on devices that lag behind.",
  },
  source = "CIS Controls v8, 7.3 og 7.4: \"Perform operating system updates on enterprise assets through automated patch management on a monthly, or more frequent, basis.\"",
  enabled = false,
  assignee = role "system_administrator",
  schedule = monthly { day = 15 },
  due = days(10),
  roll = "forward",
  remind = { before_due = days{3, 0}, overdue_every = days(3) },
  escalate = {
    { after = days(7), to = role "head_of_it" },
    { after = days(21), to = role "top_security_owner" },
  },
  evidence = "optional",
}

-- ROPA: yearly update of the records of processing activities (GDPR art. 30).
--
-- Source: S4, the top security owner is responsible for "At der er lavet
-- fortegnelser over de behandlinger, som bliver foretaget i kommunen,
-- herunder at sikre en årlig opdatering af fortegnelserne."
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule: no date in the seed; 1 September, after the spring's risk
--     assessments and before the yearly follow-up (COMPL).
--   * due: 60 days (the DPO and the system responsible help).
--   * escalate: the executive board 30 days overdue.
--   * evidence: required (the updated records).

workflow {
  id = "ROPA",
  group = "data_protection",
  standards = { iso27001 = { "5.31", "5.34" }, cis = { "3.2" } },
  title = { da = "Opdatering af fortegnelser", en = "Update of the records of processing" },
  description = {
    da = "Årlig gennemgang og opdatering af fortegnelserne over behandlinger af personoplysninger (art. 30).",
    en = "Yearly review and update of the records of processing activities (GDPR art. 30).",
  },
  source = "004_8f337844b52a9e9a.txt: \"At der er lavet fortegnelser over de behandlinger, som bliver foretaget i kommunen, herunder at sikre en årlig opdatering af fortegnelserne.\"",
  assignee = role "top_security_owner",
  schedule = yearly { month = 9, day = 1 },
  due = days(60),
  remind = { before_due = days{14, 3, 0}, overdue_every = days(7) },
  escalate = {
    { after = days(30), to = role "executive_board" },
  },
  evidence = "required",
}

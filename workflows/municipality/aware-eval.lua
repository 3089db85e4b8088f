-- AWARE-EVAL: half-yearly evaluation of information-security awareness.
--
-- Source: template terms of reference of the municipal security committee
-- (S1): "Evaluerer halvårligt gennemførsel af overordnet information om og
-- uddannelse i informationssikkerhed (Awareness)".
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule: the evaluation opens on 1 February and 1 August, so it is
--     ready for the committee's spring and autumn meetings.
--   * assignee and due: the coordinator prepares it for the committee; 30 days.
--   * escalate: the committee chair 14 days overdue.
--   * evidence: required (the evaluation).

workflow {
  id = "AWARE-EVAL",
  group = "committee",
  standards = { iso27001 = { "6.3" }, cis = { "14.1" } },
  title = { da = "Evaluering af awareness", en = "Awareness evaluation" },
  description = {
    da = "Halvårlig evaluering af information om og uddannelse i informationssikkerhed.",
    en = "Half-yearly evaluation of information-security information and training.",
  },
  source = "001_212b8b4fbfbe2aa5.txt: \"Evaluerer halvårligt gennemførsel af overordnet information om og uddannelse i informationssikkerhed (Awareness)\"",
  assignee = role "coordinator",
  schedule = half_yearly { months = { 2, 8 }, day = 1 },
  due = days(30),
  remind = { before_due = days{14, 3, 0}, overdue_every = days(7) },
  escalate = {
    { after = days(14), to = role "committee_chair" },
  },
  evidence = "required",
}

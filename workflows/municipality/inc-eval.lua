-- INC-EVAL: the committee's evaluation of an incident.
--
-- Source: S1, the committee "Evaluerer håndtering af og baggrund for
-- eventuelle angreb og brud på informationssikkerheden
-- (hændelseshåndtering)."; its standing agenda has "Hændelsesrapportering".
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule: every incident (event "incident") is evaluated.
--   * due: the committee's next meeting after the incident.
--   * assignee: the committee's secretary puts the evaluation on the agenda.
--   * escalate: the executive board 14 days overdue.
--   * evidence: optional (the committee's minutes).

workflow {
  id = "INC-EVAL",
  group = "incidents",
  standards = { iso27001 = { "5.27" } },
  title = { da = "Evaluering af hændelse i udvalget", en = "Committee evaluation of the incident" },
  description = {
    da = "Udvalget evaluerer hændelsens baggrund og håndtering og beslutter forbedringer.",
    en = "The committee evaluates the incident's background and handling and decides on improvements.",
  },
  source = "001_212b8b4fbfbe2aa5.txt: \"Evaluerer håndtering af og baggrund for eventuelle angreb og brud på informationssikkerheden (hændelseshåndtering).\"",
  assignee = role "committee_secretary",
  schedule = on_event "incident",
  due = next_meeting "isu",
  remind = { before_due = days{7, 1}, overdue_every = days(7) },
  escalate = {
    { after = days(14), to = role "executive_board" },
  },
  evidence = "optional",
}

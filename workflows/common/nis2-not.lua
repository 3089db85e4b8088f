-- NIS2-NOT: NIS 2 incident notification.
--
-- Source: the NIS 2 directive (EU) 2022/2555, art. 23, stk. 4, litra b
-- (the Danish NIS 2 law): an incident notification "senest 72 timer efter at
-- have fået kendskab til den væsentlige hændelse", with a first assessment of
-- its severity and impact.
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule: every incident, as NIS2-EW; completing this task starts the
--     one-month clock of the final report (NIS2-FIN) when the outcome is
--     "notified".
--   * outcomes: notified, or not_significant (nothing sent, no final report).
--   * escalate: the executive board 1 day overdue.
--   * evidence: required.
--   * triage: as NIS2-EW, significant yes or unknown.

workflow {
  id = "NIS2-NOT",
  group = "incidents",
  standards = { iso27001 = { "5.5", "5.26" } },
  title = { da = "NIS 2: hændelsesunderretning", en = "NIS 2: incident notification" },
  description = {
    da = "Send hændelsesunderretningen med en første vurdering af alvor og virkning senest 72 timer efter kendskab.",
    en = "Send the incident notification with a first assessment of severity and impact within 72 hours of becoming aware.",
  },
  source = "NIS 2-direktivet art. 23, stk. 4, litra b (NIS 2-loven): hændelsesunderretning senest 72 timer efter kendskab",
  assignee = role "top_security_owner",
  schedule = on_event { "incident", significant = { "yes", "unknown" } },
  due = hours(72),
  remind = { before_due = hours{24, 4}, overdue_every = hours(12) },
  escalate = {
    { after = days(1), to = role "executive_board" },
  },
  evidence = "required",
  outcomes = {
    { id = "notified", label = { da = "Underretning sendt", en = "Notification sent" } },
    { id = "not_significant", label = { da = "Ikke en væsentlig hændelse", en = "Not a significant incident" } },
  },
}

-- NIS2-FIN: NIS 2 final report, one month after the incident notification.
--
-- Source: the NIS 2 directive (EU) 2022/2555, art. 23, stk. 4, litra d
-- (the Danish NIS 2 law): a final report "senest en måned efter
-- indsendelsen af hændelsesunderretningen" — counted from the notification
-- (NIS2-NOT completed), not from the incident.
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule: NIS2-NOT completed with the outcome "notified".
--   * due: months(1), not rolled (a legal deadline: send before a weekend).
--   * escalate: the executive board 7 days overdue.
--   * evidence: required.
-- Only a notification sent (NIS2-NOT completed with the outcome "notified")
-- starts this task; "not_significant" starts none.

workflow {
  id = "NIS2-FIN",
  group = "incidents",
  standards = { iso27001 = { "5.5", "5.27" } },
  title = { da = "NIS 2: endelig rapport", en = "NIS 2: final report" },
  description = {
    da = "Send den endelige rapport: detaljeret beskrivelse, alvor og virkning, trussel eller grundlæggende årsag og afhjælpende foranstaltninger.",
    en = "Send the final report: detailed description, severity and impact, threat or root cause, and mitigation measures.",
  },
  source = "NIS 2-direktivet art. 23, stk. 4, litra d (NIS 2-loven): endelig rapport senest én måned efter hændelsesunderretningen",
  assignee = role "top_security_owner",
  schedule = on_completion { "NIS2-NOT", outcome = "notified" },
  due = months(1),
  remind = { before_due = days{14, 3, 0}, overdue_every = days(3) },
  escalate = {
    { after = days(7), to = role "executive_board" },
  },
  evidence = "required",
}

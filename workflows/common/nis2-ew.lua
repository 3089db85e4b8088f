-- NIS2-EW: NIS 2 early warning of a significant incident.
--
-- Source: the NIS 2 directive (EU) 2022/2555, art. 23, stk. 4, litra a, as
-- implemented by the Danish NIS 2 law: an early warning "uden unødig
-- forsinkelse og senest 24 timer efter at have fået kendskab til den
-- væsentlige hændelse".
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule: every incident not known to be insignificant starts the clock;
--     complete the task with the outcome not_significant when it turns out
--     not to be, or correct the event's facts (the clock is withdrawn).
--   * assignee: the top security owner (the organisation's CISO role).
--   * escalate: the executive board 1 day overdue.
--   * evidence: required (the receipt, or the assessment).
--   * outcomes: notified, or not_significant (no early warning was due).
--   * triage: only an incident that is significant, or not yet known not to
--     be (significant yes or unknown), starts the clock: a missed 24 hours
--     cannot be undone, a clock that turns out not to apply is withdrawn.

workflow {
  id = "NIS2-EW",
  group = "incidents",
  standards = { iso27001 = { "5.5", "5.26" } },
  title = { da = "NIS 2: tidlig varsling", en = "NIS 2: early warning" },
  description = {
    da = "Vurdér om hændelsen er væsentlig, og send i så fald en tidlig varsling til myndigheden/CSIRT senest 24 timer efter kendskab.",
    en = "Assess whether the incident is significant and, if so, send an early warning to the authority/CSIRT within 24 hours of becoming aware.",
  },
  source = "NIS 2-direktivet art. 23, stk. 4, litra a (NIS 2-loven): tidlig varsling senest 24 timer efter kendskab til den væsentlige hændelse",
  assignee = role "top_security_owner",
  schedule = on_event { "incident", significant = { "yes", "unknown" } },
  due = hours(24),
  remind = { before_due = hours{12, 4, 1}, overdue_every = hours(4) },
  escalate = {
    { after = days(1), to = role "executive_board" },
  },
  evidence = "required",
  outcomes = {
    { id = "notified", label = { da = "Varsel sendt", en = "Early warning sent" } },
    { id = "not_significant", label = { da = "Ikke en væsentlig hændelse", en = "Not a significant incident" } },
  },
}

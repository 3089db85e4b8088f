-- GDPR-33: notification of a personal-data breach to Datatilsynet.
--
-- Source: GDPR art. 33, stk. 1: the controller notifies the breach "uden
-- unødig forsinkelse og om muligt senest 72 timer, efter at den
-- dataansvarlige er blevet bekendt med det"; a later notification needs a
-- reason; art. 33, stk. 5: every breach is documented.
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule: every incident (event "incident") whose personal data are
--     affected or not known to be unaffected starts the 72-hour clock:
--     complete the task with the notification's receipt, or with the
--     assessment why no notification is due. Use on_event "breach" instead if
--     breaches are reported as events of their own.
--   * assignee: the DPO (the table names "DPO / top security owner").
--   * the on_event follow-up: the breach is documented within 14 days (art.
--     33, stk. 5), notified or not.
--   * escalate: the executive board 1 day after the 72 hours.
--   * evidence: required.
--   * outcomes: notified, or not_notifiable (the assessment why is the
--     evidence; art. 33, stk. 5 documentation follows either way).
--   * triage: only an incident whose personal data are affected, or not yet
--     known to be unaffected (personal_data yes or unknown), starts the clock.

workflow {
  id = "GDPR-33",
  group = "incidents",
  standards = { iso27001 = { "5.5", "5.26", "5.34" } },
  title = { da = "Anmeldelse af brud til Datatilsynet", en = "Breach notification to Datatilsynet" },
  description = {
    da = "Vurdér om hændelsen er et brud på persondatasikkerheden, og anmeld det til Datatilsynet inden 72 timer efter kendskab; senere anmeldelse skal begrundes.",
    en = "Assess whether the incident is a personal-data breach and notify Datatilsynet within 72 hours of becoming aware; a later notification needs a reason.",
  },
  source = "GDPR art. 33, stk. 1: \"uden unødig forsinkelse og om muligt senest 72 timer\" efter kendskab; art. 33, stk. 5: ethvert brud dokumenteres",
  assignee = role "dpo",
  schedule = on_event { "incident", personal_data = { "yes", "unknown" } },
  due = hours(72),
  remind = { before_due = hours{48, 24, 4}, overdue_every = hours(12) },
  escalate = {
    { after = days(1), to = role "executive_board" },
  },
  evidence = "required",
  outcomes = {
    { id = "notified", label = { da = "Anmeldt til Datatilsynet", en = "Notified to Datatilsynet" } },
    { id = "not_notifiable", label = { da = "Ikke anmeldelsespligtigt (vurdering dokumenteret)", en = "Not notifiable (assessment documented)" } },
  },
  on_event = function(event)
    follow_up {
      id = "DOC",
      title = { da = "Dokumentér bruddet (art. 33, stk. 5): " .. event.title,
                en = "Document the breach (art. 33(5)): " .. event.title },
      assignee = role "dpo",
      due = days(14),
    }
  end,
}

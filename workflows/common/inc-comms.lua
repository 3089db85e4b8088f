-- INC-COMMS: messages to those affected by an incident, and the press.
--
-- Source: S4: "Kommunen skal informere interne og eksterne parter, der måtte
-- være berørt af eventuelle sikkerhedshændelser." and "Den øverste
-- sikkerhedsansvarlige skal godkende meddelelser til de berørte parter og
-- håndtere eventuel presseomtale."
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule: every incident (event "incident") asks whether anyone must be
--     told; complete it with "ingen meddelelse" when no one is affected.
--   * due: 24 hours for the decision and the approved messages (GDPR art. 34
--     asks for "uden unødig forsinkelse" when data subjects are at high risk).
--   * escalate: the executive board 1 day overdue.
--   * evidence: optional (the approved messages).

workflow {
  id = "INC-COMMS",
  group = "incidents",
  standards = { iso27001 = { "5.26" } },
  title = { da = "Meddelelse til berørte parter og presse", en = "Messages to affected parties and the press" },
  description = {
    da = "Afgør hvem der er berørt af hændelsen, godkend meddelelserne til dem og håndtér eventuel presseomtale.",
    en = "Decide who is affected by the incident, approve the messages to them and handle any press coverage.",
  },
  source = "004_8f337844b52a9e9a.txt: \"Den øverste sikkerhedsansvarlige skal godkende meddelelser til de berørte parter og håndtere eventuel presseomtale.\"",
  assignee = role "top_security_owner",
  schedule = on_event "incident",
  due = hours(24),
  remind = { before_due = hours{4}, overdue_every = hours(8) },
  escalate = {
    { after = days(1), to = role "executive_board" },
  },
  evidence = "optional",
}

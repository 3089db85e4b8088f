-- NIS2-REG: update of the NIS 2 registration after a change.
--
-- Source: the NIS 2 law § 10, stk. 3 (NIS 2 directive art. 3, stk. 4): a
-- change in the registered details is reported "uden unødig forsinkelse og
-- under alle omstændigheder senest to uger" after the change.
-- Report the event when a registered detail changes (name, address, contact
-- points, IP ranges, sectors):
--   aarshjul event registration_change --title "Ny kontaktperson for NIS 2"
--
-- Assumptions a coordinator may change (each is a field below):
--   * assignee: the top security owner (the organisation's CISO role).
--   * due: 14 days, not rolled (a legal deadline).
--   * escalate: none in the table; we keep none.
--   * evidence: required (the receipt).

workflow {
  id = "NIS2-REG",
  group = "committee",
  standards = { iso27001 = { "5.5", "5.31" } },
  title = { da = "NIS 2: opdatering af registrering", en = "NIS 2: registration update" },
  description = {
    da = "Meld ændringen i de registrerede oplysninger til myndigheden senest to uger efter ændringen.",
    en = "Report the change of the registered details to the authority within two weeks of the change.",
  },
  source = "NIS 2-loven § 10, stk. 3 (NIS 2-direktivet art. 3, stk. 4): ændringer meddeles senest to uger efter ændringen",
  assignee = role "top_security_owner",
  schedule = on_event "registration_change",
  due = days(14),
  remind = { before_due = days{7, 1, 0}, overdue_every = days(2) },
  escalate = {},
  evidence = "required",
}

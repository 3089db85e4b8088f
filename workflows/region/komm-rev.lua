-- KOMM-REV: a change to TSI's terms of reference, approved by the RSI
-- directors' circle.
--
-- Source: S0: "Ejer RSI-direktørkredsen. TSI har ansvar for at opdatere
-- kommissorium, men ændringer skal godkendes i RSI-direktørkredsen."; S2 for
-- RSI's own: "RSI-sekretariatet har ansvaret for at opdatere og vedligeholde
-- kommissoriet som godkendes af RSI-direktørkredsen."
-- Report the event when a change is proposed:
--   aarshjul event charter_change --title "TSI: nyt medlem fra Danske Regioner"
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule: an event; neither seed sets a review cadence.
--   * assignee: the TSI chair (TSI updates its terms); for a change of RSI's
--     own terms set role "rsi_secretariat".
--   * due: the RSI circle's next meeting after the proposal.
--   * escalate: the RSI directors' circle itself (its channel) 14 days overdue.
--   * evidence: required (the approved terms).

workflow {
  id = "KOMM-REV",
  group = "committee",
  standards = { iso27001 = { "5.2" } },
  title = { da = "Opdatering af kommissorium", en = "Update of the terms of reference" },
  description = {
    da = "Opdatér kommissoriet og få ændringen godkendt på RSI-direktørkredsens næste møde.",
    en = "Update the terms of reference and have the change approved at the RSI directors' circle's next meeting.",
  },
  source = "000_89e3a9f534686912.txt: \"TSI har ansvar for at opdatere kommissorium, men ændringer skal godkendes i RSI-direktørkredsen.\"",
  assignee = role "tsi_chair",
  schedule = on_event "charter_change",
  due = next_meeting "rsi",
  remind = { before_due = days{14, 7, 0}, overdue_every = days(7) },
  escalate = {
    { after = days(14), to = committee "rsi" },
  },
  evidence = "required",
}

-- ISU-MEET: meetings of the information security committee: the agenda
-- before each meeting and the minutes after it (ISU-MEET-REF, in this file).
--
-- Source: template terms of reference of the municipal security committee
-- (S1): "Mødes 4 gange årligt. Der skal foreligge mødekalender for tidspunkt
-- og mødested et halvt år frem i tiden." The standing agenda opens with
-- "Godkendelse af referat fra sidste møde". The meeting dates are the
-- [[body]] id = "isu" of directory.toml.
--
-- Assumptions a coordinator may change (each is a field below):
--   * due: the secretary sends the agenda 7 days before each meeting (S1 sets
--     no deadline) and the minutes within 7 days after it; the minutes are
--     approved at the next meeting (first item of the standing agenda).
--   * horizon: a task asks the secretary to book more meetings when the
--     calendar reaches less than 6 months ahead (S1: "et halvt år frem").
--   * escalate_after: the chair 3 days after a missed agenda deadline, 7 days
--     after missed minutes.
--   * evidence: optional (the agenda and minutes live in the ESDH).

meeting_cycle {
  body = "isu",
  group = "committee",
  standards = { iso27001 = { "5.2", "5.4" } },
  secretary = role "committee_secretary",
  chair = role "committee_chair",
  horizon = months(6),
  evidence = "optional",

  agenda = {
    id = "ISU-MEET",
    title = { da = "Dagsorden til informationssikkerhedsudvalget", en = "Security committee agenda" },
    description = {
      da = "Udsend dagsorden efter den faste dagsorden: referat fra sidste møde, status, hændelsesrapportering, input fra årshjulet, opgaver for næste kvartal, politikker, rapportering til direktionen, eventuelt.",
      en = "Send the agenda along the standing items: last minutes, status, incident reporting, input from the annual cycle, tasks for the next quarter, policies, reporting to the executive board, any other business.",
    },
    source = "001_212b8b4fbfbe2aa5.txt: \"Mødes 4 gange årligt. Der skal foreligge mødekalender for tidspunkt og mødested et halvt år frem i tiden.\"",
    due = days(-7),
    remind = { before_due = days{7, 1, 0}, overdue_every = days(2) },
    escalate_after = days(3),
  },

  minutes = {
    id = "ISU-MEET-REF",
    title = { da = "Referat af møde i informationssikkerhedsudvalget", en = "Security committee minutes" },
    description = {
      da = "Skriv og udsend referatet senest 7 dage efter mødet; det godkendes på næste møde.",
      en = "Write and send the minutes within 7 days of the meeting; they are approved at the next meeting.",
    },
    source = "001_212b8b4fbfbe2aa5.txt: dagsordenspunktet \"Godkendelse af referat fra sidste møde\"",
    due = days(7),
    remind = { before_due = days{2, 0}, overdue_every = days(3) },
    escalate_after = days(7),
  },
}

-- RSI-MEET: meetings of the RSI directors' circle: agenda material a week
-- before (RSI-MEET), decision log and minutes a week after (RSI-MEET-REF),
-- and their approval at the following meeting (RSI-MEET-GODK), all in this
-- file. The dates are the [[body]] id = "rsi" of directory.toml.
--
-- Source: S2: "RSI-direktørkredsen mødes cirka 11 gange årligt. Som
-- udgangspunkt er 7 af møderne virtuelle og 4 af møderne fysiske.
-- Dagsordensmateriale udsendes via FirstAgenda senest én uge før hvert møde.
-- Beslutningslog og referat sendes som udgangspunkt senest en uge efter mødet
-- via FirstAgenda og godkendes på det efterfølgende møde."
--
-- Assumptions a coordinator may change (each is a field below):
--   * assignee: the RSI secretariat (S2: "Koordinering og planlægning af møder
--     (mødebooking, dagsorden, referat mv.)").
--   * due: days(-7), days(7) and (the approval's default) the next meeting,
--     as S2 says.
--   * escalate_after: the chair 2 days after a missed agenda deadline, 7 days
--     after missed minutes or approval.
--   * evidence: optional (the material is in FirstAgenda).
-- Whether a meeting is virtual or physical is noted in directory.toml only.

meeting_cycle {
  body = "rsi",
  group = "committee",
  standards = { iso27001 = { "5.4", "5.6" } },
  secretary = role "rsi_secretariat",
  chair = role "rsi_chair",
  evidence = "optional",

  agenda = {
    id = "RSI-MEET",
    title = { da = "Dagsordensmateriale til RSI-direktørkredsen", en = "Agenda material for the RSI directors' circle" },
    description = {
      da = "Udsend dagsordensmaterialet via FirstAgenda senest én uge før mødet.",
      en = "Send the agenda material through FirstAgenda at the latest one week before the meeting.",
    },
    source = "002_a255e5597da1f231.txt: \"Dagsordensmateriale udsendes via FirstAgenda senest én uge før hvert møde.\"",
    due = days(-7),
    remind = { before_due = days{7, 1, 0}, overdue_every = days(2) },
    escalate_after = days(2),
  },

  minutes = {
    id = "RSI-MEET-REF",
    title = { da = "Beslutningslog og referat fra RSI-direktørkredsen", en = "Decision log and minutes of the RSI directors' circle" },
    description = {
      da = "Send beslutningslog og referat via FirstAgenda senest en uge efter mødet.",
      en = "Send the decision log and minutes through FirstAgenda at the latest one week after the meeting.",
    },
    source = "002_a255e5597da1f231.txt: \"Beslutningslog og referat sendes som udgangspunkt senest en uge efter mødet via FirstAgenda\"",
    due = days(7),
    remind = { before_due = days{2, 0}, overdue_every = days(3) },
    escalate_after = days(7),
  },

  approval = {
    id = "RSI-MEET-GODK",
    title = { da = "Godkendelse af referat på næste møde i RSI-direktørkredsen", en = "Approval of the minutes at the next RSI meeting" },
    description = {
      da = "Sæt referatet til godkendelse på det efterfølgende møde, og notér godkendelsen.",
      en = "Put the minutes up for approval at the following meeting, and record the approval.",
    },
    source = "002_a255e5597da1f231.txt: \"og godkendes på det efterfølgende møde.\"",
    -- due: the next meeting of the RSI circle (the default for an approval)
    remind = { before_due = days{7, 0}, overdue_every = days(7) },
    escalate_after = days(7),
  },
}

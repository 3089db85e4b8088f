-- TSI-STAT: TSI's yearly status to the RSI directors' circle.
--
-- Source: S0: "Etableringen af disse vil fremgå af TSI’s årlige status til
-- RSI-direktørkredsen samt af et bilag til kommissoriet for TSI, som løbende
-- bliver opdateret."
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule and due: the status opens 1 October and is due at the next RSI
--     meeting (late October).
--   * assignee: the TSI chair (the secretariat drafts: "Udarbejdelse af
--     sagsfremstillinger til fx RSI-direktørkredsen").
--   * escalate: TSI's liaison director in the RSI circle 14 days overdue.
--   * evidence: required (the status paper).

workflow {
  id = "TSI-STAT",
  group = "committee",
  standards = { iso27001 = { "5.4" } },
  title = { da = "TSI's årlige status til RSI-direktørkredsen", en = "TSI's yearly status to the RSI directors' circle" },
  description = {
    da = "Årlig status fra TSI til RSI-direktørkredsen: indsatser, nedsatte projekt-, arbejds- og erfagrupper og opdateret bilag til kommissoriet.",
    en = "TSI's yearly status to the RSI directors' circle: activities, the project, working and peer groups set up, and the updated annex to the terms of reference.",
  },
  source = "000_89e3a9f534686912.txt: \"Etableringen af disse vil fremgå af TSI’s årlige status til RSI-direktørkredsen\"",
  assignee = role "tsi_chair",
  schedule = yearly { month = 10, day = 1 },
  due = next_meeting "rsi",
  remind = { before_due = days{14, 3, 0}, overdue_every = days(7) },
  escalate = {
    { after = days(14), to = role "tsi_liaison_director" },
  },
  evidence = "required",
}

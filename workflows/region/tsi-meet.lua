-- TSI-MEET: meetings of TSI, the regions' cross-regional steering group for
-- cyber and information security. The dates are the [[body]] id = "tsi" of
-- directory.toml.
--
-- Source: S0: "TSI afholder møder efter en nærmere fastlagt og offentliggjort
-- plan med 10-11 møder årligt. De fleste af disse er to-timers videomøder,
-- som suppleres med enkelte fysiske heldagsmøder." The secretariat (Region
-- Midtjylland) supports the group "gennem mødeadministration"; agenda items
-- come "via sekretariatet".
--
-- Assumptions a coordinator may change (each is a field below):
--   * due: S0 sets no agenda deadline; we assume the agenda a week before.
--   * horizon: the published plan should reach 6 months ahead (S0 says
--     only "fastlagt og offentliggjort"); a task asks the secretariat to
--     publish more dates when it does not.
--   * escalate_after: the TSI chair 2 days overdue.
--   * evidence: optional.

meeting_cycle {
  body = "tsi",
  group = "committee",
  standards = { iso27001 = { "5.6" } },
  secretary = role "tsi_secretariat",
  chair = role "tsi_chair",
  horizon = months(6),
  evidence = "optional",

  agenda = {
    id = "TSI-MEET",
    title = { da = "Dagsorden til TSI-møde", en = "Agenda for the TSI meeting" },
    description = {
      da = "Saml dagsordenspunkter (fra Regionsdirektørkredsen, RSI-direktørkredsen, regionerne, fællesregionale projekter, Danske Regioner og arbejdsgrupper) og udsend dagsordenen.",
      en = "Collect agenda items (from the regional CEOs, the RSI circle, the regions, joint projects, Danske Regioner and working groups) and send the agenda.",
    },
    source = "000_89e3a9f534686912.txt: \"TSI afholder møder efter en nærmere fastlagt og offentliggjort plan med 10-11 møder årligt.\"",
    due = days(-7),
    remind = { before_due = days{7, 1, 0}, overdue_every = days(2) },
    escalate_after = days(2),
  },
}

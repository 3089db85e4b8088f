-- STRAT-EXP: the sector strategy for cyber and information security expires.
--
-- Source: S0, success criterion 6: "Regionerne understøtter implementering af
-- den gældende Strategi for cyber- og informationssikkerhed i
-- sundhedssektoren (nuværende gælder for periode 2023-2025)."
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule and due: a one-off task that opens three months before the
--     strategy ends (1 October 2025) and is due on its end date (31 December
--     2025). When the successor strategy is adopted, set both to its period.
--   * assignee: the TSI chair: TSI follows up on the strategy and its
--     successor, and updates the terms' reference to it (see KOMM-REV).
--   * escalate: none (the table names no one).
--   * evidence: optional (a link to the successor strategy).

workflow {
  id = "STRAT-EXP",
  group = "committee",
  standards = { iso27001 = { "5.1" } },
  title = { da = "Sektorstrategien udløber", en = "The sector strategy expires" },
  description = {
    da = "Strategien for cyber- og informationssikkerhed i sundhedssektoren 2023-2025 udløber: følg op på den nye strategi og opdatér kommissoriets henvisning.",
    en = "The health sector's cyber and information security strategy 2023-2025 expires: follow up on its successor and update the terms of reference.",
  },
  source = "000_89e3a9f534686912.txt: \"Strategi for cyber- og informationssikkerhed i sundhedssektoren (nuværende gælder for periode 2023-2025)\"",
  assignee = role "tsi_chair",
  schedule = once "2025-10-01",
  due = days(91),
  remind = { before_due = days{30, 7, 0}, overdue_every = days(30) },
  escalate = {},
  evidence = "optional",
}

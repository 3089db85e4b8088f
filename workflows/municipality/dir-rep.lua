-- DIR-REP: the security committee's reporting to the executive board.
--
-- Source: S1: "Sikrer at sikkerhedsarbejdet har ledelsens opbakning. I praksis
-- kan dette ske ved at et af direktionens medlemmer er repræsenteret i
-- informationssikkerhedsudvalget. Alternativt kan der i stedet ske en
-- kvartalsvis rapportering til direktionen." Its standing agenda, however,
-- has "Behandling af rapportering til direktionen (1-4 gange årligt)".
--
-- Assumptions a coordinator may change:
--   * REPORTS_PER_YEAR (setting below): S1 contradicts itself (ANNUAL-CYCLE
--     §5): "kvartalsvis" in its text, "(1-4 gange årligt)" on its agenda. We
--     ship 4, the text's quarterly reporting, which also meets the agenda's
--     upper bound. Set 1, 2 or 3 to report that many times a year.
--   * enabled: S1 asks for the reporting only when no member of the executive
--     board sits on the committee. The sample municipality's chair is a
--     director, yet we keep it on so the board hears from the committee; set
--     enabled = false to rely on the director's seat alone.
--   * schedule and due: the report opens on the 15th of the month of a
--     committee meeting (March, June, September, December; with fewer reports
--     the last of those months) and is due at the executive board's next
--     meeting ([[body]] id = "direktion").
--   * escalate: the municipal CEO 14 days overdue.
--   * evidence: required (the report or the board's minutes).

local REPORTS_PER_YEAR = 4 -- 1, 2, 3 or 4

local schedules = {
  [1] = yearly { month = 12, day = 15 },
  [2] = half_yearly { months = { 6, 12 }, day = 15 },
  [3] = rrule "FREQ=MONTHLY;BYMONTH=3,6,12;BYMONTHDAY=15",
  [4] = quarterly { months = { 3, 6, 9, 12 }, day = 15 },
}
if schedules[REPORTS_PER_YEAR] == nil then
  error("REPORTS_PER_YEAR must be 1, 2, 3 or 4 (got " .. tostring(REPORTS_PER_YEAR) .. ")")
end

workflow {
  id = "DIR-REP",
  group = "committee",
  standards = { iso27001 = { "5.4" } },
  title = { da = "Rapportering til direktionen", en = "Reporting to the executive board" },
  description = {
    da = "Udvalgets rapportering til direktionen om informationssikkerheden: status, risici, hændelser og beslutninger, behandlet i udvalget og forelagt på direktionens næste møde.",
    en = "The committee's report on information security to the executive board: status, risks, incidents and decisions, treated by the committee and put to the board's next meeting.",
  },
  source = "001_212b8b4fbfbe2aa5.txt: \"Alternativt kan der i stedet ske en kvartalsvis rapportering til direktionen.\" / \"Behandling af rapportering til direktionen (1-4 gange årligt)\"",
  enabled = true,
  assignee = role "committee_chair",
  schedule = schedules[REPORTS_PER_YEAR],
  due = next_meeting "direktion",
  remind = { before_due = days{7, 1, 0}, overdue_every = days(7) },
  escalate = {
    { after = days(14), to = role "municipal_ceo" },
  },
  evidence = "required",
}

-- BCP-TEST: the yearly test of the information-security contingency.
--
-- Source: S1, the committee "Sikrer at der mindst en gang årligt gennemføres
-- test af beredskabet for informationssikkerhed."; CIS Controls v8, 17.7
-- (incident response exercises, yearly; see the optional CIS-IR-EX).
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule and due: the test opens on 1 October and its report is due at
--     the committee's next meeting (December), so the committee sees it.
--   * assignee: the committee's secretary (the coordinator) organises the test
--     on the committee's behalf; the IT department runs it.
--   * escalate: the committee chair 7 days overdue, then the executive board
--     (the table's assumption).
--   * evidence: required (the test report and its follow-up).
--   * outcomes: passed, remarks or failed; a failed test starts an action
--     plan, due 30 days after.

workflow {
  id = "BCP-TEST",
  group = "technical",
  standards = { iso27001 = { "5.29", "5.30" }, cis = { "17.7" } },
  title = { da = "Test af beredskabet", en = "Contingency test" },
  description = {
    da = "Gennemfør den årlige test af beredskabs-, nød- og reetableringsplanerne for informationssikkerhed, og forelæg resultat og opfølgning for udvalget.",
    en = "Run the yearly test of the information-security contingency, emergency and recovery plans, and present the result and follow-up to the committee.",
  },
  source = "001_212b8b4fbfbe2aa5.txt: \"Sikrer at der mindst en gang årligt gennemføres test af beredskabet for informationssikkerhed.\"; CIS Controls v8, 17.7",
  assignee = role "committee_secretary",
  schedule = yearly { month = 10, day = 1 },
  due = next_meeting "isu",
  remind = { before_due = days{30, 7, 1}, overdue_every = days(7) },
  escalate = {
    { after = days(7), to = role "committee_chair" },
    { after = days(30), to = role "executive_board" },
  },
  evidence = "required",
  outcomes = {
    { id = "passed", label = { da = "Bestået", en = "Passed" } },
    { id = "remarks", label = { da = "Bestået med bemærkninger", en = "Passed with remarks" } },
    { id = "failed", label = { da = "Ikke bestået", en = "Failed" },
      action_plan = {
        title = { da = "Handlingsplan efter beredskabstest", en = "Action plan after the preparedness test" },
        due = days(30),
      } },
  },
}

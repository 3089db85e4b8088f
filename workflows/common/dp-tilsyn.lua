-- DP-TILSYN: supervision of each data processor, by risk tier.
--
-- Source: Datatilsynet's guidance on supervising data processors: the
-- supervision is risk-based; the data processing agreements on the common
-- templates ask for a yearly ISAE 3000 (or ISAE 3402) assurance report.
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule_by_criticality: high-tier processors every year (1 May, when
--     most yearly ISAE statements have arrived), medium every second year,
--     low every third year, both counted from 2027. Set medium = or low =
--     to the `high` line to supervise every processor yearly.
--   * assignee: the table names the system responsible; a processor serves
--     several systems, so the task goes to the processor's `responsible` in
--     directory.toml (role processor_responsible).
--   * due: 60 days.
--   * escalate: the DPO 14 days overdue, then the top security owner.
--   * evidence: required (the statement read and the conclusion).
--   * outcomes: ok, remarks or deviation; a deviation starts the follow-up
--     with the processor, due 30 days after.

workflow {
  id = "DP-TILSYN",
  group = "data_protection",
  standards = { iso27001 = { "5.22", "5.34" } },
  title = { da = "Tilsyn med databehandler", en = "Supervision of data processor" },
  description = {
    da = "Risikobaseret tilsyn: gennemgå databehandlerens revisionserklæring (ISAE 3000), følg op på afvigelser og dokumentér konklusionen.",
    en = "Risk-based supervision: review the processor's assurance report (ISAE 3000), follow up on exceptions and record the conclusion.",
  },
  source = "Datatilsynets vejledning om tilsyn med databehandlere: risikobaseret tilsyn; årlig ISAE 3000-erklæring efter de fælles skabeloner",
  for_each = processors {},
  assignee = role "processor_responsible",
  schedule_by_criticality = {
    high = yearly { month = 5, day = 1 },
    medium = rrule { "FREQ=YEARLY;INTERVAL=2;BYMONTH=5;BYMONTHDAY=1", from = "2027-01-01" },
    low = rrule { "FREQ=YEARLY;INTERVAL=3;BYMONTH=5;BYMONTHDAY=1", from = "2027-01-01" },
  },
  due = days(60),
  remind = { before_due = days{14, 3, 0}, overdue_every = days(7) },
  escalate = {
    { after = days(14), to = role "dpo" },
    { after = days(30), to = role "top_security_owner" },
  },
  evidence = "required",
  outcomes = {
    { id = "ok", label = { da = "Ingen bemærkninger", en = "No remarks" } },
    { id = "remarks", label = { da = "Ikke-kritiske bemærkninger", en = "Non-critical remarks" } },
    { id = "deviation", label = { da = "Kritisk afvigelse", en = "Critical deviation" },
      action_plan = {
        title = { da = "Opfølgning på tilsynets afvigelser", en = "Follow-up on the supervision's deviations" },
        due = days(30),
      } },
  },
}

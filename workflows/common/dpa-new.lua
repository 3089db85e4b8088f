-- DPA-NEW: a data processing agreement with a new supplier or sub-supplier.
--
-- Source: S4, the system responsible is responsible for "At der indgås en
-- skriftlig databehandleraftale med leverandør, og evt. underleverandør, når
-- dette er påkrævet."
-- Report the event when a supplier or sub-supplier is chosen:
--   aarshjul event new_supplier --title "Ny underleverandør hos KMD" --by anna.jensen
--
-- Assumptions a coordinator may change (each is a field below):
--   * due: "before processing starts"; the event has no start date, so 30 days.
--   * escalate: the top security owner 7 days overdue (S4's escalation, the
--     system owner, needs the system too).
--   * evidence: required (the signed agreement, or a note why none is needed).
--   * for_each and assignee: S4 names the system responsible. The event names
--     the system (--system) or the supplier (--supplier: the systems it
--     processes data for in the directory); each named system's responsible
--     gets the task. An event naming neither is refused.

workflow {
  id = "DPA-NEW",
  group = "data_protection",
  standards = { iso27001 = { "5.19", "5.20", "5.34" } },
  title = { da = "Databehandleraftale med ny leverandør", en = "Data processing agreement with a new supplier" },
  description = {
    da = "Vurdér om leverandøren (eller underleverandøren) behandler personoplysninger på kommunens vegne, og indgå en skriftlig databehandleraftale, før behandlingen begynder.",
    en = "Assess whether the supplier (or sub-supplier) processes personal data on the organisation's behalf, and sign a written data processing agreement before processing starts.",
  },
  source = "004_8f337844b52a9e9a.txt: \"At der indgås en skriftlig databehandleraftale med leverandør, og evt. underleverandør, når dette er påkrævet.\"; GDPR art. 28, stk. 3",
  for_each = systems {},
  assignee = role "system_responsible",
  schedule = on_event "new_supplier",
  due = days(30),
  roll = "forward",
  remind = { before_due = days{14, 3, 0}, overdue_every = days(7) },
  escalate = {
    { after = days(7), to = role "top_security_owner" },
  },
  evidence = "required",
}

-- OWNERS: appoint a system owner and a system responsible for a new system.
--
-- Source: S4, the directors are responsible for "At der udpeges systemejer
-- som ansvarlig for det enkelte system" and "At der udpeges systemansvarlig
-- for det enkelte system"; S1: the committee "Sikrer at der er udpeget data-
-- og systemejere".
-- Report the event when a system is acquired or registered:
--   aarshjul event new_system --title "Nyt bookingsystem" --by anna.jensen
--
-- Assumptions a coordinator may change (each is a field below):
--   * due: "before it goes live"; the event carries no go-live date, so we
--     assume 14 days after the system is registered. Report the event early.
--   * escalate: the top security owner 7 days overdue.
--   * evidence: optional (the note names the owner and responsible; the
--     coordinator then adds the [[system]] to directory.toml).

workflow {
  id = "OWNERS",
  group = "risk",
  standards = { iso27001 = { "5.2", "5.9" } },
  title = { da = "Udpegning af systemejer og systemansvarlig", en = "Appointment of system owner and system responsible" },
  description = {
    da = "Udpeg systemejer og systemansvarlig for det nye system, før det sættes i drift, og registrér dem i årshjulets katalog.",
    en = "Appoint the system owner and the system responsible for the new system before it goes live, and register them in the directory.",
  },
  source = "004_8f337844b52a9e9a.txt: \"At der udpeges systemejer som ansvarlig for det enkelte system.\" / \"At der udpeges systemansvarlig for det enkelte system\"; 001_212b8b4fbfbe2aa5.txt: \"Sikrer at der er udpeget data- og systemejere\"",
  assignee = role "director",
  schedule = on_event "new_system",
  due = days(14),
  roll = "forward",
  remind = { before_due = days{7, 1, 0}, overdue_every = days(3) },
  escalate = {
    { after = days(7), to = role "top_security_owner" },
  },
  evidence = "optional",
}

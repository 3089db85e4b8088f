-- ONBOARD: the information-security introduction of a new employee.
--
-- Source: S4: "Nye medarbejdere skal ved introduktionen præsenteres for den
-- overordnede informationssikkerhedspolitik. Her skal også indgå en kort
-- gennemgang af informationssikkerhedsreglerne."
-- Report the event when a hire starts:
--   aarshjul event new_hire --title "Mette Hansen, Borgerservice, start 1/3" --by camilla.olsen
--
-- Assumptions a coordinator may change (each is a field below):
--   * assignee: the line manager. The event names no manager, so the task goes
--     to the first person holding the role; put the manager in --title.
--   * due: 14 days after the event, rolled to a business day.
--   * escalate: the director 14 days overdue.
--   * evidence: optional.

workflow {
  id = "ONBOARD",
  group = "technical",
  standards = { iso27001 = { "6.2", "6.3" }, cis = { "14.1" } },
  title = { da = "Introduktion af nyansat til informationssikkerhed", en = "Information-security introduction of a new hire" },
  description = {
    da = "Præsentér den overordnede informationssikkerhedspolitik og gennemgå kort informationssikkerhedsreglerne med den nyansatte.",
    en = "Present the information security policy and briefly go through the security rules with the new employee.",
  },
  source = "004_8f337844b52a9e9a.txt: \"Nye medarbejdere skal ved introduktionen præsenteres for den overordnede informationssikkerhedspolitik. Her skal også indgå en kort gennemgang af informationssikkerhedsreglerne.\"",
  assignee = role "line_manager",
  schedule = on_event "new_hire",
  due = days(14),
  roll = "forward",
  remind = { before_due = days{3, 0}, overdue_every = days(7) },
  escalate = {
    { after = days(14), to = role "director" },
  },
  evidence = "optional",
}

-- POL-REV: yearly revision of the information security policy and of
-- "Organisering og styring af informationssikkerhed", with its approval chain.
--
-- Source: S4: "Organisering og styring af informationssikkerheden bliver,
-- ligesom den overordnede informationspolitik, godkendt af Byrådet. De skal
-- revideres mindst én gang årligt." and the top security owner's "Årlig
-- revision af den overordnede informationssikkerhedspolitik og organisering
-- og styring af informationssikkerhed, samt at den forelægges Byrådet."
-- S3: "Politikken forelægges efterfølgende Økonomiudvalget og Byrådet til
-- politisk behandling" after Direktionen. S1: the committee "Reviderer
-- informationssikkerhedspolitikken med udgangspunkt i den aktuelle
-- risikovurdering".
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule: the revision opens 15 June, after RISK-PORT (depends_on:
--     reminders wait until it is done). To count from the approval date
--     instead (S4 was approved 11-04-2023), use
--       schedule = rrule { "FREQ=YEARLY", from = "2023-04-11" },
--     and move RISK-PORT before April.
--   * steps: the committee revises the draft at its next meeting (September),
--     then Direktionen, Økonomiudvalget and Byrådet, each at its next meeting
--     after the previous step was completed. Delete the ISU step to go
--     straight to Direktionen.
--   * escalate: the executive board 14 days after a missed step.
--   * evidence: required for every step (the body's decision).

workflow {
  id = "POL-REV",
  group = "committee",
  standards = { iso27001 = { "5.1" } },
  title = { da = "Revision af informationssikkerhedspolitikken", en = "Information security policy revision" },
  description = {
    da = "Revidér politikken og \"Organisering og styring af informationssikkerhed\" ud fra den aktuelle risikovurdering, og før dem gennem udvalget, Direktionen, Økonomiudvalget og Byrådet.",
    en = "Revise the policy and \"Organisation and governance of information security\" from the current risk assessment, and take them through the committee, the executive board, the finance committee and the city council.",
  },
  source = "004_8f337844b52a9e9a.txt: \"De skal revideres mindst én gang årligt.\" / \"samt at den forelægges Byrådet\"; 003_ad63dc2954ba5f2c.txt: \"Politikken forelægges efterfølgende Økonomiudvalget og Byrådet til politisk behandling\"",
  assignee = role "top_security_owner",
  schedule = yearly { month = 6, day = 15 },
  depends_on = { "RISK-PORT" },
  steps = {
    { id = "ISU", title = { da = "Informationssikkerhedsudvalget", en = "Security committee" },
      body = "isu", assignee = role "top_security_owner" },
    { id = "DIR", title = { da = "Direktionen", en = "Executive board" },
      body = "direktion", assignee = role "top_security_owner" },
    { id = "OEU", title = { da = "Økonomiudvalget", en = "Finance committee" },
      body = "oekonomiudvalg", assignee = role "top_security_owner" },
    { id = "BR", title = { da = "Byrådet", en = "City council" },
      body = "byraad", assignee = role "top_security_owner" },
  },
  remind = { before_due = days{14, 3, 0}, overdue_every = days(7) },
  escalate = {
    { after = days(14), to = role "executive_board" },
  },
  evidence = "required",
}

-- INC-INT: internal handling of an information-security incident.
--
-- Source: S4: "I tilfælde af informationssikkerhedshændelser skal der straks
-- tages kontakt til IT-afdelingen."; "Ved registrering af
-- informationssikkerhedshændelse træffer øverste sikkerhedsansvarlige og
-- IT-chefen beslutning om handling og om Informationssikkerhedsgruppen skal
-- indkaldes."; "Informationssikkerhedsgruppen mødes straks ved alvorlige
-- informationssikkerhedshændelser."; "Informationssikkerhedshændelser skal
-- rapporteres til databeskyttelsesrådgiver".
-- Report an incident with the moment the organisation became aware:
--   aarshjul event incident --title "Ransomware på filserver" --at 2026-10-24T09:00:00+02:00
--
-- Assumptions a coordinator may change (each is a field below):
--   * due: "straks" is an SLA of 4 hours for the head of IT to assess the
--     incident and decide with the top security owner whether to convene the
--     working group.
--   * the on_event follow-up: the DPO registers the incident within 24 hours
--     and informs the top security owner "i fornødent omfang".
--   * escalate: the top security owner 1 day overdue, then the security
--     working group (the smallest step the DSL has is a day).
--   * evidence: optional (the incident log is the record).

workflow {
  id = "INC-INT",
  group = "incidents",
  standards = { iso27001 = { "5.25", "5.26" }, cis = { "17.4" } },
  title = { da = "Intern hændelseshåndtering", en = "Internal incident handling" },
  description = {
    da = "IT-chefen vurderer hændelsen straks og beslutter med øverste sikkerhedsansvarlige handling, og om Informationssikkerhedsgruppen skal indkaldes.",
    en = "The head of IT assesses the incident at once and decides with the top security owner what to do and whether to convene the security working group.",
  },
  source = "004_8f337844b52a9e9a.txt: \"I tilfælde af informationssikkerhedshændelser skal der straks tages kontakt til IT-afdelingen.\"; \"Informationssikkerhedsgruppen mødes straks ved alvorlige informationssikkerhedshændelser.\"",
  assignee = role "head_of_it",
  schedule = on_event "incident",
  due = hours(4),
  remind = { before_due = hours{1}, overdue_every = hours(2) },
  escalate = {
    { after = days(1), to = role "top_security_owner" },
    { after = days(2), to = role "security_working_group" },
  },
  evidence = "optional",
  on_event = function(event)
    -- S4: "Informationssikkerhedshændelser skal rapporteres til databeskyttelsesrådgiver"
    follow_up {
      id = "DPO",
      title = { da = "Registrér hændelsen hos DPO: " .. event.title,
                en = "Register the incident with the DPO: " .. event.title },
      assignee = role "dpo",
      due = hours(24),
    }
  end,
}

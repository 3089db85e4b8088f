-- ISMS-REV: the security working group's yearly assessment of whether the
-- information security description needs revising.
--
-- Source: S4: "Informationssikkerhedsgruppen gennemgår og vurderer behov for
-- revision af informationssikkerhedsbeskrivelsen én gang om året.
-- Informationssikkerhedsbeskrivelsen revideres endvidere, når de
-- forretningsmæssige behov eller virksomhedens mål ændres."
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule: the first assessment opens 1 May, before the policy revision
--     (POL-REV, 15 June).
--   * also: reporting a "business_change" event (business needs or goals
--     changed: `aarshjul event business_change --title ...` or the event form)
--     starts an ad-hoc assessment, due 30 days after it.
--   * cadence: 12 months after the last completion, planned or ad hoc: when
--     the ad-hoc assessment is done, the planned one it stands in for is
--     withdrawn and the next is counted from it.
--   * due: 30 days.
--   * escalate: the top security owner 14 days overdue.
--   * evidence: optional (the conclusion goes into POL-REV and HANDBOOK).

workflow {
  id = "ISMS-REV",
  group = "committee",
  standards = { iso27001 = { "5.1" } },
  title = { da = "Vurdering af revisionsbehov", en = "Assessment of the need for revision" },
  description = {
    da = "Informationssikkerhedsgruppen vurderer, om politik, organisering og regler skal revideres, fx fordi de forretningsmæssige behov eller målene er ændret.",
    en = "The security working group assesses whether policy, organisation and rules need revising, e.g. because business needs or goals have changed.",
  },
  source = "004_8f337844b52a9e9a.txt: \"Informationssikkerhedsgruppen gennemgår og vurderer behov for revision af informationssikkerhedsbeskrivelsen én gang om året.\"",
  assignee = role "security_working_group",
  schedule = yearly { month = 5, day = 1 },
  also = on_event "business_change",
  cadence = from_completion { months = 12 },
  due = days(30),
  remind = { before_due = days{7, 1, 0}, overdue_every = days(7) },
  escalate = {
    { after = days(14), to = role "top_security_owner" },
  },
  evidence = "optional",
}

-- RSI-PRIO: the RSI directors' circle's yearly strategic prioritisation.
--
-- Source: S2: "RSI-direktørkredsen foretager 1 gang årligt en strategisk og
-- tværgående prioritering med fokus på igangsættelse af de mest
-- værdiskabende fællesregionale it-projekter" and "Når der indmeldes
-- projekter følges så vidt muligt RSI-direktørkredsens årshjul ift.
-- prioriteringsseminar".
--
-- Assumptions a coordinator may change (each is a field below):
--   * schedule and due: the region's input opens 1 June and is due at the next
--     RSI meeting, the physical June meeting that holds the priority seminar.
--   * assignee: the region's members of the directors' circle.
--   * escalate: the regional CEO (Regionsdirektørkredsen, which RSI acts on
--     mandate from) 14 days overdue.
--   * evidence: optional (the priorities are in RSI's minutes).

workflow {
  id = "RSI-PRIO",
  group = "committee",
  standards = { iso27001 = { "5.4" } },
  title = { da = "Strategisk prioritering i RSI-direktørkredsen", en = "Strategic prioritisation in the RSI directors' circle" },
  description = {
    da = "Forbered regionens input til den årlige strategiske og tværgående prioritering af de fællesregionale it-projekter (prioriteringsseminar).",
    en = "Prepare the region's input to the yearly strategic prioritisation of the joint regional IT projects (priority seminar).",
  },
  source = "002_a255e5597da1f231.txt: \"RSI-direktørkredsen foretager 1 gang årligt en strategisk og tværgående prioritering med fokus på igangsættelse af de mest værdiskabende fællesregionale it-projekter\"",
  assignee = role "rsi_member",
  schedule = yearly { month = 6, day = 1 },
  due = next_meeting "rsi",
  remind = { before_due = days{14, 3, 0}, overdue_every = days(7) },
  escalate = {
    { after = days(14), to = role "regional_ceo" },
  },
  evidence = "optional",
}

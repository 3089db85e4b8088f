-- Incident deadlines counted in hours from the moment the organisation became
-- aware (GDPR art. 33, the NIS 2 law), and the internal "straks" SLA.
-- Report an incident with:
--   aarshjul event incident --title "Ransomware på filserver" --at 2026-10-24T09:00:00+02:00

workflow {
  id = "INC-INT",
  group = "incidents",
  title = { da = "Intern hændelseshåndtering", en = "Internal incident handling" },
  source = "004_8f337844b52a9e9a.txt: hændelser meldes \"straks\" til IT",
  schedule = on_event "incident",
  assignee = role "head_of_it",
  due = hours(4), -- "straks": the SLA is a setting
  remind = { before_due = hours{1}, overdue_every = hours(2) },
  -- Every notice of this workflow goes to these channels, whatever each person
  -- prefers (e.g. { "mail", "it-teams" } once those channels are configured).
  channels = { "log" },
}

workflow {
  id = "NIS2-EW",
  group = "incidents",
  title = { da = "NIS 2: tidlig varsling", en = "NIS 2: early warning" },
  source = "NIS 2-loven: tidlig varsling senest 24 timer efter kendskab",
  schedule = on_event "incident",
  assignee = role "top_security_owner",
  due = hours(24),
}

workflow {
  id = "NIS2-NOT",
  group = "incidents",
  title = { da = "NIS 2: hændelsesunderretning", en = "NIS 2: incident notification" },
  source = "NIS 2-loven: underretning senest 72 timer efter kendskab",
  schedule = on_event "incident",
  assignee = role "top_security_owner",
  due = hours(72),
}

workflow {
  id = "NIS2-FIN",
  group = "incidents",
  title = { da = "NIS 2: endelig rapport", en = "NIS 2: final report" },
  source = "NIS 2-loven: endelig rapport senest 1 måned efter underretningen",
  schedule = on_completion "NIS2-NOT", -- counted from the notification, not the incident
  assignee = role "top_security_owner",
  due = months(1),
}

workflow {
  id = "GDPR-33",
  group = "incidents",
  title = { da = "Anmeldelse af brud til Datatilsynet", en = "Breach notification to the DPA" },
  source = "GDPR art. 33: uden unødig forsinkelse og om muligt senest 72 timer",
  schedule = on_event "breach",
  assignee = role "dpo",
  due = hours(72),
  on_event = function(event)
    -- Art. 33(5): every breach is documented, whether notified or not.
    follow_up {
      id = "DOC",
      title = { da = "Dokumentér bruddet: " .. event.title, en = "Document the breach: " .. event.title },
      assignee = role "dpo",
      due = days(14),
    }
  end,
}

-- Meeting-driven duties of the security committee (S1): agenda a week before
-- each meeting, minutes a week after, and a booking check that warns when the
-- calendar reaches less than six months ahead ("mødekalender ... et halvt år
-- frem i tiden"). Meeting dates live in the directory under [[body]] id = "isu".
--
-- meeting_cycle writes one workflow per part, each with schedule = meetings
-- "isu" and the secretary as assignee; the horizon check goes with the agenda.
-- Without remind and escalate the configured default ladders apply.

meeting_cycle {
  body = "isu",
  group = "committee",
  secretary = role "committee_secretary",
  horizon = months(6),

  agenda = {
    id = "ISU-AGENDA",
    title = { da = "Dagsorden til informationssikkerhedsudvalget", en = "Security committee agenda" },
    source = "001_212b8b4fbfbe2aa5.txt: mødes 4 gange årligt",
    due = days(-7),
  },

  minutes = {
    id = "ISU-MINUTES",
    title = { da = "Referat af udvalgsmøde", en = "Committee minutes" },
    source = "001_212b8b4fbfbe2aa5.txt: referat efter mødet",
    due = days(7),
  },
}

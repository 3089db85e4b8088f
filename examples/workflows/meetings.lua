-- Meeting-driven duties of the security committee (S1): agenda a week before
-- each meeting, minutes a week after, and a booking check that warns when the
-- calendar reaches less than six months ahead ("mødekalender ... et halvt år
-- frem i tiden"). Meeting dates live in the directory under [[body]] id = "isu".

workflow {
  id = "ISU-AGENDA",
  title = { da = "Dagsorden til informationssikkerhedsudvalget", en = "Security committee agenda" },
  source = "001_212b8b4fbfbe2aa5.txt: mødes 4 gange årligt",
  schedule = meetings "isu",
  assignee = role "committee_secretary",
  due = days(-7),
  horizon_check = { months = 6, assignee = role "committee_secretary" },
}

workflow {
  id = "ISU-MINUTES",
  title = { da = "Referat af udvalgsmøde", en = "Committee minutes" },
  source = "001_212b8b4fbfbe2aa5.txt: referat efter mødet",
  schedule = meetings "isu",
  assignee = role "committee_secretary",
  due = days(7),
}

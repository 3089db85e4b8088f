#!/usr/bin/env python3
# SPDX-License-Identifier: MPL-2.0
"""Owner journey (issue 13): the RISK-SYS reminder mail -> its one-click link ->
the page asks for the required evidence -> a submission without evidence is
refused with that reason and the typed note kept -> with a link it is done ->
the status page counts it (done this cycle) -> the audit trail names the
evidence, and `aarshjul audit verify` exits 0.

Fixture: only a copy of RISK-SYS whose occurrence is today and due today,
the shipped directory (carla.holm is responsible for one system, so she gets
one reminder, not a digest), reminder hour 0, mail to aiosmtpd.
"""

import json
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

PERSON = "carla.holm"
ADDRESS = "carla.holm@eksempel.dk"
NOTE = "Gennemgået med IT-driften – trusselsbilledet er opdateret"
EVIDENCE = "https://esdh.eksempel.dk/sag/2026-4711"


def journey(j: h.Journey):
    j.step("start aiosmtpd and the daemon with RISK-SYS due today")
    smtp = j.smtp()
    viewer, viewer_entry = h.Daemon.make_token("skaerm", "viewer")
    admin, admin_entry = h.Daemon.make_token("anna", "admin", "anna.jensen")
    d = j.daemon(smtp, workflows=[h.risk_sys_due_today(j)], tokens=[viewer_entry, admin_entry]).start()

    j.step(f"the RISK-SYS reminder mail reaches {ADDRESS}")
    mine = d.tasks(admin, assignee=PERSON, workflow="RISK-SYS")
    j.check(len(mine) == 1, f"exactly one RISK-SYS task for {PERSON} (GET /api/v1/tasks?assignee={PERSON})",
            f"{len(mine)}: {[t.get('key') for t in mine]}")
    task = mine[0]
    mails = smtp.wait_for(lambda m: m.to_address(ADDRESS), 20)
    j.check(mails, f"a reminder mail to {ADDRESS} within 20 s", smtp.summary())
    mail = mails[0]
    j.check("Risikovurdering" in mail.subject, "the subject names the control (Risikovurdering ...)", repr(mail.subject))
    links = h.LINK_ACT.findall(mail.text)
    j.check(links, "a one-click link <public_url>/act/<id>?p=&e=&s= in the text part", h.excerpt(mail.text))
    link, link_id = links[0]
    j.check(link.startswith(d.base + "/act/"), f"the link starts with public_url {d.base}/act/", link)
    j.check(int(link_id) == task["id"], f"the link names the task of {PERSON} (#{task['id']})", f"#{link_id}: {link}")
    j.check_later(f"/me?p={PERSON}" in mail.text or f"/me?p={urllib.parse.quote(PERSON)}" in mail.text,
                  "the notice carries the personal link <public_url>/me?p=&e=&s= (contract: 'signed personal link from every notice')",
                  h.excerpt(mail.text))

    b = j.browser()

    def asks_for_evidence(b, lang):
        form = b.find("form#complete")
        j.check(form is not None, "form#complete on the one-click page", "no form#complete", b)
        action = urllib.parse.urlsplit(form.get_attribute("action") or "").path
        j.check(action == f"/act/{task['id']}", f"form#complete posts to /act/{task['id']}", repr(action), b)
        ev = b.find("input#evidence")
        j.check(ev is not None and ev.get_attribute("name") == "evidence",
                "input#evidence name=evidence (the control requires evidence)",
                "no input#evidence" if ev is None else f"name={ev.get_attribute('name')!r}", b)
        j.check(ev.get_attribute("required") is not None, "input#evidence has the attribute required",
                ev.get_attribute("outerHTML"), b)
        marker = "(påkrævet)" if lang == "da" else "(required)"
        j.check(marker in b.text(), f"the evidence label says {marker}", h.excerpt(b.text()), b)
        for css in ("textarea#note[name=note]", "button#complete-submit", "input[type=hidden][name=p]",
                    "input[type=hidden][name=e]", "input[type=hidden][name=s]"):
            j.check(b.find(css, form) is not None, f"{css} inside form#complete", "missing", b)
        radios = b.find_all("input[type=radio][name=outcome]", form)
        values = [r.get_attribute("value") for r in radios]
        j.check(values == ["ok", "remarks", "deviation"],
                "RISK-SYS asks what the review found: radios outcome = ok, remarks, deviation", values, b)
        j.check(all(r.get_attribute("required") is not None for r in radios),
                "the outcome is required", [r.get_attribute("outerHTML") for r in radios], b)
        label = "Ingen bemærkninger" if lang == "da" else "No remarks"
        j.check(label in b.text(), f"the outcome 'ok' is labelled {label!r}", h.excerpt(b.text()), b)

    j.step("the one-click link opens a page that asks for evidence (da and en)")
    b.screenshot_both(link, "act-page", asks_for_evidence)

    j.step("submitting without evidence is refused (422, p#error names it, note kept)")
    for lang in ("en", "da"):  # the Danish one last: its page stays open
        b.open(h.with_query(link, lang=lang))
        b.find("textarea#note").send_keys(NOTE)
        # The browser itself would stop at `required`; the server must refuse too.
        b.js("document.getElementById('complete').noValidate = true;"
             "document.getElementById('evidence').removeAttribute('required');")
        b.submit("#complete-submit")
        j.check(b.status() == 422, "status 422 for a completion without evidence", b.status(), b)
        err = b.find("p#error")
        j.check(err is not None and err.text.strip(), "p#error on the refused page", "no p#error", b)
        shown_lang = b.js("return document.documentElement.lang") or lang
        words = ("evidence",) if shown_lang == "en" else ("dokumentation", "evidens", "bevis", "link", "reference")
        label = b.js("var e=document.getElementById('evidence'); var l=e&&e.labels&&e.labels[0];"
                     "return l ? l.textContent : ''") or ""
        label_word = re.split(r"[\s(:]", label.strip().lower())[0] if label.strip() else ""
        j.check(any(w in err.text.lower() for w in words + ((label_word,) if label_word else ())),
                f"p#error names the missing evidence ({' / '.join(words)} or the field's label {label_word!r})",
                repr(err.text), b)
        kept = b.find("textarea#note")
        j.check(kept is not None and kept.get_property("value") == NOTE, f"the typed note kept: {NOTE!r}",
                repr(kept.get_property("value")) if kept else "no textarea#note", b)
        j.check(b.find("form#complete") is not None and b.find("input#evidence") is not None,
                "the same form again (form#complete with input#evidence)", "missing", b)
        b.screenshot(f"act-refused-{lang}")
    state = d.task(admin, task["id"])["state"]
    j.check(state not in ("done", "waived"), "the task is still open after the refusals", state)

    j.step("with an evidence link but no outcome it is refused too (422, p#error asks for the outcome)")
    b.find("input#evidence").clear()
    b.find("input#evidence").send_keys(EVIDENCE)
    b.js("document.getElementById('complete').noValidate = true;")
    b.submit("#complete-submit")
    j.check(b.status() == 422, "status 422 for a completion without an outcome", b.status(), b)
    err = b.find("p#error")
    j.check(err is not None and "resultat" in err.text.lower(), "p#error names the missing Resultat",
            repr(err.text) if err else "no p#error", b)
    kept = b.find("input#evidence")
    j.check(kept is not None and kept.get_property("value") == EVIDENCE, "the typed evidence kept",
            repr(kept.get_property("value")) if kept else "no input#evidence", b)

    j.step("with an evidence link and the outcome 'ok' the task is done")
    b.find("input[type=radio][name=outcome][value=ok]").click()
    b.submit("#complete-submit")
    j.check(b.status() == 200 and b.find("#done") is not None, "200 page with #done", f"status {b.status()}", b)
    b.screenshot("act-done-da")
    got = d.task(admin, task["id"])
    j.check(got["state"] == "done", f"task #{task['id']} done (API)", got["state"])
    j.check(got.get("completed_by") == PERSON, f"completed by {PERSON}", got.get("completed_by"))
    j.check(got.get("evidence") == EVIDENCE, f"evidence {EVIDENCE}", got.get("evidence"))
    j.check(got.get("note") == NOTE, f"note {NOTE!r}", got.get("note"))
    j.check(got.get("outcome") == "ok", "outcome ok (API)", got.get("outcome"))

    j.step("the link again: 409 page #finished")
    b.screenshot_both(link, "act-finished", lambda b, lang: j.check(
        b.status() == 409 and b.find("#finished") is not None, "409 page with #finished", f"status {b.status()}", b))

    j.step("the status page counts it as done this cycle (da and en)")
    status = d.api_ok(admin, "/api/v1/status")
    j.check(status["overall"]["done_this_cycle"] == 1, "API status overall.done_this_cycle = 1", status["overall"])

    def counts_it(b, lang):
        row = b.js("""for (const tr of document.querySelectorAll('tr')) {
                        if (tr.textContent.includes('(RISK-SYS)'))
                          return Array.from(tr.cells).map(c => c.textContent.trim()); }
                      return null;""")
        j.check(row is not None, "a row for (RISK-SYS) in the controls table", "none", b)
        heads = b.js("return Array.from(document.querySelectorAll('#controls thead th')).map(c => c.textContent.trim())")
        done_col = len(heads) - 2  # ... done, outcomes this year
        j.check(row[done_col] == "1", "RISK-SYS 'Udført i år / Done this cycle' = 1", (heads, row), b)
        label = "Ingen bemærkninger 1" if lang == "da" else "No remarks 1"
        j.check(row[-1] == label, f"RISK-SYS outcomes this year: {label!r}", (heads, row), b)
        done = "udført siden" if lang == "da" else "done since"
        tile = b.js("""for (const t of document.querySelectorAll('.tile'))
                         if (t.textContent.toLowerCase().includes(arguments[0])) return t.querySelector('b').textContent;
                       return null;""", done)
        j.check(tile == "1", f"the tile '{done}' shows 1", tile, b)

    b.screenshot_both(h.with_query(d.url("/"), token=viewer), "status-page", counts_it)

    j.step("the audit trail names the evidence; audit verify exits 0")
    history = got.get("history") or []
    j.check(any(EVIDENCE in json.dumps(e, ensure_ascii=False) for e in history),
            f"an event of task #{task['id']}'s history (API) names {EVIDENCE}", json.dumps(history, ensure_ascii=False)[:800])
    today = h.today_local().isoformat()
    export = d.cli("audit", "export", "--from", today, "--to", today)
    j.check(export.returncode == 0, "audit export exits 0", f"{export.returncode}: {export.stderr}")
    events = [json.loads(line) for line in export.stdout.splitlines() if line.strip()]
    named = [e for e in events if e.get("task_id") == task["id"] and EVIDENCE in str(e.get("detail", ""))]
    j.check(named, f"an exported audit event of task #{task['id']} ({task['key']}) whose detail names {EVIDENCE}",
            json.dumps([e for e in events if e.get("task_id") == task["id"]], ensure_ascii=False)[:900])
    j.check(any(e.get("actor") == PERSON for e in named), f"that event's actor is {PERSON}",
            json.dumps(named, ensure_ascii=False)[:600])
    verify = d.cli("audit", "verify")
    j.check(verify.returncode == 0, "`aarshjul audit verify` exits 0", f"exit {verify.returncode}: {verify.stdout}{verify.stderr}")


if __name__ == "__main__":
    h.Journey("owner-reminder", __doc__).run(journey)

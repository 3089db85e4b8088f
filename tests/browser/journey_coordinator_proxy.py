#!/usr/bin/env python3
# SPDX-License-Identifier: MPL-2.0
"""Coordinator journey (issue 13) through Apache: Apache authenticates with
basic auth (an htpasswd file) and passes the user on in X-Remote-User; the
daemon trusts that header from 127.0.0.1 only (trusted_proxies, user_header).
anna.jensen (coordinator in config/directory.toml) waives a task with a
reason, reports an incident with the event form and sees its GDPR-33 and
NIS 2 tasks with their hour deadlines. Then triage through the same form: an
incident without personal data but significant starts the NIS 2 clocks and
not GDPR-33; a new supplier (SD Worx) starts DPA-NEW for its system, assigned
to that system's responsible; a change of business needs starts an ad-hoc
ISMS-REV beside the yearly one. carla.holm (no coordinator) gets the 403 page
on the coordinator pages.
"""

import datetime as dt
import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

COORDINATOR, COORDINATOR_PW = "anna.jensen", "Sommer2026!"
OWNER, OWNER_PW = "carla.holm", "Vinter2026!"
REASON = "Systemet er udfaset pr. 1. december; risikovurderingen bortfalder"
TITLE = "Ransomware på filserver (test)"
DETAIL = "Krypterede filer på F-drevet opdaget af servicedesk"


def deadline(at: dt.datetime, hours: int) -> dt.datetime:
    """`hours` after `at` on the UTC time line (across a DST change the local
    clock shows one hour more or less), in local time."""
    return (at.astimezone(dt.timezone.utc) + dt.timedelta(hours=hours)).astimezone(h.ZONE)


def journey(j: h.Journey):
    j.step("start the daemon (trusts X-Remote-User from 127.0.0.1) and Apache in front")
    admin, admin_entry = h.Daemon.make_token("api", "admin", "anna.jensen")
    apache_port = h.free_port()  # the daemon's public address is Apache's
    d = j.daemon(None, workflows=h.shipped_cycle_with_risk_today(j), tokens=[admin_entry],
                 public_url=f"http://127.0.0.1:{apache_port}",
                 http={"trusted_proxies": ["127.0.0.1"], "user_header": "X-Remote-User"}).start()
    a = j.apache(d.base, {COORDINATOR: COORDINATOR_PW, OWNER: OWNER_PW}, port=apache_port)
    a.start()

    j.step("Apache asks for credentials; with them the status page is served")
    r = h.request("GET", a.base + "/")
    j.check(r.status == 401, "401 from Apache without basic auth", r.status, r)
    r = h.request("GET", a.base + "/", headers=h.Apache.basic(COORDINATOR, COORDINATOR_PW))
    j.check(r.status == 200, f"200 for / as {COORDINATOR} through Apache (X-Remote-User)", r.status, r)

    j.step(f"{OWNER} (no coordinator) gets the 403 page on /tasks")
    r = h.request("GET", a.base + "/tasks", headers=h.Apache.basic(OWNER, OWNER_PW))
    j.check(r.status == 403, f"403 page for /tasks as {OWNER}", r.status, r)

    b = j.browser()
    b.set_headers(h.Apache.basic(COORDINATOR, COORDINATOR_PW))
    b.screenshot_both(a.base + "/", "status-page")

    j.step("the task list: form#filters, table#tasks rows link to /tasks/<id>")
    risk = d.tasks(admin, workflow="RISK-SYS", state=h.OPEN_STATES)
    j.check(risk, "open RISK-SYS tasks in the fixture (API)", "none")
    victim = risk[0]

    def task_list(b, lang):
        j.check(b.find("form#filters") is not None, "form#filters", "none", b)
        rows = b.find_all("table#tasks tr[data-task-id]")
        j.check(rows, "table#tasks with tr[data-task-id] rows", "no rows", b)
        ids = [r.get_attribute("data-task-id") for r in rows]
        j.check(str(victim["id"]) in ids, f"task #{victim['id']} listed for workflow=RISK-SYS", ids, b)
        link = b.find(f"table#tasks tr[data-task-id='{victim['id']}'] a[href]")
        j.check(link is not None and urllib.parse.urlsplit(link.get_attribute("href")).path == f"/tasks/{victim['id']}",
                f"row #{victim['id']} links to /tasks/{victim['id']}",
                link.get_attribute("href") if link else "no link", b)

    b.screenshot_both(a.base + "/tasks?workflow=RISK-SYS", "tasks", task_list)

    j.step(f"waive task #{victim['id']} with a reason")
    b.open(a.base + f"/tasks/{victim['id']}")
    j.check(b.status() == 200 and b.find("table#history") is not None, "200 with table#history",
            f"status {b.status()}", b)
    waive = b.find("form#waive")
    j.check(waive is not None, "form#waive", "none", b)
    j.check(urllib.parse.urlsplit(waive.get_attribute("action") or "").path == f"/tasks/{victim['id']}/waive",
            f"form#waive posts to /tasks/{victim['id']}/waive", waive.get_attribute("action"), b)
    j.check(b.find("input[type=hidden][name=csrf]", waive) is not None, "hidden csrf in form#waive", "missing", b)
    complete_for = b.find("form#complete-for")
    j.check(complete_for is not None and b.find("select[name=by]", complete_for) is not None
            and b.find("input[name=evidence]", complete_for) is not None,
            "form#complete-for with select[name=by] and input[name=evidence]", "missing", b)
    b.find("textarea[name=reason]", waive).send_keys(REASON)
    b.submit("button[type=submit], input[type=submit]", waive)
    chain = b.chain()
    j.check(any(s == 303 for _, s, _ in chain) and b.path == f"/tasks/{victim['id']}",
            f"303 back to /tasks/{victim['id']}", chain, b)
    got = d.task(admin, victim["id"])
    j.check(got["state"] == "waived" and got.get("completed_by") == COORDINATOR,
            f"task #{victim['id']} waived by {COORDINATOR} (API)",
            {k: got.get(k) for k in ("state", "completed_by", "note")})
    j.check(REASON in (got.get("note") or "") or any(REASON in (e.get("detail") or "") for e in got.get("history", [])),
            "the reason recorded on the task", got.get("note"))
    history = b.find("table#history")
    j.check(history is not None and REASON in history.text, "table#history shows the waiver's reason",
            history.text if history else "no table#history", b)
    b.screenshot_both(a.base + f"/tasks/{victim['id']}", "task-waived")

    j.step("report an incident with the event form")
    at = (h.now_local() - dt.timedelta(minutes=20)).replace(second=0, microsecond=0)

    def event_form(b, lang):
        form = b.find("form#event")
        j.check(form is not None, "form#event", "none", b)
        j.check(urllib.parse.urlsplit(form.get_attribute("action") or "").path == "/events", "form#event action=/events",
                form.get_attribute("action"), b)
        for css in ("select[name=type]", "input[name=title]", "input[name=at][type=datetime-local]",
                    "textarea[name=detail]", "input[type=hidden][name=csrf]",
                    "fieldset#event-personal-data input[type=radio][name=personal_data][value=no]",
                    "fieldset#event-significant input[type=radio][name=significant][value=unknown]",
                    "select[name=system]", "select[name=supplier]", "select[name=person]"):
            j.check(b.find(css, form) is not None, f"{css} in form#event", "missing", b)

    b.screenshot_both(a.base + "/events/new", "event-new", event_form)
    b.open(a.base + "/events/new")
    form = b.find("form#event")
    select = Select(b.find("select[name=type]", form))
    values = [o.get_attribute("value") for o in select.options]
    j.check("incident" in values, "select[name=type] offers incident", values, b)
    select.select_by_value("incident")
    b.find("input[name=title]", form).send_keys(TITLE)
    b.js("arguments[0].value = arguments[1]", b.find("input[name=at]", form), at.strftime("%Y-%m-%dT%H:%M"))
    b.find("textarea[name=detail]", form).send_keys(DETAIL)
    b.submit("button[type=submit], input[type=submit]", form)
    chain = b.chain()
    j.check(any(s == 303 for _, s, _ in chain) and re.fullmatch(r"/events/\d+", b.path),
            "303 to /events/<id>", chain, b)

    j.step("the event page lists its GDPR-33 and NIS 2 tasks with their hour deadlines")
    event_url = b.url
    event_id = b.path.rsplit("/", 1)[-1]
    clocks = (("GDPR-33", 72), ("NIS2-EW", 24), ("NIS2-NOT", 72))
    created = {}
    for wf, hours in clocks:
        key = f"{wf}||event-{event_id}"
        status, task = d.api(admin, "GET", "/api/v1/tasks/" + urllib.parse.quote(key, safe=""))
        j.check(status == 200, f"the task {key} from the incident (API)", f"{status}: {task}")
        created[wf] = task
        due = dt.datetime.fromisoformat(task["due_at"]) if task.get("due_at") else None
        wanted = deadline(at, hours)
        j.check(due == wanted, f"{wf} due {hours} h after {at.isoformat()} (the form's local time): {wanted.isoformat()}",
                task.get("due_at"))
        j.check(TITLE in task["title"], f"{wf}'s title names the incident {TITLE!r}", task["title"])

    def event_tasks(b, lang):
        table = b.find("table#event-tasks")
        j.check(table is not None, "table#event-tasks", "none", b)
        rows = b.find_all("tr", table)
        for wf, hours in clocks:
            task = created[wf]
            due = deadline(at, hours)
            row = next((r for r in rows if r.get_attribute("data-task-id") == str(task["id"])
                        or task["title"] in r.text or task["title_en"] in r.text), None)
            j.check(row is not None, f"a row for {wf} #{task['id']} ({task['title']})", table.text, b)
            clock = due.strftime("%H:%M")
            wanted = f"kl. {clock}" if lang == "da" else clock
            j.check(wanted in row.text and str(due.day) in row.text,
                    f"{wf}'s deadline {due.strftime('%Y-%m-%d')} {wanted!r} in its row", row.text, b)

    b.screenshot_both(event_url, "event", event_tasks)

    def report(fields: dict, radios: dict, selects: dict) -> str:
        """Fills the event form as a coordinator would and returns the new event's id."""
        b.open(a.base + "/events/new")
        form = b.find("form#event")
        Select(b.find("select[name=type]", form)).select_by_value(fields["type"])
        b.find("input[name=title]", form).send_keys(fields["title"])
        for name, value in radios.items():
            b.find(f"input[type=radio][name={name}][value={value}]", form).click()
        for name, value in selects.items():
            Select(b.find(f"select[name={name}]", form)).select_by_value(value)
        b.submit("button[type=submit], input[type=submit]", form)
        chain = b.chain()
        j.check(any(s == 303 for _, s, _ in chain) and re.fullmatch(r"/events/\d+", b.path),
                f"303 to /events/<id> for {fields}", chain, b)
        return b.path.rsplit("/", 1)[-1]

    def task_of(key: str):
        status, task = d.api(admin, "GET", "/api/v1/tasks/" + urllib.parse.quote(key, safe=""))
        return task if status == 200 else None

    j.step("triage: no personal data, significant — the NIS 2 clocks start, GDPR-33 does not")
    triaged = report({"type": "incident", "title": "DDoS mod borger.dk-integration (test)"},
                     {"personal_data": "no", "significant": "yes"}, {"system": "sd-loen"})
    for wf, wanted in (("GDPR-33", False), ("NIS2-EW", True), ("NIS2-NOT", True), ("INC-INT", True)):
        found = task_of(f"{wf}||event-{triaged}")
        j.check((found is not None) == wanted, f"{wf} {'started' if wanted else 'not started'}",
                found and found.get("title"))
    page = b.text()
    j.check(("Nej" in page or "No" in page) and "SD Løn" in page,
            "the event page shows the facts (personal data no, system SD Løn)", page[:600], b)
    b.screenshot_both(b.url, "event-triaged")
    b.open(h.with_query(a.base + "/events/new", lang="da"))
    b.find("input[type=radio][name=personal_data][value=no]").click()
    b.find("input[type=radio][name=significant][value=yes]").click()
    b.screenshot("event-form-triage-da")  # README: docs/screenshots/coordinator-event-triage.png

    j.step("a new supplier: DPA-NEW for SD Løn, to its responsible sofie.larsen")
    supplier = report({"type": "new_supplier", "title": "SD Worx overtager lønkørslen (test)"}, {},
                      {"supplier": "sd"})
    dpa = task_of(f"DPA-NEW|sd-loen|event-{supplier}")
    j.check(dpa is not None and dpa.get("assignee") == "sofie.larsen",
            "DPA-NEW for sd-loen assigned to sofie.larsen (the system's responsible)",
            dpa and {k: dpa.get(k) for k in ("occurrence_key", "assignee")})

    j.step("a change of business needs: an ad-hoc ISMS-REV beside the yearly one")
    change = report({"type": "business_change", "title": "Ny organisering af IT-driften (test)"}, {}, {})
    adhoc = task_of(f"ISMS-REV||event-{change}")
    j.check(adhoc is not None and adhoc.get("origin") == "event", "an ad-hoc ISMS-REV task (origin event)",
            adhoc and {k: adhoc.get(k) for k in ("occurrence_key", "origin", "due")})


if __name__ == "__main__":
    h.Journey("coordinator-proxy", __doc__).run(journey)

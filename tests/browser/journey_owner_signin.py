#!/usr/bin/env python3
# SPDX-License-Identifier: MPL-2.0
"""Owner journey (issue 13): sign in by e-mail link - POST /signin with the
person's address -> the mail's /signin/<token> link -> confirm -> "Mine
opgaver" lists exactly their open tasks (compared with GET
/api/v1/tasks?assignee=) -> complete one; the same sign-in link a second time
is refused.

Fixture: the shipped municipal cycle with RISK-SYS due today, the shipped
directory; maria.dahl is responsible for two systems and owns none, so her
open tasks are her two risk assessments.
"""

import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

PERSON = "maria.dahl"
TYPED = "Maria.Dahl@Eksempel.DK"  # the directory has maria.dahl@eksempel.dk: case-insensitive
ADDRESS = "maria.dahl@eksempel.dk"
NOTE = "Risikovurderingen er gennemgået på afdelingsmødet"
EVIDENCE = "https://esdh.eksempel.dk/sag/2026-5150"


def open_articles(b):
    section = b.find("section#open-tasks")
    if section is None:
        return None
    return b.find_all("article.task", section)


def journey(j: h.Journey):
    j.step("start aiosmtpd and the daemon (shipped cycle, RISK-SYS due today)")
    smtp = j.smtp()
    admin, admin_entry = h.Daemon.make_token("anna", "admin", "anna.jensen")
    d = j.daemon(smtp, workflows=h.shipped_cycle_with_risk_today(j), tokens=[admin_entry]).start()
    b = j.browser()

    j.step("the sign-in page (da and en)")

    def signin_form(b, lang):
        form = b.find("form#signin")
        j.check(form is not None, "form#signin", "none", b)
        j.check((form.get_attribute("method") or "").lower() == "post", "form#signin method=post",
                form.get_attribute("method"), b)
        j.check(urllib.parse.urlsplit(form.get_attribute("action") or "").path == "/signin",
                "form#signin action=/signin", form.get_attribute("action"), b)
        email_input = b.find("input#email", form)
        j.check(email_input is not None and email_input.get_attribute("name") == "email",
                "input#email name=email", "missing" if email_input is None else email_input.get_attribute("outerHTML"), b)
        j.check(b.find("input[type=hidden][name=csrf]", form) is not None, "hidden csrf in form#signin", "missing", b)
        j.check(b.find("button#signin-submit", form) is not None, "button#signin-submit", "missing", b)

    b.screenshot_both(d.url("/signin"), "signin", signin_form)

    j.step(f"POST /signin with {TYPED}")
    b.open(d.url("/signin"))
    b.find("input#email").send_keys(TYPED)
    b.submit("#signin-submit")
    j.check(b.status() == 200 and b.find("p#signin-sent") is not None, "200 page with p#signin-sent",
            f"status {b.status()}", b)
    b.screenshot("signin-sent-da")

    j.step(f"the sign-in mail reaches {ADDRESS}")
    mails = smtp.wait_for(lambda m: m.to_address(ADDRESS) and "Log ind" in m.subject, 20)
    j.check(mails, f"a mail to {ADDRESS} with the subject 'Log ind på årshjulet' within 20 s", smtp.summary())
    mail = mails[0]
    j.check(mail.subject == "Log ind på årshjulet", "subject 'Log ind på årshjulet'", repr(mail.subject))
    found = re.findall(re.escape(d.base) + r"/signin/([A-Za-z0-9_\-]+)", mail.text)
    j.check(found, f"a link {d.base}/signin/<token> in the text part", h.excerpt(mail.text))
    link = f"{d.base}/signin/{found[0]}"

    j.step("the link's confirmation page, then confirm")

    def confirm_form(b, lang):
        form = b.find("form#signin-confirm")
        j.check(form is not None, "form#signin-confirm", "none", b)
        j.check(urllib.parse.urlsplit(form.get_attribute("action") or "").path == f"/signin/{found[0]}",
                "form#signin-confirm posts to the same URL", form.get_attribute("action"), b)
        j.check(b.find("button#signin-confirm-submit", form) is not None, "button#signin-confirm-submit", "missing", b)

    b.screenshot_both(link, "signin-confirm", confirm_form)
    j.check(b.cookie("aarshjul_session") is None, "no session before the confirmation is posted",
            b.cookie("aarshjul_session"), b)
    b.submit("#signin-confirm-submit")
    chain = b.chain()
    j.check(len(chain) >= 2 and chain[-2][1] == 303, "the POST answers 303", chain, b)
    j.check(b.path == "/me", "303 to /me", b.url, b)
    cookie = b.cookie("aarshjul_session")
    j.check(cookie is not None, "cookie aarshjul_session set", b.driver.get_cookies(), b)
    j.check(cookie.get("httpOnly") is True and cookie.get("sameSite") == "Lax" and cookie.get("path") == "/",
            "aarshjul_session HttpOnly; SameSite=Lax; Path=/", cookie, b)
    j.check(not cookie.get("secure"), "no Secure flag for an http:// public_url", cookie, b)

    j.step("'Mine opgaver' lists exactly the open tasks of the API")
    expected = {t["id"]: t for t in d.tasks(admin, assignee=PERSON, state=h.OPEN_STATES)}
    j.check(len(expected) >= 2, f"at least two open tasks for {PERSON} in the fixture (API)", sorted(expected))
    articles = open_articles(b)
    j.check(articles is not None, "section#open-tasks", "none", b)
    shown = {}
    for a in articles:
        m = re.fullmatch(r"task-(\d+)", a.get_attribute("id") or "")
        j.check(m, "article.task#task-<id>", a.get_attribute("outerHTML")[:200], b)
        shown[int(m.group(1))] = a
    j.check(set(shown) == set(expected),
            f"exactly the tasks of GET /api/v1/tasks?assignee={PERSON}&state={h.OPEN_STATES}: {sorted(expected)}",
            f"{sorted(shown)} (extra {sorted(set(shown) - set(expected))}, missing {sorted(set(expected) - set(shown))})", b)
    order = [int(a.get_attribute("id")[5:]) for a in articles]
    overdue = [i for i in order if expected[i]["state"] in ("overdue", "escalated")]
    j.check(order[: len(overdue)] == overdue, "overdue tasks first", order, b)
    for i in order:
        classes = (shown[i].get_attribute("class") or "").split()
        is_over = expected[i]["state"] in ("overdue", "escalated")
        j.check(("overdue" in classes) == is_over, f"task #{i} ({expected[i]['state']}) has class overdue iff overdue",
                classes, b)
        j.check(b.find("form.complete", shown[i]) is not None, f"form.complete in task #{i}", "missing", b)
    j.check(b.find("form#signout") is not None, "form#signout in the nav of a signed-in page", "none", b)
    cal = b.find("input#calendar-url")
    j.check(cal is not None and cal.get_attribute("readonly") is not None
            and "/me/calendar.ics?p=" in (cal.get_attribute("value") or ""),
            "input#calendar-url (readonly) with <public_url>/me/calendar.ics?p=&e=&s=",
            "missing" if cal is None else cal.get_attribute("outerHTML"), b)
    b.screenshot_both(d.url("/me"), "me")

    target = order[0]
    j.step(f"completing #{target} without evidence is refused (422, p.error in its article, note kept)")
    b.open(d.url("/me"))
    form = b.find("form.complete", b.find(f"article#task-{target}"))
    b.find("textarea[name=note]", form).send_keys(NOTE)
    b.js("arguments[0].noValidate = true;"
         "arguments[0].querySelectorAll('[required]').forEach(e => e.removeAttribute('required'))", form)
    b.submit("button.complete-submit", form)
    j.check(b.status() == 422, "status 422", b.status(), b)
    article = b.find(f"article#task-{target}")
    j.check(article is not None, f"the same page with article#task-{target}", "missing", b)
    err = b.find("p.error", article)
    j.check(err is not None and "dokumentation" in err.text.lower(),
            f"p.error inside article#task-{target} naming the missing Dokumentation", err.text if err else "no p.error", b)
    kept = b.find("textarea[name=note]", article)
    j.check(kept is not None and kept.get_property("value") == NOTE, f"the typed note kept: {NOTE!r}",
            repr(kept.get_property("value")) if kept else "no textarea", b)
    j.check(d.task(admin, target)["state"] not in ("done", "waived"), "the task is still open", "it was finished")
    b.screenshot("me-refused-da")

    j.step("complete one task from 'Mine opgaver'")
    b.open(d.url("/me"))
    article = b.find(f"article#task-{target}")
    form = b.find("form.complete", article)
    action = urllib.parse.urlsplit(form.get_attribute("action") or "").path
    j.check(action == f"/me/tasks/{target}/complete", f"form.complete posts to /me/tasks/{target}/complete",
            repr(action), b)
    j.check(b.find("input[type=hidden][name=csrf]", form) is not None, "hidden csrf in form.complete", "missing", b)
    evidence = b.find("input[name=evidence]", form)
    j.check(evidence is not None, "input[name=evidence]", "missing", b)
    j.check(evidence.get_attribute("required") is not None,
            "input[name=evidence] required (RISK-SYS requires evidence)", evidence.get_attribute("outerHTML"), b)
    evidence.send_keys(EVIDENCE)
    radios = b.find_all("input[type=radio][name=outcome]", form)
    if radios:
        radios[0].click()
    b.find("textarea[name=note]", form).send_keys(NOTE)
    b.submit("button.complete-submit", form)
    j.check(b.status() in (200, 303) or b.path == "/me", "back on 'Mine opgaver'", b.url, b)
    got = d.task(admin, target)
    j.check(got["state"] == "done" and got.get("completed_by") == PERSON and got.get("evidence") == EVIDENCE,
            f"task #{target} done by {PERSON} with evidence {EVIDENCE} (API)",
            {k: got.get(k) for k in ("state", "completed_by", "evidence", "note")})
    b.open(d.url("/me"))
    remaining = {int(a.get_attribute("id")[5:]) for a in (open_articles(b) or [])}
    j.check(remaining == set(expected) - {target}, f"#open-tasks now {sorted(set(expected) - {target})}",
            sorted(remaining), b)
    recent = b.find("section#recent")
    j.check(recent is not None and (got["title"] in recent.text or f"#{target}" in recent.text
                                    or b.find(f"#task-{target}", recent) is not None),
            f"section#recent shows task #{target} ({got['title']})", recent.text if recent else "no section#recent", b)
    b.screenshot("me-after-completion-da")

    j.step("the same sign-in link a second time is refused")
    b.driver.delete_all_cookies()
    b.open(link)
    if b.find("#refused") is None and b.find("form#signin-confirm") is not None:
        b.submit("#signin-confirm-submit")
    j.check(b.status() == 403 and b.find("#refused") is not None, "403 page with #refused for a used sign-in link",
            f"status {b.status()}", b)
    j.check(b.cookie("aarshjul_session") is None, "no session from a used link", b.cookie("aarshjul_session"), b)
    b.screenshot("signin-link-used-da")
    b.open(d.url("/me"))
    j.check(b.find("section#open-tasks") is None, "GET /me without a session shows no tasks", h.excerpt(b.text()), b)


if __name__ == "__main__":
    h.Journey("owner-signin", __doc__).run(journey)

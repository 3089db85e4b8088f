#!/usr/bin/env python3
# SPDX-License-Identifier: MPL-2.0
"""Refusals (issue 13):
  * a form posted without its CSRF token -> 403 page #refused (nothing done);
  * a session after sign-out -> not signed in;
  * the user header sent directly from an untrusted address (127.0.0.2) ->
    treated as not signed in (from 127.0.0.1, the trusted proxy, it works);
  * an altered or expired personal link (/me?p=&e=&s=) -> 403 page #refused;
  * an unknown address at /signin -> the same page text as a known one, and
    no mail arrives for it.

Fixture: the shipped municipal cycle and directory, mail to aiosmtpd,
trusted_proxies = ["127.0.0.1"], user_header = "X-Remote-User", no admins
(the first-start link gives the browser an admin session).
"""

import os
import re
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

UNTRUSTED = "127.0.0.2"
KNOWN = "anna.jensen@eksempel.dk"
UNKNOWN = "ukendt.person@eksempel.dk"


def not_signed_in(r: h.Response) -> bool:
    """Not signed in: sent to /signin (303), or refused (401/403); never the page."""
    return (r.status == 303 and "/signin" in r.header("location")) or r.status in (401, 403)


def journey(j: h.Journey):

    j.step("start aiosmtpd and the daemon")
    smtp = j.smtp()
    api, api_entry = h.Daemon.make_token("api", "viewer")  # an admin token would end the first start
    d = j.daemon(smtp, tokens=[api_entry],
                 http={"trusted_proxies": ["127.0.0.1"], "user_header": "X-Remote-User"}).start()
    url = d.wait_first_start_url(5)
    j.check(url, "the first-start line in the log", d.log_tail(10))
    b = j.browser()
    b.open(url)
    cookie = b.cookie("aarshjul_session")
    j.check(b.path == "/" and cookie is not None, "an admin session from the first-start link", b.url, b)
    session = h.cookie_header("aarshjul_session", cookie["value"])

    # ------------------------------------------------------------- CSRF ---
    j.step("a form without its CSRF token: 403 page #refused")
    r = h.request("GET", d.url("/"), headers=session)
    j.check(r.status == 200, "the session works: GET / 200", r.status, r)
    m = re.search(r'name="csrf" value="([^"]+)"', r.body) or re.search(r'value="([^"]+)" name="csrf"', r.body)
    j.check(m, "a hidden csrf field on the signed-in page (form#signout)", "none", r)
    token = m.group(1)
    before = len(d.tasks(api, workflow="NIS2-EW"))
    event = {"type": "incident", "title": "CSRF-test", "at": h.now_local().strftime("%Y-%m-%dT%H:%M"), "detail": ""}
    for label, fields in (("without csrf", event), ("with a wrong csrf", dict(event, csrf=token[::-1]))):
        r = h.request("POST", d.url("/events"), headers=session, body=fields)
        j.check(r.status == 403 and h.has_id(r.body, "refused"), f"POST /events {label}: 403 page with #refused",
                r.status, r)
    j.check(len(d.tasks(api, workflow="NIS2-EW")) == before, "no incident tasks created by the refused posts",
            len(d.tasks(api, workflow="NIS2-EW")))
    for label, fields in (("without csrf", {}), ("with a wrong csrf", {"csrf": token[::-1]})):
        r = h.request("POST", d.url("/signout"), headers=session, body=fields)
        j.check(r.status == 403 and h.has_id(r.body, "refused"), f"POST /signout {label}: 403 page #refused", r.status, r)
    r = h.request("GET", d.url("/"), headers=session)
    j.check(r.status == 200, "the session still works after the refused sign-outs", r.status, r)
    # The same in the browser: the sign-out form with its hidden csrf removed.
    b.open(d.url("/"))
    form = b.find("form#signout")
    j.check(form is not None and b.find("input[name=csrf]", form) is not None, "form#signout with a hidden csrf",
            "missing", b)
    b.js("arguments[0].querySelector('input[name=csrf]').remove()", form)
    b.submit("button, input[type=submit]", form)
    j.check(b.status() == 403 and b.find("#refused") is not None, "403 page with #refused in the browser",
            f"status {b.status()}", b)
    b.screenshot("csrf-refused-da")
    r = h.request("GET", d.url("/"), headers=session)
    j.check(r.status == 200, "the session still works after the refused sign-out in the browser", r.status, r)

    # ---------------------------------------------------------- sign-out ---
    j.step("sign out; the old session cookie no longer signs in")
    b.open(d.url("/"))
    b.submit("form#signout button, form#signout input[type=submit]")
    j.check(b.path == "/signin", "sign-out answers 303 to /signin", b.url, b)
    j.check(b.cookie("aarshjul_session") is None, "the cookie is cleared", b.cookie("aarshjul_session"), b)
    for path in ("/", "/me", "/tasks", "/reload"):
        r = h.request("GET", d.url(path), headers=session)
        j.check(not_signed_in(r), f"GET {path} with the signed-out session: 303 to /signin (or 401/403)",
                f"{r.status} {r.header('location')}", r)
    r = h.request("POST", d.url("/events"), headers=session, body=dict(event, csrf=token))
    j.check(r.status in (303, 401, 403) and len(d.tasks(api, workflow="NIS2-EW")) == before,
            "POST /events with the signed-out session and its old csrf does nothing", r.status, r)

    # ------------------------------------------------------- user header ---
    j.step(f"X-Remote-User from {UNTRUSTED} (not a trusted proxy) is ignored")
    trusted = h.request("GET", d.url("/"), headers={"X-Remote-User": "anna.jensen"})
    j.check(trusted.status == 200, "control: from 127.0.0.1 (trusted) X-Remote-User: anna.jensen gets 200",
            trusted.status, trusted)
    for value in ("anna.jensen", KNOWN):
        for path in ("/", "/tasks", "/events/new"):
            r = h.request("GET", d.url(path), headers={"X-Remote-User": value}, source=UNTRUSTED)
            j.check(not_signed_in(r), f"GET {path} from {UNTRUSTED} with X-Remote-User: {value}: not signed in",
                    f"{r.status} {r.header('location')}", r)
    r = h.request("GET", d.url("/"), headers={"X-Remote-User": "anna.jensen"}, source=UNTRUSTED)
    j.check(r.status == 303 and r.header("location").endswith("/signin?next=%2F"), "303 to /signin?next=%2F",
            f"{r.status} {r.header('location')}", r)

    # ----------------------------------------------------- personal link ---
    j.step("an altered or expired personal link: 403 page #refused")
    person = "anna.jensen"
    links = [u for m in smtp.snapshot() if m.to_address(KNOWN)
             for u in re.findall(r"https?://[^\s\"'<>]+/me\?[^\s\"'<>]+", m.text)]
    good = links[0] if links else d.personal_link(person, int(time.time()) + 3600)
    print(f"[{j.name}] personal link {'from a notice' if links else 'signed here with the database key'}: {good}")
    b.driver.delete_all_cookies()
    b.open(good)
    j.check(b.status() == 200 and b.find("section#open-tasks") is not None,
            "control: the valid personal link opens 'Mine opgaver' (200, section#open-tasks)", f"status {b.status()}", b)
    q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(good).query))
    flipped = q["s"][:-2] + ("A" if q["s"][-2] != "A" else "B") + q["s"][-1]
    expired = d.personal_link(person, int(time.time()) - 60)
    bad = {
        "altered signature": h.with_query(good, s=flipped),
        "another person": h.with_query(good, p="carla.holm"),
        "later expiry": h.with_query(good, e=str(int(q["e"]) + 86400)),
        "expired": expired,
    }
    for label, link in bad.items():
        r = h.request("GET", link)
        j.check(r.status == 403 and h.has_id(r.body, "refused"), f"{label}: 403 page with #refused", r.status, r)
        j.check("task-" not in r.body, f"{label}: no tasks shown", "an article.task", r)
    b.screenshot_both(bad["altered signature"], "me-link-altered")
    b.screenshot_both(bad["expired"], "me-link-expired")

    # --------------------------------------------------- unknown address ---
    j.step("an unknown address at /signin: the same page as a known one, no mail")
    pages = {}
    for address in (KNOWN, UNKNOWN):
        b.driver.delete_all_cookies()
        b.open(d.url("/signin?lang=da"))
        b.find("input#email").send_keys(address)
        b.submit("#signin-submit")
        sent = b.find("p#signin-sent")
        j.check(b.status() == 200 and sent is not None, f"{address}: 200 page with p#signin-sent", f"status {b.status()}", b)
        pages[address] = (sent.text, b.find("main").text if b.find("main") else b.text())
        b.screenshot(f"signin-sent-{'known' if address == KNOWN else 'unknown'}-da")
    j.check(pages[KNOWN][0] == pages[UNKNOWN][0], "the same p#signin-sent text for a known and an unknown address",
            f"known {pages[KNOWN][0]!r} / unknown {pages[UNKNOWN][0]!r}")
    j.check(pages[KNOWN][1] == pages[UNKNOWN][1], "the same page text for a known and an unknown address",
            f"known {h.excerpt(pages[KNOWN][1], 300)!r} / unknown {h.excerpt(pages[UNKNOWN][1], 300)!r}")
    mails = smtp.wait_for(lambda m: m.to_address(KNOWN) and "Log ind" in m.subject, 20)
    j.check(mails, f"control: the sign-in mail to {KNOWN} arrives", smtp.summary())
    time.sleep(2)  # the unknown address's mail, if one were queued, would be out by now
    stray = [m for m in smtp.snapshot() if m.to_address(UNKNOWN) or UNKNOWN in m.to.lower()]
    j.check(not stray, f"no mail to {UNKNOWN}", [m.describe() for m in stray])
    outbox = d.api_ok(api, "/api/v1/status")["outbox"]
    j.check(all(c["failed"] == 0 for c in outbox), "no failed deliveries (nothing was tried for the unknown address)",
            outbox)


if __name__ == "__main__":
    h.Journey("refused", __doc__).run(journey)

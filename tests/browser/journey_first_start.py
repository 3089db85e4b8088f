#!/usr/bin/env python3
# SPDX-License-Identifier: MPL-2.0
"""First start (issue 13): with no admin who can sign in, the daemon logs
`first sign-in (admin, once): http://127.0.0.1:PORT/first-start?t=TOKEN`;
that URL opens the status page as admin (session cookie aarshjul_session);
the same URL a second time is refused (403).

Fixture: the shipped municipal cycle and directory, no [http] admins, no mail.
"""

import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402


def journey(j: h.Journey):

    j.step("start the daemon without admins")
    d = j.daemon(None).start()

    j.step("the status page without credentials sends the browser to sign in")
    r = h.request("GET", d.url("/"))
    j.check(r.status == 303 and r.header("location") in ("/signin?next=%2F", d.url("/signin?next=%2F")),
            "303 to /signin?next=%2F", f"{r.status}, Location {r.header('location')!r}", r)

    j.step("the first-start line in the log")
    url = d.wait_first_start_url(5)
    j.check(url, "a log line 'first sign-in (admin, once): http://127.0.0.1:PORT/first-start?t=TOKEN'",
            "none in:\n" + d.log_tail(15))
    parts = urllib.parse.urlsplit(url)
    j.check(parts.scheme == "http" and parts.hostname == "127.0.0.1" and parts.port == d.port
            and parts.path == "/first-start" and urllib.parse.parse_qs(parts.query).get("t"),
            f"http://127.0.0.1:{d.port}/first-start?t=TOKEN", url)

    j.step("the URL opens the status page as admin")
    b = j.browser()
    b.open(url)
    chain = b.chain()
    j.check(chain and chain[0][1] == 303, "GET /first-start answers 303", chain, b)
    j.check(b.path == "/" and b.status() == 200, "303 to the status page /, 200", b.url, b)
    cookie = b.cookie("aarshjul_session")
    j.check(cookie is not None and cookie.get("httpOnly") and cookie.get("sameSite") == "Lax",
            "cookie aarshjul_session (HttpOnly; SameSite=Lax)", b.driver.get_cookies(), b)
    j.check("Årshjulet" in b.text() and "Eksempel Kommune" in b.text(), "the status page (Årshjulet – Eksempel Kommune)",
            h.excerpt(b.text()), b)
    j.check(b.find("form#signout") is not None, "form#signout in the nav", "none", b)
    b.screenshot_both(d.url("/"), "status-page")

    j.step("the session is an admin's: the admin page /reload opens")
    b.open(d.url("/reload"))
    j.check(b.status() == 200 and b.find("form#reload") is not None, "200 with form#reload (admin only)",
            f"status {b.status()}", b)
    b.screenshot_both(d.url("/reload"), "reload")

    j.step("the first-start URL a second time is refused")
    r = h.request("GET", url)
    j.check(r.status == 403, "403 for a used first-start link", r.status, r)
    j.check(not any(c.startswith("aarshjul_session=") and "aarshjul_session=;" not in c for c in r.set_cookies()),
            "no new session cookie", r.set_cookies(), r)
    b2 = j.browser()
    b2.open(url)
    j.check(b2.status() == 403 and b2.cookie("aarshjul_session") is None, "403 page and no session in a new browser",
            f"status {b2.status()}, cookie {b2.cookie('aarshjul_session')}", b2)
    b2.screenshot_both(url, "first-start-used")


if __name__ == "__main__":
    h.Journey("first-start", __doc__).run(journey)

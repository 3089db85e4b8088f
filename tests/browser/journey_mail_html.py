#!/usr/bin/env python3
# SPDX-License-Identifier: MPL-2.0
"""Reminder mail in a browser (issue 13): the HTML part of the reminder mails,
written to a file and opened as file:// in Chromium, is not blank, and each of
its buttons opens the completion page of its own task (/act/<id>?p=&e=&s=).

Fixture: only the RISK-SYS copy due today, the shipped directory, reminder
hour 0. Three mails are looked at: carla.holm's single reminder (Danish),
soeren.oestergaard's digest of three tasks (Danish) and niels.poulsen's digest
of three tasks (English: his directory language).
"""

import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

RECIPIENTS = [("carla.holm", "da"), ("soeren.oestergaard", "da"), ("niels.poulsen", "en")]


def journey(j: h.Journey):
    j.step("start aiosmtpd and the daemon with RISK-SYS due today")
    smtp = j.smtp()
    admin, admin_entry = h.Daemon.make_token("anna", "admin", "anna.jensen")
    d = j.daemon(smtp, workflows=[h.risk_sys_due_today(j)], tokens=[admin_entry]).start()
    b = j.browser()

    for person, lang in RECIPIENTS:
        address = f"{person}@eksempel.dk"
        j.step(f"the reminder mail to {address} has an HTML part")
        tasks = {t["id"]: t for t in d.tasks(admin, assignee=person, workflow="RISK-SYS")}
        j.check(tasks, f"RISK-SYS tasks for {person} (API)", "none")
        mails = smtp.wait_for(lambda m: m.to_address(address), 20)
        j.check(len(mails) == 1, f"one mail to {address} ({len(tasks)} task(s): "
                f"{'a digest' if len(tasks) > 1 else 'a reminder'})", smtp.summary())
        mail = mails[0]
        j.check(mail.html.strip(), "a text/html part", f"parts: {[p.get_content_type() for p in mail.message.walk()]}")
        path = os.path.join(j.out, f"mail-{person}.html")
        with open(path, "w", encoding="utf-8") as f:
            f.write(mail.html)
        text_links = {int(i): url for url, i in h.LINK_ACT.findall(mail.text)}
        j.check(set(text_links) == set(tasks), f"the text part links each task once: {sorted(tasks)}",
                sorted(text_links), h.excerpt(mail.text))

        j.step(f"the HTML mail to {person} renders in Chromium ({lang})")
        b.open("file://" + path)
        b.screenshot(f"mail-{person}-{lang}")
        got_lang = b.js("return document.documentElement.lang") or ""
        j.check_later(got_lang in ("", lang), f"<html lang> of the mail is {lang!r} or absent", repr(got_lang), b)

        j.step(f"each button of {person}'s mail opens its own task's completion page")
        buttons = b.js("""return Array.from(document.querySelectorAll('a[href]'))
                            .filter(a => a.href.includes('/act/'))
                            .map(a => ({href: a.href, text: a.textContent.trim()}));""")
        j.check(buttons, f"{len(tasks)} button(s): <a href=\".../act/<id>?p=&e=&s=\"> in the HTML part",
                "no <a href> to /act/ at all (is the HTML part only the text in <pre>?)", b)
        ids = []
        for button in buttons:
            parts = urllib.parse.urlsplit(button["href"])
            ids.append(int(parts.path.rsplit("/", 1)[-1]) if parts.path.startswith("/act/") else None)
        j.check(sorted(ids) == sorted(tasks), f"one button per task of the mail, task ids {sorted(tasks)}",
                f"buttons {[(b_['text'], b_['href']) for b_ in buttons]}", b)
        j.check(all(btn["text"] for btn in buttons), "every button has a label", buttons, b)
        for index, task_id in enumerate(ids):
            task = tasks[task_id]
            b.open("file://" + path)
            anchor = b.find_all("a[href*='/act/']")[index]
            j.check(anchor.get_attribute("href") == text_links[task_id],
                    f"button {index + 1} links exactly the text part's link of task #{task_id}",
                    anchor.get_attribute("href"), b)
            b.mark()
            anchor.click()
            h.wait_until(lambda: b.url.startswith("http"), 10)
            h.wait_until(lambda: b.js("return document.readyState") == "complete", 10)
            j.check(b.path == f"/act/{task_id}", f"button {index + 1} opens /act/{task_id}", b.url, b)
            j.check(b.status() == 200, "status 200", b.status(), b)
            form = b.find("form#complete")
            j.check(form is not None, f"the completion page of task #{task_id} (form#complete)", "no form#complete", b)
            action = urllib.parse.urlsplit(form.get_attribute("action") or "").path
            j.check(action == f"/act/{task_id}", f"form#complete posts to /act/{task_id}", repr(action), b)
            title = task["title_en"] if lang == "en" else task["title"]
            j.check(title in b.text() or task["title"] in b.text(), f"the page names the task: {title!r}",
                    h.excerpt(b.text()), b)
            b.screenshot(f"mail-{person}-button{index + 1}-{lang}")
        state = {t["id"]: d.task(admin, t["id"])["state"] for t in tasks.values()}
        j.check(all(s not in ("done", "waived") for s in state.values()),
                "opening the buttons completes nothing (only the page's POST does)", state)


if __name__ == "__main__":
    h.Journey("mail-html", __doc__).run(journey)

#!/usr/bin/env python3
# SPDX-License-Identifier: MPL-2.0
"""The wheel (issue 16): this year's tasks drawn as an årshjul.

GET /api/v1/wheel.svg is parsed as XML (xml.etree.ElementTree): exactly one
mark per task of the year that /api/v1/tasks lists, in the ring of its
workflow's group, at the angle of its due date (±0.5°), coloured by its
standing (the status page's rule: due within 14 days is due soon); the
today line at today's angle; bad parameters are a JSON 400. Then the status
page in headless Chromium, Danish and English: the wheel is there, and a
screenshot of its box is far from blank.

Fixture: the shipped municipal cycle with RISK-SYS due today; one task done
and one waived through the API, so every colour but overdue is likely to be
on the wheel.
"""

import datetime as dt
import math
import os
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"
FILL = {"done": "#7fbf8e", "on_track": "#8a8a8a", "due_soon": "#f0a000", "overdue": "#c00000",
        "waived": "url(#wheel-waived)"}
NOT_CANCELLED = "scheduled,open,due,overdue,escalated,done,waived"
DUE_SOON_DAYS = 14


def angle_of(x: float, y: float) -> float:
    """Clockwise from 12 o'clock, in [0, 360)."""
    return math.degrees(math.atan2(x, -y)) % 360.0


def distance(a: float, b: float) -> float:
    d = abs(a - b) % 360.0
    return min(d, 360.0 - d)


def day_angle(day: dt.date, year: int) -> float:
    first, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
    return 360.0 * (day - first).days / (end - first).days


def standing(task: dict, today: dt.date) -> str:
    state = task["state"]
    if state in ("overdue", "escalated"):
        return "overdue"
    if state in ("done", "waived"):
        return state
    soon = (today + dt.timedelta(days=DUE_SOON_DAYS)).isoformat()
    return "due_soon" if task["due"] <= soon else "on_track"


def non_white_share(path: str) -> float:
    """The share of pixels (every 2nd row and column) that are not near white."""
    rows = h.png_rows(path)
    width, height, channels = next(rows)
    counted = inked = 0
    for y, row in enumerate(rows):
        if y % 2:
            continue
        for x in range(0, width, 2):
            px = row[x * channels: x * channels + min(channels, 3)]
            counted += 1
            if min(px) < 235:
                inked += 1
    return inked / max(counted, 1)


def journey(j: h.Journey):
    j.step("start the daemon with the shipped cycle, RISK-SYS due today")
    admin, admin_entry = h.Daemon.make_token("anna", "admin", "anna.jensen")
    d = j.daemon(None, workflows=h.shipped_cycle_with_risk_today(j), tokens=[admin_entry]).start()
    today = h.today_local()
    year = today.year
    first, last = dt.date(year, 1, 1).isoformat(), dt.date(year, 12, 31).isoformat()

    j.step("finish two tasks of the year: one done, one waived")
    open_tasks = d.tasks(admin, state="open,due,scheduled", due_from=first, due_to=last)
    j.check(len(open_tasks) >= 2, "at least two unfinished tasks this year", len(open_tasks))
    done_id, waived_id = open_tasks[0]["id"], open_tasks[-1]["id"]
    status, body = d.api(admin, "POST", f"/api/v1/tasks/{done_id}/complete",
                         {"note": "wheel journey", "evidence": "https://esdh.example/1"})
    j.check(status == 200, f"POST /api/v1/tasks/{done_id}/complete: 200", f"{status} {body}")
    status, body = d.api(admin, "POST", f"/api/v1/tasks/{waived_id}/waive", {"reason": "wheel journey"})
    j.check(status == 200, f"POST /api/v1/tasks/{waived_id}/waive: 200", f"{status} {body}")

    j.step(f"GET /api/v1/wheel.svg?year={year} parses as SVG")
    r = h.request("GET", d.url(f"/api/v1/wheel.svg?year={year}"), headers={"Authorization": f"Bearer {admin}"})
    j.check(r.status == 200, "200", r.status, r)
    j.check(r.header("content-type") == "image/svg+xml", "Content-Type image/svg+xml", r.header("content-type"), r)
    root = ET.fromstring(r.body.encode("utf-8"))
    j.check(root.tag == SVG + "svg" and root.get("role") == "img" and root.get("viewBox"),
            "<svg role=img viewBox=...>", f"{root.tag} {root.attrib}")
    with open(os.path.join(j.out, f"wheel-{year}.svg"), "w", encoding="utf-8") as f:
        f.write(r.body)

    j.step("one mark per task of the year, in its ring, at its date, in its colour")
    groups = {}
    for w in d.api_ok(admin, "/api/v1/workflows")["workflows"]:
        groups[w["id"]] = w.get("group")
    bands = {ring.get("data-group"): (float(ring.get("data-inner")), float(ring.get("data-outer")))
             for ring in root.iter(SVG + "circle") if ring.get("class") == "ring"}
    marks = {}
    for element in root.iter():
        if element.get("class") == "mark":
            j.check(element.get("data-task") not in marks, "one mark per task",
                    f"task {element.get('data-task')} twice")
            marks[element.get("data-task")] = element
    tasks = d.tasks(admin, state=NOT_CANCELLED, due_from=first, due_to=last)
    j.check(len(marks) == len(tasks), f"{len(tasks)} marks, one per task of {year} (/api/v1/tasks)", len(marks))
    seen_states = set()
    for t in tasks:
        mark = marks.get(str(t["id"]))
        j.check(mark is not None, f"a mark for task {t['id']} ({t['key']})", "none")
        group = groups.get(t["workflow"]) or "other"
        j.check(mark.get("data-group") == group, f"task {t['id']} in ring {group}", mark.get("data-group"))
        circle = mark.find(SVG + "circle")
        x, y = float(circle.get("cx")), float(circle.get("cy"))
        inner, outer = bands[group]
        j.check(inner < math.hypot(x, y) < outer, f"task {t['id']} within its ring's radii {inner}-{outer}",
                math.hypot(x, y))
        want = day_angle(dt.date.fromisoformat(t["due"]), year)
        j.check(distance(angle_of(x, y), want) <= 0.5, f"task {t['id']} at {want:.2f}° (due {t['due']})",
                f"{angle_of(x, y):.2f}°")
        expected = standing(t, today)
        j.check(mark.get("data-state") == expected and circle.get("fill") == FILL[expected],
                f"task {t['id']} ({t['state']}, due {t['due']}) coloured {expected} {FILL[expected]}",
                f"{mark.get('data-state')} {circle.get('fill')}")
        j.check(mark.get("href") == f"/tasks/{t['id']}", f"a link to /tasks/{t['id']}", mark.get("href"))
        title = mark.find(SVG + "title")
        j.check(title is not None and t["workflow"] in title.text, "a tooltip naming the workflow",
                None if title is None else title.text)
        seen_states.add(expected)
    j.check({"done", "waived"} <= seen_states, "done and waived marks", seen_states)
    j.notes.append(f"{len(tasks)} marks, standings {sorted(seen_states)}")

    j.step("the today line at today's angle")
    lines = [g for g in root.iter(SVG + "g") if g.get("id") == "wheel-today"]
    j.check(len(lines) == 1 and lines[0].get("data-date") == today.isoformat(), f"one today line, {today}",
            [g.attrib for g in lines])
    line = lines[0].find(SVG + "line")
    got = angle_of(float(line.get("x2")), float(line.get("y2")))
    j.check(distance(got, day_angle(today, year)) <= 0.5, f"at {day_angle(today, year):.2f}°", f"{got:.2f}°")

    j.step("bad parameters are a JSON 400")
    for query in ("year=20x7", "group=finance", "first_month=0"):
        r = h.request("GET", d.url(f"/api/v1/wheel.svg?{query}"), headers={"Authorization": f"Bearer {admin}"})
        j.check(r.status == 400 and "application/json" in r.header("content-type"), f"{query}: JSON 400",
                f"{r.status} {r.header('content-type')}", r)

    j.step("the status page shows the wheel, Danish and English, not blank")
    b = j.browser()
    b.driver.set_window_size(1280, 2400)

    def wheel_drawn(browser, lang):
        figure = browser.find("figure#wheel svg")
        j.check(figure is not None, "figure#wheel with an inline <svg>", "none", browser)
        drawn = browser.find_all("figure#wheel svg [class=mark]")
        j.check(len(drawn) == len(tasks), f"{len(tasks)} marks on the page", len(drawn), browser)
        box = os.path.join(j.out, f"wheel-box-{lang}.png")
        figure.screenshot(box)
        share = non_white_share(box)
        j.check(share > 0.10, "the wheel's box drawn (over 10 % of its pixels not near white; 18 % measured)",
                f"{share:.1%} in {box}", browser)
        j.notes.append(f"{lang}: {share:.0%} of the wheel's box drawn")

    b.screenshot_both(h.with_query(d.url("/"), token=admin), "status-wheel", wheel_drawn)


if __name__ == "__main__":
    h.Journey("wheel", __doc__).run(journey)

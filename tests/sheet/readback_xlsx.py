#!/usr/bin/env python3
# SPDX-License-Identifier: MPL-2.0
"""The year as a spreadsheet, read back (issue 16, item 7).

Starts the real daemon (`aarshjul serve`, the shipped municipal cycle, port 0,
a temporary folder), completes one task of next year with an outcome and
evidence and waives another, then:

- fetches GET /api/v1/export?format=json, ?format=xlsx and ?format=csv;
- reads the workbook with openpyxl (python3-openpyxl), as a spreadsheet
  program would, and compares it row for row and cell for cell with the JSON:
  the header row bold and frozen, the autofilter over the table, dates and
  moments as real dates, evidence and task links as hyperlinks, the about
  sheet and the document properties;
- compares the JSON row for row with /api/v1/tasks, the API the export reads
  the same store through;
- reads the CSV with Python's csv module against the JSON;
- runs `aarshjul export --output FILE` beside the daemon and compares its
  workbook with the API's, cell for cell; and checks that the command refuses
  to write a workbook to a terminal (a pty).

Usage: readback_xlsx.py --binary build/aarshjul --source . [--keep DIR]
Exit 0 passed, 1 failed (the message names the row, column and both values).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import http.client
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from zoneinfo import ZoneInfo

# Debian's interpreter has python3-openpyxl; a pyenv shim earlier in PATH may not.
try:
    import openpyxl
except ImportError:  # pragma: no cover - depends on the machine
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath(
        "/usr/bin/python3"
    ):
        os.execv("/usr/bin/python3", ["/usr/bin/python3", *sys.argv])
    raise

ZONE = ZoneInfo("Europe/Copenhagen")
TOKEN = "readback-admin-token-0123456789"
PUBLIC_URL = "https://aarshjul.eksempel.dk"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The state labels of the Danish sheet, by the API's state names.
STATE_DA = {
    "scheduled": "planlagt",
    "open": "åben",
    "due": "frist i dag",
    "overdue": "overskredet",
    "escalated": "eskaleret",
    "done": "udført",
    "waived": "fritaget",
}


class Failed(Exception):
    """The export did not say what the API says."""


def check(condition, message):
    if not condition:
        raise Failed(message)


# ---------------------------------------------------------------- daemon ---


class Daemon:
    """`aarshjul serve` with a generated configuration in `folder`."""

    LISTENING = re.compile(r"http: listening on 127\.0\.0\.1:\d+ \(port (\d+)\)")

    def __init__(self, binary, source, folder):
        self.binary = os.path.abspath(binary)
        self.folder = folder
        self.config = os.path.join(folder, "aarshjul.toml")
        src = os.path.abspath(source)
        with open(self.config, "w", encoding="utf-8") as f:
            f.write(
                "[organisation]\n"
                'name = "Eksempel Kommune"\n'
                'time_zone = "Europe/Copenhagen"\n'
                "[paths]\n"
                'database = "state/aarshjul.db"\n'
                f"workflows = [{json.dumps(src + '/workflows/common')}, "
                f"{json.dumps(src + '/workflows/municipality')}]\n"
                f"lua = {json.dumps(src + '/lua')}\n"
                f"directory = {json.dumps(src + '/config/directory.toml')}\n"
                "[http]\n"
                'listen = "127.0.0.1:0"\n'
                f'public_url = "{PUBLIC_URL}"\n'
                "[[http.tokens]]\n"
                'name = "readback"\n'
                'role = "admin"\n'
                'person = "anna.jensen"\n'
                f'sha256 = "{hashlib.sha256(TOKEN.encode()).hexdigest()}"\n'
                "[notify]\n"
                'channels = ["log"]\n'
            )
        self.log_path = os.path.join(folder, "serve.log")
        self.process = None
        self.port = 0

    def start(self):
        log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [self.binary, "--config", self.config, "serve"], stdout=log, stderr=log, cwd=self.folder
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            match = self.LISTENING.search(self.log())
            if match:
                self.port = int(match.group(1))
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise Failed("the daemon did not start listening:\n" + self.log()[-3000:])

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def stop(self):
        """Stops the daemon with SIGTERM (SIGKILL after 20 s); its exit status."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode if self.process else None

    def request(self, method, path, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Authorization": "Bearer " + TOKEN}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        payload = response.read()
        result = response.status, {k.lower(): v for k, v in response.getheaders()}, payload
        connection.close()
        return result

    def json(self, method, path, body=None, expect=200):
        status, _, payload = self.request(method, path, body)
        check(status == expect, f"{method} {path}: status {status}, expected {expect}: {payload[:500]!r}")
        return json.loads(payload)


# ----------------------------------------------------------------- cells ---


def expected_cell(column_id, value):
    """The JSON value as openpyxl gives the cell back."""
    if value is None:
        return None
    if column_id == "due":
        return dt.datetime.combine(dt.date.fromisoformat(value), dt.time())
    if column_id == "completed_at":
        return dt.datetime.fromisoformat(value).replace(tzinfo=None)
    return value


def sheet_rows(worksheet):
    return [list(row) for row in worksheet.iter_rows()]


def compare_workbook_with_json(book, export, what):
    check(book.sheetnames == [f"Opgaver {export['year']}", "Om"], f"{what}: sheets {book.sheetnames}")
    tasks = book[book.sheetnames[0]]
    rows = sheet_rows(tasks)
    columns = export["columns"]
    header = rows[0]
    check(
        [c.value for c in header] == [c["header"] for c in columns],
        f"{what}: header {[c.value for c in header]} is not {[c['header'] for c in columns]}",
    )
    check(all(c.font.b for c in header), f"{what}: the header row is not bold")
    check(tasks.freeze_panes == "A2", f"{what}: frozen at {tasks.freeze_panes}, not below the header")
    last = openpyxl.utils.get_column_letter(len(columns))
    check(
        tasks.auto_filter.ref == f"A1:{last}{len(export['rows']) + 1}",
        f"{what}: autofilter {tasks.auto_filter.ref}",
    )
    for number, c in enumerate(columns, start=1):
        letter = openpyxl.utils.get_column_letter(number)
        check(tasks.column_dimensions[letter].width > 8, f"{what}: column {c['id']} has no width")
    check(len(rows) - 1 == len(export["rows"]), f"{what}: {len(rows) - 1} rows, the JSON has {len(export['rows'])}")
    for number, (cells, item) in enumerate(zip(rows[1:], export["rows"]), start=2):
        for cell, column in zip(cells, columns):
            want = expected_cell(column["id"], item[column["id"]])
            check(
                cell.value == want,
                f"{what}: row {number} ({item['task']}), column {column['id']}: {cell.value!r}, the JSON says {want!r}",
            )
            if column["id"] in ("due", "completed_at") and want is not None:
                check(cell.is_date, f"{what}: row {number}, {column['id']} is not an Excel date")
            if column["id"] in ("link", "evidence") and isinstance(want, str) and want.startswith("http"):
                check(
                    cell.hyperlink is not None and cell.hyperlink.target == want,
                    f"{what}: row {number}, {column['id']} is no hyperlink to {want}",
                )
            if column["id"] == "task":
                check(isinstance(cell.value, int), f"{what}: row {number}: the task id is not a number")
    about = {row[0].value: row[1].value for row in sheet_rows(book["Om"])[1:]}
    check(about.get("Organisation") == export["organisation"], f"{what}: about sheet {about}")
    check(about.get("År") == export["year"], f"{what}: about sheet {about}")
    check(about.get("Opgaver") == len(export["rows"]), f"{what}: about sheet {about}")
    check(isinstance(about.get("Dannet"), dt.datetime), f"{what}: 'Dannet' is not a date: {about}")
    check(
        book.properties.title == f"Årshjul {export['year']} – {export['organisation']}",
        f"{what}: document title {book.properties.title!r}",
    )
    check(book.properties.creator == "aarshjul", f"{what}: document author {book.properties.creator!r}")


def compare_json_with_tasks(export, tasks, what):
    """The export's rows are /api/v1/tasks' tasks of the year, in the same order."""
    check(
        [r["task"] for r in export["rows"]] == [t["id"] for t in tasks],
        f"{what}: the rows are not the API's tasks of the year, in order",
    )
    for row, task in zip(export["rows"], tasks):
        waived = task["state"] == "waived"
        pairs = {
            "control": task["workflow"],
            "title": task["title"],
            "system": task["system"],
            "responsible_id": task["assignee"],
            "responsible": task["assignee_name"],
            "due": task["due"],
            "state": STATE_DA[task["state"]],
            "completed_at": task["completed_at"],
            "completed_by_id": task["completed_by"],
            "evidence": task["evidence"],
            "note": None if waived else task["note"],
            "waived_reason": task["note"] if waived else None,
            "link": f"{PUBLIC_URL}/tasks/{task['id']}",
        }
        for column, want in pairs.items():
            check(
                row[column] == want,
                f"{what}: task {task['id']}, {column}: the export says {row[column]!r}, the API {want!r}",
            )
        check((row["outcome"] is None) == (task["outcome"] is None), f"{what}: task {task['id']}: outcome")


def compare_csv_with_json(text, export, what):
    lines = list(csv.reader(io.StringIO(text, newline="")))
    check(lines[0] == [c["header"] for c in export["columns"]], f"{what}: header {lines[0]}")
    check(len(lines) - 1 == len(export["rows"]), f"{what}: {len(lines) - 1} rows")
    for number, (fields, item) in enumerate(zip(lines[1:], export["rows"]), start=2):
        want = ["" if item[c["id"]] is None else str(item[c["id"]]) for c in export["columns"]]
        check(fields == want, f"{what}: line {number}: {fields} is not {want}")


def compare_workbooks(a, b, what):
    for name in a.sheetnames:
        rows_a = [[c.value for c in row] for row in a[name].iter_rows()]
        rows_b = [[c.value for c in row] for row in b[name].iter_rows()]
        if name == "Om":  # generated a moment apart
            rows_a = [r for r in rows_a if r[0] != "Dannet"]
            rows_b = [r for r in rows_b if r[0] != "Dannet"]
        check(len(rows_a) == len(rows_b), f"{what}: sheet {name}: {len(rows_a)} rows and {len(rows_b)}")
        for number, (x, y) in enumerate(zip(rows_a, rows_b), start=1):
            check(x == y, f"{what}: sheet {name}, row {number}: {x} and {y}")


# ------------------------------------------------------------------ main ---


def tasks_of_year(daemon, year):
    states = ",".join(STATE_DA)
    out, offset = [], 0
    while True:
        page = daemon.json(
            "GET",
            f"/api/v1/tasks?due_from={year}-01-01&due_to={year}-12-31&state={states}"
            f"&limit=500&offset={offset}",
        )
        out += page["tasks"]
        offset += len(page["tasks"])
        if not page["tasks"] or offset >= page["total"]:
            return out


def run(args, folder):
    daemon = Daemon(args.binary, args.source, folder)
    daemon.start()
    try:
        year = dt.datetime.now(ZONE).year + 1
        risk = daemon.json(
            "GET", f"/api/v1/tasks?workflow=RISK-SYS&due_from={year}-01-01&due_to={year}-12-31&limit=2"
        )["tasks"]
        check(len(risk) == 2, f"no two RISK-SYS tasks in {year}: {risk}")
        daemon.json(
            "POST",
            f"/api/v1/tasks/{risk[0]['id']}/complete",
            {
                "outcome": "remarks",
                "evidence": "https://sharepoint.eksempel.dk/risiko/rapport.pdf",
                "note": 'Gennemgået, to bemærkninger: "se bilag"',
            },
        )
        daemon.json("POST", f"/api/v1/tasks/{risk[1]['id']}/waive", {"reason": "Systemet udfases i år"})

        export = daemon.json("GET", f"/api/v1/export?year={year}&format=json")
        check(len(export["rows"]) > 50, f"only {len(export['rows'])} rows in {year}")
        check(export["year"] == year and export["organisation"] == "Eksempel Kommune", "the export's header")
        tasks = tasks_of_year(daemon, year)
        compare_json_with_tasks(export, tasks, "JSON against /api/v1/tasks")
        done = next(r for r in export["rows"] if r["task"] == risk[0]["id"])
        check(done["outcome"] == "Ikke-kritiske bemærkninger", f"the outcome's label: {done['outcome']!r}")
        check(done["completed_by_id"] == "anna.jensen", f"completed by: {done['completed_by_id']!r}")
        check(done["completed_by"] not in (None, "anna.jensen"), f"completed by: {done['completed_by']!r}")

        status, headers, body = daemon.request("GET", f"/api/v1/export?year={year}&format=xlsx")
        check(status == 200, f"xlsx: status {status}: {body[:300]!r}")
        check(headers.get("content-type") == XLSX_TYPE, f"xlsx: Content-Type {headers.get('content-type')}")
        check(
            headers.get("content-disposition") == f'attachment; filename="aarshjul-{year}.xlsx"',
            f"xlsx: Content-Disposition {headers.get('content-disposition')}",
        )
        api_file = os.path.join(folder, "api.xlsx")
        with open(api_file, "wb") as f:
            f.write(body)
        api_book = openpyxl.load_workbook(api_file)
        compare_workbook_with_json(api_book, export, "the API's workbook")

        status, headers, body = daemon.request("GET", f"/api/v1/export?year={year}&format=csv")
        check(status == 200 and headers.get("content-type", "").startswith("text/csv"), f"csv: {status} {headers}")
        compare_csv_with_json(body.decode("utf-8"), export, "the API's CSV")

        for query, code in (("year=abc", 400), ("year=1969", 400), ("format=pdf", 400), ("group=x", 400)):
            status, headers, body = daemon.request("GET", f"/api/v1/export?{query}")
            check(status == code, f"export?{query}: status {status}, expected {code}")
            check(json.loads(body)["error"]["code"] == "bad_parameter", f"export?{query}: {body!r}")

        cli_file = os.path.join(folder, "cli.xlsx")
        command = [args.binary, "--config", daemon.config, "export", "--year", str(year), "--output", cli_file]
        result = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=120)
        check(result.returncode == 0, f"{' '.join(command)}: exit {result.returncode}: {result.stderr}")
        check(f"written to {cli_file}" in result.stdout, f"the command says: {result.stdout!r}")
        compare_workbooks(api_book, openpyxl.load_workbook(cli_file), "the CLI's workbook against the API's")
        compare_workbook_with_json(openpyxl.load_workbook(cli_file), export, "the CLI's workbook")

        # A workbook on a terminal is refused; piped, it is written as it is.
        primary, secondary = os.openpty()
        try:
            tty = subprocess.run(
                [args.binary, "--config", daemon.config, "export", "--year", str(year)],
                cwd=folder, stdout=secondary, stderr=subprocess.PIPE, timeout=120,
            )
        finally:
            os.close(secondary)
            os.close(primary)
        check(tty.returncode == 2, f"export to a terminal: exit {tty.returncode}")
        check(b"--output" in tty.stderr, f"export to a terminal says: {tty.stderr!r}")
        piped = subprocess.run(
            [args.binary, "--config", daemon.config, "export", "--year", str(year), "--format", "json"],
            cwd=folder, capture_output=True, timeout=120,
        )
        check(piped.returncode == 0, f"export --format json: {piped.stderr!r}")
        cli_json = json.loads(piped.stdout)
        check(cli_json["rows"] == export["rows"], "the CLI's JSON rows are not the API's")
        code = daemon.stop()
        check(code == 0, f"the daemon exited {code} on SIGTERM:\n" + daemon.log()[-2000:])
    finally:
        daemon.stop()
    print(f"ok: {len(export['rows'])} rows of {year} read back from the API's and the CLI's workbooks")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--keep", help="copy the workbooks here")
    args = parser.parse_args()
    args.binary = os.path.abspath(args.binary)
    folder = tempfile.mkdtemp(prefix="aarshjul-readback-")
    try:
        run(args, folder)
        if args.keep:
            os.makedirs(args.keep, exist_ok=True)
            for name in ("api.xlsx", "cli.xlsx"):
                shutil.copy(os.path.join(folder, name), args.keep)
    except Failed as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        log = os.path.join(folder, "serve.log")
        if os.path.exists(log):
            with open(log, encoding="utf-8", errors="replace") as f:
                print("--- daemon log (end) ---\n" + f.read()[-3000:], file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

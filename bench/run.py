#!/usr/bin/env python3
# SPDX-License-Identifier: MPL-2.0
"""Runs every benchmark of issue 8 and writes bench/RESULTS.md.

    python3 bench/run.py BUILD_DIR [--quick]

Called by `make bench` after it built BUILD_DIR (RelWithDebInfo). Every figure
is measured in this run, on this machine; comparisons (nginx, smtp-source) are
taken side by side in the same run. --quick uses smaller sizes (for trying the
script, never for RESULTS.md). Servers listen on loopback only.
"""
import argparse
import datetime
import hashlib
import json
import os
import pathlib
import platform
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
ROWS = []  # (section, measure, figure, target, verdict, command)


def row(section, measure, figure, command, target="", ok=None):
    verdict = "" if ok is None else ("met" if ok else "**missed**")
    ROWS.append((section, measure, figure, target, verdict, command))
    print(f"[bench] {section} | {measure}: {figure} {target} {verdict}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, **kw):
    print("[bench] $ " + " ".join(map(str, cmd)), flush=True)
    return subprocess.run(list(map(str, cmd)), check=True, text=True, capture_output=True, **kw)


def kv(text):
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


def rss_kib(pid):
    status = pathlib.Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1))


class Daemon:
    """`aarshjul serve` as a child process; start-up is timed to its first
    'next wake-up' log line (the end of its first tick)."""

    def __init__(self, binary, config, log):
        self.log = pathlib.Path(log)
        self.fh = open(self.log, "w")
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen([str(binary), "--config", str(config), "serve"],
                                     stdout=self.fh, stderr=subprocess.STDOUT)
        self.startup = None

    def wait_ready(self, timeout=600):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "next wake-up" in self.log.read_text(errors="replace"):
                self.startup = time.monotonic() - self.t0
                return self.startup
            if self.proc.poll() is not None:
                break
            time.sleep(0.002)
        raise RuntimeError(f"daemon did not start: {self.log.read_text(errors='replace')[-2000:]}")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.fh.close()


def machine():
    cpu = "unknown"
    for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = int(re.search(r"MemTotal:\s+(\d+)", pathlib.Path("/proc/meminfo").read_text()).group(1))
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram": f"{mem / 1024 / 1024:.1f} GiB",
        "kernel": platform.release(),
        "load": " ".join(pathlib.Path("/proc/loadavg").read_text().split()[:3]),
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def wrk(url, headers, seconds, connections, threads=2, script=None):
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for h in headers:
        cmd += ["-H", h]
    if script:
        cmd += ["-s", script]
    cmd.append(url)
    out = run(cmd).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {"rps": rps, "p99_ms": float(p99.group(1)) * scale,
            "non2xx": int(non2xx.group(1)) if non2xx else 0,
            "errors": errors.group(0) if errors else "", "cmd": " ".join(cmd), "raw": out}


class Nginx:
    """nginx as our own child (no system service), serving a folder or
    answering 204 to anything."""

    def __init__(self, work, port, root=None, answer_204=False):
        self.dir = pathlib.Path(work) / f"nginx-{port}"
        self.dir.mkdir(parents=True, exist_ok=True)
        location = ("location / { return 204; }" if answer_204 else
                    f"location / {{ root {root}; default_type application/json; }}")
        conf = self.dir / "nginx.conf"
        conf.write_text(f"""daemon off;
worker_processes 1;
pid {self.dir}/nginx.pid;
error_log {self.dir}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path {self.dir}/body;
  proxy_temp_path {self.dir}/proxy;
  fastcgi_temp_path {self.dir}/fastcgi;
  uwsgi_temp_path {self.dir}/uwsgi;
  scgi_temp_path {self.dir}/scgi;
  keepalive_requests 1000000;
  server {{ listen 127.0.0.1:{port}; {location} }}
}}
""")
        self.conf = conf
        self.proc = subprocess.Popen(["nginx", "-c", str(conf), "-p", str(self.dir)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(port)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(30)


def wait_port(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


def outbox_counts(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return dict(con.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall())
    finally:
        con.close()


def sqlite_alone(src, dst):
    """The storage floor of planning: the rows `bench_engine` created, written
    again by SQLite alone into an empty store with the same schema and pragmas
    (WAL, synchronous=FULL, 32 MiB cache), one transaction per pass as the
    engine did, each task as it was born ('scheduled') with its 'created'
    event. No planning, no hashing, no statement per row: each pass's rows are
    read from the finished store (attached read-only) into memory first, then
    written with one INSERT ... SELECT; only the writing is timed."""
    for suffix in ("", "-wal", "-shm"):
        pathlib.Path(str(dst) + suffix).unlink(missing_ok=True)
    s = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    schema = [r[0] for r in s.execute(
        "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
        "ORDER BY type = 'index', rowid")]
    passes = [r[0] for r in s.execute("SELECT DISTINCT created_at FROM tasks ORDER BY 1")]
    s.close()
    d = sqlite3.connect(dst, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "cache_size=-32768", "foreign_keys=ON"):
        d.execute(f"PRAGMA {pragma}")
    for sql in schema:
        d.execute(sql)
    d.execute("ATTACH ? AS src", (f"file:{src}?mode=ro",))
    cols = ("id, occurrence_key, workflow_id, entity_id, nominal_date, title, assignee, start_date, "
            "due_date, next_action_at, definition_hash, created_at, updated_at, origin, start_at, "
            "due_at, step_index, parent_task_id, note, title_en")
    d.execute("PRAGMA temp_store=MEMORY")
    seconds, rows = 0.0, 0
    for at in passes:
        # Read outside the clock: only the writing is timed.
        d.execute(f"CREATE TEMP TABLE pass_tasks AS SELECT {cols} FROM src.tasks "
                  "WHERE created_at = ? ORDER BY id", (at,))
        d.execute("CREATE TEMP TABLE pass_events AS SELECT * FROM src.task_events "
                  "WHERE kind = 'created' AND at = ? ORDER BY id", (at,))
        t0 = time.monotonic()
        d.execute("BEGIN IMMEDIATE")
        rows += d.execute(f"INSERT INTO main.tasks({cols}, state) SELECT {cols}, 'scheduled' "
                          "FROM temp.pass_tasks").rowcount
        d.execute("INSERT INTO main.task_events SELECT * FROM temp.pass_events")
        d.execute("COMMIT")
        seconds += time.monotonic() - t0
        d.execute("DROP TABLE temp.pass_tasks")
        d.execute("DROP TABLE temp.pass_events")
    d.close()
    for suffix in ("", "-wal", "-shm"):
        pathlib.Path(str(dst) + suffix).unlink(missing_ok=True)
    return rows, seconds


def plan_and_tick(args, work, binary, bench_engine):
    """Planning rate, wake-up cost, start-up and RSS at each size."""
    sizes = [("municipality", 0), ("region", 0), ("national", 4)]
    if args.quick:
        sizes = [("municipality", 0), ("region", 0)]
    dbs = {}
    for size, years_back in sizes:
        d = work / size
        port = free_port()
        token = secrets.token_hex(32)
        run([sys.executable, ROOT / "bench/gen_org.py", size, d, "--port", port,
             "--token-sha256", hashlib.sha256(token.encode()).hexdigest()])
        db = d / "aarshjul.db"
        cmd = [bench_engine, d / "aarshjul.toml", db, "--years-back", years_back]
        r = kv(run(cmd).stdout)
        shown = f"build-bench/bench/bench_engine {size}/aarshjul.toml {size}/aarshjul.db --years-back {years_back}"
        stored = int(r["tasks_stored"])
        rate = float(r["plan_tasks_per_s"])
        row("plan", f"{size}: plan {r['tasks_created']} tasks into SQLite ({years_back + 1} yearly passes)",
            f"{rate:,.0f} tasks/s ({r['plan_seconds']} s); {stored:,} stored", shown,
            "1 M in < 10 s" if size == "national" else "",
            (stored >= 1_000_000 and float(r["plan_seconds"]) < 10) if size == "national" else None)
        floor_rows, floor_s = sqlite_alone(db, d / "sqlite-alone.db")
        row("plan", f"{size}: the same {floor_rows:,} task rows and their 'created' events, "
            "written by SQLite alone (same schema and pragmas, one INSERT … SELECT per pass)",
            f"{floor_rows / floor_s:,.0f} tasks/s ({floor_s:.3f} s)",
            f"bench/run.py sqlite_alone({size}/aarshjul.db)")
        row("plan", f"{size}: ratio aarshjul / SQLite alone", f"{rate / (floor_rows / floor_s):.3f}",
            "(the two rows above)")
        row("tick", f"{size}: one wake-up, nothing due ({stored:,} tasks stored)",
            f"{float(r['tick_idle_us']):.1f} µs (median of 2,000)", shown)
        row("tick", f"{size}: one wake-up with 5 tasks due (their next action moved to now; "
            f"median {r['tick_few_median_actions']} state changes/notices)",
            f"{float(r['tick_few_us']):.1f} µs (median of {r['tick_few_samples']} wake-ups)", shown)
        dbs[size] = (d, port, token, stored)
        # Start-up and RSS of the daemon on that database.
        dmn = Daemon(binary, d / "aarshjul.toml", d / "serve.log")
        try:
            startup = dmn.wait_ready()
            time.sleep(2)
            rss = rss_kib(dmn.proc.pid)
            if size == "national":
                dbs[size] = (d, port, token, stored, dmn)
                dmn = None
        finally:
            if dmn:
                dmn.stop()
        serve_cmd = f"build-bench/aarshjul --config {size}/aarshjul.toml serve"
        if size == "municipality":
            row("start-up", f"{size}: `serve` until the first 'next wake-up' log", f"{startup * 1000:.0f} ms",
                serve_cmd, "≤ 300 ms", startup <= 0.3)
            row("memory", f"{size}: RSS idle (2 s after start-up)", f"{rss / 1024:.1f} MB",
                serve_cmd, "≤ 30 MB", rss / 1024 <= 30)
        else:
            row("start-up", f"{size}: `serve` until the first 'next wake-up' log ({stored:,} tasks)",
                f"{startup * 1000:.0f} ms", serve_cmd)
            row("memory", f"{size}: RSS idle ({stored:,} tasks stored)", f"{rss / 1024:.1f} MB", serve_cmd,
                "≤ 300 MB" if size == "national" else "",
                rss / 1024 <= 300 if size == "national" else None)
    return dbs


def status_vs_nginx(args, work, dbs):
    key = "national" if "national" in dbs else "region"
    entry = dbs[key]
    d, port, token, stored = entry[:4]
    dmn = entry[4] if len(entry) > 4 else None
    if dmn is None:
        dmn = Daemon(args.binary, d / "aarshjul.toml", d / "serve-status.log")
        dmn.wait_ready()
    try:
        url = f"http://127.0.0.1:{port}/api/v1/status"
        req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
        body = urllib.request.urlopen(req, timeout=60).read()
        www = work / "www/api/v1"
        www.mkdir(parents=True, exist_ok=True)
        (www / "status").write_bytes(body)
        secs = 5 if args.quick else 15
        ours = wrk(url, [f"Authorization: Bearer {token}"], secs, 64)
        rss = rss_kib(dmn.proc.pid)
    finally:
        dmn.stop()
    nport = free_port()
    ng = Nginx(work, nport, root=work / "www")
    try:
        theirs = wrk(f"http://127.0.0.1:{nport}/api/v1/status", [f"Authorization: Bearer {token}"], secs, 64)
    finally:
        ng.stop()
    ratio = ours["rps"] / theirs["rps"]
    cmd = ours["cmd"].replace(token, "$TOKEN")
    row("http", f"GET /api/v1/status, {stored:,} tasks, {len(body):,} bytes: aarshjul",
        f"{ours['rps']:,.0f} req/s, p99 {ours['p99_ms']:.2f} ms, non-2xx {ours['non2xx']} {ours['errors']}",
        cmd, "p99 ≤ 5 ms", ours["p99_ms"] <= 5)
    row("http", "the same bytes from a file: nginx 1 worker",
        f"{theirs['rps']:,.0f} req/s, p99 {theirs['p99_ms']:.2f} ms, non-2xx {theirs['non2xx']} "
        f"{theirs['errors']}", theirs["cmd"].replace(token, "$TOKEN"))
    if theirs["non2xx"] or ours["non2xx"]:
        row("http", "WARNING: non-2xx answers in a run above", "the ratio below counts them as requests",
            "(see the non-2xx counts)")
    row("http", "ratio aarshjul / nginx", f"{ratio:.3f}", "(the two rows above)", "≥ 0.5", ratio >= 0.5)
    row("memory", f"{key}: RSS after the wrk run ({stored:,} tasks)", f"{rss / 1024:.1f} MB",
        "read from /proc/PID/status", "≤ 300 MB" if key == "national" else "",
        rss / 1024 <= 300 if key == "national" else None)


def dispatch_run(args, work, name, count, smtp_port=0, webhook_url=""):
    d = work / name
    wf = d / "workflows"
    wf.mkdir(parents=True, exist_ok=True)
    today = datetime.date.today().isoformat()
    (wf / "dispatch.lua").write_text((ROOT / "bench/dispatch.lua").read_text().replace("@TODAY@", today))
    run([sys.executable, ROOT / "bench/gen_org.py", "municipality", d, "--port", free_port(),
         "--systems", count, "--workflows", wf, "--reminder-hour", 0,
         "--smtp-port", smtp_port, "--webhook-url", webhook_url])
    dmn = Daemon(args.binary, d / "aarshjul.toml", d / "serve.log")
    try:
        dmn.wait_ready()
        db = d / "aarshjul.db"
        t0 = time.monotonic()
        first = None
        deadline = t0 + 1800
        while time.monotonic() < deadline:
            c = outbox_counts(db)
            if first is None and c.get("sent", 0) > 0:
                first = (time.monotonic(), c.get("sent", 0))
            if c.get("pending", 0) == 0 and c.get("sent", 0) >= count:
                break
            time.sleep(0.05)
        t1 = time.monotonic()
        c = outbox_counts(db)
    finally:
        dmn.stop()
    return c, t1 - t0


def smtp_dispatch(args, work):
    count = 1000 if args.quick else 10000
    port = free_port()
    sink = subprocess.Popen(["smtp-sink", "-u", "nobody", f"127.0.0.1:{port}", "256"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_port(port)
        counts, secs = dispatch_run(args, work, "dispatch-smtp", count, smtp_port=port)
        ours = counts.get("sent", 0) / secs
        cmd = ["smtp-source", "-s", "1", "-m", str(count), "-l", "1200", "-f", "aarshjul@bench.example",
               "-t", "x@bench.example", f"127.0.0.1:{port}"]
        t0 = time.monotonic()
        run(cmd)
        theirs = count / (time.monotonic() - t0)
    finally:
        sink.terminate()
        sink.wait()
    ratio = ours / theirs
    row("smtp", f"dispatch {count:,} reminders to smtp-sink (1 connection at a time): aarshjul",
        f"{ours:,.0f} msg/s ({counts.get('sent', 0):,} sent in {secs:.2f} s, outbox {counts})",
        "bench/run.py: serve with a once-today workflow per system, smtp-sink -u nobody 127.0.0.1:PORT 256")
    row("smtp", "the same count: smtp-source, same sink, 1 session", f"{theirs:,.0f} msg/s", " ".join(cmd))
    row("smtp", "ratio aarshjul / smtp-source", f"{ratio:.3f}", "(the two rows above)", "≥ 0.5", ratio >= 0.5)


def webhook_dispatch(args, work):
    count = 1000 if args.quick else 10000
    port = free_port()
    ng = Nginx(work, port, answer_204=True)
    try:
        url = f"http://127.0.0.1:{port}/hook"
        counts, secs = dispatch_run(args, work, "dispatch-webhook", count, webhook_url=url)
        ours = counts.get("sent", 0) / secs
        script = work / "post.lua"
        body = json.dumps({"type": "reminder", "body": "x" * 1500})
        script.write_text(f'wrk.method = "POST"\nwrk.body = {json.dumps(body)}\n'
                          'wrk.headers["Content-Type"] = "application/json"\n')
        theirs = wrk(url, [], 5 if args.quick else 10, 1, threads=1, script=str(script))
    finally:
        ng.stop()
    ratio = ours / theirs["rps"]
    row("webhook", f"dispatch {count:,} reminders as signed webhooks to nginx (return 204): aarshjul",
        f"{ours:,.0f} msg/s ({counts.get('sent', 0):,} sent in {secs:.2f} s)",
        "bench/run.py: serve with a once-today workflow per system, channel plugin webhook")
    row("webhook", "wrk POSTing a 1.5 KB JSON body to the same receiver, 1 connection",
        f"{theirs['rps']:,.0f} req/s", theirs["cmd"])
    row("webhook", "ratio aarshjul / wrk", f"{ratio:.3f}", "(the two rows above)")


def write_results(m, path, notes):
    lines = ["# Benchmark results", "",
             "Written by `make bench` (bench/run.py). Every figure below was measured in one run on",
             "this machine; nothing is rounded beyond the digits shown, and a missed target says **missed**.",
             "",
             f"Machine: `nproc` = {m['nproc']}, CPU {m['cpu']}, RAM {m['ram']}, kernel {m['kernel']}; "
             f"run {m['date']}; load average at the start {m['load']} (other builds may share the cores: "
             "compare the side-by-side rows, which ran under the same load).", "",
             "| area | measure | figure | target | verdict | command |",
             "|---|---|---|---|---|---|"]
    for section, measure, figure, target, verdict, command in ROWS:
        cmd = command.replace("|", "\\|")
        lines.append(f"| {section} | {measure} | {figure} | {target} | {verdict} | `{cmd}` |")
    lines += ["", notes.read_text() if notes.exists() else ""]
    path.write_text("\n".join(lines) + "\n")


def update_readme(m):
    """The rows that have a target, between the README's bench:headline markers."""
    readme = ROOT / "README.md"
    text = readme.read_text()
    start, end = "<!-- bench:headline -->", "<!-- /bench:headline -->"
    if start not in text or end not in text:
        return
    lines = [start, "",
             f"Headline figures from `bench/RESULTS.md` ({m['date']}; {m['nproc']} cores, {m['cpu']}, "
             f"{m['ram']}):", "",
             "| measure | figure | target | verdict | command |", "|---|---|---|---|---|"]
    for section, measure, figure, target, verdict, command in ROWS:
        if target:
            cmd = command.replace("|", "\\|")
            lines.append(f"| {measure} | {figure} | {target} | {verdict} | `{cmd}` |")
    lines += ["", end]
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    readme.write_text(before + "\n".join(lines) + after)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build", type=pathlib.Path)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--out", type=pathlib.Path, default=ROOT / "bench/RESULTS.md")
    ap.add_argument("--only", default="", help="comma list: plan,http,smtp,webhook")
    args = ap.parse_args()
    args.build = args.build.resolve()
    args.binary = args.build / "aarshjul"
    bench_engine = args.build / "bench/bench_engine"
    only = set(filter(None, args.only.split(",")))
    work = pathlib.Path(tempfile.mkdtemp(prefix="aarshjul-bench-"))
    os.chmod(work, 0o755)  # nginx's worker (nobody) reads the status file below it
    try:
        m = machine()
        dbs = plan_and_tick(args, work, args.binary, bench_engine)
        if not only or "http" in only:
            status_vs_nginx(args, work, dbs)
        else:
            for entry in dbs.values():
                if len(entry) > 4:
                    entry[4].stop()
        if not only or "smtp" in only:
            smtp_dispatch(args, work)
        if not only or "webhook" in only:
            webhook_dispatch(args, work)
        write_results(m, args.out, ROOT / "bench/NOTES.md")
        if args.out == ROOT / "bench/RESULTS.md":
            update_readme(m)
        print(f"[bench] wrote {args.out}")
    finally:
        if not os.environ.get("AARSHJUL_BENCH_KEEP"):
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"[bench] kept {work}")


if __name__ == "__main__":
    main()

# SPDX-License-Identifier: MPL-2.0
"""Shared harness of the browser journeys (issue 13).

Each journey is one file, tests/browser/journey_*.py, run by ctest:

    python3 tests/browser/journey_owner_reminder.py --binary build/aarshjul \
        --plugins build/plugins --source . --out build/browser-screenshots

A journey starts everything it needs itself, on loopback, on free ports, in a
temporary folder: an aiosmtpd server that captures mail, the daemon
(`aarshjul --config <generated> serve`), headless Chromium through
chromedriver, and, for the reverse-proxy journey, Apache
(`apache2 -f <generated conf> -DFOREGROUND`). It writes screenshots of every
page it visits, in Danish and English, to <out>/<journey>/ and checks that none
is blank.

Exit codes: 0 passed, 1 failed (the message says which step, what was expected
and what was found: URL, status and an excerpt of the page).

The journeys rely on the pages' URLs, element ids and form fields as
daemon/http/pages/*.mustache and README.md ("In the browser") give them.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime as dt
import email
import email.policy
import hashlib
import hmac
import html
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
import zlib
from zoneinfo import ZoneInfo

# Debian's interpreter has python3-selenium and python3-aiosmtpd; a pyenv shim
# earlier in PATH may not. Re-run under it when the modules are missing.
try:
    import selenium  # noqa: F401
    import aiosmtpd  # noqa: F401
except ImportError:  # pragma: no cover - depends on the machine
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath(
        "/usr/bin/python3"
    ):
        os.execv("/usr/bin/python3", ["/usr/bin/python3", *sys.argv])
    raise

from aiosmtpd.controller import Controller
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

ZONE = ZoneInfo("Europe/Copenhagen")
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1000",
]
APACHE = "/usr/sbin/apache2"
APACHE_MODULES = "/usr/lib/apache2/modules"


# --------------------------------------------------------------- outcomes ---


class Failed(Exception):
    """A step did not give what the contract says."""


def excerpt(text: str, limit: int = 700) -> str:
    text = re.sub(r"\s+", " ", text or "").strip()
    return text if len(text) <= limit else text[:limit] + " ..."


def html_text(markup: str) -> str:
    """The visible text of an HTML page, roughly (for failure messages)."""
    markup = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", markup or "")
    return html.unescape(re.sub(r"(?s)<[^>]+>", " ", markup))


def has_id(markup: str, element_id: str) -> bool:
    return re.search(r"""\bid\s*=\s*["']?%s["'\s>]""" % re.escape(element_id), markup or "") is not None


# ------------------------------------------------------------------ util ---


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def today_local() -> dt.date:
    return dt.datetime.now(ZONE).date()


def now_local() -> dt.datetime:
    return dt.datetime.now(ZONE)


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML for {value!r}")


def wait_until(predicate, timeout: float, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            return value
        time.sleep(interval)


# ------------------------------------------------------------------ PNG ---


def png_rows(path: str):
    """Decodes an 8-bit PNG (grey, RGB, grey+alpha, RGBA; no interlace): yields
    (width, height, channels) first, then each row's bytes, top to bottom."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
    width, height, depth, colour, _, _, interlace = header
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"{path}: unsupported PNG (depth {depth}, colour {colour}, interlace {interlace})")
    yield width, height, channels
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    previous, pos = bytearray(stride), 0
    for _ in range(height):
        kind = raw[pos]
        line = bytearray(raw[pos + 1 : pos + 1 + stride])
        pos += 1 + stride
        if kind == 2:
            line = bytearray((x + y) & 255 for x, y in zip(line, previous))
        elif kind in (1, 3, 4):
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                if kind == 1:
                    line[i] = (line[i] + a) & 255
                elif kind == 3:
                    line[i] = (line[i] + ((a + b) >> 1)) & 255
                else:
                    c = previous[i - channels] if i >= channels else 0
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        yield bytes(line)
        previous = line


def png_is_blank(path: str, share: float = 0.002):
    """(blank?, description). Not blank: at least two colours each cover
    `share` of the pixels (sampled on every 2nd row and column). Stops
    decoding as soon as that is shown."""
    rows = png_rows(path)
    width, height, channels = next(rows)
    total = ((height + 1) // 2) * ((width + 1) // 2)
    need = max(1, int(total * share))
    counts = {}
    for y, row in enumerate(rows):
        if y % 2:
            continue
        for x in range(0, width, 2):
            px = row[x * channels : (x + 1) * channels]
            counts[px] = counts.get(px, 0) + 1
        top = sorted(counts.values(), reverse=True)[:2]
        if len(top) == 2 and top[1] >= need:
            return False, f"{width}x{height}, not one colour"
    top = sorted(counts.values(), reverse=True)
    second = top[1] / total if len(top) > 1 else 0.0
    return True, f"{width}x{height}: {len(counts)} colour(s), the second commonest covers {second:.4%}"


# ------------------------------------------------------------------ HTTP ---


class Response:
    def __init__(self, method, url, status, headers, body, source=None):
        self.method, self.url, self.status, self.headers, self.body = method, url, status, headers, body
        self.source = source

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")

    def set_cookies(self):
        return self.headers.get("set-cookie-all", [])

    def describe(self) -> str:
        loc = self.header("location")
        return (f"{self.method} {self.url}" + (f" from {self.source}" if self.source else "")
                + f" -> {self.status}" + (f" (Location: {loc})" if loc else ""))


def request(method, url, headers=None, body=None, source=None, timeout=10.0) -> Response:
    """One HTTP request without following redirects. `body` may be a dict (sent
    as a form) or bytes/str. `source` binds the client side (e.g. 127.0.0.2)."""
    parts = urllib.parse.urlsplit(url)
    headers = dict(headers or {})
    if isinstance(body, dict):
        body = urllib.parse.urlencode(body)
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    if isinstance(body, str):
        body = body.encode()
    conn = http.client.HTTPConnection(
        parts.hostname, parts.port or 80, timeout=timeout, source_address=(source, 0) if source else None
    )
    try:
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        conn.request(method, target, body=body, headers=headers)
        r = conn.getresponse()
        raw = r.read()
        hdrs = {k.lower(): v for k, v in r.getheaders()}
        hdrs["set-cookie-all"] = [v for k, v in r.getheaders() if k.lower() == "set-cookie"]
        return Response(method, url, r.status, hdrs, raw.decode("utf-8", "replace"), source)
    finally:
        conn.close()


def cookie_header(name: str, value: str) -> dict:
    return {"Cookie": f"{name}={value}"}


# ------------------------------------------------------------------ mail ---


class Mail:
    def __init__(self, envelope_to, raw: bytes):
        self.envelope_to = [a.lower() for a in envelope_to]
        self.raw = raw
        self.message = email.message_from_bytes(raw, policy=email.policy.default)
        self.subject = str(self.message.get("Subject", ""))
        self.to = str(self.message.get("To", ""))
        text = self.message.get_body(preferencelist=("plain",))
        page = self.message.get_body(preferencelist=("html",))
        self.text = text.get_content() if text is not None else ""
        self.html = page.get_content() if page is not None else ""

    def to_address(self, address: str) -> bool:
        return address.lower() in self.envelope_to

    def describe(self) -> str:
        return f"to {', '.join(self.envelope_to)}: {self.subject!r}"


class SmtpCapture:
    """aiosmtpd on loopback: keeps every message it receives."""

    def __init__(self):
        self.port = free_port()
        self.mails: list[Mail] = []
        self.lock = threading.Lock()
        capture = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                with capture.lock:
                    capture.mails.append(Mail(envelope.rcpt_tos, envelope.content))
                return "250 OK"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        with contextlib.suppress(Exception):
            self.controller.stop()

    def snapshot(self) -> list[Mail]:
        with self.lock:
            return list(self.mails)

    def wait_for(self, predicate, timeout: float = 15.0):
        found = wait_until(lambda: [m for m in self.snapshot() if predicate(m)], timeout)
        return found or []

    def summary(self, limit: int = 15) -> str:
        mails = self.snapshot()
        lines = [m.describe() for m in mails[:limit]]
        if len(mails) > limit:
            lines.append(f"... and {len(mails) - limit} more")
        return f"{len(mails)} mail(s) received" + ("".join("\n      " + l for l in lines) if lines else "")


# ---------------------------------------------------------------- daemon ---


class Daemon:
    """`aarshjul serve` with a generated configuration in a temporary folder."""

    LISTENING = re.compile(r"http: listening on 127\.0\.0\.1:(\d+) \(port (\d+)\)")
    FIRST_START = re.compile(r"first sign-in \(admin, once\): (\S+)")

    def __init__(self, journey: "Journey", smtp: SmtpCapture | None, workflows=None, directory=None,
                 http=None, tokens=None, public_url=None, reminder_hour=0, extra=None, name=None):
        self.j = journey
        self.dir = os.path.join(journey.tmp, name or f"daemon{len(journey.daemons) or ''}")
        os.makedirs(self.dir, exist_ok=True)
        self.config_path = os.path.join(self.dir, "aarshjul.toml")
        self.log_path = os.path.join(self.dir, "serve.log")
        self.database = os.path.join(self.dir, "state", "aarshjul.db")
        src = journey.source
        self.workflows = workflows or [os.path.join(src, "workflows/common"), os.path.join(src, "workflows/municipality")]
        self.directory = directory or os.path.join(src, "config/directory.toml")
        self.http = dict(http or {})
        self.tokens = list(tokens or [])
        self.public_url_override = public_url
        self.reminder_hour = reminder_hour
        self.extra = extra or ""
        self.smtp = smtp
        self.process = None
        self.port = None
        self.base = None
        self.first_start_url = None
        self.stopped = False

    # A token for the API: (name, role, person) -> the secret, put in the config as SHA-256.
    @staticmethod
    def make_token(name, role, person=None):
        secret = secrets.token_hex(32)
        entry = {"name": name, "role": role, "sha256": hashlib.sha256(secret.encode()).hexdigest()}
        if person:
            entry["person"] = person
        return secret, entry

    def write_config(self):
        public = self.public_url_override or self.base
        lines = [
            "# generated by tests/browser/harness.py",
            "[organisation]",
            'name = "Eksempel Kommune"',
            'time_zone = "Europe/Copenhagen"',
            "[paths]",
            f"database = {toml_value(self.database)}",
            f"workflows = {toml_value(self.workflows)}",
            f"lua = {toml_value(os.path.join(self.j.source, 'lua'))}",
            f"directory = {toml_value(self.directory)}",
            "[schedule]",
            f"reminder_hour = {self.reminder_hour}",
            "[http]",
            f'listen = "127.0.0.1:{self.port}"',
            f"public_url = {toml_value(public)}",
        ]
        for key, value in self.http.items():
            lines.append(f"{key} = {toml_value(value)}")
        for token in self.tokens:
            lines.append("[[http.tokens]]")
            for key, value in token.items():
                lines.append(f"{key} = {toml_value(value)}")
        lines += ["[log]", 'level = "info"', "[notify]"]
        if self.smtp:
            lines.append('channels = ["mail"]')
        lines += [
            f"plugin_dir = {toml_value(self.j.plugins)}",
            "max_attempts = 3",
            "retry_base_seconds = 1",
        ]
        if self.smtp:
            lines += [
                "[channel.mail]",
                'plugin = "smtp"',
                'host = "127.0.0.1"',
                f"port = {self.smtp.port}",
                'tls = "none"',
                'from = "aarshjul@eksempel.dk"',
                'from_name = "Årshjulet"',
            ]
        if self.extra:
            lines.append(self.extra)
        with open(self.config_path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")

    def log(self) -> str:
        try:
            with open(self.log_path, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def log_tail(self, n: int = 25) -> str:
        return "\n".join(self.log().splitlines()[-n:])

    def start(self, timeout: float = 20.0):
        for attempt in range(3):
            self.port = free_port()
            self.base = f"http://127.0.0.1:{self.port}"
            self.write_config()
            check = self.cli("check")
            if check.returncode != 0:
                raise Failed(
                    f"`aarshjul check` refused the generated configuration {self.config_path} "
                    f"(exit {check.returncode}):\n{check.stdout}{check.stderr}"
                )
            log = open(self.log_path, "ab")
            self.process = subprocess.Popen(
                [self.j.binary, "--config", self.config_path, "serve"],
                cwd=self.dir, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
            log.close()
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                text = self.log()
                m = self.LISTENING.search(text)
                if m:
                    if int(m.group(2)) != self.port:
                        raise Failed(f"daemon listens on port {m.group(2)}, configured {self.port}")
                    self.first_start_url = self._first_start(text)
                    return self
                if self.process.poll() is not None:
                    raise Failed(f"`aarshjul serve` exited with {self.process.returncode} before listening:\n{self.log_tail()}")
                if re.search(r"http: .*(bind|in use)", text, re.I):
                    break  # someone took the port meanwhile: try another one
                time.sleep(0.05)
            else:
                self.stop()
                raise Failed(f"no line 'http: listening on 127.0.0.1:{self.port}' within {timeout} s:\n{self.log_tail()}")
            self.stop()
            self.stopped = False
            os.rename(self.log_path, self.log_path + f".{attempt}")
        raise Failed("could not bind a free port for the daemon three times")

    def _first_start(self, text):
        m = self.FIRST_START.search(text)
        return m.group(1) if m else None

    def wait_first_start_url(self, timeout: float = 3.0):
        if not self.first_start_url:
            self.first_start_url = wait_until(lambda: self._first_start(self.log()), timeout)
        return self.first_start_url

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self):
        self.stopped = True
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
                with open(self.log_path, "a") as log:
                    log.write("(tests/browser: no exit within 15 s of SIGTERM; killed)\n")

    def cli(self, *args, timeout: float = 60.0) -> subprocess.CompletedProcess:
        return subprocess.run(
            [self.j.binary, "--config", self.config_path, *args],
            cwd=self.dir, capture_output=True, text=True, timeout=timeout,
        )

    def url(self, path: str) -> str:
        return self.base + path

    # ---- API (with a token from make_token)
    def api(self, token: str, method: str, path: str, body=None) -> tuple[int, object]:
        headers = {"Authorization": f"Bearer {token}"}
        data = None
        if body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        r = request(method, self.url(path), headers=headers, body=data)
        try:
            return r.status, json.loads(r.body) if r.body else None
        except ValueError:
            return r.status, r.body

    def api_ok(self, token: str, path: str):
        status, data = self.api(token, "GET", path)
        if status != 200:
            raise Failed(f"GET {self.url(path)}: expected 200, found {status}: {excerpt(str(data))}")
        return data

    def tasks(self, token: str, **query) -> list[dict]:
        out, offset = [], 0
        while True:
            q = dict(query, limit=500, offset=offset)
            data = self.api_ok(token, "/api/v1/tasks?" + urllib.parse.urlencode(q, safe=","))
            out += data["tasks"]
            offset += len(data["tasks"])
            if not data["tasks"] or offset >= data["total"]:
                return out

    def task(self, token: str, task_id) -> dict:
        return self.api_ok(token, f"/api/v1/tasks/{task_id}")

    # ---- signed links, made with the key the daemon keeps in its database
    def link_key(self) -> str:
        con = sqlite3.connect(f"file:{self.database}?mode=ro", uri=True, timeout=5)
        try:
            row = con.execute("SELECT value FROM secrets WHERE name = 'action-link'").fetchone()
        finally:
            con.close()
        if not row:
            raise Failed("the database has no link key (secrets 'action-link')")
        return row[0]

    def personal_link(self, person: str, expires: int, purpose: str = "me") -> str:
        domain = {"me": "aarshjul-me-v1\n", "feed": "aarshjul-feed-v1\n"}[purpose]
        mac = hmac.new(self.link_key().encode(), f"{domain}{person}\n{expires}".encode(), hashlib.sha256).digest()
        sig = base64.urlsafe_b64encode(mac).rstrip(b"=").decode()
        path = "/me" if purpose == "me" else "/me/calendar.ics"
        public = self.public_url_override or self.base
        return f"{public}{path}?p={urllib.parse.quote(person, safe='')}&e={expires}&s={sig}"


# --------------------------------------------------------------- Apache ---


class Apache:
    """A standalone Apache reverse proxy with basic auth that passes the user
    on in a header (X-Remote-User), the way a municipality's SSO front would.
    The header is set with `expr=%{REMOTE_USER}`: the `%{REMOTE_USER}s` form
    reads the environment, which has no REMOTE_USER yet when mod_headers runs,
    and sends the literal "(null)". A client's own X-Remote-User and the
    Authorization header (the password) are removed before proxying."""

    MODULES = [
        "mpm_event", "authn_core", "authn_file", "authz_core", "authz_user", "auth_basic",
        "headers", "proxy", "proxy_http", "unixd", "env", "setenvif", "log_config",
    ]

    def __init__(self, journey: "Journey", backend: str, users: dict, header: str = "X-Remote-User", port=None):
        self.j = journey
        self.dir = os.path.join(journey.tmp, "apache")
        os.makedirs(os.path.join(self.dir, "run"), exist_ok=True)
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.htpasswd = os.path.join(self.dir, "htpasswd")
        for i, (user, password) in enumerate(users.items()):
            args = ["htpasswd", "-b", "-B"] + (["-c"] if i == 0 else []) + [self.htpasswd, user, password]
            r = subprocess.run(args, capture_output=True, text=True)
            if r.returncode != 0:
                raise Failed(f"htpasswd failed: {r.stderr}")
        self.conf = os.path.join(self.dir, "httpd.conf")
        self.error_log = os.path.join(self.dir, "error.log")
        run_as = ""
        if os.geteuid() == 0:  # Apache drops root for its workers; they must read htpasswd
            run_as = "User nobody\nGroup nogroup\n"
            for path in (journey.tmp, self.dir):
                os.chmod(path, 0o755)
            os.chmod(self.htpasswd, 0o644)
        modules = "\n".join(
            f"LoadModule {m}_module {APACHE_MODULES}/mod_{m}.so"
            for m in self.MODULES
            if os.path.exists(f"{APACHE_MODULES}/mod_{m}.so")
        )
        with open(self.conf, "w") as f:
            f.write(f"""# generated by tests/browser/harness.py
ServerRoot "{self.dir}"
ServerName 127.0.0.1
Listen 127.0.0.1:{self.port}
PidFile "{self.dir}/run/httpd.pid"
DefaultRuntimeDir "{self.dir}/run"
Mutex file:{self.dir}/run default
ErrorLog "{self.error_log}"
LogLevel warn
{modules}
{run_as}
LogFormat "%h %u \\"%r\\" %>s" short
CustomLog "{self.dir}/access.log" short
StartServers 1
ServerLimit 2
ThreadsPerChild 16
MaxRequestWorkers 32
<Location "/">
    AuthType Basic
    AuthName "aarshjul"
    AuthBasicProvider file
    AuthUserFile "{self.htpasswd}"
    Require valid-user
</Location>
RequestHeader unset {header} early
RequestHeader unset Authorization
RequestHeader set {header} "expr=%{{REMOTE_USER}}"
ProxyPreserveHost On
ProxyPass "/" "{backend}/"
ProxyPassReverse "/" "{backend}/"
""")
        self.process = None

    def start(self, timeout: float = 15.0):
        r = subprocess.run([APACHE, "-f", self.conf, "-t"], capture_output=True, text=True)
        if r.returncode != 0:
            raise Failed(f"apache2 -t refused {self.conf}:\n{r.stdout}{r.stderr}")
        log = open(os.path.join(self.dir, "stdout.log"), "ab")
        self.process = subprocess.Popen([APACHE, "-f", self.conf, "-DFOREGROUND"], stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        log.close()

        def up():
            if self.process.poll() is not None:
                raise Failed(f"apache2 exited with {self.process.returncode}:\n{self.errors()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return True
            except OSError:
                return False

        if not wait_until(up, timeout):
            raise Failed(f"apache2 did not listen on {self.port} within {timeout} s:\n{self.errors()}")
        return self

    def errors(self) -> str:
        try:
            with open(self.error_log) as f:
                return "\n".join(f.read().splitlines()[-20:])
        except FileNotFoundError:
            return "(no error log)"

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # graceful-stop of the whole process group
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)

    @staticmethod
    def basic(user: str, password: str) -> dict:
        return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


# --------------------------------------------------------------- browser ---


class Browser:
    """Headless Chromium through chromedriver, with the document responses
    (status codes, redirects) read from Chrome's performance log."""

    def __init__(self, journey: "Journey", accept_language: str = "da-DK,da"):
        self.j = journey
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in CHROMIUM_FLAGS:
            options.add_argument(flag)
        profile = os.path.join(journey.tmp, f"chromium-{len(journey.browsers)}")
        options.add_argument(f"--user-data-dir={profile}")
        options.add_experimental_option("prefs", {"intl.accept_languages": accept_language})
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
        service = Service(CHROMEDRIVER, log_path=os.path.join(journey.tmp, f"chromedriver-{len(journey.browsers)}.log"))
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_page_load_timeout(20)
        self.responses = []  # (url, status) of documents, oldest first
        self.shots = 0

    def quit(self):
        with contextlib.suppress(Exception):
            self.driver.quit()

    # ---- documents and their status
    def _drain(self):
        try:
            entries = self.driver.get_log("performance")
        except WebDriverException:
            return
        for entry in entries:
            try:
                msg = json.loads(entry["message"])["message"]
            except (ValueError, KeyError):
                continue
            params = msg.get("params", {})
            url = (params.get("response") or params.get("redirectResponse") or params.get("request") or {}).get("url", "")
            if not url.startswith(("http:", "https:", "file:")):
                continue
            if msg.get("method") == "Network.requestWillBeSent" and params.get("type") == "Document":
                redirect = params.get("redirectResponse")
                if redirect:
                    self.responses.append((redirect.get("url"), redirect.get("status"), redirect.get("headers", {})))
            elif msg.get("method") == "Network.responseReceived" and params.get("type") == "Document":
                r = params.get("response", {})
                self.responses.append((r.get("url"), r.get("status"), r.get("headers", {})))

    def mark(self):
        """Forget the responses so far; the next `chain()` starts here."""
        self._drain()
        self.responses = []

    def chain(self):
        """The document responses since the last mark(): [(url, status, headers)]."""
        self._drain()
        return list(self.responses)

    def status(self):
        c = self.chain()
        return c[-1][1] if c else None

    def open(self, url: str):
        self.mark()
        self.driver.get(url)
        return self

    @property
    def url(self) -> str:
        return self.driver.current_url

    @property
    def path(self) -> str:
        return urllib.parse.urlsplit(self.driver.current_url).path

    def text(self) -> str:
        try:
            return self.driver.find_element(By.TAG_NAME, "body").text
        except WebDriverException:
            return self.driver.page_source

    def find(self, css: str, within=None):
        found = (within or self.driver).find_elements(By.CSS_SELECTOR, css)
        return found[0] if found else None

    def find_all(self, css: str, within=None):
        return (within or self.driver).find_elements(By.CSS_SELECTOR, css)

    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def cookie(self, name: str):
        return self.driver.get_cookie(name)

    def describe(self) -> str:
        chain = " -> ".join(f"{s} {u}" for u, s, _ in self.chain()) or "(no document response seen)"
        return f"browser at {self.url}\n    responses: {chain}\n    page: {excerpt(self.text())}"

    def set_headers(self, headers: dict):
        self.driver.execute_cdp_cmd("Network.enable", {})
        self.driver.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": headers})

    def submit(self, button_css: str, within=None):
        """Clicks a submit button and waits for the next document."""
        button = self.find(button_css, within)
        if button is None:
            raise Failed(f"no element {button_css!r} to click\n    {self.describe()}")
        self.mark()
        old = self.driver.find_element(By.TAG_NAME, "html")
        button.click()

        def replaced():
            try:
                old.tag_name
                return False
            except WebDriverException:
                return self.js("return document.readyState") == "complete"

        if not wait_until(replaced, 15):
            raise Failed(f"clicking {button_css!r} loaded no new page within 15 s\n    {self.describe()}")
        return self

    def screenshot(self, name: str) -> str:
        """Saves <out>/<journey>/<nn>-<name>.png and fails if it is blank."""
        self.shots += 1
        path = os.path.join(self.j.out, f"{self.j.counter():02d}-{name}.png")
        self.driver.save_screenshot(path)
        blank, how = png_is_blank(path)
        if blank:
            raise Failed(f"screenshot {path} is blank ({how}); expected a rendered page\n    {self.describe()}")
        return path

    def screenshot_both(self, url: str, name: str, check=None):
        """Opens `url` with ?lang=da and ?lang=en, checks <html lang> and takes a
        screenshot of each. `check(browser, lang)` may verify the page."""
        for lang in ("da", "en"):
            self.open(with_query(url, lang=lang))
            got = self.js("return document.documentElement.lang")
            if got != lang:
                raise Failed(f"{with_query(url, lang=lang)}: expected <html lang=\"{lang}\">, found {got!r}\n    {self.describe()}")
            if check:
                check(self, lang)
            self.screenshot(f"{name}-{lang}")


def with_query(url: str, **params) -> str:
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += list(params.items())
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


# --------------------------------------------------------------- journey ---


class Journey:
    """One journey: arguments, temporary folder, started processes, failures."""

    def __init__(self, name: str, summary: str):
        parser = argparse.ArgumentParser(description=summary)
        here = os.path.dirname(os.path.abspath(__file__))
        repo = os.path.dirname(os.path.dirname(here))
        parser.add_argument("--binary", default=os.path.join(repo, "build", "aarshjul"))
        parser.add_argument("--plugins", default=os.path.join(repo, "build", "plugins"))
        parser.add_argument("--source", default=repo)
        parser.add_argument("--out", default=os.path.join(repo, "build", "browser-screenshots"))
        parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
        args = parser.parse_args()
        self.name = name
        self.summary = summary
        self.binary = os.path.abspath(args.binary)
        self.plugins = os.path.abspath(args.plugins)
        self.source = os.path.abspath(args.source)
        self.out = os.path.join(os.path.abspath(args.out), name)
        self.keep = args.keep
        shutil.rmtree(self.out, ignore_errors=True)
        os.makedirs(self.out, exist_ok=True)
        self.tmp = tempfile.mkdtemp(prefix=f"aarshjul-{name}-")
        self.browsers: list[Browser] = []
        self.daemons: list[Daemon] = []
        self.apaches: list[Apache] = []
        self.smtps: list[SmtpCapture] = []
        self.current_step = "setting up"
        self.deferred: list[str] = []
        self.notes: list[str] = []
        self._shot = 0
        self.started = time.monotonic()

    def counter(self) -> int:
        self._shot += 1
        return self._shot

    # ---- parts
    def smtp(self) -> SmtpCapture:
        s = SmtpCapture()
        self.smtps.append(s)
        return s

    def daemon(self, smtp=None, **kwargs) -> Daemon:
        d = Daemon(self, smtp, **kwargs)
        self.daemons.append(d)
        return d

    def apache(self, backend: str, users: dict, header="X-Remote-User", port=None) -> Apache:
        a = Apache(self, backend, users, header, port)
        self.apaches.append(a)
        return a

    def browser(self, **kwargs) -> Browser:
        b = Browser(self, **kwargs)
        self.browsers.append(b)
        return b

    # ---- steps and checks
    def step(self, text: str):
        self.current_step = text
        print(f"[{self.name}] {time.monotonic() - self.started:5.1f}s  {text}", flush=True)

    def fail(self, expected: str, found: str, context=None):
        raise Failed(self._message(expected, found, context))

    def check(self, condition, expected: str, found, context=None):
        if not condition:
            self.fail(expected, found() if callable(found) else found, context)

    def check_later(self, condition, expected: str, found, context=None):
        """A mismatch that does not stop the journey; reported at its end."""
        if not condition:
            msg = self._message(expected, found() if callable(found) else found, context)
            print(f"[{self.name}] MISMATCH (continuing): {msg}", flush=True)
            self.deferred.append(msg)

    def _message(self, expected, found, context):
        lines = [f'step "{self.current_step}"', f"  expected: {expected}", f"  found:    {found}"]
        if isinstance(context, Browser):
            lines.append("  " + context.describe())
        elif isinstance(context, Response):
            lines.append(f"  request:  {context.describe()}")
            lines.append(f"  page:     {excerpt(html_text(context.body))}")
        elif context:
            lines.append(f"  context:  {context}")
        return "\n".join(lines)

    # ---- running
    def run(self, body):
        code = 0
        try:
            body(self)
            for d in self.daemons:
                if d.process is not None and not d.stopped and not d.alive():
                    raise Failed(f"the daemon exited with {d.process.returncode} during the journey:\n{d.log_tail()}")
            self.step("stop the daemon (SIGTERM): it exits 0")
            for b in self.browsers:
                b.quit()
            for d in self.daemons:
                if d.process is not None and d.process.returncode is None:
                    d.stop()
                    if d.process.returncode != 0:  # e.g. a sanitizer's report at exit
                        raise Failed(f"`aarshjul serve` ({d.dir}) exited with {d.process.returncode} on SIGTERM "
                                     f"(expected 0):\n{d.log_tail(40)}")
            if self.deferred:
                raise Failed(f"{len(self.deferred)} mismatch(es) with the contract:\n\n" + "\n\n".join(self.deferred))
            print(f"PASS [{self.name}] in {time.monotonic() - self.started:.1f} s; screenshots in {self.out}")
        except Failed as e:
            code = 1
            self._report(str(e))
        except Exception:  # noqa: BLE001 - report anything with the same context
            code = 1
            self._report(f'step "{self.current_step}": unexpected error\n{traceback.format_exc()}')
        finally:
            self.close()
        sys.exit(code)

    def _report(self, message: str):
        print(f"FAIL [{self.name}] after {time.monotonic() - self.started:.1f} s\n{message}")
        for b in self.browsers:
            with contextlib.suppress(Exception):
                path = os.path.join(self.out, f"FAILED-{self.browsers.index(b)}.png")
                b.driver.save_screenshot(path)
                with open(os.path.join(self.out, f"FAILED-{self.browsers.index(b)}.html"), "w") as f:
                    f.write(b.driver.page_source)
                print(f"  screenshot at failure: {path}")
        for d in self.daemons:
            print(f"  daemon log ({d.log_path}), last lines:\n    " + d.log_tail(20).replace("\n", "\n    "))
        for a in self.apaches:
            print("  apache error log:\n    " + a.errors().replace("\n", "\n    "))
        for s in self.smtps:
            print("  mail: " + s.summary())

    def close(self):
        for b in self.browsers:
            b.quit()
        for a in self.apaches:
            a.stop()
        for d in self.daemons:
            d.stop()
        for s in self.smtps:
            s.stop()
        if self.keep:
            print(f"  kept {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)


# ------------------------------------------------------------- fixtures ---


def risk_sys_due_today(journey: Journey, folder_name="workflows-risk") -> str:
    """A workflow folder with only a copy of workflows/common/risk-sys.lua whose
    single occurrence is today and due today, so that (with reminder_hour = 0)
    every system responsible gets its reminder at start."""
    folder = os.path.join(journey.tmp, folder_name)
    os.makedirs(folder, exist_ok=True)
    write_risk_sys(journey, folder)
    return folder


def write_risk_sys(journey: Journey, folder: str):
    with open(os.path.join(journey.source, "workflows/common/risk-sys.lua"), encoding="utf-8") as f:
        text = f.read()
    today = today_local().isoformat()
    changed = text.replace("schedule = yearly { month = 3, day = 1 },", f'schedule = once "{today}",')
    changed = changed.replace("due = days(30),", "due = days(0),")
    if changed.count(today) != 1 or "days(0)" not in changed:
        raise Failed("workflows/common/risk-sys.lua no longer has `schedule = yearly { month = 3, day = 1 }` "
                     "and `due = days(30)`: update tests/browser/harness.py write_risk_sys")
    with open(os.path.join(folder, "risk-sys.lua"), "w", encoding="utf-8") as f:
        f.write(changed)


def shipped_cycle_with_risk_today(journey: Journey) -> list:
    """The shipped municipal cycle (common + municipality) with RISK-SYS
    replaced by the copy that is due today."""
    folder = os.path.join(journey.tmp, "workflows-cycle")
    os.makedirs(folder, exist_ok=True)
    for sub in ("workflows/common", "workflows/municipality"):
        for name in os.listdir(os.path.join(journey.source, sub)):
            if name.endswith(".lua") and name != "risk-sys.lua":
                shutil.copy(os.path.join(journey.source, sub, name), os.path.join(folder, name))
    write_risk_sys(journey, folder)
    return [folder]


OPEN_STATES = "open,due,overdue,escalated"
LINK_ACT = re.compile(r"(https?://[^\s\"'<>]+/act/(\d+)\?[^\s\"'<>]+)")

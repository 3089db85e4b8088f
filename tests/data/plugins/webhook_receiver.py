#!/usr/bin/python3
"""HTTP receiver for the webhook plugin tests (http.server).

Listens on 127.0.0.1 (a free port), prints "READY <port>", and appends every
POST it receives to LOG as one JSON line: path, lower-cased headers, body,
and for each --secret whether the Standard Webhooks signature verifies with
it (HMAC-SHA256 over "id.timestamp.body", timestamp within 5 minutes).
The path chooses the answer:
  /ok                   200
  /status/<code>        that status (429 and 503 carry Retry-After: 7)
  /status/429-date      429 with Retry-After as an HTTP date 7 s ahead
  /sleep/<seconds>      sleeps, then 200
Runs until SIGTERM.
"""
import argparse
import base64
import email.utils
import hashlib
import hmac
import json
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def verify(secret, headers, body):
    msg_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not msg_id or not timestamp or not signatures:
        return False
    if abs(time.time() - int(timestamp)) > 300:
        return False
    key = base64.b64decode(secret[len("whsec_"):])
    content = f"{msg_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    for item in signatures.split(" "):
        version, _, value = item.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return True
    return False


def make_handler(log_path, secrets, lock):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def reply(self, status, extra=None):
            body = b'{"received": true}' if status < 300 else b"nope"
            self.send_response(status)
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            headers = {k.lower(): v for k, v in self.headers.items()}
            record = {
                "path": self.path,
                "headers": headers,
                "body": body.decode("utf-8"),
                "valid": [verify(s, headers, body) for s in secrets],
            }
            with lock:
                with open(log_path, "a", encoding="utf-8") as f:
                    f.write(json.dumps(record, ensure_ascii=False) + "\n")
            parts = self.path.strip("/").split("/")
            if parts[0] == "sleep":
                time.sleep(float(parts[1]))
                try:
                    self.reply(200)
                except OSError:
                    pass
            elif parts[0] == "status":
                if parts[1] == "429-date":
                    when = email.utils.formatdate(time.time() + 7, usegmt=True)
                    self.reply(429, {"Retry-After": when})
                else:
                    code = int(parts[1])
                    self.reply(code, {"Retry-After": "7"} if code in (429, 503) else None)
            else:
                self.reply(200)

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", required=True)
    parser.add_argument("--secret", action="append", default=[])
    parser.add_argument("--port", type=int, default=0, help="listen on this port (default: a free one)")
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(args.log, args.secret, threading.Lock()))
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print(f"READY {server.server_address[1]}", flush=True)
    server.serve_forever(poll_interval=0.1)
    server.server_close()


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""SMTP capture server for the smtp plugin tests (aiosmtpd).

Listens on 127.0.0.1 (a free port), prints "READY <port>" once it accepts
connections, and writes every message it accepts to OUTDIR as N.eml (the raw
DATA bytes) and N.json (the envelope and the message as Python's email
package parses it: decoded headers and MIME parts). Runs until SIGTERM.
"""
import argparse
import asyncio
import email
import email.header
import email.policy
import json
import os
import signal
import socket
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def decoded(value):
    if value is None:
        return None
    return str(email.header.make_header(email.header.decode_header(value)))


class Capture:
    def __init__(self, outdir, reject, defer, delay=0.0):
        self.outdir = outdir
        self.delay = delay
        self.reject = set(reject)
        self.defer = set(defer)
        self.count = 0
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return "550 5.1.1 mailbox unavailable"
        if address in self.defer:
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        raw = envelope.original_content
        message = email.message_from_bytes(raw, policy=email.policy.compat32)
        parts = []
        if message.is_multipart():
            for part in message.get_payload():
                parts.append({
                    "content_type": part.get_content_type(),
                    "charset": part.get_content_charset(),
                    "encoding": part.get("Content-Transfer-Encoding"),
                    "text": part.get_payload(decode=True).decode(part.get_content_charset() or "ascii"),
                })
        summary = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
            "authenticated": bool(session.authenticated),
            "content_type": message.get_content_type(),
            "subject": decoded(message.get("Subject")),
            "from": decoded(message.get("From")),
            "to": decoded(message.get("To")),
            "message_id": message.get("Message-ID"),
            "date": message.get("Date"),
            "mime_version": message.get("MIME-Version"),
            "parts": parts,
        }
        with self.lock:
            self.count += 1
            base = os.path.join(self.outdir, str(self.count))
        with open(base + ".eml.tmp", "wb") as f:
            f.write(raw)
        with open(base + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump(summary, f, ensure_ascii=False)
        # The .json appears last and atomically: its presence means the message is complete.
        os.replace(base + ".eml.tmp", base + ".eml")
        os.replace(base + ".json.tmp", base + ".json")
        return "250 OK queued"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--outdir", required=True)
    parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--implicit", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--reject", action="append", default=[], help="answer 550 to RCPT TO:<this>")
    parser.add_argument("--defer", action="append", default=[], help="answer 451 to RCPT TO:<this>")
    parser.add_argument("--auth", metavar="USER:PASSWORD", help="require AUTH with these credentials")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to wait before accepting DATA")
    parser.add_argument("--port", type=int, default=0, help="listen on this port (default: a free one)")
    args = parser.parse_args()

    kwargs = {}
    if args.starttls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.starttls)
        kwargs.update(tls_context=context, require_starttls=True)
    if args.implicit:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.implicit)
        kwargs.update(ssl_context=context)
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
                and auth_data.password.decode() == password
            return AuthResult(success=ok, handled=False)

        kwargs.update(authenticator=authenticator, auth_required=True,
                      auth_require_tls=not args.implicit)

    port = args.port or free_port()
    controller = Controller(Capture(args.outdir, args.reject, args.defer, args.delay), hostname="127.0.0.1",
                            port=port, **kwargs)
    controller.start()
    print(f"READY {port}", flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(0.2):
        pass
    controller.stop()


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""A real SMTP server for PIM's mail tests (aiosmtpd; `pip install aiosmtpd`).

Every accepted message is written to DIR as one JSON file (envelope, raw data, TLS and AUTH
state), written to a temporary name and renamed so readers never see half a file. Prints
"READY <port>" on stdout once listening on 127.0.0.1; stops on SIGTERM/SIGINT.

  smtp_sink.py --dir DIR [--port N] [--starttls CERT KEY] [--tls CERT KEY]
               [--auth USER PASSWORD_FILE] [--delay SECONDS]
               [--reject ADDRESS]...
"""
import argparse
import asyncio
import json
import os
import signal
import socket
import ssl
import sys
import threading
import time
import uuid

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, directory, delay, reject):
        self.directory = directory
        self.delay = delay
        self.reject = set(reject or [])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "data": envelope.content.decode("utf-8", errors="replace"),
            # session.ssl is only set by STARTTLS; implicit TLS shows on the transport.
            "tls": session.ssl is not None
            or server.transport.get_extra_info("ssl_object") is not None,
            "authenticated": bool(session.authenticated),
            "helo": session.host_name,
            "received_at": time.time(),
        }
        name = "%.6f-%s" % (time.time(), uuid.uuid4().hex)
        tmp = os.path.join(self.directory, "." + name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(record, handle)
        os.rename(tmp, os.path.join(self.directory, name + ".json"))
        return "250 OK"


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to wait before accepting DATA")
    parser.add_argument("--reject", action="append", metavar="ADDRESS", help="answer RCPT TO with 550")
    parser.add_argument("--auth", nargs=2, metavar=("USER", "PASSWORD_FILE"))
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)

    options = {}
    if args.starttls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.starttls)
        options.update(tls_context=context, require_starttls=True)
    if args.auth:
        user = args.auth[0]
        with open(args.auth[1], encoding="utf-8") as handle:
            password = handle.readline().rstrip("\r\n")

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
                and auth_data.password.decode() == password
            return AuthResult(success=ok, handled=False)

        options.update(authenticator=authenticator, auth_required=True,
                       auth_require_tls=bool(args.starttls or args.tls))
    server_kwargs = {}
    if args.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.tls)
        server_kwargs["ssl_context"] = context

    port = args.port or free_port()
    controller = Controller(Sink(args.dir, args.delay, args.reject), hostname="127.0.0.1", port=port,
                            server_hostname="localhost", ready_timeout=10,
                            server_kwargs=options, **server_kwargs)
    controller.start()
    print("READY %d" % port, flush=True)

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    while not done.wait(0.2):
        pass
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

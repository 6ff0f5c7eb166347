#!/usr/bin/env python3
"""A real SMTP server for the mail tests (aiosmtpd, which nobody here wrote), with the behaviours the
tests need: STARTTLS or implicit TLS, AUTH PLAIN/LOGIN, temporary failures, permanent refusals.
Each accepted message is written to --spool as <n>.eml. Prints READY <port> once listening."""
import argparse, asyncio, itertools, pathlib, ssl, sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword, SMTP

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=0)
parser.add_argument("--spool", required=True)
parser.add_argument("--cert")
parser.add_argument("--key")
parser.add_argument("--mode", choices=["plain", "starttls", "implicit"], default="plain")
parser.add_argument("--auth", help="user:password")
parser.add_argument("--fail-first", type=int, default=0, help="answer 451 to the first N messages")
parser.add_argument("--reject", default="reject", help="refuse recipients containing this with 550")
args = parser.parse_args()
spool = pathlib.Path(args.spool)
spool.mkdir(parents=True, exist_ok=True)
counter = itertools.count(1)
failures = {"left": args.fail_first}


class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if args.reject and args.reject in address:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if failures["left"] > 0:
            failures["left"] -= 1
            return "451 4.3.0 Temporary local problem, try later"
        (spool / f"{next(counter):04d}.eml").write_bytes(envelope.original_content)
        (spool / "envelope.log").open("a").write(f"{envelope.mail_from} -> {','.join(envelope.rcpt_tos)} tls={'implicit' if args.mode == 'implicit' else session.ssl is not None} auth={session.authenticated} mechanism={mechanisms.get(id(session), '')}\n")
        return "250 Message accepted"


mechanisms = {}


def authenticator(server, session, envelope, mechanism, auth_data):
    mechanisms[id(session)] = mechanism
    if not args.auth:
        return AuthResult(success=False)
    user, password = args.auth.split(":", 1)
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
    return AuthResult(success=ok, handled=False)


context = None
if args.cert:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)

if args.port == 0:
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        args.port = probe.getsockname()[1]

# With implicit TLS the whole connection is encrypted by the listening socket (aiosmtpd does not
# see it as STARTTLS, so it must not demand STARTTLS before AUTH).
kwargs = dict(hostname="127.0.0.1", port=args.port, auth_require_tls=args.mode == "starttls", authenticator=authenticator if args.auth else None,
              auth_required=bool(args.auth))
if args.mode == "starttls":
    kwargs.update(tls_context=context, require_starttls=True)
elif args.mode == "implicit":
    kwargs.update(ssl_context=context)
controller = Controller(Handler(), **kwargs)
controller.start()
print("READY", args.port, flush=True)
try:
    sys.stdin.read()
finally:
    controller.stop()

#!/usr/bin/env python3
"""A real SMTP server for the mail tests (aiosmtpd, which nobody here wrote), with the behaviours the
tests need: STARTTLS or implicit TLS, AUTH PLAIN/LOGIN, temporary failures, permanent refusals, and
the misbehaving relays the client must not trust (STARTTLS refused, plaintext injected after STARTTLS).
Each accepted message is written to --spool as <n>.eml; every EHLO and AUTH attempt is noted in
commands.log with whether the connection was encrypted. Prints READY <port> once listening."""
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
parser.add_argument("--starttls-reply", help="answer STARTTLS with this reply (e.g. '554 5.7.3 TLS not available') instead of starting TLS")
parser.add_argument("--inject-after-starttls", help="send these plaintext lines (separated by |) right after the STARTTLS 220, in the same write")
args = parser.parse_args()
spool = pathlib.Path(args.spool)
spool.mkdir(parents=True, exist_ok=True)
counter = itertools.count(1)
failures = {"left": args.fail_first}


def note(line):
    with (spool / "commands.log").open("a") as log:
        log.write(line + "\n")


def encrypted(session):
    return args.mode == "implicit" or session.ssl is not None


class Handler:
    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        note(f"EHLO tls={encrypted(session)}")
        session.host_name = hostname  # what aiosmtpd does itself when there is no hook
        return responses

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
    note(f"AUTH {mechanism} tls={encrypted(session)}")
    if not args.auth:
        return AuthResult(success=False)
    user, password = args.auth.split(":", 1)
    ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
    return AuthResult(success=ok, handled=False)


class TestSMTP(SMTP):
    async def smtp_STARTTLS(self, arg):
        if args.starttls_reply:
            await self.push(args.starttls_reply)
            return
        await super().smtp_STARTTLS(arg)

    async def push(self, status):
        # The injected lines leave in the same write as the 220, as a man in the middle would send them.
        if args.inject_after_starttls and status == "220 Ready to start TLS":
            status = status + "\r\n" + args.inject_after_starttls.replace("|", "\r\n")
        await super().push(status)


class TestController(Controller):
    def factory(self):
        return TestSMTP(self.handler, **self.SMTP_kwargs)


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
controller = TestController(Handler(), **kwargs)
controller.start()
print("READY", args.port, flush=True)
try:
    sys.stdin.read()
finally:
    controller.stop()

#!/usr/bin/env python3
"""A webhook receiver for tests and trials: it checks each delivery's signature the way
docs/operations.md tells integrators to, and counts deliveries by their `Rendezvous-Webhook-Id`
(a delivery sent again must carry the same id and the same body).

  scripts/webhook-receiver.py --port 8093 --secret whsec_…     print each delivery as it comes

Optionally slow (`--slow 0.25 --delay 0.5-2`: a quarter of the deliveries wait 0.5 to 2 s before
the answer), so that a sender killed meanwhile has sent a delivery it never saw answered.
Tests/cluster/kill_test.py drives it over loopback:

  POST /_receiver {"secret": …, "slow": 0.25, "delay": [0.5, 2]}   set (any of) these
  GET  /_receiver                                                   what came: {"count", "deliveries":
       [{"id", "bodyId", "type", "sha256", "body", "valid", "answered", "at"}], "inFlight":
       [the client ports of the deliveries being answered]} (`?summary`: without the deliveries)
  DELETE /_receiver                                                 forget what came

Every other POST is a delivery: 200 when its signature is good (timestamp within 300 s), 401
otherwise. The first line on standard output is `listening on PORT`."""
import argparse, hashlib, hmac, http.server, json, random, select, socket, sys, threading, time


class State:
    lock = threading.Lock()
    secret = ""
    slow = 0.0
    delay = (0.5, 2.0)
    deliveries = []
    in_flight = {}
    verbose = False


def verify(raw_body, header, secret, tolerance=300):
    """docs/operations.md's check, word for word."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + raw_body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts.get("v1", ""))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self, status, payload=b"", content_type="text/plain"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        self.wfile.flush()

    def peer_gone(self):
        """The sender closed its end (a process killed closes its sockets)."""
        readable, _, _ = select.select([self.connection], [], [], 0)
        try:
            return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def body(self):
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_GET(self):
        if self.path not in ("/_receiver", "/_receiver?summary"):
            return self.answer(404)
        with State.lock:
            summary = {"count": len(State.deliveries), "inFlight": sorted(State.in_flight)}
            if self.path == "/_receiver":
                summary["deliveries"] = State.deliveries
            payload = json.dumps(summary).encode()
        self.answer(200, payload, "application/json")

    def do_DELETE(self):
        if self.path != "/_receiver":
            return self.answer(404)
        with State.lock:
            State.deliveries = []
        self.answer(204)

    def do_POST(self):
        raw = self.body()
        if self.path == "/_receiver":
            settings = json.loads(raw or b"{}")
            with State.lock:
                State.secret = settings.get("secret", State.secret)
                State.slow = float(settings.get("slow", State.slow))
                State.delay = tuple(settings.get("delay", State.delay))
            return self.answer(204)
        port = self.client_address[1]
        valid = verify(raw, self.headers.get("Rendezvous-Signature", ""), State.secret)
        try:
            body_id = json.loads(raw).get("id")
        except ValueError:
            body_id = None
        record = {"id": self.headers.get("Rendezvous-Webhook-Id"), "bodyId": body_id, "type": self.headers.get("Rendezvous-Webhook-Type"),
                  "sha256": hashlib.sha256(raw).hexdigest(), "body": raw.decode("utf-8", "replace"), "valid": valid,
                  "answered": False, "at": time.time()}
        with State.lock:
            State.deliveries.append(record)
            State.in_flight[port] = record["id"]
            slow, delay = random.random() < State.slow, State.delay
        if State.verbose:
            print(f"{time.strftime('%H:%M:%S')} {record['type']} {record['id']} signature {'good' if valid else 'BAD'}", flush=True)
        try:
            if slow:
                time.sleep(random.uniform(*delay))
            if self.peer_gone():  # the sender died waiting (killed): received, never answered
                return
            self.answer(200 if valid else 401, b"ok" if valid else b"bad signature")
            record["answered"] = True
        except OSError:  # the sender is gone (killed): the delivery was received, never answered
            pass
        finally:
            with State.lock:
                State.in_flight.pop(port, None)

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    # Three instances open up to 8 connections each at once: the default backlog of 5 would drop
    # connections (retried a second later by the kernel), which is not what is tested here.
    request_queue_size = 128

    def handle_error(self, request, client_address):
        # A sender killed mid-request resets its connections: expected here, not worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="0: any free port")
    parser.add_argument("--secret", default="", help="the endpoint's signing secret (whsec_…)")
    parser.add_argument("--slow", type=float, default=0.0, help="the share of deliveries answered late (0 to 1)")
    parser.add_argument("--delay", default="0.5-2", help="how late, in seconds: MIN-MAX")
    parser.add_argument("--quiet", action="store_true", help="do not print each delivery")
    args = parser.parse_args()
    State.secret, State.slow, State.verbose = args.secret, args.slow, not args.quiet
    low, _, high = args.delay.partition("-")
    State.delay = (float(low), float(high or low))
    server = Server(("127.0.0.1", args.port), Handler)
    print(f"listening on {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())

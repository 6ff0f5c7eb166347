#!/usr/bin/env python3
"""make bench: the live quiz with thousands of phones on real WebSockets (issue 13's targets).

The coordinator (this process) sets up an event and a quiz through the JSON API, signs in as the
demo network's administrator, starts a game, joins N phones by nickname over HTTP (each keeps its
`rv_quiz` cookie), and spreads the phones' WebSockets over a few worker processes (this script
again, with --worker) so that Python's own speed counts as little as possible. The presenter is a
WebSocket of its own (`as=presenter`) on the first URL.

For every question it measures, on the machine's one clock:
  (a) presenter's "next" sent -> each phone receiving the question (p50, p99, max);
  (b) every phone answers in the last second before the deadline (the deadline comes in the state;
      the client and the server share the clock); a tenth of the phones send their answer twice;
      afterwards the game's results (JSON API) must hold exactly the acknowledged answers, once each;
  (c) deadline -> each phone receiving the `results` state with the leaderboard;
  (d) the server's resident memory (VmRSS, /proc/PID/status) with every connection open.
The client's own delay is reported beside: the workers' event-loop lag while a state fans out.

--kill-pid PID --kill-at Q kills that server (SIGKILL) 1.5 s into question Q: its phones reconnect
(through the proxy in front, as live.js does: after 0.6 s, 1.2 s, ...) and carry on; the report
says how many came back, how fast, and whether the following questions counted their answers.

Prints a human summary, then one line of JSON (prefixed `JSON `) for scripts."""
import argparse, asyncio, http.client, json, os, random, re, resource, signal, statistics, sys, threading, time
import tempfile, urllib.parse, urllib.request
from concurrent.futures import ThreadPoolExecutor

ADMIN = ("admin@rendezvous.example.org", "rendezvous-admin")


def raise_open_files():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def use_uvloop():
    try:
        import uvloop
        uvloop.install()
        return True
    except ImportError:
        return False


def pct(values, p):
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def ms(value):
    return "—" if value is None else f"{value * 1000:.1f} ms"


# ---------------------------------------------------------------------------------------------
# Worker: a share of the phones, each one WebSocket.

class Phone:
    __slots__ = ("n", "name", "cookie", "url", "ws", "player", "q_recv", "r_recv", "r_board", "deadline", "sent", "acks",
                 "dup_acks", "scheduled", "answered", "greeted", "closed_at", "reconnects", "failures", "twice", "stopping", "pending")

    def __init__(self, n, name, cookie, url):
        self.n, self.name, self.cookie, self.url = n, name, cookie, url
        self.ws = None
        self.player = None
        self.q_recv, self.r_recv, self.r_board, self.deadline = {}, {}, {}, {}
        self.sent, self.acks, self.dup_acks = {}, {}, {}
        self.scheduled, self.answered = set(), set()
        self.greeted = asyncio.Event()
        self.closed_at = None
        self.reconnects = []  # [closed at, greeted again at]
        self.failures = 0
        self.twice = n % 10 == 0  # a tenth of the phones send each answer twice
        self.stopping = False
        self.pending = []


class Worker:
    def __init__(self, spec):
        self.phones = [Phone(p["n"], p["name"], p["cookie"], p["url"]) for p in spec["phones"]]
        self.window = spec["window"]
        self.margin = spec["margin"]
        self.lag = []  # (wall time, lag seconds)
        self.rng = random.Random(spec.get("seed", 1))

    async def lag_monitor(self):
        loop = asyncio.get_running_loop()
        while True:
            start = loop.time()
            await asyncio.sleep(0.005)
            self.lag.append((time.time(), loop.time() - start - 0.005))
            if len(self.lag) > 200_000:
                del self.lag[:100_000]

    def on_message(self, phone, text, now):
        message = json.loads(text)
        kind = message.get("type")
        if kind == "quiz":
            if not phone.greeted.is_set():
                phone.greeted.set()
            if phone.closed_at is not None:
                phone.reconnects.append([phone.closed_at, now])
                phone.closed_at = None
            me = message.get("me")
            if me:
                phone.player = me.get("player")
                answered = me.get("answered")
                if answered:
                    phone.answered.add(answered["index"])
            phase, index = message.get("phase"), message.get("index")
            if phase == "question":
                if index not in phone.q_recv:
                    phone.q_recv[index] = now
                    phone.deadline[index] = message["deadline"] / 1000
                if index not in phone.scheduled and index not in phone.answered:
                    phone.scheduled.add(index)
                    self.schedule(phone, index, message["deadline"] / 1000)
            elif phase in ("results", "leaderboard") and index not in phone.r_recv:
                phone.r_recv[index] = now
                phone.r_board[index] = bool(message.get("leaderboard"))
        elif kind == "ack":
            key = message.get("id") or ""
            index = message.get("index")
            if key.endswith("b"):
                phone.dup_acks[index] = message.get("outcome")
            elif index not in phone.acks:
                phone.acks[index] = message.get("outcome")
        elif kind == "error":
            key = message.get("id") or ""
            if key and not key.endswith("b"):
                index = int(key.split("-")[1])
                phone.acks.setdefault(index, "error:" + message.get("code", ""))

    def schedule(self, phone, index, deadline):
        # Uniform over the last `window` seconds before the deadline, `margin` short of it.
        at = deadline - self.margin - self.rng.random() * (self.window - self.margin)
        delay = at - time.time()
        if delay < -self.margin:  # came back too late for this one: answer now if time is left
            delay = 0 if deadline - time.time() > 0.05 else None
        if delay is None:
            return
        asyncio.get_running_loop().call_later(max(0, delay), lambda: asyncio.ensure_future(self.answer(phone, index)))

    async def answer(self, phone, index):
        ws = phone.ws
        if ws is None:
            return
        choice = (phone.n * 7 + index) % 4
        text = json.dumps({"type": "answer", "index": index, "answer": {"choices": [choice]}, "id": f"{phone.n}-{index}"})
        try:
            phone.sent[index] = time.time()
            await ws.send(text)
            if phone.twice:
                await ws.send(text.replace(f'"{phone.n}-{index}"', f'"{phone.n}-{index}-b"'))
        except Exception:
            pass

    async def run_phone(self, phone, gate):
        from websockets.asyncio.client import connect
        headers = {"Cookie": "rv_quiz=" + phone.cookie}
        first = True
        while not phone.stopping:
            try:
                if first:
                    await gate.acquire()
                try:
                    ws = await connect(phone.url, additional_headers=headers, ping_interval=None, compression=None,
                                       open_timeout=60, close_timeout=1, max_size=1 << 20, user_agent_header=None)
                finally:
                    if first:
                        gate.release()
                        first = False
                phone.ws = ws
                phone.failures = 0
                async for text in ws:
                    self.on_message(phone, text, time.time())
            except Exception:
                pass
            phone.ws = None
            if phone.stopping:
                return
            if phone.closed_at is None:
                phone.closed_at = time.time()
            phone.failures += 1
            # As live.js: 0.6 s, 1.2 s, 2.4 s, … up to 5 s.
            await asyncio.sleep(min(5.0, 0.3 * 2 ** phone.failures))

    def report(self, index, since, until):
        lags = [lag for at, lag in self.lag if since <= at <= until]
        return {
            "q": [p.q_recv.get(index) for p in self.phones],
            "r": [p.r_recv.get(index) for p in self.phones],
            "board": [p.r_board.get(index) for p in self.phones],
            "deadline": [p.deadline.get(index) for p in self.phones],
            "sent": [p.sent.get(index) for p in self.phones],
            "ack": [p.acks.get(index) for p in self.phones],
            "dup": [p.dup_acks.get(index) if p.twice else None for p in self.phones],
            "names": [p.name for p in self.phones],
            "lag_max": max(lags) if lags else None,
            "lag_p99": pct(lags, 99),
        }

    async def main(self):
        raise_open_files()
        reader = asyncio.StreamReader()
        loop = asyncio.get_running_loop()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        monitor = asyncio.ensure_future(self.lag_monitor())

        def reply(value):
            sys.stdout.write(json.dumps(value) + "\n")
            sys.stdout.flush()

        tasks = []
        while True:
            line = await reader.readline()
            if not line:
                break
            command = json.loads(line)
            if command["cmd"] == "open":
                gate = asyncio.Semaphore(command.get("parallel", 64))
                started = time.time()
                tasks = [asyncio.ensure_future(self.run_phone(p, gate)) for p in self.phones]
                try:
                    await asyncio.wait_for(asyncio.gather(*(p.greeted.wait() for p in self.phones)), command.get("timeout", 120))
                except asyncio.TimeoutError:
                    pass
                reply({"ev": "opened", "greeted": sum(p.greeted.is_set() for p in self.phones), "seconds": time.time() - started})
            elif command["cmd"] == "report":
                # Until every phone has the results (or the time is up): late ones count as late, not lost.
                end = time.time() + command.get("wait", 0)
                while time.time() < end and any(command["index"] not in p.r_recv for p in self.phones if p.ws is not None):
                    await asyncio.sleep(0.05)
                reply(self.report(command["index"], command["since"], command["until"]))
            elif command["cmd"] == "reconnects":
                reply({"reconnects": [p.reconnects for p in self.phones], "open": sum(p.ws is not None for p in self.phones),
                       "players": [p.player for p in self.phones]})
            elif command["cmd"] == "stop":
                for phone in self.phones:
                    phone.stopping = True
                await asyncio.gather(*(p.ws.close() for p in self.phones if p.ws is not None), return_exceptions=True)
                for task in tasks:
                    task.cancel()
                reply({"ev": "stopped"})
                break
        monitor.cancel()


# ---------------------------------------------------------------------------------------------
# Coordinator: HTTP set-up, the presenter, the measurements.

class HTTP:
    def __init__(self, base):
        self.base = base.rstrip("/")
        parsed = urllib.parse.urlsplit(self.base)
        self.host, self.port = parsed.hostname, parsed.port or 80
        self.token = None

    def raw(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    def api(self, method, path, body=None, bearer=True):
        headers = {"Content-Type": "application/json"}
        if bearer and self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        status, _, data = self.raw(method, path, json.dumps(body).encode() if body is not None else None, headers)
        if status >= 300:
            raise RuntimeError(f"{method} {path}: {status} {data[:300]!r}")
        return json.loads(data) if data else None


def cookie(headers, name):
    for key, value in headers:
        if key.lower() == "set-cookie" and value.startswith(name + "="):
            return value.split(";", 1)[0].split("=", 1)[1]
    return None


def set_up(http, questions, seconds):
    http.token = http.api("POST", "/api/v1/tokens", {"email": ADMIN[0], "password": ADMIN[1]}, bearer=False)["token"]
    stamp = time.strftime("%H:%M:%S")
    event = http.api("POST", "/api/v1/chapters/toulouse/events", {
        "title": f"Quiz bench {stamp}", "startsAt": "2099-03-20T18:30:00+01:00", "endsAt": "2099-03-20T21:30:00+01:00", "capacity": 80})
    quiz = http.api("POST", "/api/v1/chapters/toulouse/quizzes", {
        "title": f"Bench quiz {stamp}", "language": "en", "shared": False,
        "questions": [{"kind": "single", "prompt": f"Question {i + 1}: which one?", "choices": ["Alpha", "Bravo", "Charlie", "Delta"],
                       "correct": [i % 4], "seconds": seconds, "points": 1000} for i in range(questions)]})
    # The organiser's session: the sign-in form's double-submit cookie, then the session cookie.
    status, headers, page = http.raw("GET", "/signin")
    pre = cookie(headers, "rv_csrf")
    field = re.search(rb'name="_csrf" value="([^"]+)"', page).group(1).decode()
    form = urllib.parse.urlencode({"email": ADMIN[0], "password": ADMIN[1], "_csrf": field})
    status, headers, _ = http.raw("POST", "/signin", form, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"rv_csrf={pre}"})
    session = cookie(headers, "rv_session")
    assert status == 303 and session, f"sign-in failed: {status}"
    status, _, page = http.raw("GET", f"/organize/events/{event['id']}/quiz", headers={"Cookie": f"rv_session={session}"})
    csrf = re.search(rb'name="_csrf" value="([^"]+)"', page).group(1).decode()
    form = urllib.parse.urlencode({"quiz": quiz["id"], "_csrf": csrf})
    status, _, _ = http.raw("POST", f"/organize/events/{event['id']}/quiz/start", form,
                            {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"rv_session={session}"})
    assert status == 303, f"starting the game failed: {status}"
    game = http.api("GET", f"/api/v1/events/{event['id']}/quiz-games")["items"][0]
    return event["id"], game, session


def join_all(urls, code, count, parallel=32):
    local = threading.local()

    def join(n):
        base = urls[n % len(urls)]
        parsed = urllib.parse.urlsplit(base)
        if getattr(local, "connections", None) is None:
            local.connections = {}
        for attempt in range(5):
            connection = local.connections.get(base)
            if connection is None:
                connection = local.connections[base] = http.client.HTTPConnection(parsed.hostname, parsed.port or 80, timeout=60)
            try:
                connection.request("POST", f"/q/{code}", body=urllib.parse.urlencode({"nickname": f"p{n:04d}"}),
                                   headers={"Content-Type": "application/x-www-form-urlencoded"})
                response = connection.getresponse()
                response.read()
                value = cookie(response.getheaders(), "rv_quiz")
                if response.status == 303 and value:
                    return value
                raise RuntimeError(f"join {n}: {response.status}")
            except (OSError, http.client.HTTPException):
                connection.close()
                local.connections[base] = None
                time.sleep(0.2 * (attempt + 1))
        raise RuntimeError(f"join {n} failed")

    started = time.time()
    with ThreadPoolExecutor(parallel) as pool:
        cookies = list(pool.map(join, range(count)))
    return cookies, time.time() - started


def rss(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            fields = dict(line.split(":", 1) for line in status if ":" in line)
        return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024
    except (OSError, KeyError):
        return None, None


class Presenter:
    def __init__(self):
        self.state = None
        self.states = asyncio.Queue()
        self.replies = asyncio.Queue()
        self.ws = None

    async def open(self, url, session):
        from websockets.asyncio.client import connect
        self.ws = await connect(url, additional_headers={"Cookie": f"rv_session={session}"}, ping_interval=None, compression=None,
                                max_size=1 << 22, user_agent_header=None)
        asyncio.ensure_future(self.read())

    async def read(self):
        try:
            async for text in self.ws:
                now = time.time()
                message = json.loads(text)
                if message.get("type") == "quiz":
                    self.state = message
                    await self.states.put((now, message))
                elif message.get("type") == "commanded":
                    await self.replies.put(message)
        except Exception as error:
            print(f"  presenter's socket closed: {error!r}", file=sys.stderr)

    async def command(self, command):
        for _ in range(5):
            version = self.state["version"] if self.state else None
            sent = time.time()
            await self.ws.send(json.dumps({"type": "command", "command": command, "version": version, "id": command}))
            reply = await asyncio.wait_for(self.replies.get(), 10)
            if reply.get("outcome") == "done":
                return sent
            if reply.get("version") is not None and self.state:
                self.state = dict(self.state, version=reply["version"])
            await asyncio.sleep(0.05)
        raise RuntimeError(f"command {command} refused")

    async def wait_phase(self, phase, index, timeout=15):
        end = time.time() + timeout
        while True:
            if self.state and self.state.get("phase") == phase and self.state.get("index") == index:
                return self.state
            try:
                await asyncio.wait_for(self.states.get(), max(0.01, end - time.time()))
            except asyncio.TimeoutError:
                raise RuntimeError(f"presenter never saw {phase} {index}")


class WorkerProcess:
    def __init__(self, process):
        self.process = process

    async def call(self, command, timeout=300):
        self.process.stdin.write((json.dumps(command) + "\n").encode())
        await self.process.stdin.drain()
        line = await asyncio.wait_for(self.process.stdout.readline(), timeout)
        if not line:
            raise RuntimeError("a worker died")
        return json.loads(line)


async def coordinate(args):
    raise_open_files()
    base = args.url[0]
    phone_urls = args.phone_url or args.url
    http = HTTP(base)
    print(f"== Live quiz: {args.players} phones on {', '.join(phone_urls)}, presenter on {base}, "
          f"{args.questions} questions of {args.seconds} s, {args.workers} client processes"
          + (f", kill pid {args.kill_pid} during question {args.kill_at + 1}" if args.kill_pid else ""), flush=True)
    event, game, session = set_up(http, args.questions, args.seconds)
    cookies, join_seconds = join_all(phone_urls, game["code"], args.players)
    print(f"  {args.players} joined by nickname over HTTP in {join_seconds:.1f} s ({args.players / join_seconds:,.0f} joins/s)", flush=True)

    def ws_url(http_url):
        return http_url.replace("http://", "ws://").rstrip("/") + f"/live/{event}?as=player"

    phones = [{"n": n, "name": f"p{n:04d}", "cookie": cookies[n], "url": ws_url(phone_urls[n % len(phone_urls)])} for n in range(args.players)]
    workers = []
    for w in range(args.workers):
        spec = {"phones": phones[w::args.workers], "window": args.window, "margin": args.margin, "seed": w + 1}
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
            json.dump(spec, file)
        process = await asyncio.create_subprocess_exec(
            sys.executable, os.path.abspath(__file__), "--worker", file.name, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            limit=1 << 26)
        workers.append(WorkerProcess(process))
    presenter = Presenter()
    await presenter.open(ws_url(base).replace("as=player", "as=presenter"), session)

    started = time.time()
    opened = await asyncio.gather(*(w.call({"cmd": "open", "parallel": max(8, 128 // args.workers)}) for w in workers))
    greeted = sum(o["greeted"] for o in opened)
    print(f"  {greeted}/{args.players} WebSockets open and greeted with the state in {time.time() - started:.1f} s", flush=True)
    await asyncio.sleep(1.0)
    memory = {pid: rss(pid) for pid in args.pid}

    questions = []
    killed_at = None
    for index in range(args.questions):
        await asyncio.sleep(0.6)
        sent = await presenter.command("next")
        state = await presenter.wait_phase("question", index)
        deadline = state["deadline"] / 1000
        if args.kill_pid and args.kill_at == index:
            await asyncio.sleep(max(0, sent + 1.5 - time.time()))
            os.kill(args.kill_pid, signal.SIGKILL)
            killed_at = time.time()
            print(f"  killed pid {args.kill_pid} at question {index + 1}, {deadline - killed_at:.1f} s before its deadline", flush=True)
        await asyncio.sleep(max(0, deadline + 1.2 - time.time()))
        closed = await presenter.wait_phase("results", index)
        reports = await asyncio.gather(*(w.call({"cmd": "report", "index": index, "since": sent, "until": deadline + 1.0, "wait": 15}) for w in workers))
        merged = {key: sum((r[key] for r in reports), []) for key in ("q", "r", "board", "deadline", "sent", "ack", "dup", "names")}
        fan_out = [t - sent for t in merged["q"] if t is not None]
        results = [t - deadline for t in merged["r"] if t is not None]
        closed_early = sum(1 for t, outcome in zip(merged["sent"], merged["ack"]) if t is not None and outcome == "closed" and t < deadline - 0.1)
        in_window = sum(1 for t in merged["sent"] if t is not None and deadline - 1.0 <= t <= deadline)
        acks = {}
        for outcome in merged["ack"]:
            acks[outcome or "none"] = acks.get(outcome or "none", 0) + 1
        dups = {}
        for outcome in merged["dup"]:
            if outcome is not None:
                dups[outcome] = dups.get(outcome, 0) + 1
        questions.append({
            "index": index, "received": len(fan_out), "first": min(fan_out, default=None), "p50": pct(fan_out, 50), "p99": pct(fan_out, 99), "max": max(fan_out, default=None),
            "results_first": min(results, default=None), "results_received": len(results), "with_leaderboard": sum(1 for b in merged["board"] if b),
            "results_p50": pct(results, 50), "results_p99": pct(results, 99), "results_max": max(results, default=None),
            "sent": sum(1 for t in merged["sent"] if t is not None), "sent_in_last_second": in_window, "closed_sent_100ms_early": closed_early, "acks": acks, "second_sends": dups,
            "client_lag_max": max((r["lag_max"] or 0 for r in reports), default=0),
            "accepted": [name for name, outcome in zip(merged["names"], merged["ack"]) if outcome == "accepted"],
            "unacked": [name for name, sent_at, outcome in zip(merged["names"], merged["sent"], merged["ack"]) if sent_at and not outcome],
            "closed_version": closed.get("version")})
        q = questions[-1]
        print(f"  Q{index + 1}: next→phone first {ms(q['first'])}, p50 {ms(q['p50'])}, p99 {ms(q['p99'])}, max {ms(q['max'])} ({q['received']} phones); "
              f"deadline→results first {ms(q['results_first'])}, p50 {ms(q['results_p50'])}, p99 {ms(q['results_p99'])}, max {ms(q['results_max'])} "
              f"({q['results_received']}, {q['with_leaderboard']} with leaderboard); answers {q['sent']} ({q['sent_in_last_second']} in the last second) "
              f"acks {q['acks']} (closed though sent ≥ 100 ms before the deadline: {q['closed_sent_100ms_early']}), second sends {q['second_sends']}; client loop lag max {ms(q['client_lag_max'])}", flush=True)

    await presenter.command("finish")
    final_memory = {pid: rss(pid) for pid in args.pid if not (args.kill_pid and pid == args.kill_pid)}
    status = await asyncio.gather(*(w.call({"cmd": "reconnects"}) for w in workers))
    reconnects = [r for s in status for phone in s["reconnects"] for r in phone]
    still_open = sum(s["open"] for s in status)

    # Every acknowledged answer counted exactly once: the game's results from the JSON API.
    results = http.api("GET", f"/api/v1/events/{event}/quiz-games/{game['id']}")
    by_name = {}
    for player in results["players"]:
        by_name.setdefault(player["name"], []).append(player)
    duplicate_players = sum(len(v) - 1 for v in by_name.values())
    exact = True
    for q in questions:
        counted = {}
        for player in results["players"]:
            for answer in player["answers"]:
                if answer["question"] == q["index"]:
                    counted[player["name"]] = counted.get(player["name"], 0) + 1
        accepted = set(q["accepted"])
        q["counted"] = len(counted)
        q["counted_twice"] = sum(1 for c in counted.values() if c > 1)
        q["accepted_not_counted"] = len(accepted - counted.keys())
        extra = counted.keys() - accepted
        # An answer the server stored but whose ack never came back (its instance was killed) is
        # counted without an ack; anything else counted without an accepted ack is an error.
        q["counted_unacked"] = len(extra & set(q["unacked"]))
        q["counted_unexplained"] = len(extra - set(q["unacked"]))
        q["exact"] = q["counted_twice"] == 0 and q["accepted_not_counted"] == 0 and q["counted_unexplained"] == 0
        exact = exact and q["exact"]
        del q["accepted"], q["unacked"]
    await asyncio.gather(*(w.call({"cmd": "stop"}) for w in workers), return_exceptions=True)
    for w in workers:
        try:
            await asyncio.wait_for(w.process.wait(), 10)
        except asyncio.TimeoutError:
            w.process.kill()

    fan_p99 = [q["p99"] for q in questions if q["p99"] is not None]
    res_p99 = [q["results_p99"] for q in questions if q["results_p99"] is not None]
    summary = {
        "players": args.players, "joined_players": len(results["players"]), "duplicate_players": duplicate_players, "greeted": greeted,
        "join_seconds": join_seconds, "workers": args.workers, "questions": questions, "exact": exact,
        "next_p99_worst": max(fan_p99, default=None), "next_p50_median": statistics.median([q["p50"] for q in questions if q["p50"] is not None] or [0]),
        "results_p99_worst": max(res_p99, default=None),
        "results_p50_median": statistics.median([q["results_p50"] for q in questions if q["results_p50"] is not None] or [0]),
        "rss_mb": {str(pid): memory[pid][0] for pid in memory}, "hwm_mb": {str(pid): v[1] for pid, v in final_memory.items()},
        "still_open": still_open,
    }
    print(f"  every acknowledged answer counted exactly once: {exact} "
          f"({', '.join('Q%d acked %d counted %d' % (q['index'] + 1, q['acks'].get('accepted', 0), q['counted']) for q in questions)}); "
          f"players stored {len(results['players'])}, same name twice {duplicate_players}")
    print("  server memory with every connection open: "
          + ", ".join(f"pid {pid} VmRSS {v[0]:.0f} MB" for pid, v in memory.items() if v[0] is not None)
          + ("; peak " + ", ".join(f"pid {pid} {v[1]:.0f} MB" for pid, v in final_memory.items() if v[1] is not None) if final_memory else ""))
    if killed_at is not None:
        after = [r for r in reconnects if r[0] >= killed_at - 0.5]
        delays = [r[1] - killed_at for r in after]
        lost = [r for r in after]
        summary["kill"] = {"reconnected": len(after), "p50": pct(delays, 50), "p99": pct(delays, 99), "max": max(delays, default=None),
                           "still_open_at_end": still_open, "questions_after_all_answered": [
                               q["counted"] for q in questions if q["index"] > args.kill_at]}
        print(f"  after the kill: {len(after)} phones reconnected through the proxy (greeted with the state again) "
              f"p50 {ms(pct(delays, 50))}, p99 {ms(pct(delays, 99))}, max {ms(max(delays, default=None))} after the kill; "
              f"{still_open}/{args.players} open at the end; answers counted in the questions after: "
              f"{summary['kill']['questions_after_all_answered']} of {args.players}")
    else:
        summary["reconnects"] = len(reconnects)
    print("JSON " + json.dumps(summary), flush=True)
    return 0 if exact and greeted == args.players else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--url", action="append", default=[], help="server URL (the first: API, presenter)")
    parser.add_argument("--phone-url", action="append", default=[], help="URLs the phones use, round robin (default: --url)")
    parser.add_argument("--pid", action="append", type=int, default=[], help="server process ids, for their memory")
    parser.add_argument("--players", type=int, default=2000)
    parser.add_argument("--questions", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=5, help="each question's time limit (5 to 240)")
    parser.add_argument("--workers", type=int, default=2, help="client processes holding the phones' sockets")
    parser.add_argument("--window", type=float, default=1.0, help="answers are sent in this many seconds before the deadline")
    parser.add_argument("--margin", type=float, default=0.03, help="…and at least this long before it")
    parser.add_argument("--kill-pid", type=int)
    parser.add_argument("--kill-at", type=int, default=2, help="question (from 0) during which --kill-pid is killed")
    args = parser.parse_args()
    uv = use_uvloop()
    if args.worker:
        with open(args.worker) as file:
            spec = json.load(file)
        os.unlink(args.worker)
        asyncio.run(Worker(spec).main())
        return 0
    if not args.url:
        parser.error("--url is required")
    if not uv:
        print("  (uvloop not installed: the plain asyncio loop)", file=sys.stderr)
    return asyncio.run(coordinate(args))


if __name__ == "__main__":
    sys.exit(main())

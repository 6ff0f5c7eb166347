#!/usr/bin/env python3
"""Kill test with real processes (make test): a registration rush through nginx onto three
instances on one PostgreSQL (scripts/cluster.sh), one instance killed with SIGKILL in the middle;
then a message to everyone, another instance killed while the messages leave; then an organiser
creating a series of meetups, the instance killed while it writes them; then a rush of
registrations for a chapter with a webhook endpoint (scripts/webhook-receiver.py, answering some
deliveries late), two instances killed while deliveries they sent wait for their answer.

Afterwards: every registration acknowledged to a client is in the database with the status it was
given, no event has more confirmed people than seats, waitlist positions are unique, and every
outbox message has been sent, once (a message whose sender was killed mid-send may go again, with
the same Message-ID: reported, and bounded by one claimed batch); every series is wholly there or
wholly absent, and the form sent again leaves exactly one; every registration acknowledged (and
every one stored) has its webhook delivered, received with a good signature, none lost, and a
delivery received twice (its sender killed before the answer) has the same id and body: at least
once is the contract, duplicates are counted.

Usage: kill_test.py [ROUNDS]. Settings: KILL_TEST_PORT (a base port with the nine above it free;
default: a free one), BIN (default .build/debug/rendezvous), KILL_TEST_RUSH (attempts, 400),
KILL_TEST_SERIES (series killed per round, 4), KILL_TEST_WEBHOOKS (registrations in the webhook
rush, 120; 0 skips it)."""
import asyncio, http.client, http.cookiejar, json, os, random, re, socket, subprocess, sys, threading, time, urllib.parse, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLUSTER = os.path.join(ROOT, "scripts", "cluster.sh")
RECEIVER = os.path.join(ROOT, "scripts", "webhook-receiver.py")
CAPACITY = 40


def free_base():
    """A base port with itself and the nine above it free on loopback."""
    for _ in range(200):
        probe = socket.socket(); probe.bind(("127.0.0.1", 0)); base = probe.getsockname()[1]; probe.close()
        if base > 65000:
            continue
        ok = True
        for port in range(base, base + 10):
            s = socket.socket()
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                ok = False
            finally:
                s.close()
        if ok:
            return base
    raise SystemExit("no free ports")


class Cluster:
    def __init__(self, port):
        self.port = port
        self.env = dict(os.environ, CLUSTER_PORT=str(port), CLUSTER_DIR=f"/tmp/rendezvous-killtest-{port}",
                        BIN=os.environ.get("BIN", os.path.join(ROOT, ".build/debug/rendezvous")),
                        RATE_LIMIT="off", OUTBOX_LEASE="3", WEBHOOK_LEASE="4", LOG_LEVEL="warning")

    def run(self, *args, check=True):
        return subprocess.run([CLUSTER, *args], env=self.env, check=check, capture_output=True, text=True)

    def sql(self, query):
        out = self.run("psql", "-At", "-F", "\t", "-c", query).stdout
        return [line.split("\t") for line in out.splitlines() if line]

    def request(self, method, path, body=None, token=None, headers=None):
        headers = dict(headers or {}, **{"Content-Type": "application/json"})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method, headers=headers)
        with urllib.request.urlopen(req, timeout=30) as response:
            payload = response.read()
            return json.loads(payload) if payload else None

    def pid(self, n):
        try:
            with open(os.path.join(self.env["CLUSTER_DIR"], f"instance-{n}.pid")) as f:
                return int(f.read())
        except (OSError, ValueError):
            return None


async def register(port, event_id, index, results, gate, prefix, answers=None):
    email = f"{prefix}{index}@example.org"
    body = json.dumps({"firstName": "Kill", "lastName": f"Test {index}", "email": email,
                       "jobTitle": "Tester", "company": "Cluster", "acceptCodeOfConduct": True}).encode()
    request = (f"POST /api/v1/events/{event_id}/registrations HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
               f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body
    async with gate:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            await writer.drain()
            raw = await asyncio.wait_for(reader.read(), 30)
            writer.close()
            head, _, payload = raw.partition(b"\r\n\r\n")
            status = int(head.split(b" ")[1])
            data = json.loads(payload) if status == 201 else {}
            results.append((email, status, data.get("status"), data.get("waitlistPosition")))
            if answers is not None and status == 201:
                answers[email] = data
        except Exception as error:  # a connection the killed instance held: not acknowledged
            results.append((email, 0, repr(error), None))


async def rush(cluster, event_id, count, kill_after, prefix):
    results, gate = [], asyncio.Semaphore(48)
    killed = asyncio.Event()

    async def killer():
        while len(results) < kill_after:
            await asyncio.sleep(0.005)
        cluster.run("kill", "2")
        killed.set()

    kill_task = asyncio.create_task(killer())
    await asyncio.gather(*(register(cluster.port, event_id, i, results, gate, prefix) for i in range(count)))
    await kill_task
    return results


def one_round(cluster, token, round_number, count):
    event = cluster.request("POST", "/api/v1/chapters/toulouse/events", {
        "title": f"Kill test {round_number}", "startsAt": "2099-01-20T18:30:00+01:00", "endsAt": "2099-01-20T21:30:00+01:00",
        "capacity": CAPACITY}, token)["id"]
    started = time.time()
    results = asyncio.run(rush(cluster, event, count, count // 4, f"kill{round_number}-"))
    cluster.run("restart", "2")
    acknowledged = [r for r in results if r[1] == 201]
    statuses = {}
    for r in results:
        statuses[r[1]] = statuses.get(r[1], 0) + 1
    problems = []
    if len(acknowledged) < CAPACITY:
        problems.append(f"only {len(acknowledged)} registrations acknowledged: the rush did not get through")
    stored = {row[0]: row[1] for row in cluster.sql(
        f"SELECT email, status FROM registrations WHERE event_id = '{event}'")}
    for email, _, status, _ in acknowledged:
        if email not in stored:
            problems.append(f"acknowledged but missing: {email}")
        elif stored[email] != status:
            problems.append(f"{email} acknowledged {status}, stored {stored[email]}")
    confirmed = sum(1 for s in stored.values() if s == "confirmed")
    if confirmed > CAPACITY:
        problems.append(f"overbooked: {confirmed} confirmed for {CAPACITY} seats")
    positions = [p for _, _, s, p in acknowledged if s == "waitlisted"]
    if len(positions) != len(set(positions)):
        problems.append("two people acknowledged the same waitlist position")
    # Every message of this round leaves; each once (or again with the same Message-ID when its
    # sender was killed mid-send).
    deadline = time.time() + 30
    while time.time() < deadline:
        pending = int(cluster.sql(f"SELECT COUNT(*) FROM outbox WHERE event_id = '{event}' AND status = 'pending'")[0][0])
        if pending == 0:
            break
        time.sleep(0.5)
    sent = {row[0] for row in cluster.sql(f"SELECT id FROM outbox WHERE event_id = '{event}' AND status = 'sent'")}
    other = cluster.sql(f"SELECT status, COUNT(*) FROM outbox WHERE event_id = '{event}' AND status <> 'sent' GROUP BY status")
    if other:
        problems.append(f"messages not sent: {other}")
    files = message_files(cluster)
    sent_files = {k: v for k, v in files.items() if k in sent}
    missing = sent - set(sent_files)
    if missing:
        problems.append(f"{len(missing)} messages marked sent without a file")
    again = sum(len(v) - 1 for v in sent_files.values())
    if again > 20:
        problems.append(f"{again} messages sent twice (more than the killed sender's one batch)")
    if len(sent) < len(acknowledged):
        problems.append(f"{len(sent)} messages for {len(acknowledged)} acknowledged registrations")
    print(f"  round {round_number}: {count} attempts in {time.time() - started:.1f} s, statuses {statuses}, "
          f"{len(acknowledged)} acknowledged ({confirmed} confirmed of {CAPACITY}), {len(sent)} messages sent "
          f"by instances {sorted({n for v in sent_files.values() for n in v})}, {again} sent again after the kill"
          + ("" if not problems else "\n    PROBLEMS: " + "\n    ".join(problems[:10])))
    return not problems and mail_round(cluster, event, round_number)


def message_files(cluster):
    """Message id -> the instances whose outbox folder holds its .eml file."""
    files = {}
    for n in (1, 2, 3):
        folder = os.path.join(cluster.env["CLUSTER_DIR"], f"outbox-{n}")
        for name in os.listdir(folder) if os.path.isdir(folder) else []:
            if name.endswith(".eml") and name.startswith("outbox-"):
                files.setdefault(name[len("outbox-"):-len(".eml")], []).append(n)
    return files


def mail_round(cluster, event, round_number):
    """A message to everyone of the evening (as an organiser's broadcast queues it), and instance 3
    killed with SIGKILL as soon as the first ones leave: every message goes, once, or again with the
    same Message-ID when the killed sender had claimed it."""
    before = message_files(cluster)
    cluster.sql(f"""
        INSERT INTO outbox (id, kind, registration_id, event_id, chapter_id, recipient, payload, status, attempts,
                            next_attempt_at, last_error, subject, created_at)
        SELECT gen_random_uuid(), 'broadcast', r.id, r.event_id, e.chapter_id, '',
               '{{"subject":"Kill test {round_number}","body":"See you tonight.","from":"The organisers"}}',
               'pending', 0, now(), '', '', now()
        FROM registrations r JOIN events e ON e.id = r.event_id WHERE r.event_id = '{event}'
        RETURNING id""")
    queued = {row[0] for row in cluster.sql(f"SELECT id FROM outbox WHERE event_id = '{event}' AND kind = 'broadcast'")}
    started = time.time()
    while time.time() - started < 10:
        if int(cluster.sql(f"SELECT COUNT(*) FROM outbox WHERE event_id = '{event}' AND kind = 'broadcast' AND status = 'sent'")[0][0]) > 0:
            break
        time.sleep(0.02)
    cluster.run("kill", "3")
    killed_at = int(cluster.sql(f"SELECT COUNT(*) FROM outbox WHERE event_id = '{event}' AND kind = 'broadcast' AND status = 'sent'")[0][0])
    cluster.run("restart", "3")
    deadline = time.time() + 30
    while time.time() < deadline:
        if int(cluster.sql(f"SELECT COUNT(*) FROM outbox WHERE event_id = '{event}' AND kind = 'broadcast' AND status = 'pending'")[0][0]) == 0:
            break
        time.sleep(0.5)
    problems = []
    statuses = dict(cluster.sql(f"SELECT status, COUNT(*) FROM outbox WHERE event_id = '{event}' AND kind = 'broadcast' GROUP BY status"))
    if statuses != {"sent": str(len(queued))}:
        problems.append(f"not every message sent: {statuses}")
    files = {k: v for k, v in message_files(cluster).items() if k in queued and k not in before}
    missing = queued - set(files)
    if missing:
        problems.append(f"{len(missing)} messages without a file")
    again = sum(len(v) - 1 for v in files.values())
    if again > 20:
        problems.append(f"{again} messages sent twice (more than the killed sender's one batch)")
    print(f"  round {round_number}, mail: {len(queued)} messages, instance 3 killed after {killed_at} had left, "
          f"all sent in {time.time() - started:.1f} s by instances {sorted({n for v in files.values() for n in v})}, "
          f"{again} sent again (same Message-ID)"
          + ("" if not problems else "\n    PROBLEMS: " + "\n    ".join(problems[:10])))
    return not problems


class Organiser:
    """An organiser signed in through the workspace's forms (the session is in PostgreSQL, so any
    instance serves it)."""
    def __init__(self, cluster, port):
        self.cluster = cluster
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        page = self.get(port, "/signin")
        self.post(port, "/signin", {"email": "admin@rendezvous.example.org", "password": "rendezvous-admin",
                                    "_csrf": hidden(page, "_csrf")})
        if not any(c.name == "rv_session" for c in self.cookies):
            raise SystemExit("kill test: could not sign in through the form")

    def get(self, port, path):
        with self.opener.open(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
            return response.read().decode()

    def post(self, port, path, fields):
        data = urllib.parse.urlencode(fields).encode()
        with self.opener.open(urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method="POST"), timeout=30) as response:
            return response.status, response.read().decode()

    def raw_post(self, port, path, fields, answered):
        """The form sent on a connection of its own, without following the redirect: `answered`
        gets the status, or 0 when the instance died before answering."""
        body = urllib.parse.urlencode(fields)
        cookie = "; ".join(f"{c.name}={c.value}" for c in self.cookies)
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
            answered.append(connection.getresponse().status)
        except Exception:
            answered.append(0)


def hidden(page, name):
    found = re.search(rf'name="{name}" value="([^"]+)"', page)
    if not found:
        raise SystemExit(f"kill test: no {name} field in the page")
    return found.group(1)


# Holds back the 13th event of a series titled "Stalled …" until the test releases advisory lock
# 4242, so that one kill lands, for certain, halfway through the series' writes.
STALL = """
CREATE OR REPLACE FUNCTION kill_test_stall() RETURNS trigger AS $$
BEGIN
  IF NEW.title LIKE 'Stalled %' AND (SELECT COUNT(*) FROM events WHERE title = NEW.title) = 12 THEN
    PERFORM pg_advisory_xact_lock(4242);
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE OR REPLACE TRIGGER kill_test_stall BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION kill_test_stall();
"""


def stalled_kill(cluster, organiser, port, sent, count):
    """Instance 1 sends the series' form and is killed while its 13th event waits (the 12 before it
    written): after the restart none may be there. Returns the problems."""
    def waiting():
        return int(cluster.sql("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND NOT granted")[0][0])

    cluster.sql(STALL)
    holder = subprocess.Popen([CLUSTER, "psql", "-q", "-c", "SELECT pg_advisory_lock(4242)", "-c", "SELECT pg_sleep(120)"],
                              env=dict(cluster.env, PGAPPNAME="kill-test-stall"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    problems = []
    try:
        deadline = time.time() + 30
        while int(cluster.sql("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND granted")[0][0]) == 0:
            if time.time() > deadline:
                return ["the stalled series: the test never held its lock"]
            time.sleep(0.05)
        answered = []
        sender = threading.Thread(target=organiser.raw_post, args=(port, "/organize/toulouse/series", sent, answered))
        sender.start()
        while waiting() == 0:
            if time.time() > deadline or not sender.is_alive():
                problems.append(f"the stalled series never waited at its 13th event (answer {answered})")
                break
            time.sleep(0.05)
        cluster.run("kill", "1")
        sender.join()
    finally:
        # Its session ends, and the lock with it (killing psql would leave the sleep running).
        cluster.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'kill-test-stall'")
        holder.wait()
    # The held-back statement goes on, then its transaction dies with the killed connection: the
    # DROP waits for it (the trigger's table is in use until then).
    cluster.sql("DROP TRIGGER kill_test_stall ON events; DROP FUNCTION kill_test_stall()")
    cluster.run("restart", "1")
    after_kill = int(cluster.sql(f"SELECT COUNT(*) FROM events WHERE title = '{sent['title']}'")[0][0])
    if not problems and after_kill != 0:
        problems.append(f"{sent['title']}: killed after 12 of {count} events were written, {after_kill} are there (expected none)")
    return problems


def series_round(cluster, round_number, attempts):
    """An organiser creates a series of 24 meetups on instance 1, which is killed with SIGKILL while
    it writes them (once held back halfway, then at random moments): after the restart the series is
    wholly there or wholly absent, and sending the same form again (through nginx, as the browser's
    retry would) leaves exactly one series."""
    organiser = Organiser(cluster, cluster.port)
    port = cluster.port + 1
    count = 24
    fields = {"from": "2098-01-01", "startTime": "18:30", "hours": "3", "capacity": "50", "count": str(count),
              "pattern": "weekly", "ordinal": "3", "weekday": "4", "venueId": ""}

    def stored(title):
        return int(cluster.sql(f"SELECT COUNT(*) FROM events WHERE title = '{title}'")[0][0])

    def form(title):
        page = organiser.get(port, "/organize/toulouse/series/new")
        return dict(fields, title=title, _csrf=hidden(page, "_csrf"), seriesKey=hidden(page, "seriesKey"))

    # How long a whole series takes here, unkilled: the kills land within that time.
    title = f"Series {round_number}-timing"
    started = time.time()
    answered = []
    organiser.raw_post(port, "/organize/toulouse/series", form(title), answered)
    duration = time.time() - started
    problems = [] if answered == [303] and stored(title) == count else [f"unkilled series: answer {answered}, {stored(title)} events"]
    # Killed halfway for certain, then sent again.
    sent = form(f"Stalled {round_number}")
    problems += stalled_kill(cluster, organiser, port, sent, count)
    status, _ = organiser.post(cluster.port, "/organize/toulouse/series", sent)
    if status != 200 or stored(sent["title"]) != count:
        problems.append(f"{sent['title']}: the retry answered {status} and left {stored(sent['title'])} events (expected {count})")
    outcomes = {"absent": 0, "whole": 0}
    unanswered_whole = 0
    for attempt in range(attempts):
        title = f"Series {round_number}-{attempt}"
        sent = form(title)
        answered = []
        sender = threading.Thread(target=organiser.raw_post, args=(port, "/organize/toulouse/series", sent, answered))
        sender.start()
        time.sleep(random.uniform(0, duration))
        cluster.run("kill", "1")
        sender.join()
        cluster.run("restart", "1")
        after_kill = stored(title)
        if after_kill not in (0, count):
            problems.append(f"{title}: {after_kill} of {count} events after the kill (half a series)")
        elif answered == [303] and after_kill != count:
            problems.append(f"{title}: acknowledged but {after_kill} events")
        outcomes["whole" if after_kill == count else "absent"] += 1
        if after_kill == count and answered != [303]:
            unanswered_whole += 1
        if answered == [303]:
            outcomes["answered"] = outcomes.get("answered", 0) + 1
        # The browser sends the form again: through nginx, to whichever instance.
        status, _ = organiser.post(cluster.port, "/organize/toulouse/series", sent)
        if status != 200 or stored(title) != count:
            problems.append(f"{title}: the retry answered {status} and left {stored(title)} events (expected {count})")
    print(f"  round {round_number}, series: {count} meetups in {duration * 1000:.0f} ms unkilled; instance 1 killed once "
          f"held back after 12 of them (none left), then {attempts} times at random while creating one: {outcomes['absent']} absent, {outcomes['whole']} whole after the restart "
          f"({outcomes.get('answered', 0)} answered before the kill, {unanswered_whole} whole but never answered), never half; "
          f"each retry left exactly one series"
          + ("" if not problems else "\n    PROBLEMS: " + "\n    ".join(problems[:10])))
    return not problems


class Receiver:
    """scripts/webhook-receiver.py in a process of its own: it checks every signature and keeps
    every delivery it got, by id, with a hash of its body; it holds back half of its answers
    0.3–1.5 s (set per round)."""
    def __init__(self):
        self.process = subprocess.Popen([sys.executable, RECEIVER, "--quiet"], stdout=subprocess.PIPE, text=True)
        self.port = int(self.process.stdout.readline().split()[-1])

    def call(self, method, body=None, query=""):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/_receiver{query}", data=data, method=method)
        with urllib.request.urlopen(request, timeout=10) as response:
            payload = response.read()
            return json.loads(payload) if payload else None

    def stop(self):
        self.process.terminate()
        self.process.wait()


def on_the_wire(cluster, receiver, ports):
    """Instance number -> how many of the deliveries being answered (the receiver's client ports)
    its process sent: the established sockets to the receiver in /proc/net/tcp, by the process
    holding each (what `ss -tnp` shows)."""
    inodes = {}
    with open("/proc/net/tcp") as table:
        for line in table.readlines()[1:]:
            fields = line.split()
            local, remote, state, inode = fields[1], fields[2], fields[3], fields[9]
            if state == "01" and int(remote.split(":")[1], 16) == receiver.port and int(local.split(":")[1], 16) in ports:
                inodes[f"socket:[{inode}]"] = True
    held = {}
    for n in (1, 2, 3):
        folder = f"/proc/{cluster.pid(n)}/fd"
        count = 0
        for fd in os.listdir(folder) if os.path.isdir(folder) else []:
            try:
                count += os.readlink(f"{folder}/{fd}") in inodes
            except OSError:  # closed meanwhile
                pass
        if count:
            held[n] = count
    return held


def kill_mid_delivery(cluster, receiver, spare, at_least, deadline):
    """Once the receiver has `at_least` deliveries, kills (SIGKILL) an instance other than `spare`
    while deliveries it sent wait for their answer. Preferably one whose 8 connections to the
    receiver (AsyncHTTPClient's limit per host) are nearly all held by late answers, so that more of
    its claimed batch waits unsent behind them: a sender that marked deliveries delivered before
    sending them would lose those. Returns (instance, deliveries on the wire), or (None, 0)
    when the deliveries were over before a kill could land."""
    first_chance = None
    while time.time() < deadline:
        state = receiver.call("GET", query="?summary")
        if state["count"] >= at_least and state["inFlight"]:
            first_chance = first_chance or time.time()
            held = {n: c for n, c in on_the_wire(cluster, receiver, set(state["inFlight"])).items() if n not in spare}
            if held:
                n = max(held, key=held.get)
                if held[n] >= 6 or time.time() - first_chance > 3:
                    cluster.run("kill", str(n))
                    return n, held[n]
        time.sleep(0.02)
    return None, 0


def webhook_round(cluster, token, receiver, round_number, count):
    """A rush of registrations (and some cancellations) for a chapter with a webhook endpoint, a
    real receiver answering some deliveries late, and two instances killed with SIGKILL while
    deliveries they sent wait for their answer. Afterwards every registration stored, and every one
    acknowledged, has its delivery delivered, each received with a good signature; a delivery
    received again (its sender was killed before it saw the answer) has the same id and the same
    body: at least once, never lost. Duplicates are counted, bounded by the killed senders' batches."""
    round_began = time.time()
    hook = cluster.request("POST", "/api/v1/chapters/toulouse/webhooks", {
        "url": f"http://127.0.0.1:{receiver.port}/hooks/kill-test-{round_number}",
        "types": ["registration.created", "registration.cancelled"]}, token)
    receiver.call("DELETE")
    receiver.call("POST", {"secret": hook["secret"], "slow": 0.5, "delay": [0.3, 1.5]})
    event = cluster.request("POST", "/api/v1/chapters/toulouse/events", {
        "title": f"Webhook kill test {round_number}", "startsAt": "2099-02-20T18:30:00+01:00", "endsAt": "2099-02-20T21:30:00+01:00",
        "capacity": CAPACITY}, token)["id"]
    started = time.time()
    kills = []

    def killer():
        spare, restarts = set(), []
        for at_least in (count // 6, count // 3):
            n, held = kill_mid_delivery(cluster, receiver, spare, at_least, time.time() + 20)
            kills.append((n, held))
            if n is not None:
                spare.add(n)
                restarts.append(threading.Thread(target=cluster.run, args=("restart", str(n))))
                restarts[-1].start()
        for restart in restarts:
            restart.join()

    thread = threading.Thread(target=killer)
    thread.start()
    results, answers = [], {}

    async def rush():
        # Spread over 3 s, so that the kills land during the rush as well as during the deliveries.
        gate = asyncio.Semaphore(48)

        async def arrive(i):
            await asyncio.sleep(random.uniform(0, 3))
            await register(cluster.port, event, i, results, gate, f"hook{round_number}-", answers)

        await asyncio.gather(*(arrive(i) for i in range(count)))

    asyncio.run(rush())
    # A tenth cancel while the deliveries go (and the instances die).
    cancelled = []
    for email, data in list(answers.items())[:count // 10]:
        try:
            cluster.request("POST", f"/api/v1/registrations/{data['id']}/cancel", {}, headers={"X-Manage-Token": data["manageToken"]})
            cancelled.append(data["id"])
        except Exception:  # the instance died before answering: not acknowledged
            pass
    thread.join()
    endpoint = hook["id"]
    deadline = time.time() + 40
    while time.time() < deadline:
        if int(cluster.sql(f"SELECT COUNT(*) FROM webhook_deliveries WHERE endpoint_id = '{endpoint}' AND status = 'pending'")[0][0]) == 0:
            break
        time.sleep(0.25)
    took = time.time() - started
    rows = {row[0]: row[1:] for row in cluster.sql(f"""
        SELECT id, status, type, body::json->'data'->>'registration_id', body::json->'data'->>'status',
               encode(sha256(convert_to(body, 'UTF8')), 'hex')
        FROM webhook_deliveries WHERE endpoint_id = '{endpoint}'""")}
    received = {}
    for delivery in receiver.call("GET")["deliveries"]:
        received.setdefault(delivery["id"], []).append(delivery)
    problems = []
    statuses = {}
    for status, *_ in rows.values():
        statuses[status] = statuses.get(status, 0) + 1
    if set(statuses) != {"delivered"}:
        problems.append(f"not every delivery delivered: {statuses}")
    told = {(kind, registration): (delivery, status) for delivery, (_, kind, registration, status, _) in rows.items()}
    acknowledged = {data["id"]: data["status"] for data in answers.values()}
    unqueued, unreceived, mistold = [], [], []
    for registration, status in acknowledged.items():
        delivery, told_status = told.get(("registration.created", registration), (None, None))
        if delivery is None:
            unqueued.append(registration)
        elif delivery not in received:
            unreceived.append(registration)
        elif told_status != status:
            mistold.append(f"{registration} acknowledged {status}, told {told_status}")
    for registration in cancelled:
        delivery, _ = told.get(("registration.cancelled", registration), (None, None))
        if delivery is None:
            unqueued.append(f"{registration} (cancelled)")
        elif delivery not in received:
            unreceived.append(f"{registration} (cancelled)")
    if unreceived:
        problems.append(f"{len(unreceived)} acknowledged registrations or cancellations whose webhook never reached the receiver, e.g. {unreceived[:3]}")
    if unqueued:
        problems.append(f"{len(unqueued)} acknowledged registrations or cancellations without a queued webhook, e.g. {unqueued[:3]}")
    if mistold:
        problems.append(f"{len(mistold)} told another status than acknowledged, e.g. {mistold[:3]}")
    stored = {row[0] for row in cluster.sql(f"SELECT id FROM registrations WHERE event_id = '{event}'")}
    untold = [r for r in stored if ("registration.created", r) not in told]
    if untold:
        problems.append(f"{len(untold)} stored registrations without their registration.created")
    lost = [d for d, (status, *_) in rows.items() if status == "delivered" and d not in received]
    if lost:
        problems.append(f"{len(lost)} deliveries marked delivered but never received (lost), e.g. {lost[:3]}")
    for delivery, copies in received.items():
        if delivery not in rows:
            problems.append(f"received {delivery}, which is not queued")
            continue
        if any(not c["valid"] for c in copies):
            problems.append(f"{delivery}: a bad signature")
        if any(c["bodyId"] != delivery for c in copies):
            problems.append(f"{delivery}: the header's id differs from the body's")
        if {c["sha256"] for c in copies} != {rows[delivery][4]}:
            problems.append(f"{delivery}: received {len(copies)} times, the bodies differ (from each other or from the queued one)")
    again = sum(len(c) - 1 for c in received.values())
    landed = [(n, held) for n, held in kills if n is not None]
    if not landed:
        problems.append("no kill landed while deliveries waited for their answer: the round tested nothing")
    if again > 20 * len(landed):
        problems.append(f"{again} deliveries received twice (more than the killed senders' batches of 20)")
    unanswered = sum(1 for copies in received.values() if len(copies) > 1 and not copies[0]["answered"])
    codes = {}
    for _, status, _, _ in results:
        codes[status] = codes.get(status, 0) + 1
    print(f"  round {round_number}, webhooks: {count} registrations ({codes}), {len(acknowledged)} acknowledged, {len(cancelled)} cancelled; "
          f"instances killed while their deliveries waited for an answer: "
          f"{', '.join(f'{n} ({held} on the wire)' if n else 'none (deliveries over)' for n, held in kills)}; "
          f"{len(rows)} deliveries, settled in {took:.1f} s, {again} received twice (same id and body; "
          f"{unanswered} of them unanswered when their sender died), {len(lost)} lost; the round took {time.time() - round_began:.1f} s"
          + ("" if not problems else "\n    PROBLEMS: " + "\n    ".join(problems[:10])))
    cluster.request("DELETE", f"/api/v1/chapters/toulouse/webhooks/{endpoint}", token=token)
    return not problems, {"kills": len(landed), "deliveries": len(rows), "again": again, "lost": len(lost)}


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    count = int(os.environ.get("KILL_TEST_RUSH", "400"))
    port = int(os.environ.get("KILL_TEST_PORT", "0")) or free_base()
    cluster = Cluster(port)
    began = time.time()
    receiver = None
    try:
        start = cluster.run("start", check=False)
        if start.returncode != 0:
            print(start.stdout, start.stderr)
            return 1
        token = cluster.request("POST", "/api/v1/tokens", {"email": "admin@rendezvous.example.org", "password": "rendezvous-admin"})["token"]
        print("kill test: three instances behind nginx on one PostgreSQL; instance 2 killed (SIGKILL) a quarter into "
              "each rush, instance 3 while the messages leave, instance 1 while a series of meetups is written")
        series = int(os.environ.get("KILL_TEST_SERIES", "4"))
        hooks = int(os.environ.get("KILL_TEST_WEBHOOKS", "120"))
        receiver = Receiver()
        totals = {"kills": 0, "deliveries": 0, "again": 0, "lost": 0}
        ok = True
        for n in range(rounds):
            ok = one_round(cluster, token, n + 1, count) and series_round(cluster, n + 1, series)
            if ok and hooks:
                ok, figures = webhook_round(cluster, token, receiver, n + 1, hooks)
                totals = {k: totals[k] + figures[k] for k in totals}
            if not ok:
                break
        if hooks:
            print(f"kill test, webhooks: {totals['deliveries']} deliveries in {n + 1} rounds, {totals['kills']} instances killed "
                  f"while deliveries they sent waited for an answer, {totals['again']} received twice (same id and body), {totals['lost']} lost")
        print(f"kill test: {'passed' if ok else 'FAILED'} in {time.time() - began:.0f} s")
        return 0 if ok else 1
    finally:
        if receiver:
            receiver.stop()
        cluster.run("stop", check=False)


if __name__ == "__main__":
    sys.exit(main())

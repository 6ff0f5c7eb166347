"""Browser tests: the real server (debug build) on a fresh SQLite database, driven by Debian's
headless Chromium through chromedriver. Started once per session."""
import email, json, os, pathlib, shutil, socket, subprocess, tempfile, time, types, urllib.request
from email import policy

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = pathlib.Path(__file__).resolve().parents[2]
# The debug build by default; BIN=path runs the same tests against another build (a release).
BINARY = pathlib.Path(os.environ.get("BIN") or ROOT / ".build" / "debug" / "rendezvous")


def page_replaced(page):
    """A wait condition: the page whose <html> element was taken has been replaced by the next.
    Like selenium's staleness_of, but chromedriver sometimes answers a question about a node of a
    page being torn down with "Node with given id does not belong to the document" (an unknown
    error, not a stale reference): that also means the page is gone."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    def replaced(_driver):
        try:
            page.is_enabled()
            return False
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error) or "No node with given id" in str(error):
                return True
            raise
    return replaced


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api(base, method, path, body=None, token=None):
    # A registration accepts the code of conduct, as every registration must.
    if method == "POST" and path.endswith("/registrations") and body and "firstName" in body:
        body = {"acceptCodeOfConduct": True, **body}
    request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def start_server(port, prefix, log_level="error"):
    """A server of one test module: its own SQLite database, .eml outbox directory and port, a network
    admin (admin@example.org) and the Toulouse chapter. Stop it with `stop_server`."""
    directory = tempfile.mkdtemp(prefix=prefix)
    outbox = pathlib.Path(directory) / "outbox"
    outbox.mkdir()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, DATABASE_URL=f"sqlite://{directory}/db.sqlite", PORT=str(port), RATE_LIMIT="off",
               BASE_URL=base, LOG_LEVEL=log_level, OUTBOX_DIR=str(outbox), DOOR_WINDOW_HOURS="10000000")
    subprocess.run([BINARY, "migrate"], env=env, check=True, capture_output=True)
    subprocess.run([BINARY, "user", "add", "--email", "admin@example.org", "--password", "browser-admin-pw",
                    "--role", "network-admin"], env=env, check=True, capture_output=True)
    log = pathlib.Path(directory) / "server.log"
    process = subprocess.Popen([BINARY, "serve", "--hostname", "127.0.0.1"], env=env, stdout=open(log, "wb"), stderr=subprocess.STDOUT)
    server = types.SimpleNamespace(base=base, directory=directory, outbox=outbox, db=f"{directory}/db.sqlite", log=log, process=process, token=None,
                                   env=env)
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/healthz")
                break
            except OSError:
                time.sleep(0.05)
        server.token = api(base, "POST", "/api/v1/tokens", {"email": "admin@example.org", "password": "browser-admin-pw"})["token"]
        api(base, "POST", "/api/v1/chapters", {"slug": "toulouse", "name": "#LinkedInLocal Toulouse", "city": "Toulouse",
                                               "countryCode": "FR", "timeZone": "Europe/Paris", "locale": "fr"}, server.token)
    except BaseException:
        stop_server(server)
        raise
    return server


def newest_mail(outbox, address, subject_part, timeout=20):
    """The newest .eml to `address` whose subject holds `subject_part`, parsed as a mail client would."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for path in sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True):
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            if address in str(message["to"]) and subject_part in str(message["subject"]):
                return message
        time.sleep(0.2)
    raise AssertionError(f"no mail to {address} about {subject_part!r}")


def stop_server(server):
    server.process.terminate()
    server.process.wait(timeout=10)
    shutil.rmtree(server.directory, ignore_errors=True)


@pytest.fixture(scope="session")
def server():
    directory = tempfile.mkdtemp(prefix="rendezvous-browser-")
    port = free_port()
    env = dict(os.environ, DATABASE_URL=f"sqlite://{directory}/db.sqlite", PORT=str(port), RATE_LIMIT="off",
               BASE_URL=f"http://127.0.0.1:{port}", LOG_LEVEL="error",
               # The events here are in 2099: the door may admit at any time.
               DOOR_WINDOW_HOURS="10000000")
    subprocess.run([BINARY, "migrate"], env=env, check=True, capture_output=True)
    subprocess.run([BINARY, "user", "add", "--email", "admin@example.org", "--password", "browser-admin-pw",
                    "--role", "network-admin"], env=env, check=True, capture_output=True)
    process = subprocess.Popen([BINARY, "serve", "--hostname", "127.0.0.1"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/healthz")
            break
        except OSError:
            time.sleep(0.05)
    token = api(base, "POST", "/api/v1/tokens", {"email": "admin@example.org", "password": "browser-admin-pw"})["token"]
    api(base, "POST", "/api/v1/chapters", {"slug": "toulouse", "name": "#LinkedInLocal Toulouse", "city": "Toulouse",
                                           "countryCode": "FR", "timeZone": "Europe/Paris", "locale": "fr"}, token)
    subprocess.run([BINARY, "user", "add", "--email", "orga@example.org", "--password", "browser-orga-pw",
                    "--role", "organizer", "--chapter", "toulouse", "--name", "Natalajia Princeva"], env=env, check=True, capture_output=True)
    event = api(base, "POST", "/api/v1/chapters/toulouse/events", {
        "title": "Rencontre de janvier", "startsAt": "2099-01-20T18:30:00+01:00", "endsAt": "2099-01-20T21:30:00+01:00",
        "capacity": 1, "venue": {"name": "Halles de la Cartoucherie", "address": "31300 Toulouse"},
        "speakers": [{"name": "Jean-Christophe Boussion", "jobTitle": "Fondateur, PowerPitch"}]}, token)
    yield {"base": base, "event": event, "token": token}
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture()
def browser():
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=390,844", "--lang=fr-FR"]:
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "fr-FR,fr"})
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(20)
    yield driver
    driver.quit()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On failure, keep a screenshot and the page under .build/browser-failures for a person to look at."""
    outcome = yield
    report = outcome.get_result()
    driver = item.funcargs.get("browser")
    if report.when == "call" and report.failed and driver is not None:
        folder = ROOT / ".build" / "browser-failures"
        folder.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(folder / f"{item.name}.png"))
        (folder / f"{item.name}.html").write_text(driver.page_source)

"""An axe-core audit of every kind of page, in French and in English: public pages as a
visitor sees them, organiser, door and admin pages signed in as the network admin. A serious or
critical violation fails the page's test, listed by rule, impact and element."""
import importlib.util
import pathlib
import re
import subprocess
import tempfile
import time
import urllib.request

import pytest
from axe_selenium_python import Axe
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import api
from test_quiz import join_with_nickname, new_browser
from test_registration import click_and_wait, fill
from test_room import SHOTS

LANGUAGES = ["fr", "en"]
# axe-core 4 from axe-playwright-python (see scripts/python-venv.sh), run by axe-selenium-python.
AXE_SCRIPT = str(pathlib.Path(importlib.util.find_spec("axe_playwright_python").submodule_search_locations[0]) / "axe.min.js")

# (name, who looks at it) in the order a person meets them; the URLs come from the `world` fixture.
PUBLIC = ["home", "chapter", "event", "registration-errors", "manage", "contact-card", "bingo-card", "quiz-enter",
          "quiz-join", "quiz-play", "sign-in", "password-forgot", "password-reset-expired", "apply", "ticket-signed-out",
          "cancel-confirmation", "follow"]
SIGNED_IN = ["organiser-index", "dashboard", "event-workspace", "event-form-new", "event-form-edit", "series-form",
             "attendee-import", "badges", "bingo-setup", "room", "quiz-library", "quiz-editor", "quiz-question",
             "game-console", "message", "audience", "outbox", "settings", "branding", "event-images", "team", "audit",
             "admin-overview", "admin-applications", "admin-directory", "venue-edit", "handover", "account-password",
             "door", "ticket", "big-screen"]


def admin_sign_in(base, browser):
    browser.get(f"{base}/signin")
    browser.find_element(By.NAME, "email").send_keys("admin@example.org")
    browser.find_element(By.NAME, "password").send_keys("browser-admin-pw")
    click_and_wait(browser, "main form button[type=submit]")


def decode(url):
    """The address a QR code in the picture at `url` holds, as a phone's camera reads it."""
    with urllib.request.urlopen(url) as response, tempfile.NamedTemporaryFile(suffix=".png") as image:
        image.write(response.read())
        image.flush()
        return subprocess.run(["zbarimg", "--quiet", "--raw", image.name], capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture(scope="module")
def world(server):
    """An evening with people, bingo cards, a quiz game under way and a ticket: one URL per page."""
    (SHOTS / "axe-minor.txt").unlink(missing_ok=True)
    base, token = server["base"], server["token"]
    event = api(base, "POST", "/api/v1/chapters/toulouse/events", {
        "title": "Soirée accessible", "startsAt": "2099-05-21T18:30:00+02:00", "endsAt": "2099-05-21T21:30:00+02:00",
        "capacity": 3, "venue": {"name": "Halles de la Cartoucherie", "address": "31300 Toulouse"},
        "speakers": [{"name": "Jean-Christophe Boussion", "jobTitle": "Fondateur, PowerPitch"}]}, token)
    people = []
    for index, (first, last) in enumerate([("Zoé", "Prinčeva"), ("Karim", "Benali"), ("Léa", "Martin"), ("Hugo", "Durand")]):
        people.append(api(base, "POST", f"/api/v1/events/{event['id']}/registrations", {
            "firstName": first, "lastName": last, "email": f"a11y{index}@example.org", "jobTitle": "Consultante",
            "company": "Airbus" if index < 2 else "Thales", "askMeAbout": "le pitch", "bingoFacts": ["hasPet", "playsMusic"],
            "gamesConsent": True, "profileSharing": True}))
    quiz = api(base, "POST", "/api/v1/chapters/toulouse/quizzes", {"title": "Quiz accessible", "language": "fr", "questions": [
        {"kind": "single", "prompt": "En quelle année LinkedIn a-t-il été fondé ?", "choices": ["1999", "2002", "2006"], "correct": [1], "seconds": 60},
    ]}, token)
    urls = {
        "home": "/", "chapter": "/chapters/toulouse", "event": f"/events/{event['id']}",
        "registration-errors": f"/events/{event['id']}", "manage": f"/manage/{people[0]['manageToken']}",
        "bingo-card": f"/manage/{people[0]['manageToken']}/bingo", "quiz-enter": "/q", "sign-in": "/signin",
        "password-forgot": "/password/forgot", "password-reset-expired": "/password/reset/not-a-valid-token", "apply": "/apply",
        "organiser-index": "/organize", "dashboard": "/organize/toulouse", "event-workspace": f"/organize/events/{event['id']}",
        "event-form-new": "/organize/toulouse/events/new", "event-form-edit": f"/organize/events/{event['id']}/edit",
        "series-form": "/organize/toulouse/series/new", "attendee-import": f"/organize/events/{event['id']}/import",
        "badges": f"/organize/events/{event['id']}/badges", "bingo-setup": f"/organize/events/{event['id']}/bingo",
        "room": f"/organize/events/{event['id']}/room", "quiz-library": "/organize/toulouse/quizzes",
        "quiz-editor": f"/organize/toulouse/quizzes/{quiz['id']}", "quiz-question": f"/organize/toulouse/quizzes/{quiz['id']}/questions/0",
        "game-console": f"/organize/events/{event['id']}/quiz", "message": f"/organize/events/{event['id']}/message",
        "audience": "/organize/toulouse/audience", "follow": "/chapters/toulouse/follow",
        "outbox": "/organize/toulouse/outbox", "settings": "/organize/toulouse/settings", "branding": "/organize/toulouse/branding",
        "event-images": f"/organize/events/{event['id']}/images", "team": "/organize/toulouse/team", "audit": "/organize/toulouse/audit",
        "admin-overview": "/admin", "admin-applications": "/admin/applications", "admin-directory": "/admin/directory",
        "door": f"/door/{event['id']}", "big-screen": f"/screen/{event['id']}",
        "cancel-confirmation": f"/manage/{people[2]['manageToken']}", "venue-edit": "/admin/directory",
        "handover": "/admin/chapters/toulouse/handover", "account-password": "/account/password",
    }
    # The contact card and the ticket are reached through the codes printed for the attendee.
    ticket = decode(f"{base}/manage/{people[1]['manageToken']}/ticket.png")
    urls["ticket"] = urls["ticket-signed-out"] = ticket[len(base):]
    organiser = new_browser(1280, 900)
    try:
        admin_sign_in(base, organiser)
        # Bingo cards, so that the attendee's card exists; a quiz game, so that phones can join it.
        organiser.get(f"{base}/organize/events/{event['id']}/bingo")
        click_and_wait(organiser, "form.card button[type=submit]")
        organiser.get(f"{base}/organize/events/{event['id']}/quiz")
        organiser.find_element(By.CSS_SELECTOR, f"#f-quiz option[value='{quiz['id']}']").click()
        click_and_wait(organiser, "#start form button[type=submit]")
        code = organiser.find_element(By.CSS_SELECTOR, ".quiz-code-inline").text
        screen = organiser.find_element(By.CSS_SELECTOR, "a[href*='/screen/']").get_attribute("href")
        urls["big-screen"] = screen[len(base):]
    finally:
        organiser.quit()
    urls["quiz-join"] = f"/q/{code}"
    urls["quiz-play"] = f"/q/{code}/play"
    # The contact card is what the QR code on the badge opens, as the person who scans it sees it.
    urls["contact-card"] = decode(f"{base}/manage/{people[0]['manageToken']}/badge.png")[len(base):]
    return {"urls": urls, "code": code, "event": event}


@pytest.fixture(scope="module")
def drivers(server):
    """Per language: a visitor's browser (a phone) and the network admin's (a laptop), kept for every page."""
    opened = {}

    def get(language, signed_in):
        key = (language, signed_in)
        if key not in opened:
            accept = "fr-FR,fr" if language == "fr" else "en-US,en"
            driver = new_browser(1280, 900, accept) if signed_in else new_browser(390, 844, accept)
            driver.get(f"{server['base']}/?lang={language}")
            if signed_in:
                admin_sign_in(server["base"], driver)
            opened[key] = driver
        return opened[key]

    yield get
    for driver in opened.values():
        driver.quit()


def serious_violations(browser):
    axe = Axe(browser, script_url=AXE_SCRIPT)
    axe.inject()
    results = axe.run()
    # An id given twice leaves the second field's label pointing at the first (axe 4 only reports
    # the ids that ARIA references): every id on a page is unique.
    duplicates = browser.execute_script("""
        const seen = new Map();
        for (const element of document.querySelectorAll('[id]')) seen.set(element.id, (seen.get(element.id) || 0) + 1);
        return [...seen].filter(([, count]) => count > 1).map(([id]) => id);""")
    lines = [f"duplicate-id (serious): #{identifier} — ids must be unique" for identifier in duplicates]
    minor = []
    for violation in results["violations"]:
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            line = f"{violation['id']} ({violation['impact']}): {target} — {violation['help']}"
            (lines if violation["impact"] in ("serious", "critical") else minor).append(line)
    # Moderate and minor findings do not fail the audit; they are kept for a person to read.
    if minor:
        SHOTS.mkdir(parents=True, exist_ok=True)
        with open(SHOTS / "axe-minor.txt", "a") as report:
            report.write(f"{browser.current_url}\n" + "".join(f"  {line}\n" for line in minor))
    return lines


def open_page(base, browser, name, urls, world, language):
    url = urls[name]
    assert url, f"no URL for {name}"
    browser.get(f"{base}{url}")
    if name == "registration-errors":
        fill(browser, {"firstName": "Zoé", "lastName": "Quinquies", "email": "zoe@example", "jobTitle": ""})
        click_and_wait(browser, "form.profile button[type=submit]")
        assert browser.find_elements(By.CSS_SELECTOR, "[aria-invalid=true]"), "the form shows its errors"
    elif name == "quiz-play":
        join_with_nickname(browser, base, world["code"], f"Axe {language}")
        WebDriverWait(browser, 10).until(lambda b: b.find_element(By.ID, "quiz-view").text.strip())
    elif name == "cancel-confirmation":
        # Cancelling asks first (a page of its own without JavaScript, a dialog with it).
        click_and_wait(browser, "form.action button.danger")
    elif name == "venue-edit":
        click_and_wait(browser, "a[href*='/admin/directory/venues/']")
    elif name in ("door", "big-screen", "game-console", "room"):
        time.sleep(1)  # their scripts draw the live state after loading
    if name == "big-screen":
        # The lobby counts the phones that joined, in the singular for one (and for none in French).
        shown = browser.find_element(By.CSS_SELECTOR, "#quiz-overlay .quiz-players").text
        count = int(shown.split()[0])
        word = ("joueur" if count <= 1 else "joueurs") if language == "fr" else ("player" if count == 1 else "players")
        assert shown == f"{count} {word}", shown


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PUBLIC + SIGNED_IN)
def test_no_serious_accessibility_violation(server, world, drivers, name, language):
    browser = drivers(language, name in SIGNED_IN)
    open_page(server["base"], browser, name, world["urls"], world, language)
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == language, f"{name} is in {language}"
    # The page itself, not an error page in its place (except where the error is the page).
    error = browser.find_elements(By.CSS_SELECTOR, "main section.card > p[role=alert]")
    assert bool(error) == (name == "password-reset-expired"), f"{name}: {error[0].text if error else 'no error'}"
    lines = serious_violations(browser)
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SHOTS / f"axe-{name}-{language}.png"))
    assert not lines, f"{name} ({language}, {browser.current_url}):\n" + "\n".join(lines)


@pytest.mark.parametrize("language, full", [("fr", "Complet"), ("en", "Full")])
def test_a_full_meetup_is_announced_once(server, drivers, language, full):
    """A screen reader reads the seats once, as one sentence: no hidden "Full" term before the
    count on the event page or on the chapter's and the network's cards."""
    base, token = server["base"], server["token"]
    title = f"Soirée complète {language}"
    event = api(base, "POST", "/api/v1/chapters/toulouse/events", {
        "title": title, "startsAt": "2099-06-18T18:30:00+02:00", "endsAt": "2099-06-18T21:30:00+02:00", "capacity": 1}, token)
    api(base, "POST", f"/api/v1/events/{event['id']}/registrations",
        {"firstName": "Zoé", "lastName": "Complet", "email": f"full.{language}@example.org", "jobTitle": "Consultante"})
    browser = drivers(language, False)
    browser.get(f"{base}/events/{event['id']}")
    facts = browser.find_element(By.CSS_SELECTOR, ".ticket .facts")
    spoken = browser.execute_script("return arguments[0].textContent", facts)
    assert spoken.count(full) == 1, spoken
    assert not facts.find_elements(By.CSS_SELECTOR, ".visually-hidden"), "nothing in the facts is for screen readers only"
    availability = browser.find_element(By.ID, "availability")
    term = browser.execute_script("return arguments[0].previousElementSibling", availability)
    assert term.is_displayed() and term.text and full not in term.text, term.text
    for page in ("/chapters/toulouse", "/"):
        browser.get(f"{base}{page}")
        cards = [card for card in browser.find_elements(By.CSS_SELECTOR, ".event-card, .card") if title in card.text]
        for card in cards:
            spoken = browser.execute_script("return arguments[0].textContent", card)
            assert spoken.count(full) == 1, f"{page}: {spoken}"

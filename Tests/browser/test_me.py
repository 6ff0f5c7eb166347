"""My Rendezvous and "We met" on two phones: two browsers (two cookie jars) each sign in with the
link read from the .eml the server wrote, open the other's contact card from the QR code on their
badge (decoded with zbarimg, as a phone camera would), tap "We met"; the other accepts, and both
see the contact. Runs its own server (port 8185) with its own outbox directory."""
import datetime, email, json, os, pathlib, re, shutil, sqlite3, subprocess, tempfile, time, urllib.request
from email import policy

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import BINARY, api, newest_mail, start_server, stop_server
from test_accessibility import serious_violations
from test_registration import click_and_wait, fill

SHOTS = pathlib.Path(__file__).resolve().parents[2] / ".build" / "browser-shots"
PORT = 8185
ADDRESSES = {"Karim": "karim@example.org", "Léa": "lea@example.org"}


@pytest.fixture(scope="module")
def me_server():
    server = start_server(PORT, "rendezvous-me-")
    try:
        base, token = server.base, server.token
        event = api(base, "POST", "/api/v1/chapters/toulouse/events", {
            "title": "Rencontre de février", "startsAt": "2099-02-20T18:30:00+01:00", "endsAt": "2099-02-20T21:30:00+01:00",
            "capacity": 50, "venue": {"name": "Halles de la Cartoucherie", "address": "31300 Toulouse"}}, token)
        later = api(base, "POST", "/api/v1/chapters/toulouse/events", {
            "title": "Rencontre de mars", "startsAt": "2099-03-20T18:30:00+01:00", "endsAt": "2099-03-20T21:30:00+01:00",
            "capacity": 50, "venue": {"name": "Halles de la Cartoucherie", "address": "31300 Toulouse"}}, token)
        people = {}
        for first, last, mail in [("Karim", "Benali", "karim@example.org"), ("Léa", "Martin", "lea@example.org")]:
            people[first] = api(base, "POST", f"/api/v1/events/{event['id']}/registrations", {
                "firstName": first, "lastName": last, "email": mail, "jobTitle": "Ingénieur·e", "company": "Airbus",
                "linkedinUrl": f"https://www.linkedin.com/in/{mail.split('@')[0]}-test", "consents": {"attendeeList": True, "profileSharing": False}})
        yield {"base": base, "event": event, "later": later, "people": people, "outbox": server.outbox, "db": server.db}
    finally:
        stop_server(server)


def sign_in_link(outbox, address, timeout=15):
    """The sign-in link of the newest .eml to `address`, as the recipient's mail client reads it."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        for path in sorted(outbox.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True):
            message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
            if address in str(message["to"]):
                text = message.get_body(preferencelist=("plain",)).get_content()
                found = re.search(r"https?://\S+/me/signin/\S+", text)
                if found:
                    return found.group(0), str(message["subject"])
        time.sleep(0.2)
    raise AssertionError(f"no sign-in mail to {address}")


def contact_url(me_server, person):
    """What a phone camera reads on the person's badge: the contact card's address."""
    with urllib.request.urlopen(f"{me_server['base']}/manage/{person['manageToken']}/badge.png") as response, \
            tempfile.NamedTemporaryFile(suffix=".png") as f:
        f.write(response.read())
        f.flush()
        return subprocess.run(["zbarimg", "--quiet", "--raw", f.name], capture_output=True, text=True, check=True).stdout.strip()


def test_two_phones_scan_each_other_say_we_met_and_both_see_the_contact(me_server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    second = make_browser()
    try:
        phones = {"Karim": browser, "Léa": second}
        for first, phone in phones.items():
            phone.set_window_size(390, 844)
            phone.get(f"{me_server['base']}/me?lang=fr")
            fill(phone, {"email": ADDRESSES[first]})
            click_and_wait(phone, "main form button[type=submit]")
            assert "un lien de connexion est en route" in phone.find_element(By.CSS_SELECTOR, "[role=status]").text
        browser.save_screenshot(str(SHOTS / "me-link-sent.png"))
        for first, phone in phones.items():
            link, subject = sign_in_link(me_server["outbox"], ADDRESSES[first])
            assert "Mon Rendezvous" in subject
            phone.get(link)
            # The link opens a page with one button: opening it signs nobody in.
            assert "Se connecter en tant que" in phone.find_element(By.TAG_NAME, "main").text
            click_and_wait(phone, "main form button[type=submit]")
            assert "Rencontre de février" in phone.find_element(By.ID, "upcoming").text
        browser.save_screenshot(str(SHOTS / "me-signed-in.png"))
        # Karim scans Léa's badge and taps "We met" with a private note.
        browser.get(contact_url(me_server, me_server["people"]["Léa"]))
        assert "Léa Martin" in browser.find_element(By.TAG_NAME, "h1").text
        fill(browser, {"note": "recrutement en aéronautique"})
        browser.save_screenshot(str(SHOTS / "me-card-we-met.png"))
        assert serious_violations(browser) == []
        click_and_wait(browser, "#we-met button[type=submit]")
        assert "La personne devra confirmer" in browser.find_element(By.CSS_SELECTOR, "#we-met [role=status]").text
        # Léa sees "Karim says you met" in My Rendezvous, and accepts.
        second.get(f"{me_server['base']}/me")
        incoming = second.find_element(By.ID, "incoming").text
        assert "Karim Benali dit vous avoir rencontré·e" in incoming
        assert "aéronautique" not in second.page_source, "Karim's note is his own"
        second.save_screenshot(str(SHOTS / "me-incoming.png"))
        assert serious_violations(second) == []
        click_and_wait(second, "#incoming button.primary")
        people = second.find_element(By.ID, "people").text
        assert "Karim Benali" in people and "En contact" in people
        second.execute_script("document.getElementById('people').scrollIntoView()")
        second.save_screenshot(str(SHOTS / "me-lea-connected.png"))
        # She shares her LinkedIn profile with the people she accepts (off by default).
        second.get(f"{me_server['base']}/me/profile")
        second.execute_script("arguments[0].click()", second.find_element(By.NAME, "shareLinkedin"))
        click_and_wait(second, "main form button[type=submit]")
        assert "Profil enregistré" in second.find_element(By.CSS_SELECTOR, "[role=status]").text
        browser.get(f"{me_server['base']}/me")
        assert browser.find_element(By.CSS_SELECTOR, "#people a[href='https://www.linkedin.com/in/lea-test']").text == "Profil LinkedIn"
        people = browser.find_element(By.ID, "people").text
        assert "Léa Martin" in people and "En contact" in people
        assert browser.find_element(By.NAME, "note").get_attribute("value") == "recrutement en aéronautique"
        browser.execute_script("document.getElementById('people').scrollIntoView()")
        browser.save_screenshot(str(SHOTS / "me-karim-connected.png"))
        assert not re.search(r"\b(me|form)\.[a-zA-Z]", browser.find_element(By.TAG_NAME, "main").text), "a catalog key shown as text"
        assert serious_violations(browser) == []
        # His profile: what he shares with people he accepts (off by default).
        click_and_wait(browser, "a[href='/me/profile']")
        assert browser.find_element(By.NAME, "firstName").get_attribute("value") == "Karim"
        assert not browser.find_element(By.NAME, "shareEmail").is_selected()
        browser.save_screenshot(str(SHOTS / "me-profile.png"))
        assert not re.search(r"\b(me|form)\.[a-zA-Z]", browser.find_element(By.TAG_NAME, "main").text), "a catalog key shown as text"
        assert serious_violations(browser) == []
        # The attendee list of the evening, with "We met" for people not scanned.
        browser.get(f"{me_server['base']}/me/events/{me_server['event']['id']}")
        assert "Léa Martin" in browser.find_element(By.TAG_NAME, "main").text
        assert serious_violations(browser) == []
        # Léa's card on Karim's phone now says they are connected.
        browser.get(contact_url(me_server, me_server["people"]["Léa"]))
        assert "En contact" in browser.find_element(By.ID, "we-met").text
        # The next meetup's form fills itself from his profile in one tap (the page itself is the
        # same cached page for everyone: the profile comes from /me/profile.json).
        browser.get(f"{me_server['base']}/events/{me_server['later']['id']}")
        button = WebDriverWait(browser, 5).until(lambda b: b.find_element(By.CSS_SELECTOR, ".me-prefill button"))
        assert button.text == "Utiliser mon profil"
        assert browser.find_element(By.NAME, "email").get_attribute("value") == ""
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
        browser.save_screenshot(str(SHOTS / "me-prefill-offer.png"))
        button.click()
        assert browser.find_element(By.NAME, "firstName").get_attribute("value") == "Karim"
        assert browser.find_element(By.NAME, "email").get_attribute("value") == "karim@example.org"
        assert browser.find_element(By.NAME, "linkedinUrl").get_attribute("value") == "https://www.linkedin.com/in/karim-test"
        browser.save_screenshot(str(SHOTS / "me-prefilled.png"))
        with urllib.request.urlopen(f"{me_server['base']}/events/{me_server['later']['id']}") as response:
            assert "karim@example.org" not in response.read().decode()
    finally:
        second.quit()


def test_the_morning_after_mail_brings_the_contact_and_a_one_click_rating(me_server, browser):
    """The evening took place yesterday and Karim and Léa came: the organiser adds the speaker's
    slides and sends the morning-after mail; Karim's .eml lists Léa with her LinkedIn, the slides
    and the 0–10 scale; one click rates the evening, and the organiser sees the result."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    base, event_id = me_server["base"], me_server["event"]["id"]
    # Setting the scene in the database: the evening was yesterday, both came (the door is tested elsewhere).
    with sqlite3.connect(me_server["db"]) as db:
        kind = db.execute("SELECT typeof(starts_at) FROM events WHERE id = ? OR id = ?", (event_id, event_id.upper())).fetchone()[0]
        start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=20)
        value = start.timestamp() if kind in ("real", "integer") else start.strftime("%Y-%m-%dT%H:%M:%SZ")
        end = (start + datetime.timedelta(hours=3)).timestamp() if kind in ("real", "integer") else (start + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
        changed = db.execute("UPDATE events SET starts_at = ?, ends_at = ? WHERE lower(id) = lower(?)", (value, end, event_id)).rowcount
        assert changed == 1
        db.execute("UPDATE registrations SET checked_in_at = ?, checked_in_by = 'Accueil' WHERE lower(event_id) = lower(?)", (value, event_id))
    # The organiser (here the network admin) adds the slides and sends the mail now.
    browser.get(f"{base}/signin")
    browser.find_element(By.NAME, "email").send_keys("admin@example.org")
    browser.find_element(By.NAME, "password").send_keys("browser-admin-pw")
    click_and_wait(browser, "main form button[type=submit]")
    browser.get(f"{base}/organize/events/{event_id}/follow-up")
    assert "2 personnes sont venues" in browser.find_element(By.TAG_NAME, "main").text
    fill(browser, {"resources": "Supports https://example.org/supports.pdf"})
    click_and_wait(browser, "#resources button[type=submit]")
    assert "Les liens sont enregistrés" in browser.find_element(By.CSS_SELECTOR, "[role=status]").text
    click_and_wait(browser, "form[action$='/follow-up/send'] button")
    assert "2 personnes sont venues" in browser.find_element(By.TAG_NAME, "main").text
    browser.save_screenshot(str(SHOTS / "follow-up-confirm.png"))
    click_and_wait(browser, "main form button[type=submit]")
    assert "part vers chaque personne venue" in browser.find_element(By.CSS_SELECTOR, "[role=status]").text
    # Karim's mail, as his mail client reads it.
    mail = newest_mail(me_server["outbox"], "karim@example.org", "les personnes que vous avez rencontrées")
    text = mail.get_body(preferencelist=("plain",)).get_content()
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert "Léa Martin" in text and "https://www.linkedin.com/in/lea-test" in text
    assert "https://example.org/supports.pdf" in text
    assert "recrutement en aéronautique" not in text, "his note stays in My Rendezvous"
    assert mail["List-Unsubscribe"], "one click stops them"
    # Each score link names the attendee's language, so the page opens in it whatever the browser's.
    links = re.findall(r'href="([^"]+/feedback/[^"?]+\?score=(\d+)&amp;lang=fr)"', html)
    assert [int(score) for _, score in links] == list(range(11))
    # One click on 9 in the mail: the page opens with 9 chosen; a comment, and it is recorded.
    karim = make_browser()
    try:
        karim.get(dict((score, url) for url, score in links)["9"].replace("&amp;", "&"))
        assert karim.find_element(By.ID, "score-9").is_selected()
        karim.save_screenshot(str(SHOTS / "feedback-form.png"))
        assert serious_violations(karim) == []
        fill(karim, {"comment": "Super intervenant, plus de temps pour échanger"})
        click_and_wait(karim, "main form button[type=submit]")
        assert "votre réponse est enregistrée" in karim.find_element(By.CSS_SELECTOR, "[role=status]").text
        assert karim.find_element(By.ID, "score-9").is_selected()
        karim.save_screenshot(str(SHOTS / "feedback-thanks.png"))
    finally:
        karim.quit()
    # The organiser sees the result: the rating, its chart and table, the comment without a name.
    browser.get(f"{base}/organize/events/{event_id}/follow-up")
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "Note moyenne 9,0/10 (1 réponse)" in main
    assert "Super intervenant" in main and "Karim" not in main
    assert browser.find_element(By.CSS_SELECTOR, "svg.bar-chart title").get_attribute("textContent")
    browser.save_screenshot(str(SHOTS / "follow-up-result.png"))
    assert serious_violations(browser) == []


def make_browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=390,844", "--lang=fr-FR"]:
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "fr-FR,fr"})
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(20)
    return driver

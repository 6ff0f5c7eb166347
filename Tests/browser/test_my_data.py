"""My data on a phone: an attendee registers (accepting the code of conduct), opens "My data" from the
manage link and downloads the JSON file, signs in to My Rendezvous with the mailed link, changes a
consent, downloads everything again, then erases themselves; afterwards nothing of theirs is left in
the database, the outbox's .eml files, or the pages. Runs its own server (port 8091) with its own
outbox directory."""
import json, os, pathlib, re, shutil, sqlite3, subprocess, tempfile, time, urllib.error, urllib.request

import pytest
from selenium.webdriver.common.by import By

from conftest import BINARY, api, start_server, stop_server
from test_accessibility import serious_violations
from test_me import sign_in_link
from test_registration import click_and_wait, fill

SHOTS = pathlib.Path(__file__).resolve().parents[2] / ".build" / "browser-shots"
PORT = 8091
EMAIL = "ines.marker@example.org"


@pytest.fixture(scope="module")
def data_server():
    server = start_server(PORT, "rendezvous-data-", log_level="info")
    try:
        base, token = server.base, server.token
        events = [api(base, "POST", "/api/v1/chapters/toulouse/events", {
            "title": title, "startsAt": f"2099-{month}-20T18:30:00+01:00", "endsAt": f"2099-{month}-20T21:30:00+01:00",
            "capacity": 50, "venue": {"name": "Halles de la Cartoucherie", "address": "31300 Toulouse"}}, token)
            for title, month in [("Rencontre d’avril", "04"), ("Rencontre de juin", "06")]]
        yield {"base": base, "events": events, "outbox": server.outbox, "db": server.db, "log": server.log,
               "downloads": pathlib.Path(server.directory) / "downloads"}
    finally:
        stop_server(server)


def downloaded(folder, suffix, before, timeout=15):
    """The file the browser saved in `folder` since `before` (a set of names)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        new = [p for p in folder.glob(f"*{suffix}") if p.name not in before]
        if new and not list(folder.glob("*.crdownload")):
            return new[0]
        time.sleep(0.2)
    raise AssertionError(f"no {suffix} downloaded in {folder}")


def no_horizontal_scroll(browser):
    return browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")


def test_an_attendee_downloads_then_erases_their_data_from_their_phone(data_server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    base = data_server["base"]
    downloads = data_server["downloads"]
    downloads.mkdir(exist_ok=True)
    browser.set_window_size(390, 844)
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})

    # She registers for April on her phone: the code of conduct is a required, linked box.
    april, june = data_server["events"]
    browser.get(f"{base}/events/{april['id']}?lang=fr")
    box = browser.find_element(By.ID, "f-acceptCodeOfConduct")
    assert box.find_element(By.XPATH, "following-sibling::label/a").get_attribute("href").endswith("/code-of-conduct")
    for name, value in {"firstName": "Inès", "lastName": "Marqueur", "email": EMAIL, "jobTitle": "Architecte"}.items():
        browser.find_element(By.NAME, name).send_keys(value)
    browser.execute_script("arguments[0].click()", browser.find_element(By.ID, "f-consentList"))
    click_and_wait(browser, "form.profile button[type=submit]")
    error = browser.find_element(By.ID, "f-acceptCodeOfConduct-error")
    assert error.text == "Acceptez le code de conduite pour vous inscrire."
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", error)
    browser.save_screenshot(str(SHOTS / "data-conduct-required.png"))
    fill(browser, {"firstName": "Inès", "email": EMAIL})
    click_and_wait(browser, "form.profile button[type=submit]")
    assert "Vous êtes inscrit·e" in browser.page_source
    manage_url = browser.find_element(By.ID, "manage-url").get_attribute("href")
    # And for June through the API (another app), accepting it too.
    api(base, "POST", f"/api/v1/events/{june['id']}/registrations",
        {"firstName": "Inès", "lastName": "Marqueur", "email": EMAIL, "jobTitle": "Architecte", "acceptCodeOfConduct": True})

    # From the manage link: this registration's data, downloaded.
    browser.get(manage_url)
    click_and_wait(browser, ".me-link a[href$='/data']")
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "Mes données" in main and "Rencontre d’avril" in main and "Rencontre de juin" not in main
    assert "Code de conduite accepté le" in main
    assert no_horizontal_scroll(browser)
    browser.save_screenshot(str(SHOTS / "data-manage.png"))
    before = {p.name for p in downloads.iterdir()}
    browser.find_element(By.ID, "download-json").click()
    exported = json.loads(downloaded(downloads, ".json", before).read_text())
    assert exported["format"] == "rendezvous-personal-data"
    assert [r["event"]["title"] for r in exported["registrations"]] == ["Rencontre d’avril"]
    assert exported["registrations"][0]["conductAcceptedAt"]

    # Signed in to My Rendezvous with the mailed link: both registrations.
    browser.get(f"{base}/me?lang=fr")
    fill(browser, {"email": EMAIL})
    click_and_wait(browser, "main form button[type=submit]")
    link, _ = sign_in_link(data_server["outbox"], EMAIL)
    browser.get(link)
    click_and_wait(browser, "main form button[type=submit]")
    click_and_wait(browser, "a[href='/me/data']")
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "Rencontre d’avril" in main and "Rencontre de juin" in main
    assert not re.search(r"\b(data|me|form)\.[a-zA-Z]", main), "a catalog key shown as text"
    assert no_horizontal_scroll(browser)
    assert serious_violations(browser) == []
    browser.save_screenshot(str(SHOTS / "data-me.png"))
    # The attendee list is given on April only: shown as such, left as it is unless she chooses.
    mixed = browser.find_element(By.ID, "f-consent-list")
    assert "sur certaines de vos inscriptions seulement" in mixed.text
    assert mixed.find_element(By.CSS_SELECTOR, "input[value=keep]").is_selected()
    # She withdraws from the attendee list everywhere at once.
    browser.execute_script("arguments[0].click()", mixed.find_element(By.CSS_SELECTOR, "input[value=off]"))
    browser.execute_script("document.getElementById('consents').scrollIntoView()")
    browser.save_screenshot(str(SHOTS / "data-consents-mixed.png"))
    click_and_wait(browser, "#consents button[type=submit]")
    assert "Vos consentements sont enregistrés" in browser.find_element(By.CSS_SELECTOR, "[role=status]").text
    assert not browser.find_element(By.ID, "f-consent-list").is_selected()
    browser.execute_script("document.getElementById('consents').scrollIntoView()")
    browser.save_screenshot(str(SHOTS / "data-consents-saved.png"))
    with urllib.request.urlopen(f"{base}/events/{april['id']}") as response:
        assert "Marqueur" not in response.read().decode()
    for old in downloads.iterdir():
        old.unlink()
    before = set()
    browser.find_element(By.ID, "download-json").click()
    everything = json.loads(downloaded(downloads, ".json", before).read_text())
    assert len(everything["registrations"]) == 2
    assert {c["consent"] for c in everything["consentChanges"]} == {"list"}
    assert everything["signIns"]

    # She erases herself: one tap asks, the second erases and signs her out.
    click_and_wait(browser, "#erase button.danger")
    assert "Effacer mes données" in browser.find_element(By.TAG_NAME, "h1").text
    assert "2 inscriptions" in browser.find_element(By.TAG_NAME, "main").text
    assert no_horizontal_scroll(browser)
    browser.save_screenshot(str(SHOTS / "data-erase-confirm.png"))
    click_and_wait(browser, "section.confirm button.danger")
    assert "Vos données sont effacées" in browser.find_element(By.TAG_NAME, "main").text
    browser.save_screenshot(str(SHOTS / "data-erased.png"))
    browser.get(f"{base}/me")
    assert browser.find_elements(By.NAME, "email"), "signed out: the sign-in form"
    with pytest.raises(urllib.error.HTTPError) as gone:
        urllib.request.urlopen(manage_url)
    assert gone.value.code == 404

    # Nothing of hers is left: database, outbox files, server log.
    with sqlite3.connect(data_server["db"]) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert db.execute("SELECT COUNT(*) FROM registrations WHERE email <> ''").fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM registrations").fetchone()[0] == 2, "organisers keep the count"
    for suffix in ["", "-wal"]:
        path = pathlib.Path(data_server["db"] + suffix)
        if path.exists():
            data = path.read_bytes()
            assert b"ines.marker" not in data and "Marqueur".encode() not in data, f"{path.name} holds her"
    for eml in data_server["outbox"].glob("*.eml"):
        assert "ines.marker" not in eml.read_text(errors="replace")
    assert b"ines.marker" not in data_server["log"].read_bytes()

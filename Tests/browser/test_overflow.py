"""Overflow end to end (issue 15): a full evening's waitlist passes the chapter's threshold; a
waiting person said "any date works for me" on the form; the organiser opens a second evening in
one step from the dashboard; the offer mails go out (read from the .eml files the server writes); a
waiting person accepts from the mail's link and is confirmed on the new date, their place on the
first evening's waitlist released. Runs its own server (port 8092) with its own outbox directory."""
import base64, email, os, pathlib, re, shutil, subprocess, tempfile, time, urllib.error, urllib.request, uuid
from email import policy

import pytest
from selenium.webdriver.common.by import By

from conftest import BINARY, api, newest_mail, start_server, stop_server
from test_accessibility import serious_violations
from test_registration import click_and_wait, fill

SHOTS = pathlib.Path(__file__).resolve().parents[2] / ".build" / "browser-shots"
PORT = 8092


@pytest.fixture(scope="module")
def overflow_server():
    server = start_server(PORT, "rendezvous-overflow-")
    try:
        base, token, outbox = server.base, server.token, server.outbox
        subprocess.run([BINARY, "user", "add", "--email", "orga@example.org", "--password", "browser-orga-pw",
                        "--role", "organizer", "--chapter", "toulouse", "--name", "Natalajia Princeva"], env=server.env, check=True, capture_output=True)
        event = api(base, "POST", "/api/v1/chapters/toulouse/events", {
            "title": "Rencontre de janvier", "startsAt": "2099-01-20T18:30:00+01:00", "endsAt": "2099-01-20T21:30:00+01:00",
            "capacity": 2, "venue": {"name": "Halles de la Cartoucherie", "address": "31300 Toulouse"},
            "speakers": [{"name": "Jean-Christophe Boussion", "jobTitle": "Fondateur, PowerPitch"}],
            "agenda": [{"startsAt": "2099-01-20T18:30:00+01:00", "title": "Accueil"}]}, token)
        people = []
        for index, (first, mail) in enumerate([("Ana", "ana@example.org"), ("Bruno", "bruno@example.org"), ("Chloé", "chloe@example.org"),
                                               ("David", "david@example.org"), ("Emma", "emma@example.org")]):
            people.append(api(base, "POST", f"/api/v1/events/{event['id']}/registrations", {
                "firstName": first, "lastName": "Test", "email": mail, "jobTitle": "Ingénieur·e", "company": "Airbus"}))
        yield {"base": base, "event": event, "people": people, "outbox": outbox, "token": token}
    finally:
        stop_server(server)


def test_a_long_waitlist_becomes_a_second_evening(overflow_server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    base, event = overflow_server["base"], overflow_server["event"]

    # The evening is full: the form offers "any date works for me", and Farid ticks it.
    browser.get(f"{base}/events/{event['id']}?lang=fr")
    assert "Toute date me convient" in browser.page_source
    fill(browser, {"firstName": "Farid", "lastName": "Test", "email": "farid@example.org", "jobTitle": "Designer"})
    browser.execute_script("arguments[0].click()", browser.find_element(By.ID, "f-anyDate"))
    box = browser.find_element(By.CSS_SELECTOR, "fieldset.any-date")
    browser.execute_script("arguments[0].scrollIntoView()", box)
    box.screenshot(str(SHOTS / "overflow-any-date.png"))
    assert serious_violations(browser) == []
    click_and_wait(browser, "form.profile button[type=submit]")
    assert "numéro 4 sur la liste d’attente" in browser.page_source

    # The organiser lowers the chapter's threshold to 4, and the dashboard suggests a second evening.
    browser.get(f"{base}/organize/toulouse")
    browser.find_element(By.NAME, "email").send_keys("orga@example.org")
    browser.find_element(By.NAME, "password").send_keys("browser-orga-pw")
    click_and_wait(browser, "main form button[type=submit]")
    assert "ouvrir une deuxième soirée" not in browser.page_source
    browser.get(f"{base}/organize/toulouse/settings")
    field = browser.find_element(By.NAME, "waitlistThreshold")
    field.clear()
    field.send_keys("4")
    click_and_wait(browser, "main form button[type=submit]")
    browser.get(f"{base}/organize/toulouse")
    assert "4\u202fpersonnes attendent\u202f: ouvrir une deuxième soirée\u202f?" in browser.page_source.replace("4 personnes", "4\u202fpersonnes")
    browser.save_screenshot(str(SHOTS / "overflow-dashboard.png"))
    assert serious_violations(browser) == []
    # On a phone the table scrolls sideways; the notice stays within the screen and wraps there.
    browser.set_window_size(390, 844)
    notice = browser.find_element(By.CSS_SELECTOR, "p.overflow-notice")
    right = browser.execute_script("return arguments[0].getBoundingClientRect().right", notice)
    assert right <= browser.execute_script("return document.documentElement.clientWidth"), right
    browser.execute_script("arguments[0].scrollIntoView()", notice)
    browser.save_screenshot(str(SHOTS / "overflow-dashboard-390.png"))
    browser.set_window_size(1280, 900)

    # One step: the form is pre-filled from the original (programme, venue, capacity); a new date.
    click_and_wait(browser, "p.overflow-notice a")
    assert browser.find_element(By.NAME, "title").get_attribute("value") == "Rencontre de janvier — deuxième soirée"
    assert browser.find_element(By.NAME, "speaker1Name").get_attribute("value") == "Jean-Christophe Boussion"
    assert browser.find_element(By.NAME, "capacity").get_attribute("value") == "2"
    assert "4 personnes attendent une place pour Rencontre de janvier." in browser.page_source
    browser.execute_script("document.getElementsByName('date')[0].value = '2099-01-27'")
    browser.save_screenshot(str(SHOTS / "overflow-form.png"))
    assert serious_violations(browser) == []
    click_and_wait(browser, "main form.card button[type=submit]")
    assert "Deuxième soirée ouverte" in browser.page_source
    assert "Deuxième soirée de Rencontre de janvier" in browser.page_source
    browser.save_screenshot(str(SHOTS / "overflow-second-evening.png"))
    assert serious_violations(browser) == []

    # Two seats, in queue order: Chloé (first waiting) is offered one; Farid (any date) is fourth,
    # so only Chloé and David are offered; nobody is moved yet.
    offer = newest_mail(overflow_server["outbox"], "chloe@example.org", "deuxième soirée")
    assert "27 janvier 2099" in str(offer["subject"])
    text = offer.get_body(preferencelist=("plain",)).get_content()
    assert "vous gardez votre place dans la liste d’attente de la première soirée" in text
    newest_mail(overflow_server["outbox"], "david@example.org", "deuxième soirée")
    link = re.search(r"https?://\S+/manage/\S+", text).group(0)

    # Chloé accepts from the mail's link and lands confirmed on the new date.
    browser.get(link)
    assert "27 janvier 2099" in browser.page_source
    click_and_wait(browser, "form.action button.primary")
    assert "Confirmée" in browser.page_source
    assert "27 janvier 2099" in browser.page_source
    browser.save_screenshot(str(SHOTS / "overflow-accepted.png"))
    newest_mail(overflow_server["outbox"], "chloe@example.org", "confirm")

    # Her place on the first evening's waitlist is released: the queue behind moved up.
    demand = api(base, "GET", f"/api/v1/events/{event['id']}/demand", token=overflow_server["token"])
    assert demand["waitlisted"] == 3
    assert demand["overflows"][0]["accepted"] == 1 and demand["overflows"][0]["offered"] == 1

    # David declines (from his registration's page, through the API here): he keeps his place on the
    # first evening's waitlist, and the seat goes on to the next waiting person, Emma.
    david = newest_mail(overflow_server["outbox"], "david@example.org", "deuxième soirée")
    david_token = re.search(r"/manage/([^\s/?]+)", david.get_body(preferencelist=("plain",)).get_content()).group(1)
    # The manage token starts with the registration's id (16 bytes, base64url).
    registration_id = uuid.UUID(bytes=base64.urlsafe_b64decode(david_token[:22] + "=="))
    request = urllib.request.Request(f"{base}/api/v1/registrations/{registration_id}/decline", method="POST",
                                     headers={"X-Manage-Token": david_token})
    try:
        urllib.request.urlopen(request)
    except urllib.error.HTTPError as error:
        raise AssertionError(error.read())
    emma = newest_mail(overflow_server["outbox"], "emma@example.org", "deuxième soirée")
    assert "27 janvier 2099" in str(emma["subject"])
    demand = api(base, "GET", f"/api/v1/events/{event['id']}/demand", token=overflow_server["token"])
    assert demand["waitlisted"] == 3, "David kept his place"

    # The first evening's workspace tells the organiser how the queue answered.
    browser.get(f"{base}/organize/events/{event['id']}")
    assert "acceptées\u202f: 1 · placées directement\u202f: 0" in browser.page_source
    browser.set_window_size(390, 2200)
    section = browser.find_element(By.CSS_SELECTOR, "section.demand")
    browser.execute_script("arguments[0].scrollIntoView()", section)
    section.screenshot(str(SHOTS / "overflow-demand-panel.png"))

    # What people read (the visual review): David declined, he keeps his place, linked; Emma's offer
    # names the new evening; the organiser's cancellation of the second evening says who goes back.
    second_id = demand["overflows"][0]["id"]
    for lang, keeps in [("fr", "Vous gardez votre place dans la liste d’attente"), ("en", "You keep your place on the waitlist")]:
        for width in [390, 1280]:
            browser.set_window_size(width, 1000)
            browser.get(f"{base}/manage/{david_token}?lang={lang}")
            assert keeps in browser.page_source
            assert browser.find_elements(By.CSS_SELECTOR, "p.origin-link a")
            assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
            browser.save_screenshot(str(SHOTS / f"overflow-declined-{lang}-{width}.png"))
            browser.get(f"{base}/organize/events/{second_id}?lang={lang}")
            browser.save_screenshot(str(SHOTS / f"overflow-second-head-{lang}-{width}.png"))
            click_and_wait(browser, "form[action$='/cancel'] button.danger")
            assert ("Annuler la deuxième soirée" if lang == "fr" else "Cancel the second evening") in browser.page_source
            browser.save_screenshot(str(SHOTS / f"overflow-cancel-ask-{lang}-{width}.png"))
    emma_token = re.search(r"/manage/([^\s/?]+)", emma.get_body(preferencelist=("plain",)).get_content()).group(1)
    browser.get(f"{base}/manage/{emma_token}?lang=fr")
    assert "Une deuxième soirée a été ouverte le" in browser.page_source
    browser.save_screenshot(str(SHOTS / "overflow-offer-fr-1280.png"))
    browser.set_window_size(390, 1000)
    browser.get(f"{base}/manage/{emma_token}?lang=en")
    assert "A second evening has been opened on" in browser.page_source
    browser.save_screenshot(str(SHOTS / "overflow-offer-en-390.png"))

"""The door on a phone: scan a ticket link, search and check in, lose the connection, check in two
people offline, get the connection back, and see both reach the server."""
import json
import re
import subprocess
import time
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import api
from test_organizer import sign_in
from test_registration import click_and_wait


def door_state(server, browser, event_id):
    cookie = browser.get_cookie("rv_session")["value"]
    request = urllib.request.Request(f"{server['base']}/door/{event_id}/state.json", headers={"Cookie": f"rv_session={cookie}", "Accept": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def test_scan_search_offline_and_sync(server, browser):
    base, token = server["base"], server["token"]
    event = api(base, "POST", "/api/v1/chapters/toulouse/events", {
        "title": "Soirée de la porte", "startsAt": "2099-03-17T18:30:00+01:00", "endsAt": "2099-03-17T21:30:00+01:00", "capacity": 10}, token)
    people = {}
    for first, last in [("Zoé", "Prinčeva"), ("Marie", "Quinquies"), ("Paul", "Durand"), ("Inès", "Benali")]:
        created = api(base, "POST", f"/api/v1/events/{event['id']}/registrations",
                      {"firstName": first, "lastName": last, "email": f"{first.lower()}.door@example.org", "jobTitle": "Consultante"})
        people[first] = created
    sign_in(server, browser)

    # Scanning Zoé's ticket with the phone's camera app opens its link: welcome.
    browser.get(people["Zoé"]["manageUrl"])
    ticket_img = browser.find_element(By.CSS_SELECTOR, "img.ticket-qr").get_attribute("src")
    assert ticket_img.endswith("/ticket.png")
    registrations = api(base, "GET", f"/api/v1/events/{event['id']}/registrations", token=token)["items"]
    assert len(registrations) == 4

    door = f"{base}/door/{event['id']}"
    browser.get(door)
    WebDriverWait(browser, 10).until(lambda b: b.execute_script("return JSON.parse(localStorage.getItem('rv-door-%s') || '{}').people?.length" % event["id"]) == 4)

    # Search as you type, accent- and case-insensitive, then one tap.
    search = browser.find_element(By.ID, "q")
    search.send_keys("PRINCEVA")
    WebDriverWait(browser, 5).until(lambda b: "Zoé Prinčeva" in b.find_element(By.ID, "people").text)
    browser.find_element(By.CSS_SELECTOR, "#people button.primary").click()
    WebDriverWait(browser, 5).until(lambda b: "Bienvenue, Zoé" in b.find_element(By.ID, "result").text)
    WebDriverWait(browser, 10).until(lambda b: door_state(server, b, event["id"])["checkedIn"] == 1)

    # The connection drops: two more people are checked in on the phone.
    browser.set_network_conditions(offline=True, latency=0, download_throughput=0, upload_throughput=0)
    for name in ["Marie", "Inès"]:
        search.clear()
        search.send_keys(name.lower())
        WebDriverWait(browser, 5).until(lambda b: name in b.find_element(By.ID, "people").text)
        browser.find_element(By.CSS_SELECTOR, "#people button.primary").click()
        WebDriverWait(browser, 5).until(lambda b: f"Bienvenue, {name}" in b.find_element(By.ID, "result").text)
    WebDriverWait(browser, 10).until(lambda b: "Hors ligne" in b.find_element(By.ID, "sync").text)
    assert "2 à envoyer" in browser.find_element(By.ID, "sync").text
    assert browser.find_element(By.ID, "c-in").text == "3"

    # Back online: both reach the server, nothing is lost.
    browser.set_network_conditions(offline=False, latency=0, download_throughput=-1, upload_throughput=-1)
    browser.execute_script("window.dispatchEvent(new Event('online'))")
    WebDriverWait(browser, 15).until(lambda b: door_state(server, b, event["id"])["checkedIn"] == 3)
    WebDriverWait(browser, 10).until(lambda b: "à envoyer" not in b.find_element(By.ID, "sync").text)
    admitted = {a["id"] for a in door_state(server, browser, event["id"])["admissions"]}
    assert {people[n]["id"] for n in ["Zoé", "Marie", "Inès"]} == admitted


def test_ticket_link_admits_once(server, browser, tmp_path):
    base, token = server["base"], server["token"]
    event = api(base, "POST", "/api/v1/chapters/toulouse/events", {
        "title": "Soirée des billets", "startsAt": "2099-04-17T18:30:00+02:00", "endsAt": "2099-04-17T21:30:00+02:00", "capacity": 10}, token)
    created = api(base, "POST", f"/api/v1/events/{event['id']}/registrations",
                  {"firstName": "Jean-Christophe", "lastName": "Boussion", "email": "jc.ticket@example.org", "jobTitle": "Fondateur"})
    # The attendee's phone shows the ticket; the door phone's camera reads it.
    browser.get(created["manageUrl"])
    shot = tmp_path / "ticket.png"
    image = browser.find_element(By.CSS_SELECTOR, "img.ticket-qr")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", image)
    image.screenshot(str(shot))
    ticket_url = subprocess.run(["zbarimg", "--quiet", "--raw", str(shot)], capture_output=True, text=True, check=True).stdout.strip()
    assert ticket_url.startswith(f"{base}/t/")
    sign_in(server, browser)
    # Opening the link shows the person and one big button: opening alone admits no one.
    browser.get(ticket_url)
    assert "Jean-Christophe Boussion" in browser.find_element(By.CSS_SELECTOR, ".result").text
    assert door_state(server, browser, event["id"])["checkedIn"] == 0
    click_and_wait(browser, "#admit")
    assert "Bienvenue, Jean-Christophe" in browser.find_element(By.CSS_SELECTOR, ".result").text
    browser.get(ticket_url)
    assert "Déjà arrivé·e" in browser.find_element(By.CSS_SELECTOR, ".result").text
    assert not browser.find_elements(By.ID, "admit")
    assert door_state(server, browser, event["id"])["checkedIn"] == 1


def test_door_page_reopens_offline(server, browser):
    """With the connection gone, reloading the door page still opens it (service worker)."""
    sign_in(server, browser)
    door = f"{server['base']}/door/{server['event']['id']}"
    # The worker installs on the first visit and controls the page from the next one.
    browser.get(door)
    for _ in range(20):
        browser.get(door)
        if browser.execute_script("return !!(navigator.serviceWorker && navigator.serviceWorker.controller)"):
            break
    else:
        raise AssertionError("the service worker never took control of the door page")
    browser.set_network_conditions(offline=True, latency=0, download_throughput=0, upload_throughput=0)
    try:
        browser.get(door)
        assert browser.find_elements(By.ID, "door"), "the door page opens offline"
        WebDriverWait(browser, 10).until(lambda b: "Hors ligne" in b.find_element(By.ID, "sync").text)
    finally:
        browser.set_network_conditions(offline=False, latency=0, download_throughput=-1, upload_throughput=-1)


def door_keys(browser):
    return browser.execute_script(
        "var k = []; for (var i = 0; i < localStorage.length; i++) { if (localStorage.key(i).indexOf('rv-door-') === 0) { k.push(localStorage.key(i)); } } return k;")


def door_caches(browser):
    return browser.execute_async_script(
        "var done = arguments[0]; caches.keys().then(function (k) { done(k.filter(function (n) { return n.indexOf('rendezvous-door') === 0; })); });")


def open_door_until_stored(server, browser):
    door = f"{server['base']}/door/{server['event']['id']}"
    browser.get(door)
    WebDriverWait(browser, 10).until(lambda b: door_keys(b))
    # The service worker keeps a copy of the page once it controls it.
    for _ in range(20):
        browser.get(door)
        if browser.execute_script("return !!(navigator.serviceWorker && navigator.serviceWorker.controller)"):
            break
    WebDriverWait(browser, 10).until(lambda b: door_caches(b))


def test_signing_out_wipes_the_door_list(server, browser):
    """A shared phone keeps nothing of the attendee list once its person signs out."""
    sign_in(server, browser)
    open_door_until_stored(server, browser)
    click_and_wait(browser, "form[action='/signout'] button")
    assert "/signin" in browser.current_url
    WebDriverWait(browser, 10).until(lambda b: not door_keys(b))
    WebDriverWait(browser, 10).until(lambda b: not door_caches(b))


def test_a_lost_session_wipes_the_door_list(server, browser):
    """When the server says the session is gone, the door page wipes what it kept and asks to sign in."""
    sign_in(server, browser)
    open_door_until_stored(server, browser)
    browser.delete_cookie("rv_session")
    WebDriverWait(browser, 15).until(lambda b: "/signin" in b.current_url)
    assert not door_keys(browser)
    assert not door_caches(browser)


def test_a_lost_session_keeps_check_ins_not_yet_sent(server, browser):
    """Offline, a volunteer admits someone; the session runs out meanwhile. The list is wiped, but
    the admission is kept apart and reaches the server once the volunteer signs in again."""
    base, token = server["base"], server["token"]
    event = api(base, "POST", "/api/v1/chapters/toulouse/events", {
        "title": "Soirée sans session", "startsAt": "2099-05-17T18:30:00+02:00", "endsAt": "2099-05-17T21:30:00+02:00", "capacity": 10}, token)
    created = api(base, "POST", f"/api/v1/events/{event['id']}/registrations",
                  {"firstName": "Léa", "lastName": "Sansession", "email": "lea.session@example.org", "jobTitle": "Fondatrice"})
    sign_in(server, browser)
    door = f"{base}/door/{event['id']}"
    browser.get(door)
    WebDriverWait(browser, 10).until(lambda b: b.execute_script("return JSON.parse(localStorage.getItem('rv-door-%s') || '{}').people?.length" % event["id"]) == 1)
    browser.set_network_conditions(offline=True, latency=0, download_throughput=0, upload_throughput=0)
    search = browser.find_element(By.ID, "q")
    search.send_keys("lea")
    WebDriverWait(browser, 5).until(lambda b: "Léa" in b.find_element(By.ID, "people").text)
    browser.find_element(By.CSS_SELECTOR, "#people button.primary").click()
    WebDriverWait(browser, 5).until(lambda b: "Bienvenue, Léa" in b.find_element(By.ID, "result").text)
    # The session ends while the phone is offline; the connection comes back.
    browser.delete_cookie("rv_session")
    browser.set_network_conditions(offline=False, latency=0, download_throughput=-1, upload_throughput=-1)
    browser.execute_script("window.dispatchEvent(new Event('online'))")
    WebDriverWait(browser, 15).until(lambda b: "/signin" in b.current_url)
    assert not door_keys(browser), "the attendee list is wiped"
    # Signing in again and opening the door sends the admission that was waiting.
    browser.find_element(By.NAME, "email").send_keys("orga@example.org")
    browser.find_element(By.NAME, "password").send_keys("browser-orga-pw")
    click_and_wait(browser, "main form button[type=submit]")
    browser.get(door)
    WebDriverWait(browser, 15).until(lambda b: door_state(server, b, event["id"])["checkedIn"] == 1)
    assert {a["id"] for a in door_state(server, browser, event["id"])["admissions"]} == {created["id"]}


def test_the_door_list_speaks_the_page_language(server, browser):
    """The list drawn by door.js: a status in the page's words (not the code "waitlisted"), and
    arrival times on the 24-hour clock, in English as in French."""
    base, token = server["base"], server["token"]
    event = api(base, "POST", "/api/v1/chapters/toulouse/events", {
        "title": "Soirée des langues", "startsAt": "2099-03-18T18:30:00+01:00", "endsAt": "2099-03-18T21:30:00+01:00", "capacity": 1}, token)
    for first in ["Hélène", "Hugo"]:
        api(base, "POST", f"/api/v1/events/{event['id']}/registrations",
            {"firstName": first, "lastName": "Langue", "email": f"{first.lower()}.lang@example.org", "jobTitle": "Traductrice"})
    sign_in(server, browser)
    browser.set_window_size(390, 844)
    for lang, waiting in [("en", "Waitlisted"), ("fr", "En attente")]:
        browser.get(f"{base}/door/{event['id']}?lang={lang}")
        WebDriverWait(browser, 10).until(lambda b: b.execute_script("return JSON.parse(localStorage.getItem('rv-door-%s') || '{}').people?.length" % event["id"]) == 2)
        search = browser.find_element(By.ID, "q")
        search.clear()
        search.send_keys("langue")
        WebDriverWait(browser, 5).until(lambda b: "Hugo" in b.find_element(By.ID, "people").text)
        listed = browser.find_element(By.ID, "people").text
        assert waiting in listed and "waitlisted" not in listed, listed
        if lang == "en":
            browser.find_element(By.CSS_SELECTOR, "#people button.primary").click()
            WebDriverWait(browser, 5).until(lambda b: "Welcome, Hélène" in b.find_element(By.ID, "result").text)
            search.clear()
            search.send_keys("helene")
        WebDriverWait(browser, 5).until(lambda b: b.find_elements(By.CSS_SELECTOR, "#people li .meta + .meta, #people li > .meta"))
        arrival = browser.find_element(By.CSS_SELECTOR, "#people li > .meta").text
        assert re.match(r"^\d{2}:\d{2} · ", arrival) and "AM" not in arrival and "PM" not in arrival, arrival
        browser.save_screenshot(f".build/browser-shots/door-lang-{lang}-390.png")

"""Webhooks for integrators, as an organiser sets one up: add an endpoint on a laptop, copy its
secret (shown once), send a test and see it delivered; the same page on a phone, in French and
English. The receiver is a real HTTP server here that checks each delivery's signature the way
docs/operations.md tells integrators to."""
import hashlib, hmac, http.server, json, os, threading, time

import pytest
from selenium.webdriver.common.by import By

from conftest import api, free_port, start_server, stop_server
from test_registration import click_and_wait, fill, shot


class Receiver(http.server.BaseHTTPRequestHandler):
    received = []
    secret = None

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        header = self.headers["Rendezvous-Signature"]
        parts = dict(part.split("=", 1) for part in header.split(","))
        expected = hmac.new(Receiver.secret.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256).hexdigest()
        valid = hmac.compare_digest(expected, parts["v1"]) and abs(time.time() - int(parts["t"])) < 300
        Receiver.received.append({"id": self.headers["Rendezvous-Webhook-Id"], "valid": valid, "body": json.loads(body)})
        self.send_response(200 if valid else 400)
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def hooked():
    os.environ["WEBHOOKS_ALLOW_PRIVATE"] = "1"
    try:
        server = start_server(free_port(), "rendezvous-webhooks-")
    finally:
        del os.environ["WEBHOOKS_ALLOW_PRIVATE"]
    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    yield server, receiver.server_address[1]
    receiver.shutdown()
    stop_server(server)


def test_organiser_adds_an_endpoint_and_sees_the_test_delivered(hooked, browser):
    server, port = hooked
    base = server.base
    browser.set_window_size(1280, 900)
    browser.get(f"{base}/organize/toulouse/webhooks?lang=en")
    fill(browser, {"email": "admin@example.org", "password": "browser-admin-pw"})
    click_and_wait(browser, "main form button[type=submit]")
    assert "<h1>Webhooks</h1>" in browser.page_source

    # A bad address: the error on the field, what was typed kept.
    fill(browser, {"url": "ftp://example.org/hook"})
    click_and_wait(browser, "#add button[type=submit]")
    assert "Enter a full address" in browser.find_element(By.ID, "f-url-error").text
    assert browser.find_element(By.NAME, "url").get_attribute("value") == "ftp://example.org/hook"

    url = f"http://127.0.0.1:{port}/hook"
    fill(browser, {"url": url})
    browser.execute_script("document.getElementById('f-type-registration-created').checked = true")
    click_and_wait(browser, "#add button[type=submit]")
    secret = browser.find_element(By.ID, "f-secret").get_attribute("value")
    assert secret.startswith("whsec_")
    assert "it will not be shown again" in browser.page_source
    browser.save_screenshot(shot("helperB-webhooks-added-1280-en.png"))
    Receiver.secret = secret

    # The secret is not shown again.
    browser.get(f"{base}/organize/toulouse/webhooks?lang=en")
    assert secret not in browser.page_source
    click_and_wait(browser, "#endpoints a")
    click_and_wait(browser, "#endpoint-actions form button.primary")
    assert "A test (ping) is on its way" in browser.page_source
    deadline = time.time() + 15
    while not Receiver.received and time.time() < deadline:
        time.sleep(0.2)
    assert Receiver.received and Receiver.received[0]["valid"], Receiver.received
    assert Receiver.received[0]["body"]["type"] == "ping"
    browser.refresh()
    assert "Delivered" in browser.find_element(By.ID, "deliveries").text
    assert "HTTP 200" in browser.find_element(By.ID, "deliveries").text
    browser.save_screenshot(shot("helperB-webhook-1280-en.png"))

    # A registration reaches the receiver, signed.
    event = api(base, "POST", "/api/v1/chapters/toulouse/events", {
        "title": "Rencontre des webhooks", "startsAt": "2099-03-20T18:30:00+01:00", "endsAt": "2099-03-20T21:30:00+01:00",
        "capacity": 30, "venue": {"name": "La Mêlée", "address": "31000 Toulouse"}}, server.token)
    api(base, "POST", f"/api/v1/events/{event['id']}/registrations",
                               {"firstName": "Léa", "lastName": "Martin", "email": "lea@example.org", "jobTitle": "Ingénieure"})
    deadline = time.time() + 15
    while len(Receiver.received) < 2 and time.time() < deadline:
        time.sleep(0.2)
    created = [r for r in Receiver.received if r["body"]["type"] == "registration.created"]
    assert len(created) == 1 and created[0]["valid"] and created[0]["body"]["data"]["first_name"] == "Léa"
    assert "email" not in created[0]["body"]["data"]

    # On a phone, in French: nothing wider than the screen.
    browser.set_window_size(390, 844)
    browser.get(browser.current_url.split("?")[0] + "?lang=fr")
    assert "Derniers envois" in browser.page_source and "Distribué" in browser.page_source
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    browser.save_screenshot(shot("helperB-webhook-390-fr.png"))
    browser.get(f"{base}/organize/toulouse/webhooks?lang=fr")
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    browser.save_screenshot(shot("helperB-webhooks-390-fr.png"))
    browser.set_window_size(1280, 900)
    browser.save_screenshot(shot("helperB-webhooks-1280-fr.png"))
    browser.set_window_size(390, 844)
    browser.get(f"{base}/organize/toulouse/webhooks?lang=en")
    browser.save_screenshot(shot("helperB-webhooks-390-en.png"))


def test_a_long_address_wraps_on_a_phone(hooked, browser):
    """The "Signing secret for <URL>" heading of a long address (a token in its query) stays
    within a phone's screen, in French; the endpoint's types are named, not coded."""
    server, port = hooked
    base = server.base
    browser.set_window_size(390, 844)
    browser.get(f"{base}/organize/toulouse/webhooks?lang=fr")
    if "f-url" not in browser.page_source:
        fill(browser, {"email": "admin@example.org", "password": "browser-admin-pw"})
        click_and_wait(browser, "main form button[type=submit]")
    url = f"http://127.0.0.1:{port}/integrations/crm/very-long-path/registrations?tenant=linkedinlocal-toulouse-occitanie&token=abcdefghijklmnopqrstuvwxyz0123456789"
    fill(browser, {"url": url})
    browser.execute_script("document.getElementById('f-type-registration-created').checked = true")
    click_and_wait(browser, "#add button[type=submit]")
    heading = browser.find_element(By.ID, "secret-title")
    assert "Secret de signature pour" in heading.text
    assert browser.execute_script("return arguments[0].scrollWidth <= arguments[0].clientWidth", heading)
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    browser.save_screenshot(shot("webhook-secret-long-390-fr.png"))
    assert "Nouvelle inscription" in browser.find_element(By.ID, "endpoints").text
    assert "registration.created" not in browser.find_element(By.ID, "endpoints").text

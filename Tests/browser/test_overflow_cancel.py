"""The first evening cancelled while its second evening is open (issue 15). The second evening is
told apart from the first (its pre-filled title), each evening's public page names the other's
date ("Aussi le …" / "Also on …"); cancelling the first moves the "any date" people waiting to the
second evening's waitlist in their order, each told by mail in their language, and everyone else's
cancellation mail points to the second evening. Pages and mails at 390 and 1280 px, in French and
English. Runs its own server (port 8302) with its own outbox directory."""
import pathlib, re, subprocess

import pytest
from selenium.webdriver.common.by import By

from conftest import BINARY, api, newest_mail, start_server, stop_server
from test_accessibility import serious_violations
from test_registration import click_and_wait, fill

SHOTS = pathlib.Path(__file__).resolve().parents[2] / ".build" / "browser-shots"
PORT = 8302


@pytest.fixture(scope="module")
def series_server():
    server = start_server(PORT, "rendezvous-series-")
    try:
        subprocess.run([BINARY, "user", "add", "--email", "orga@example.org", "--password", "browser-orga-pw",
                        "--role", "organizer", "--chapter", "toulouse", "--name", "Natalajia Princeva"], env=server.env, check=True, capture_output=True)
        event = api(server.base, "POST", "/api/v1/chapters/toulouse/events", {
            "title": "Rencontre de janvier", "startsAt": "2099-01-20T18:30:00+01:00", "endsAt": "2099-01-20T21:30:00+01:00",
            "capacity": 1, "venue": {"name": "Halles de la Cartoucherie", "address": "31300 Toulouse"}}, server.token)
        for first, any_date in [("Ana", False), ("Bruno", False), ("Chloe", True), ("David", False), ("Emma", True)]:
            api(server.base, "POST", f"/api/v1/events/{event['id']}/registrations", {
                "firstName": first, "lastName": "Test", "email": f"{first.lower()}@example.org", "jobTitle": "Ingénieur·e",
                "company": "Airbus", "anyDate": any_date})
        yield {"base": server.base, "event": event, "outbox": server.outbox, "token": server.token}
    finally:
        stop_server(server)


def shoot_mail(browser, message, name):
    """The mail's HTML part as a phone and a desktop client would show it."""
    html = message.get_body(preferencelist=("html",)).get_content()
    path = SHOTS / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    for width in [390, 1280]:
        browser.set_window_size(width, 1100)
        browser.get(path.as_uri())
        assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
        browser.save_screenshot(str(SHOTS / f"{name}-{width}.png"))


def test_cancelling_the_first_evening_moves_any_date_people_and_points_to_the_second(series_server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    base, event = series_server["base"], series_server["event"]

    # Farid registers from the English page, full: "any date works for me".
    browser.set_window_size(1280, 1000)
    browser.get(f"{base}/events/{event['id']}?lang=en")
    fill(browser, {"firstName": "Farid", "lastName": "Test", "email": "farid@example.org", "jobTitle": "Designer"})
    browser.execute_script("arguments[0].click()", browser.find_element(By.ID, "f-anyDate"))
    click_and_wait(browser, "form.profile button[type=submit]")
    assert "number 5 on the waitlist" in browser.page_source
    farid_page = browser.current_url.split("?")[0]

    # The organiser opens a second evening: its title is told apart from the first's, and editable.
    browser.get(f"{base}/organize/events/{event['id']}/overflow")
    browser.find_element(By.NAME, "email").send_keys("orga@example.org")
    browser.find_element(By.NAME, "password").send_keys("browser-orga-pw")
    click_and_wait(browser, "main form button[type=submit]")
    browser.get(f"{base}/organize/events/{event['id']}/overflow")
    title = browser.find_element(By.NAME, "title")
    assert title.get_attribute("value") == "Rencontre de janvier — deuxième soirée"
    browser.execute_script("document.getElementsByName('date')[0].value = '2099-01-27'")
    browser.execute_script("document.getElementsByName('capacity')[0].value = '2'")
    browser.execute_script("arguments[0].scrollIntoView()", title)
    browser.save_screenshot(str(SHOTS / "series-overflow-form-1280.png"))
    click_and_wait(browser, "main form.card button[type=submit]")
    second_id = re.search(r"/organize/events/([0-9a-f-]{36})", browser.current_url).group(1)
    # Two seats, in queue order: Bruno offered, Chloé (any date) moved. Full.
    newest_mail(series_server["outbox"], "bruno@example.org", "deuxième soirée")

    # Each public page names the other date, with a link; the titles differ.
    for lang, also_first, also_second, second_title in [
        ("fr", "Aussi le mardi 27 janvier 2099 à 18:30", "Aussi le mardi 20 janvier 2099 à 18:30", "Rencontre de janvier — deuxième soirée"),
        ("en", "Also on Tuesday, 27 January 2099 at 18:30", "Also on Tuesday, 20 January 2099 at 18:30", "Rencontre de janvier — deuxième soirée"),
    ]:
        for width in [390, 1280]:
            browser.set_window_size(width, 1000)
            browser.get(f"{base}/events/{event['id']}?lang={lang}")
            link = browser.find_element(By.CSS_SELECTOR, "p.second-evening a")
            assert link.text == also_first and link.get_attribute("href").endswith(f"/events/{second_id}")
            assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
            browser.save_screenshot(str(SHOTS / f"series-first-{lang}-{width}.png"))
            browser.get(f"{base}/events/{second_id}?lang={lang}")
            assert browser.find_element(By.TAG_NAME, "h1").text == second_title
            link = browser.find_element(By.CSS_SELECTOR, "p.second-evening a")
            assert link.text == also_second and link.get_attribute("href").endswith(f"/events/{event['id']}")
            assert serious_violations(browser) == []
            browser.save_screenshot(str(SHOTS / f"series-second-{lang}-{width}.png"))
        browser.get(f"{base}/chapters/toulouse?lang={lang}")
        assert "Rencontre de janvier — deuxième soirée" in browser.page_source
        browser.save_screenshot(str(SHOTS / f"series-chapter-{lang}-390.png"))
    browser.set_window_size(1280, 1000)
    browser.get(f"{base}/organize/toulouse")
    assert "Rencontre de janvier — deuxième soirée" in browser.page_source
    browser.save_screenshot(str(SHOTS / "series-dashboard-1280.png"))

    # The organiser cancels the first evening: the confirmation says who moves.
    for lang, moves in [("en", "2 people waiting said any date works: they move to the evening on Tuesday, 27 January 2099, in their order."),
                        ("fr", "personnes en attente ont indiqué que toute date leur convient\u202f: elles passent à la soirée du mardi 27 janvier 2099")]:
        for width in [390, 1280]:
            browser.set_window_size(width, 1000)
            browser.get(f"{base}/organize/events/{event['id']}?lang={lang}")
            click_and_wait(browser, "form[action$='/cancel'] button.danger")
            assert moves in browser.page_source
            assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
            browser.save_screenshot(str(SHOTS / f"series-cancel-ask-{lang}-{width}.png"))
    click_and_wait(browser, "section.confirm form button[type=submit]")

    # Emma and Farid (any date, still waiting) are on the second evening's waitlist, in that order,
    # each told in their language; David and Bruno get the cancellation, naming the second evening.
    emma = newest_mail(series_server["outbox"], "emma@example.org", "annulée")
    assert str(emma["subject"]) == "Soirée du mardi 20 janvier 2099 annulée\u202f: vous êtes sur la liste d’attente du mardi 27 janvier 2099"
    assert "numéro 1" in emma.get_body(preferencelist=("plain",)).get_content()
    farid = newest_mail(series_server["outbox"], "farid@example.org", "cancelled")
    assert str(farid["subject"]) == "Evening of Tuesday, 20 January 2099 cancelled: you’re on the waitlist for Tuesday, 27 January 2099"
    assert "number 2 in line" in farid.get_body(preferencelist=("plain",)).get_content()
    david = newest_mail(series_server["outbox"], "david@example.org", "Annulé")
    assert "La même rencontre a aussi lieu le mardi 27 janvier 2099" in david.get_body(preferencelist=("plain",)).get_content()
    assert f"/events/{second_id}" in david.get_body(preferencelist=("plain",)).get_content()
    bruno = newest_mail(series_server["outbox"], "bruno@example.org", "Annulé")
    assert "vous est toujours proposée" in bruno.get_body(preferencelist=("plain",)).get_content()
    shoot_mail(browser, emma, "series-mail-moved-fr")
    shoot_mail(browser, farid, "series-mail-moved-en")
    shoot_mail(browser, david, "series-mail-cancelled-fr")
    shoot_mail(browser, bruno, "series-mail-cancelled-offer-fr")

    # Farid's old registration page says where he went; the second evening's page no longer names the cancelled date.
    browser.get(f"{farid_page}?lang=en")
    assert "you are on the waitlist of the other evening, on Tuesday, 27 January 2099" in browser.page_source
    browser.save_screenshot(str(SHOTS / "series-manage-moved-en-1280.png"))
    browser.get(f"{base}/events/{second_id}?lang=fr")
    assert not browser.find_elements(By.CSS_SELECTOR, "p.second-evening")
    browser.get(f"{base}/events/{event['id']}?lang=fr")
    assert not browser.find_elements(By.CSS_SELECTOR, "p.second-evening a[href$='/events/%s']" % event["id"])

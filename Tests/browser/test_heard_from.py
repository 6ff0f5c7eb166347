"""'How did you hear about us?' end to end (issue 15): a person registers on a phone and chooses an
answer; another answers through the API; once the evening has passed, the organiser's insights show
the answers in their chart and table (French and English, phone and laptop). Runs its own server
(port 8101)."""
import pathlib, sqlite3, subprocess

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import BINARY, api, start_server, stop_server
from test_accessibility import serious_violations
from test_registration import click_and_wait, fill

SHOTS = pathlib.Path(__file__).resolve().parents[2] / ".build" / "browser-shots"
PORT = 8101


@pytest.fixture(scope="module")
def heard_server():
    server = start_server(PORT, "rendezvous-heard-from-")
    try:
        subprocess.run([BINARY, "user", "add", "--email", "orga@example.org", "--password", "browser-orga-pw",
                        "--role", "organizer", "--chapter", "toulouse", "--name", "Natalajia Princeva"], env=server.env, check=True, capture_output=True)
        event = api(server.base, "POST", "/api/v1/chapters/toulouse/events", {
            "title": "Rencontre de janvier", "startsAt": "2099-01-20T18:30:00+01:00", "endsAt": "2099-01-20T21:30:00+01:00",
            "capacity": 20, "venue": {"name": "Halles de la Cartoucherie", "address": "31300 Toulouse"}}, server.token)
        yield server, event
    finally:
        stop_server(server)


def move_to_the_past(db, event_id):
    """The evening took place: its dates a month ago (in the column's own storage format)."""
    with sqlite3.connect(db) as connection:
        kind, = connection.execute("SELECT typeof(starts_at) FROM events WHERE id = ? OR id = upper(?)", (event_id, event_id)).fetchone()
        if kind in ("real", "integer"):
            connection.execute("UPDATE events SET starts_at = strftime('%s','now') - 30 * 86400, ends_at = strftime('%s','now') - 30 * 86400 + 10800 "
                               "WHERE id = ? OR id = upper(?)", (event_id, event_id))
        else:
            connection.execute("UPDATE events SET starts_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-30 days'), "
                               "ends_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-30 days', '+3 hours') WHERE id = ? OR id = upper(?)", (event_id, event_id))


def test_an_answer_on_the_form_reaches_the_organisers_chart(heard_server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    server, event = heard_server
    base = server.base

    # On a phone, in French: the optional question, "prefer not to say" chosen until she picks.
    browser.get(f"{base}/events/{event['id']}?lang=fr")
    field = browser.find_element(By.ID, "f-heardFrom")
    assert Select(field).first_selected_option.text == "Je préfère ne pas le dire"
    fill(browser, {"firstName": "Léa", "lastName": "Roux", "email": "lea@example.org", "jobTitle": "Designer"})
    Select(field).select_by_value("friend_or_colleague")
    box = browser.find_element(By.CSS_SELECTOR, "div.heard-from")
    browser.execute_script("arguments[0].scrollIntoView()", box)
    browser.save_screenshot(str(SHOTS / "helperA-heard-from-form-fr-390.png"))
    assert serious_violations(browser) == []
    click_and_wait(browser, "form.profile button[type=submit]")
    assert "/manage/" in browser.current_url

    # Another answers through the API; a third says nothing.
    api(base, "POST", f"/api/v1/events/{event['id']}/registrations",
        {"firstName": "Marc", "lastName": "Api", "email": "marc@example.org", "jobTitle": "Dev", "heardFrom": "linkedin"})
    api(base, "POST", f"/api/v1/events/{event['id']}/registrations",
        {"firstName": "Nora", "lastName": "Api", "email": "nora@example.org", "jobTitle": "Dev"})
    move_to_the_past(server.db, event["id"])

    # The organiser's insights: the chart, and its table with the answers.
    browser.get(f"{base}/organize/toulouse/insights")
    browser.find_element(By.NAME, "email").send_keys("orga@example.org")
    browser.find_element(By.NAME, "password").send_keys("browser-orga-pw")
    click_and_wait(browser, "main form button[type=submit]")
    browser.get(f"{base}/organize/toulouse/insights?lang=fr")
    section = browser.find_element(By.ID, "heard-from")
    assert section.find_element(By.CSS_SELECTOR, "svg[role=img] title").get_attribute("textContent") == "Comment ils ont connu la rencontre"
    rows = {row.find_element(By.TAG_NAME, "th").text: row.find_element(By.TAG_NAME, "td").text
            for row in section.find_elements(By.CSS_SELECTOR, "tbody tr")}
    assert rows["Un proche, un collègue"] == "1" and rows["LinkedIn"] == "1" and rows["Autre"] == "0"
    assert "1 sans réponse" in section.text
    assert len(section.find_elements(By.CSS_SELECTOR, "rect.chart-bar")) == 6
    browser.execute_script("arguments[0].scrollIntoView()", section)
    browser.save_screenshot(str(SHOTS / "helperA-insights-heard-from-fr-390.png"))
    assert serious_violations(browser) == []

    browser.set_window_size(1280, 900)
    browser.get(f"{base}/organize/toulouse/insights?lang=en")
    section = browser.find_element(By.ID, "heard-from")
    assert "A friend or colleague" in section.text
    browser.execute_script("arguments[0].scrollIntoView()", section)
    browser.save_screenshot(str(SHOTS / "helperA-insights-heard-from-en-1280.png"))

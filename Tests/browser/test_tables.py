"""Organiser and admin tables on a laptop and a phone: the attendee search finds a full name typed
without accents, the table uses the laptop's width (sideways scrolling only on a phone), columns sort
by link; an invitation is withdrawn after a confirmation and its link says so; the admin directory
lists a chapter's venue from the start. Screenshots go to .build/browser-shots/ for a person to look at."""
import pathlib

from selenium.webdriver.common.by import By

from conftest import api
from test_organizer import sign_in
from test_registration import click_and_wait

SHOTS = pathlib.Path(__file__).resolve().parents[2] / ".build" / "browser-shots"


def shot(browser, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SHOTS / f"{name}.png"))


def row_names(browser):
    return [cell.text for cell in browser.find_elements(By.CSS_SELECTOR, "table.attendee-table tbody tr td:first-child strong")]


def test_attendee_table_on_a_laptop_and_a_phone(server, browser):
    base, token = server["base"], server["token"]
    event = api(base, "POST", "/api/v1/chapters/toulouse/events", {
        "title": "Soirée des tableaux", "startsAt": "2099-06-17T18:30:00+02:00", "endsAt": "2099-06-17T21:30:00+02:00", "capacity": 50}, token)
    for first, last, company in [("Éloïse", "Dupré", "Airbus"), ("Zoé", "Aaron", "Capgemini"), ("Bob", "Martin", "Sopra Steria"),
                                 ("Inès", "Benali", "Orange Business Services")]:
        api(base, "POST", f"/api/v1/events/{event['id']}/registrations",
            {"firstName": first, "lastName": last, "email": f"{first.lower()}.{last.lower()}.tables@example.org",
             "jobTitle": "Responsable du développement commercial", "company": company})
    browser.set_window_size(1366, 900)
    sign_in(server, browser)
    browser.get(f"{base}/organize/events/{event['id']}")
    # Ordered by last name, under a "Nom" header.
    assert row_names(browser) == ["Zoé Aaron", "Inès Benali", "Éloïse Dupré", "Bob Martin"]
    header = browser.find_element(By.CSS_SELECTOR, "th.col-name")
    assert header.text.startswith("Nom") and header.get_attribute("aria-sort") == "ascending"
    # The table uses the laptop's width, without a sideways scrollbar.
    width = browser.execute_script("return document.querySelector('table.attendee-table').getBoundingClientRect().width")
    assert width > 1100, width
    assert browser.execute_script("const w = document.querySelector('.table-wrap:has(table.attendee-table)'); return w.scrollWidth <= w.clientWidth")
    shot(browser, "attendees-laptop")

    # A full name typed without accents, as the form sends it.
    search = browser.find_element(By.ID, "q")
    search.send_keys("eloise dupre")
    click_and_wait(browser, "form[role=search] button[type=submit]")
    assert "q=eloise+dupre" in browser.current_url
    assert row_names(browser) == ["Éloïse Dupré"]
    shot(browser, "attendees-search")

    # Sorting by link keeps working without JavaScript, and both ways.
    browser.get(f"{base}/organize/events/{event['id']}")
    click_and_wait(browser, "th.col-name a")
    assert row_names(browser) == ["Bob Martin", "Éloïse Dupré", "Inès Benali", "Zoé Aaron"]
    click_and_wait(browser, "th.col-company a")
    assert row_names(browser)[0] == "Éloïse Dupré"

    # On a phone the table scrolls sideways inside its box, the page itself does not.
    browser.set_window_size(390, 844)
    browser.get(f"{base}/organize/events/{event['id']}")
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(browser, "attendees-phone")


def test_withdrawn_invitation_and_admin_tables(server, browser):
    base = server["base"]
    browser.set_window_size(1366, 900)
    sign_in(server, browser)
    browser.get(f"{base}/organize/toulouse/team")
    browser.find_element(By.ID, "f-email").send_keys("porte.tables@example.org")
    browser.execute_script("document.getElementById('f-role').value = 'door'")
    click_and_wait(browser, "main section.card form button[type=submit]")
    row = browser.find_element(By.XPATH, "//table[contains(@class,'pending-invitations')]//tr[contains(., 'porte.tables@example.org')]")
    assert "Natalajia Princeva" in row.text, row.text
    link = row.find_element(By.CSS_SELECTOR, "a[href*='/invitations/']").get_attribute("href")
    shot(browser, "team-pending")
    # Withdraw: a confirmation page first (no JavaScript needed), then the team page says it is done.
    assert len(browser.find_elements(By.CSS_SELECTOR, "form[action$='/revoke']")) == 1
    click_and_wait(browser, "form[action$='/revoke'] button")
    assert "Retirer l’invitation de porte.tables@example.org" in browser.page_source
    shot(browser, "team-revoke-confirm")
    click_and_wait(browser, "section.confirm form button[type=submit]")
    assert "est retirée" in browser.page_source
    assert "porte.tables@example.org" not in browser.find_element(By.TAG_NAME, "main").text.split("retirée")[1]
    browser.get(link)
    assert browser.find_element(By.TAG_NAME, "h1").text == "Cette invitation a été retirée"
    shot(browser, "invitation-withdrawn")

    # The admin directory lists the chapter's venue from the start, with its chapter.
    browser.delete_all_cookies()
    browser.get(f"{base}/signin")
    browser.find_element(By.NAME, "email").send_keys("admin@example.org")
    browser.find_element(By.NAME, "password").send_keys("browser-admin-pw")
    click_and_wait(browser, "main form button[type=submit]")
    browser.get(f"{base}/admin/directory")
    venues = browser.find_element(By.CSS_SELECTOR, "table.venues").text
    assert "Halles de la Cartoucherie" in venues and "#LinkedInLocal Toulouse" in venues
    shot(browser, "admin-directory")
    browser.get(f"{base}/admin")
    assert browser.find_element(By.CSS_SELECTOR, "main table thead th").text == "Pays"
    assert "France" in browser.find_element(By.CSS_SELECTOR, "main table tbody").text
    shot(browser, "admin-overview")

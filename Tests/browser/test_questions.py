"""Registration questions, as an organiser adds one on a laptop and a first-timer answers it on a
phone; then "already registered?" sends the link again."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import api
from test_registration import click_and_wait, fill, shot


def test_organiser_asks_and_attendee_answers(server, browser):
    event = api(server["base"], "POST", "/api/v1/chapters/toulouse/events", {
        "title": "Rencontre des questions", "startsAt": "2099-02-20T18:30:00+01:00", "endsAt": "2099-02-20T21:30:00+01:00",
        "capacity": 30, "venue": {"name": "La Mêlée", "address": "31000 Toulouse"}}, server["token"])
    base = server["base"]
    # The organiser, on a laptop.
    browser.set_window_size(1280, 900)
    browser.get(f"{base}/organize/events/{event['id']}/questions?lang=fr")
    browser.find_element(By.NAME, "email").send_keys("orga@example.org")
    browser.find_element(By.NAME, "password").send_keys("browser-orga-pw")
    click_and_wait(browser, "main form button[type=submit]")
    assert "Questions d’inscription" in browser.page_source
    fill(browser, {"label": "Un régime alimentaire particulier ?"})
    Select(browser.find_element(By.NAME, "kind")).select_by_value("choice")
    browser.find_element(By.NAME, "choices").send_keys("Aucun\nVégétarien\nVegan")
    browser.execute_script("document.getElementById('f-required').checked = true")
    click_and_wait(browser, "#add button[type=submit]")
    assert "La question figure dans le formulaire" in browser.page_source
    browser.save_screenshot(shot("questions-organiser.png"))

    # A first-timer on a phone: forgetting the answer puts the error on that question only.
    browser.delete_all_cookies()
    browser.set_window_size(390, 844)
    browser.get(f"{base}/events/{event['id']}?lang=fr")
    assert "Un régime alimentaire particulier ?" in browser.page_source
    fill(browser, {"firstName": "Léa", "lastName": "Martin", "email": "lea@example.org", "jobTitle": "Ingénieure"})
    click_and_wait(browser, "form.profile button[type=submit]")
    errors = browser.find_elements(By.CSS_SELECTOR, ".has-error")
    assert len(errors) == 1 and errors[0].tag_name == "fieldset"
    assert browser.find_element(By.NAME, "firstName").get_attribute("value") == "Léa"
    browser.save_screenshot(shot("questions-error-phone.png"))
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    radio = browser.find_element(By.CSS_SELECTOR, "input[type=radio][value='Végétarien']")
    browser.execute_script("arguments[0].click()", radio)
    click_and_wait(browser, "form.profile button[type=submit]")
    assert "Vous êtes inscrit·e" in browser.page_source
    assert browser.find_element(By.CSS_SELECTOR, "input[type=radio][value='Végétarien']").is_selected()

    # Registering again with the same address: the page offers to send the link again.
    browser.delete_all_cookies()
    browser.get(f"{base}/events/{event['id']}?lang=fr")
    fill(browser, {"firstName": "Léa", "lastName": "Martin", "email": "lea@example.org", "jobTitle": "Ingénieure"})
    browser.execute_script("arguments[0].click()", browser.find_element(By.CSS_SELECTOR, "input[type=radio][value='Aucun']"))
    click_and_wait(browser, "form.profile button[type=submit]")
    resend = browser.find_element(By.ID, "resend")
    assert resend.get_attribute("open") is not None
    assert browser.find_element(By.ID, "resend-email").get_attribute("value") == "lea@example.org"
    browser.save_screenshot(shot("resend-offered.png"))
    click_and_wait(browser, "#resend button[type=submit]")
    assert "Si lea@example.org est inscrite" in browser.page_source
    browser.save_screenshot(shot("resend-sent.png"))

"""Incident reports: someone reports an incident from a phone with JavaScript turned off (as from
the QR code on the big screen), staying anonymous; the organiser reads it and records it handled."""
import shutil

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import page_replaced
from test_registration import click_and_wait, shot


@pytest.fixture()
def phone_without_js():
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=390,844", "--lang=fr-FR"]:
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "fr-FR,fr", "profile.managed_default_content_settings.javascript": 2})
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(20)
    yield driver
    driver.quit()


def submit(driver, selector):
    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, selector).click()
    WebDriverWait(driver, 10).until(page_replaced(page))


def test_report_from_a_phone_without_javascript_and_the_organiser_handles_it(server, phone_without_js, browser):
    base, event = server["base"], server["event"]
    words = "Un participant a insisté pour me raccompagner malgré mon refus."
    phone = phone_without_js
    phone.get(f"{base}/report/{event['id']}")
    assert phone.find_element(By.TAG_NAME, "h1").text == "Signaler un incident"
    assert "Rencontre de janvier" in phone.page_source
    # Sending nothing: the error is on the field, in French.
    submit(phone, "main form button[type=submit]")
    assert phone.find_elements(By.CSS_SELECTOR, ".field.has-error textarea[name=description]")
    phone.find_element(By.CSS_SELECTOR, "textarea[name=description]").send_keys(words)
    phone.save_screenshot(shot("incident-report-phone.png"))
    assert phone.execute_script("return document.documentElement.scrollWidth <= window.innerWidth") is not False
    submit(phone, "main form button[type=submit]")
    assert "Merci. Votre signalement est parvenu aux organisateurs" in phone.page_source
    assert words not in phone.page_source
    phone.save_screenshot(shot("incident-report-thanks-phone.png"))

    # The organiser, on a laptop, reads it and records what was done.
    browser.set_window_size(1280, 900)
    browser.get(f"{base}/organize/toulouse/incidents?lang=fr")
    browser.find_element(By.NAME, "email").send_keys("orga@example.org")
    browser.find_element(By.NAME, "password").send_keys("browser-orga-pw")
    click_and_wait(browser, "main form button[type=submit]")
    assert "Signalements d’incidents" in browser.page_source
    assert words in browser.page_source
    assert "Signalé par anonyme" in browser.page_source
    browser.find_element(By.CSS_SELECTOR, "article.incident textarea[name=note]").send_keys("Parlé avec la personne concernée ; raccompagnée par un organisateur.")
    click_and_wait(browser, "article.incident button[value=handled]")
    assert "Traité par Natalajia Princeva" in browser.page_source
    assert "Rouvrir" in browser.page_source
    browser.save_screenshot(shot("incident-handled-laptop.png"))

    # The big screen carries the code of conduct and the report form's QR code; the public page reads well on a phone.
    browser.get(f"{base}/screen/{event['id']}?lang=fr")
    footer = browser.find_element(By.CSS_SELECTOR, ".screen-report")
    assert f"/report/{event['id']}" in footer.text and "/code-of-conduct" in footer.text
    assert browser.execute_script("return document.querySelector('.screen-report img').naturalWidth") > 0
    browser.save_screenshot(shot("incident-screen-laptop.png"))
    phone.get(f"{base}/code-of-conduct")
    assert phone.find_element(By.TAG_NAME, "h1").text == "Code de conduite"
    phone.save_screenshot(shot("conduct-phone.png"))

"""The chapter's audience in a real browser, without JavaScript needed: following a chapter from
its page, an organiser previewing a message as its recipient reads it, sending a test to oneself,
and scheduling a message to the audience in the chapter's time zone."""
import pathlib

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_accessibility import serious_violations
from test_organizer import sign_in
from test_registration import click_and_wait, fill

SHOTS = pathlib.Path(__file__).resolve().parents[2] / ".build" / "browser-shots"


def test_follow_a_chapter_from_its_page(server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.set_window_size(390, 844)
    browser.get(f"{server['base']}/chapters/toulouse?lang=fr")
    form = browser.find_element(By.CSS_SELECTOR, "section.follow form")
    assert form.get_attribute("action").endswith("/chapters/toulouse/follow")
    browser.find_element(By.ID, "follow-email").send_keys("pas-une-adresse@")
    browser.execute_script("arguments[0].noValidate = true", form)
    click_and_wait(browser, "section.follow button[type=submit]")
    assert browser.find_element(By.CSS_SELECTOR, "#f-email-error").is_displayed()
    browser.save_screenshot(str(SHOTS / "follow-error.png"))
    fill(browser, {"email": "fan@example.org"})
    click_and_wait(browser, "main form button[type=submit]")
    notice = browser.find_element(By.CSS_SELECTOR, "[role=status]").text
    assert "Consultez votre boîte" in notice
    browser.save_screenshot(str(SHOTS / "follow-sent.png"))
    assert serious_violations(browser) == []
    # On an event page too.
    browser.get(f"{server['base']}/events/{server['event']['id']}?lang=en")
    assert browser.find_element(By.CSS_SELECTOR, "section.follow h2").text == "Follow this chapter"


def test_preview_test_and_schedule_a_message_to_the_audience(server, browser):
    browser.set_window_size(1280, 900)
    sign_in(server, browser)
    click_and_wait(browser, "a[href$='/organize/toulouse/audience']")
    assert "0 abonné" in browser.find_element(By.ID, "audience-stats").text
    fill(browser, {"subject": "Rendez-vous en février", "body": "Bonne année à toutes et à tous.\n\nÀ très vite."})
    Select(browser.find_element(By.NAME, "audience")).select_by_value("both")
    click_and_wait(browser, "button[value=preview]")
    preview = browser.find_element(By.ID, "preview")
    assert "Bonjour," in preview.text
    assert "— Natalajia Princeva, #LinkedInLocal Toulouse" in preview.text
    assert "Ne plus recevoir de nouvelles de #LinkedInLocal Toulouse" in preview.text
    # The form keeps what was written, the chosen audience included.
    assert browser.find_element(By.NAME, "subject").get_attribute("value") == "Rendez-vous en février"
    assert Select(browser.find_element(By.NAME, "audience")).first_selected_option.get_attribute("value") == "both"
    browser.save_screenshot(str(SHOTS / "audience-preview.png"))
    # The preview (a POST's answer, outside the page-by-page audit) passes axe too.
    assert serious_violations(browser) == []
    click_and_wait(browser, "button[value=test]")
    assert "orga@example.org" in browser.find_element(By.CSS_SELECTOR, "[role=status]").text
    # Scheduled for a date and time in the chapter's time zone; listed, then cancelled.
    browser.execute_script("arguments[0].value = '2099-02-01'", browser.find_element(By.NAME, "sendDate"))
    browser.execute_script("arguments[0].value = '09:30'", browser.find_element(By.NAME, "sendTime"))
    click_and_wait(browser, "button[value=schedule]")
    assert "Programmé pour le" in browser.find_element(By.CSS_SELECTOR, "[role=status]").text
    row = browser.find_element(By.XPATH, "//tr[td[contains(., 'Rendez-vous en février')]]")
    assert "Programmé" in row.text
    browser.save_screenshot(str(SHOTS / "audience-scheduled.png"))
    click_and_wait(browser, "tr a[href*='/organize/toulouse/audience/']")
    assert browser.find_element(By.NAME, "sendTime").get_attribute("value") == "09:30"
    browser.get(f"{server['base']}/organize/toulouse/audience")
    click_and_wait(browser, "tr form button[type=submit]")
    assert "annulé" in browser.find_element(By.CSS_SELECTOR, "[role=status]").text


def test_an_event_message_preview_greets_the_first_recipient(server, browser):
    browser.set_window_size(1280, 900)
    sign_in(server, browser)
    browser.get(f"{server['base']}/organize/events/{server['event']['id']}/message")
    fill(browser, {"subject": "Ouverture des portes", "body": "Les portes ouvrent à 18 h 15."})
    click_and_wait(browser, "button[value=preview]")
    preview = browser.find_element(By.ID, "preview")
    assert preview.text.count("Bonjour ") == 1
    assert "#LinkedInLocal Toulouse, sur Rendezvous." in preview.text
    browser.save_screenshot(str(SHOTS / "message-preview.png"))
    assert serious_violations(browser) == []

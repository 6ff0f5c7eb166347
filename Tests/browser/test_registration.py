"""Key flow: a first-timer registers on a phone, fixes a mistake, lands on their private page,
and the next person is waitlisted and later offered the seat."""
import pathlib

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import page_replaced

SHOTS = pathlib.Path(__file__).resolve().parents[2] / ".build" / "browser-shots"


def shot(name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    return str(SHOTS / name)


def click_and_wait(browser, selector):
    """Clicks a submit button or link and waits until the next page has replaced this one.
    The click is dispatched from JavaScript: chromedriver's own click sometimes reports an error
    when the navigation it caused has already begun."""
    page = browser.find_element(By.TAG_NAME, "html")
    browser.execute_script("arguments[0].click()", browser.find_element(By.CSS_SELECTOR, selector))
    WebDriverWait(browser, 10).until(page_replaced(page))


def fill(browser, values):
    for name, value in values.items():
        field = browser.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)
    # Filling a registration form: accept the code of conduct, as every registration must.
    if "firstName" in values and "email" in values:
        for box in browser.find_elements(By.ID, "f-acceptCodeOfConduct"):
            if not box.is_selected():
                browser.execute_script("arguments[0].click()", box)


def test_register_fix_error_and_manage(server, browser):
    browser.get(f"{server['base']}/events/{server['event']['id']}?lang=fr")
    assert "Rencontre de janvier" in browser.title
    assert "1 place restante" in browser.page_source
    # No horizontal scrolling on a 390-pixel phone.
    assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")

    fill(browser, {"firstName": "Zoé", "lastName": "Prinčeva", "email": "zoe@example", "jobTitle": "Fondatrice", "company": "Atelier"})
    browser.find_element(By.ID, "f-consentList").click()
    click_and_wait(browser, "form.profile button[type=submit]")

    # Refused with the reason next to the field, what was typed kept, focus on the field.
    assert "Cette adresse e-mail n’est pas valide." in browser.page_source
    assert browser.find_element(By.NAME, "lastName").get_attribute("value") == "Prinčeva"
    assert browser.switch_to.active_element.get_attribute("name") == "email"
    assert browser.find_element(By.ID, "f-consentList").is_selected()

    fill(browser, {"email": "zoe@example.org"})
    click_and_wait(browser, "form.profile button[type=submit]")
    assert "Vous êtes inscrit·e" in browser.page_source
    manage_url = browser.find_element(By.ID, "manage-url").get_attribute("href")
    assert "/manage/" in manage_url

    # The room is now full: the next person joins the waitlist.
    browser.get(f"{server['base']}/events/{server['event']['id']}?lang=fr")
    assert "Complet" in browser.page_source
    assert "Zoé Prinčeva" in browser.page_source
    fill(browser, {"firstName": "Marie", "lastName": "Quinquies", "email": "marie@example.org", "jobTitle": "Consultante"})
    click_and_wait(browser, "form.profile button[type=submit]")
    assert "Vous êtes numéro 1 sur la liste d’attente" in browser.page_source
    waitlist_url = browser.find_element(By.ID, "manage-url").get_attribute("href")

    # Zoé cancels: one tap only asks, and "keep my seat" changes nothing.
    browser.get(manage_url)
    click_and_wait(browser, "form.action button.danger")
    assert "Annuler votre inscription\u202f?" in browser.page_source
    browser.save_screenshot(shot("cancel-confirm.png"))
    click_and_wait(browser, "section.confirm a.button")
    assert "Confirmée" in browser.page_source
    click_and_wait(browser, "form.action button.danger")
    click_and_wait(browser, "section.confirm button.danger")
    assert "Votre inscription est annulée" in browser.page_source
    # Her seat went to Marie at once, who accepts it.
    browser.get(waitlist_url)
    assert "Une place s’est libérée pour vous" in browser.page_source
    click_and_wait(browser, "form.action button.primary")
    assert "La place est à vous" in browser.page_source
    assert "Confirmée" in browser.page_source
    # Zoé changes her mind: too late, the seat is taken, and undo is no longer offered.
    browser.get(manage_url)
    assert "/restore" not in browser.page_source
    assert "Annulée" in browser.page_source
    browser.save_screenshot(shot("cancel-too-late.png"))


def test_language_switch_and_skip_link(server, browser):
    browser.get(f"{server['base']}/events/{server['event']['id']}")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    click_and_wait(browser, "a[hreflang=en]")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert "Register" in browser.page_source
    # The choice is remembered.
    browser.get(f"{server['base']}/chapters/toulouse")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    skip = browser.find_element(By.CSS_SELECTOR, "a.skip")
    assert skip.get_attribute("href").endswith("#main")

"""The evening in a real browser: an organiser plans the tables and starts the rounds from a phone;
the big screen and an attendee's phone follow without anyone reloading them."""
import pathlib

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import api, page_replaced
from test_organizer import sign_in
from test_registration import click_and_wait

SHOTS = pathlib.Path(__file__).resolve().parents[2] / ".build" / "browser-shots"


def shot(browser, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SHOTS / f"{name}.png"))


def wait_text(browser, selector, contains, timeout=15):
    WebDriverWait(browser, timeout).until(
        lambda b: contains in b.find_element(By.CSS_SELECTOR, selector).text,
        message=f"{selector} never showed {contains!r}")
    return browser.find_element(By.CSS_SELECTOR, selector).text


def test_plan_rounds_and_the_screen_and_phone_follow(server, browser):
    base, token = server["base"], server["token"]
    event = api(base, "POST", "/api/v1/chapters/toulouse/events", {
        "title": "Soirée des tables", "startsAt": "2099-03-20T18:30:00+01:00", "endsAt": "2099-03-20T21:30:00+01:00",
        "capacity": 30}, token)
    people = [("Marie", "Consultante"), ("Karim", "Fondateur"), ("Zoé", "Développeuse"), ("Léa", "Recruteuse"),
              ("Hugo", "Commercial"), ("Inès", "Data analyst"), ("Paul", "Avocat"), ("Sara", "UX designer"),
              ("Yann", "Comptable"), ("Nora", "Chargée de marketing"), ("Omar", "Étudiant"), ("Jade", "Chef de projet")]
    tokens = []
    for index, (first, title) in enumerate(people):
        created = api(base, "POST", f"/api/v1/events/{event['id']}/registrations", {
            "firstName": first, "lastName": f"Testeur{index}", "email": f"table{index}@example.org", "jobTitle": title,
            "company": "Airbus" if index < 3 else f"Société {index}"})
        tokens.append(created["manageToken"])

    # The organiser, on a phone: sets up 3 tables of 4 for 3 rounds of 10 minutes, and plans.
    sign_in(server, browser)
    browser.get(f"{base}/organize/events/{event['id']}/room")
    for name, value in {"tables": "3", "seats": "4", "rounds": "3", "minutes": "10"}.items():
        field = browser.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)
    click_and_wait(browser, "details form button[type=submit]")
    click_and_wait(browser, "#plan form button[type=submit]")
    quality = browser.find_element(By.CSS_SELECTOR, "#plan strong").text
    assert "0" in quality, quality
    # Rounds fold on a phone (the next to start is open): unfold them all to read them.
    browser.execute_script("document.querySelectorAll('details.round').forEach(d => d.open = true)")
    rounds = browser.find_elements(By.CSS_SELECTOR, "details[id^='round-']")
    assert len(rounds) == 3
    for section in rounds:
        names = section.text
        assert sum(names.count(first) for first, _ in people) >= 12, "everyone seated in every round"
    shot(browser, "room-organiser-planned")

    # Drag someone of round 3 from table 1 onto table 2 (HTML5 drag and drop, dispatched as a browser would).
    round3 = "details#round-2 .room-tables > li"
    name = browser.find_element(By.CSS_SELECTOR, f"{round3}:nth-child(1) .people > li > span").text.split("\n")[0].replace(" 📌", "")
    page = browser.find_element(By.TAG_NAME, "html")
    browser.execute_script("""
        const [from, to] = [document.querySelector(arguments[0] + ':nth-child(1) .people > li'), document.querySelector(arguments[0] + ':nth-child(2)')];
        const data = new DataTransfer();
        from.dispatchEvent(new DragEvent('dragstart', {bubbles: true, dataTransfer: data}));
        to.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: data}));
        to.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: data}));
    """, round3)
    WebDriverWait(browser, 10).until(page_replaced(page))
    assert browser.find_element(By.ID, "round-2").get_attribute("open") is not None, "the round just changed is unfolded"
    moved_to = browser.find_element(By.CSS_SELECTOR, f"{round3}:nth-child(2)").text
    assert name in moved_to, f"{name} not at table 2 after the drop: {moved_to}"
    assert "📌" in moved_to, "a moved person is pinned there"

    screen_link = browser.find_element(By.CSS_SELECTOR, "a[href*='/screen/']").get_attribute("href")
    organiser = browser.current_window_handle

    # The projector: the big screen, opened from its link, waits for round 1 with the tables.
    browser.switch_to.new_window("window")
    browser.set_window_size(1280, 720)
    browser.get(screen_link)
    wait_text(browser, "#screen-round", "Tour 1 sur 3")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#screen-tables > li")) == 3
    shot(browser, "room-screen-waiting")
    screen = browser.current_window_handle

    # An attendee's phone: the manage page says where to sit.
    browser.switch_to.new_window("window")
    browser.set_window_size(390, 844)
    browser.get(f"{base}/manage/{tokens[0]}")
    headline = wait_text(browser, "[data-seat-headline]", "Le tour 1 sur 3 va commencer")
    assert "table" in headline
    phone = browser.current_window_handle

    # The organiser starts round 1: the screen counts down, the phone follows, nobody reloads.
    browser.switch_to.window(organiser)
    click_and_wait(browser, "#presenter form button.primary")
    browser.switch_to.window(screen)
    wait_text(browser, "#screen-round", "Tour 1 sur 3")
    WebDriverWait(browser, 15).until(lambda b: "bientôt" not in b.find_element(By.ID, "screen-round").text)
    WebDriverWait(browser, 10).until(lambda b: ":" in b.find_element(By.ID, "screen-clock").text)
    shot(browser, "room-screen-round1")
    browser.switch_to.window(phone)
    wait_text(browser, "[data-seat-headline]", "Tour 1 sur 3")
    assert "Avec" in browser.find_element(By.CSS_SELECTOR, "[data-seat-detail]").text
    shot(browser, "room-phone-round1")

    # Round 2: both follow again.
    browser.switch_to.window(organiser)
    click_and_wait(browser, "#presenter form button.primary")
    browser.switch_to.window(screen)
    wait_text(browser, "#screen-round", "Tour 2 sur 3")
    browser.switch_to.window(phone)
    wait_text(browser, "[data-seat-headline]", "Tour 2 sur 3")

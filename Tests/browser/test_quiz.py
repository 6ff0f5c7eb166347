"""The live quiz in real browsers: an organiser presents from a laptop, the big screen shows the
join code, three phones join (an attendee in one tap from their registration page, two with a
nickname, one of them on the Server-Sent Events fallback), answer, and one reloads in the middle of
a question and keeps its answer. Nobody reloads to follow the game."""
import re
import shutil

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import api
from test_organizer import sign_in
from test_registration import click_and_wait
from selenium.common.exceptions import StaleElementReferenceException
from test_room import shot


def wait_text(browser, selector, contains, timeout=15):
    """Waits for `selector` to show `contains`; the live pages redraw, so a vanished element is read again."""
    WebDriverWait(browser, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(
        lambda b: contains in b.find_element(By.CSS_SELECTOR, selector).text, message=f"{selector} never showed {contains!r}")
    for _ in range(5):
        try:
            return browser.find_element(By.CSS_SELECTOR, selector).text
        except StaleElementReferenceException:
            continue
    return ""


def new_browser(width=390, height=844, language="fr-FR,fr"):
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}"]:
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": language})
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(20)
    return driver


def join_with_nickname(phone, base, code, nickname, query=""):
    phone.get(f"{base}/q")
    phone.find_element(By.NAME, "code").send_keys(code)
    click_and_wait(phone, "main form button[type=submit]")
    phone.find_element(By.NAME, "nickname").send_keys(nickname)
    click_and_wait(phone, "main form button[type=submit]")
    assert phone.current_url.endswith(f"/q/{code}/play"), phone.current_url
    if query:
        phone.get(phone.current_url + query)


def test_a_presenter_and_three_phones_play_a_whole_quiz(server, browser):
    base, token = server["base"], server["token"]
    event = api(base, "POST", "/api/v1/chapters/toulouse/events", {
        "title": "Soirée quiz", "startsAt": "2099-04-20T18:30:00+02:00", "endsAt": "2099-04-20T21:30:00+02:00", "capacity": 30}, token)
    attendee = api(base, "POST", f"/api/v1/events/{event['id']}/registrations", {
        "firstName": "Karim", "lastName": "Benali", "email": "karim.quiz@example.org", "jobTitle": "Fondateur"})
    quiz = api(base, "POST", "/api/v1/chapters/toulouse/quizzes", {"title": "Quiz LinkedIn", "language": "fr", "questions": [
        {"kind": "single", "prompt": "En quelle année LinkedIn a-t-il été fondé ?", "choices": ["1999", "2002", "2006"], "correct": [1], "seconds": 60},
        {"kind": "word", "prompt": "Un mot pour « réseau » en anglais ?", "accepted": ["network"], "seconds": 60, "points": 500},
    ]}, token)

    # The organiser starts the game from the event's quiz page (the presenter's console).
    sign_in(server, browser)
    browser.set_window_size(1280, 900)
    browser.get(f"{base}/organize/events/{event['id']}/quiz")
    browser.find_element(By.CSS_SELECTOR, f"#f-quiz option[value='{quiz['id']}']").click()
    click_and_wait(browser, "#start form button[type=submit]")
    code = browser.find_element(By.CSS_SELECTOR, ".quiz-code-inline").text
    assert re.fullmatch(r"\d{6}", code), code
    screen_url = browser.find_element(By.LINK_TEXT, "Ouvrir le grand écran").get_attribute("href")

    screen = new_browser(1280, 720)
    phones = [new_browser(), new_browser(), new_browser(language="en-US,en")]
    try:
        # The big screen (the projector's signed link, nobody signed in) shows the code and a QR code.
        screen.get(screen_url)
        wait_text(screen, "#quiz-overlay .quiz-code", code)
        qr = screen.find_element(By.CSS_SELECTOR, "#quiz-overlay img.quiz-qr")
        WebDriverWait(screen, 10).until(lambda s: s.execute_script("return arguments[0].naturalWidth", qr) > 0, "the QR code loads")

        # Karim joins in one tap from his registration page: his name comes with him.
        karim, zoe, lea = phones
        karim.get(f"{base}/manage/{attendee['manageToken']}")
        click_and_wait(karim, ".quiz-invite form button")
        wait_text(karim, "#quiz-view", "Karim B.")
        # Zoé types the code and a nickname; Léa does too, on the Server-Sent Events fallback.
        join_with_nickname(zoe, base, code, "Zoé")
        join_with_nickname(lea, base, code, "Léa", query="?transport=sse")
        wait_text(zoe, "#quiz-view", "Zoé")
        wait_text(lea, "#quiz-view", "Léa")
        wait_text(screen, "#quiz-overlay .quiz-players", "3")
        shot(screen, "quiz-screen-lobby")
        shot(karim, "quiz-phone-lobby-fr")

        # The presenter opens the first question: every phone shows it with its countdown.
        browser.find_element(By.CSS_SELECTOR, "[data-command=next]").click()
        for phone in phones:
            wait_text(phone, "#quiz-view", "LinkedIn")
        wait_text(screen, "#quiz-overlay .quiz-prompt", "LinkedIn")
        shot(zoe, "quiz-phone-question-fr")

        # Karim and Léa answer 2002, Zoé 1999; Zoé reloads and still sees her answer.
        def choose(phone, label):
            WebDriverWait(phone, 10).until(lambda p: p.find_elements(By.CSS_SELECTOR, ".quiz-choice"))
            for button in phone.find_elements(By.CSS_SELECTOR, ".quiz-choice"):
                if label in button.text:
                    button.click()
                    return
            raise AssertionError(f"no choice {label}")
        choose(karim, "2002")
        choose(zoe, "1999")
        choose(lea, "2002")
        wait_text(zoe, "#quiz-view .quiz-sent", "1999")
        zoe.refresh()
        wait_text(zoe, "#quiz-view .quiz-sent", "1999")
        wait_text(lea, "#quiz-view .quiz-sent", "2002")
        wait_text(screen, "#quiz-count", "3")

        # The presenter closes the answers: the right one, the bars, each phone's verdict.
        browser.find_element(By.CSS_SELECTOR, "[data-command=close]").click()
        wait_text(karim, ".quiz-verdict", "Bravo")
        wait_text(zoe, ".quiz-verdict", "Pas cette fois")
        wait_text(lea, ".quiz-verdict", "Right")
        right = screen.find_element(By.CSS_SELECTOR, "#quiz-overlay .quiz-bars li.right").text
        assert "2002" in right and "2" in right, right
        shot(screen, "quiz-screen-results")
        shot(karim, "quiz-phone-results-fr")
        shot(lea, "quiz-phone-results-en")

        # Standings, then the open word question answered from the phones' keyboards.
        browser.find_element(By.CSS_SELECTOR, "[data-command=leaderboard]").click()
        wait_text(screen, "#quiz-overlay .quiz-standings", "Karim B.")
        browser.find_element(By.CSS_SELECTOR, "[data-command=next]").click()
        for phone, word in ((karim, "Network"), (zoe, "réseau"), (lea, "network")):
            WebDriverWait(phone, 10).until(lambda p: p.find_elements(By.ID, "quiz-input"))
            phone.find_element(By.ID, "quiz-input").send_keys(word)
            phone.find_element(By.CSS_SELECTOR, ".quiz-answer button[type=submit]").click()
            wait_text(phone, "#quiz-view .quiz-sent", word)
        browser.find_element(By.CSS_SELECTOR, "[data-command=close]").click()
        cloud = wait_text(screen, "#quiz-overlay .quiz-cloud", "réseau")
        assert "network" in cloud.lower(), cloud
        wait_text(zoe, ".quiz-verdict", "Pas cette fois")

        # The podium ends the game on every screen.
        browser.find_element(By.CSS_SELECTOR, "[data-command=next]").click()
        podium = wait_text(screen, "#quiz-overlay .quiz-standings", "Karim B.")
        assert "Léa" in podium and "Zoé" not in podium, podium
        wait_text(karim, "#quiz-view", "Rang 1")
        shot(screen, "quiz-screen-podium")
        shot(karim, "quiz-phone-podium-fr")

        # The organiser downloads the results.
        csv = browser.execute_script("""
            const link = [...document.querySelectorAll('a')].find(a => a.href.includes('quiz-results'));
            return fetch(link.href).then(r => r.text());""")
        assert "Karim B." in csv and "Zoé" in csv and "Léa" in csv
    finally:
        screen.quit()
        for phone in phones:
            phone.quit()

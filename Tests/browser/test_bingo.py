"""Human bingo in a real browser: the organiser generates 4×4 cards, an attendee ticks squares on
their phone by picking who matches (a wrong pick is explained in French), completes a row, and
the big screen announces the line."""
import json
import subprocess
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import api
from test_organizer import sign_in
from test_registration import click_and_wait
from test_room import SHOTS, shot, wait_text

# Everyone is a consultant at one of two companies, so job and first meetup never make a square of
# Alice's card (she has them too); Alice shares no fact, so all sixteen facts, Thales and jazz can.
FACTS = ["livedAbroad", "speaksThreeLanguages", "changedCareer", "foundedCompany", "runsMarathons", "playsMusic",
         "volunteers", "worksRemotely", "hasPet", "cooksWell", "readsSciFi", "travelledFiveContinents",
         "teachesOrMentors", "podcastOrBlog", "sportsTeam", "firstJobNotInField"]
NAMES = ["Alice", "Bruno", "Chloé", "Driss", "Emma", "Farid", "Gaëlle", "Hugo"]


def person(index):
    """Alice (0) shares no fact; the seven others hold each fact three at a time."""
    facts = [] if index == 0 else [fact for j, fact in enumerate(FACTS) if (index - 1) in {j % 7, (j + 3) % 7, (j + 5) % 7}]
    return {"first": NAMES[index], "last": f"Joueur{index}", "company": "Airbus" if index < 4 else "Thales",
            "topic": "cuisine" if index < 4 else "jazz", "facts": facts}


def matches(p, square):
    kind, value, label = square["kind"], square["value"], square["label"]
    if kind == "fact":
        return value in p["facts"]
    if kind == "company":
        return label == p["company"]
    if kind == "topic":
        return label == p["topic"]
    return False  # job family and first meetup: everyone, Alice included, so never on her card


def own_card(base, registration, token):
    request = urllib.request.Request(f"{base}/api/v1/registrations/{registration}/bingo")
    request.add_header("X-Manage-Token", token)
    request.add_header("Accept-Language", "fr")
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def a_row(card, people, holder):
    """A row of the card and a different matching person for each of its squares."""
    size, squares = card["size"], card["squares"]
    for row in range(size):
        cells = [row * size + column for column in range(size)]

        def assign(rest, used):
            if not rest:
                return {}
            for index, p in enumerate(people):
                if index != holder and index not in used and matches(p, squares[rest[0]]):
                    found = assign(rest[1:], used | {index})
                    if found is not None:
                        return {rest[0]: index, **found}
            return None
        found = assign(cells, set())
        if found is not None:
            return cells, found
    raise AssertionError("no row can be completed")


def tick(browser, square, registration_id):
    Select(browser.find_element(By.ID, "f-square")).select_by_value(str(square))
    Select(browser.find_element(By.ID, "f-person")).select_by_value(registration_id)
    click_and_wait(browser, "#tick form button[type=submit]")


def test_cards_ticks_and_a_line_on_the_big_screen(server, browser):
    base, token = server["base"], server["token"]
    event = api(base, "POST", "/api/v1/chapters/toulouse/events", {
        "title": "Soirée bingo", "startsAt": "2099-04-17T18:30:00+02:00", "endsAt": "2099-04-17T21:30:00+02:00",
        "capacity": 30}, token)
    people = [person(index) for index in range(len(NAMES))]
    created = []
    for index, p in enumerate(people):
        created.append(api(base, "POST", f"/api/v1/events/{event['id']}/registrations", {
            "firstName": p["first"], "lastName": p["last"], "email": f"bingo{index}@example.org", "jobTitle": "Consultant",
            "company": p["company"], "askMeAbout": p["topic"], "bingoFacts": p["facts"], "gamesConsent": True}))
    assert all(entry["status"] == "confirmed" for entry in created)

    # The organiser generates 4×4 cards.
    sign_in(server, browser)
    browser.set_window_size(1024, 900)
    browser.get(f"{base}/organize/events/{event['id']}/bingo")
    assert "Confirmés\u202f: 8 (jeux acceptés\u202f: 8)." in browser.page_source
    Select(browser.find_element(By.ID, "f-size")).select_by_value("4")
    click_and_wait(browser, "form.card button[type=submit]")
    assert "Grilles générées." in browser.page_source
    assert browser.find_elements(By.CSS_SELECTOR, "a[href$='/bingo.pdf']")
    shot(browser, "bingo-organiser")
    organiser = browser.current_window_handle

    # The printed cards, fetched with the organiser's session: one page each, the evening under the name.
    pdf_url = browser.find_element(By.CSS_SELECTOR, "a[href$='/bingo.pdf']").get_attribute("href")
    request = urllib.request.Request(pdf_url)
    request.add_header("Accept-Language", "fr-FR,fr")
    request.add_header("Cookie", "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies()))
    with urllib.request.urlopen(request) as response:
        pdf = response.read()
    assert pdf.startswith(b"%PDF")
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "bingo-cards.pdf").write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(SHOTS / "bingo-cards.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count("Bingo humain") == 8
    assert "Soirée bingo · vendredi 17 avril 2099 à 18:30" in " ".join(text.split())

    alice = created[0]
    card = own_card(base, alice["id"], alice["manageToken"])["card"]
    assert card["size"] == 4 and len(card["squares"]) == 16
    cells, who = a_row(card, people, 0)

    # Alice's phone, in French: her card, a square picked from the grid, a wrong person, then the right one.
    browser.switch_to.new_window("window")
    browser.set_window_size(390, 844)
    browser.get(f"{base}/manage/{alice['manageToken']}/bingo")
    assert len(browser.find_elements(By.CSS_SELECTOR, ".bingo-grid li")) == 16
    shot(browser, "bingo-phone-card")
    first = cells[0]
    click_and_wait(browser, f"#sq-{first} a")
    assert Select(browser.find_element(By.ID, "f-square")).first_selected_option.get_attribute("value") == str(first)
    wrong = next(index for index, p in enumerate(people) if index != 0 and not matches(p, card["squares"][first]))
    Select(browser.find_element(By.ID, "f-person")).select_by_value(created[wrong]["id"])
    click_and_wait(browser, "#tick form button[type=submit]")
    error = browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    assert error == f"{people[wrong]['first']} {people[wrong]['last']} ne correspond pas à cette case.", error
    shot(browser, "bingo-phone-refused")
    tick(browser, first, created[who[first]]["id"])
    assert "Case cochée." in browser.page_source
    square = browser.find_element(By.ID, f"sq-{first}")
    assert "ticked" in square.get_attribute("class")
    assert f"Cochée avec {people[who[first]]['first']}" in square.text
    shot(browser, "bingo-phone-ticked")

    # The rest of the row: a line, said on the phone.
    for index in cells[1:]:
        tick(browser, index, created[who[index]]["id"])
    assert all("ticked" in browser.find_element(By.ID, f"sq-{index}").get_attribute("class") for index in cells)
    assert "Vous avez une ligne" in browser.find_element(By.CSS_SELECTOR, ".ok-note").text
    shot(browser, "bingo-phone-line")

    # The big screen (the organiser is signed in) announces it.
    browser.switch_to.new_window("window")
    browser.set_window_size(1280, 720)
    browser.get(f"{base}/screen/{event['id']}")
    wait_text(browser, "#screen-announce", "Alice a une ligne au bingo")
    shot(browser, "bingo-screen-line")

    # The organiser's counts follow.
    browser.switch_to.window(organiser)
    browser.refresh()
    assert "Lignes annoncées\u202f: 1 · grilles complètes\u202f: 0." in browser.page_source

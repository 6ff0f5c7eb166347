"""The event page as an invitation: organisers upload a cover, a chapter logo and colour and a
speaker's photo; on a laptop the registration card stays in view while the story scrolls; on a
phone the essentials and the "Register" button come first. Screenshots go to .build/browser-shots."""
import pathlib, struct, tempfile, zlib

from selenium.webdriver.common.by import By

from conftest import ROOT, api
from test_organizer import sign_in
from test_registration import click_and_wait

SHOTS = ROOT / ".build" / "browser-shots"


def png(width, height, pixel):
    """A PNG written with the standard library: `pixel(x, y)` gives (r, g, b)."""
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 6)) + chunk(b"IEND", b""))


def picture_file(name, width, height, pixel):
    path = pathlib.Path(tempfile.mkdtemp(prefix="rendezvous-pictures-")) / name
    path.write_bytes(png(width, height, pixel))
    return str(path)


def dusk(x, y):
    """A sky at dusk over a skyline: something a cover could be."""
    t = y / 500
    skyline = 330 + 60 * ((x // 90) % 3) - 25 * ((x // 37) % 2)
    if y > skyline:
        return (28, 24, 40)
    return (int(40 + 200 * t), int(50 + 90 * t), int(120 + 60 * (1 - t)))


def meetup(server, capacity=80):
    """An event of its own, with a description long enough to scroll, a speaker, an agenda and
    seven attendees of whom five agreed to be listed."""
    event = api(server["base"], "POST", "/api/v1/chapters/toulouse/events", {
        "title": "Rencontre de printemps", "startsAt": "2099-04-15T18:30:00+02:00", "endsAt": "2099-04-15T21:30:00+02:00",
        "capacity": capacity, "status": "published",
        "description": "\n\n".join([
            "Une soirée pour rencontrer les professionnels de Toulouse, sans badge d’entreprise ni discours commercial.",
            "Nous commençons par un tour de tables de dix minutes, puis une table ronde sur le travail hybride "
            "avec des dirigeants d’entreprises de la région.",
            "La soirée se termine autour d’un buffet offert par notre hôte. Venez comme vous êtes, seul ou accompagné.",
            "Chaque participant reçoit un badge avec son prénom, sa fonction et une ligne « parlez-moi de ». "
            "Les tables changent toutes les vingt minutes pour que chacun rencontre une douzaine de personnes.",
        ]),
        "venue": {"name": "Halles de la Cartoucherie", "address": "Allée Charles de Fitte, 31300 Toulouse"},
        "speakers": [{"name": "Jean-Christophe Boussion", "jobTitle": "Fondateur", "company": "PowerPitch",
                      "bio": "Organise des rencontres professionnelles depuis 2017."},
                     {"name": "Éloïse Dupré", "jobTitle": "Directrice des opérations", "company": "Airbus"}],
        "agenda": [{"startsAt": "2099-04-15T18:30:00+02:00", "title": "Accueil et badges"},
                   {"startsAt": "2099-04-15T19:00:00+02:00", "title": "Table ronde : le travail hybride"},
                   {"startsAt": "2099-04-15T20:00:00+02:00", "title": "Rotations et buffet"}],
    }, server["token"])
    people = [("Marie", "Curie", "Chercheuse"), ("Karim", "Benali", "Développeur"), ("Lucie", "Martin", "Consultante"),
              ("Hugo", "Bernard", "Fondateur"), ("Inès", "Petit", "Designer"), ("Paul", "Durand", "Commercial"),
              ("Chloé", "Moreau", "Juriste")]
    for index, (first, last, job) in enumerate(people):
        api(server["base"], "POST", f"/api/v1/events/{event['id']}/registrations", {
            "firstName": first, "lastName": last, "email": f"spring{index}@example.org", "jobTitle": job, "company": "Acme",
            "consents": {"attendeeList": index < 5, "profileSharing": False}})
    return event


def upload(browser, field, path):
    browser.find_element(By.NAME, field).send_keys(path)


def test_organisers_give_pictures_and_the_page_invites_on_a_laptop_and_a_phone(server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    event = meetup(server)
    base = server["base"]
    sign_in(server, browser)

    # The chapter's logo and colour.
    browser.get(f"{base}/organize/toulouse/branding")
    upload(browser, "logo", picture_file("logo.png", 400, 400,
                                         lambda x, y: (123, 45, 142) if (x - 200) ** 2 + (y - 200) ** 2 < 170 ** 2 else (255, 255, 255)))
    colour = browser.find_element(By.NAME, "color")
    colour.clear()
    colour.send_keys("#7b2d8e")
    click_and_wait(browser, "main form button[type=submit]")
    assert "Vos modifications sont enregistrées." in browser.page_source
    assert browser.find_element(By.CSS_SELECTOR, ".current-image img").get_attribute("alt") == "#LinkedInLocal Toulouse"
    assert "blanc" in browser.find_element(By.CSS_SELECTOR, ".brand-sample").text

    # The cover, described, and a speaker's photo: from the event form's link.
    browser.get(f"{base}/organize/events/{event['id']}/edit")
    click_and_wait(browser, f"a[href='/organize/events/{event['id']}/images']")
    upload(browser, "cover", picture_file("cover.png", 1200, 500, dusk))
    click_and_wait(browser, "main form button[type=submit]")
    # Without its description the cover is refused, the error on that field.
    assert browser.find_element(By.ID, "f-coverAlt-error").is_displayed()
    upload(browser, "cover", picture_file("cover.png", 1200, 500, dusk))
    browser.find_element(By.NAME, "coverAlt").send_keys("La halle de la Cartoucherie au crépuscule")
    click_and_wait(browser, "main form button[type=submit]")
    assert "Vos modifications sont enregistrées." in browser.page_source
    upload(browser, "photo", picture_file("portrait.png", 300, 400,
                                          lambda x, y: (230, 190, 160) if (x - 150) ** 2 + (y - 160) ** 2 < 90 ** 2 else (60, 90, 120)))
    click_and_wait(browser, "form.speaker-photo button[type=submit]")
    assert len(browser.find_elements(By.CSS_SELECTOR, "form.speaker-photo .current-image img")) == 1

    # A laptop: the story on the left, the card on the right, in view while the story scrolls.
    browser.set_window_size(1280, 900)
    browser.get(f"{base}/events/{event['id']}")
    cover = browser.find_element(By.CSS_SELECTOR, "img.cover")
    assert cover.get_attribute("alt") == "La halle de la Cartoucherie au crépuscule"
    assert browser.execute_script("return arguments[0].naturalWidth", cover) > 0
    ticket = browser.find_element(By.CSS_SELECTOR, "aside.ticket")
    story = browser.find_element(By.CSS_SELECTOR, ".story")
    assert ticket.rect["x"] > story.rect["x"] + story.rect["width"] - 1
    browser.save_screenshot(str(SHOTS / "event-laptop-top.png"))
    for scroll in (600, 1200, 2000):
        browser.execute_script("window.scrollTo(0, arguments[0])", scroll)
        box = browser.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.top, r.bottom, window.innerHeight, window.scrollY]", ticket)
        assert box[3] > 0, "the page scrolls"
        assert 0 <= box[0] and box[1] <= box[2], f"the card is in view after scrolling to {scroll}: {box}"
    browser.save_screenshot(str(SHOTS / "event-laptop-scrolled.png"))
    # The brand colour is the card's button; its text reads on it.
    button = browser.find_element(By.CSS_SELECTOR, "a.register-button")
    assert browser.execute_script("return getComputedStyle(arguments[0]).backgroundColor", button) == "rgb(123, 45, 142)"
    assert browser.execute_script("return getComputedStyle(arguments[0]).color", button) == "rgb(255, 255, 255)"
    # Who is coming: the count and five avatars; the speakers' photo or initials.
    assert "7 personnes viennent" in browser.page_source
    assert len(browser.find_elements(By.CSS_SELECTOR, ".coming .attendees .avatar")) == 5
    assert len(browser.find_elements(By.CSS_SELECTOR, ".speakers img.avatar.photo")) == 1
    assert browser.find_element(By.CSS_SELECTOR, ".speakers span.avatar").text == "ÉD"
    # Share: LinkedIn first; the copy button appears with JavaScript.
    share = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, ".share-buttons a")]
    assert share[0].startswith("https://www.linkedin.com/sharing/share-offsite/?url=")
    assert share[1].startswith("mailto:")
    assert browser.find_element(By.CSS_SELECTOR, "button.copy-button").is_displayed()
    assert browser.find_element(By.ID, "share-url").get_attribute("value").endswith(f"/events/{event['id']}")

    # A phone: title, date, place, seats and "Register" first, then the story.
    browser.set_window_size(390, 844)
    browser.get(f"{base}/events/{event['id']}")
    browser.save_screenshot(str(SHOTS / "event-phone-top.png"))
    button = browser.find_element(By.CSS_SELECTOR, "a.register-button")
    title = browser.find_element(By.TAG_NAME, "h1")
    facts = browser.find_element(By.CSS_SELECTOR, "aside.ticket .facts")
    about = browser.find_element(By.CSS_SELECTOR, ".story section h2")
    assert title.rect["y"] < facts.rect["y"] < button.rect["y"] < about.rect["y"]
    viewport = browser.execute_script("return window.innerHeight")
    assert button.rect["y"] + button.rect["height"] <= viewport, "the Register button is on the first screen"
    assert "avril 2099" in facts.text and "Halles de la Cartoucherie" in facts.text and "places restantes" in facts.text
    browser.execute_script("arguments[0].click()", button)
    browser.implicitly_wait(0)
    form_top = browser.execute_script("return document.getElementById('register').getBoundingClientRect().top")
    assert -5 <= form_top <= 100, f"the button leads to the form: {form_top}"
    browser.save_screenshot(str(SHOTS / "event-phone-form.png"))
    browser.execute_script("window.scrollTo(0, document.querySelector('.coming').offsetTop - 20)")
    browser.save_screenshot(str(SHOTS / "event-phone-coming.png"))

    # The chapter page wears the colour and the logo.
    browser.get(f"{base}/chapters/toulouse")
    hero = browser.find_element(By.CSS_SELECTOR, ".chapter-hero")
    assert browser.execute_script("return getComputedStyle(arguments[0]).backgroundColor", hero) == "rgb(123, 45, 142)"
    assert browser.find_element(By.CSS_SELECTOR, ".chapter-hero img.chapter-logo").get_attribute("alt") == "#LinkedInLocal Toulouse"
    browser.save_screenshot(str(SHOTS / "chapter-phone.png"))
    # Its meetups' cards show their covers.
    browser.set_window_size(1280, 900)
    card = browser.find_element(By.XPATH, "//li[contains(@class,'event-card')][.//a[text()='Rencontre de printemps']]")
    assert card.find_element(By.CSS_SELECTOR, "img.card-cover").get_attribute("alt") == ""
    browser.execute_script("arguments[0].scrollIntoView()", card)
    browser.save_screenshot(str(SHOTS / "chapter-laptop-cards.png"))

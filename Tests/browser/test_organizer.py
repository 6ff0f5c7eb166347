"""Key organiser flows in a real browser: sign in, plan a series, export attendees as CSV."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from test_registration import click_and_wait


def sign_in(server, browser):
    browser.get(f"{server['base']}/organize/toulouse")
    assert "/signin" in browser.current_url
    browser.find_element(By.NAME, "email").send_keys("orga@example.org")
    browser.find_element(By.NAME, "password").send_keys("browser-orga-pw")
    click_and_wait(browser, "main form button[type=submit]")
    assert browser.current_url.endswith("/organize/toulouse")


def test_sign_in_and_plan_a_series(server, browser):
    sign_in(server, browser)
    assert "Prochaines rencontres" in browser.page_source
    click_and_wait(browser, "a[href$='/series/new']")
    title = browser.find_element(By.NAME, "title")
    title.clear()
    title.send_keys("Rencontre trimestrielle")
    start = browser.find_element(By.NAME, "from")
    browser.execute_script("arguments[0].value = '2099-01-01'", start)
    Select(browser.find_element(By.NAME, "pattern")).select_by_value("monthly3")
    Select(browser.find_element(By.NAME, "ordinal")).select_by_value("3")
    Select(browser.find_element(By.NAME, "weekday")).select_by_value("4")
    count = browser.find_element(By.NAME, "count")
    count.clear()
    count.send_keys("4")
    click_and_wait(browser, "main form button[type=submit]")
    rows = [row.text for row in browser.find_elements(By.CSS_SELECTOR, "tbody tr") if "Rencontre trimestrielle" in row.text]
    assert len(rows) == 4
    assert all("Brouillon" in row for row in rows)
    assert any("21 janv. 2099 18:30" in row for row in rows)
    assert any("15 avr. 2099 18:30" in row for row in rows)


def test_export_attendees_as_csv(server, browser):
    sign_in(server, browser)
    browser.get(f"{server['base']}/organize/events/{server['event']['id']}")
    link = browser.find_element(By.LINK_TEXT, "Exporter en CSV").get_attribute("href")
    result = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch(arguments[0]).then(r => Promise.all([r.headers.get('content-type'), r.arrayBuffer()]))
          .then(([type, body]) => done({type, head: Array.from(new Uint8Array(body).slice(0, 3)), text: new TextDecoder().decode(body)}));
    """, link)
    assert result["type"] == "text/csv; charset=utf-8"
    assert result["head"] == [0xEF, 0xBB, 0xBF]
    assert result["text"].lstrip("\ufeff").startswith("Prénom,Nom,E-mail")

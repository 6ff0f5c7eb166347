"""Chromium asks for gzip and gets it: the event page and its stylesheet travel compressed
(Resource Timing's encodedBodySize is well under decodedBodySize) and the page still draws."""
import pathlib

from selenium.webdriver.common.by import By

from conftest import api

SHOTS = pathlib.Path(__file__).resolve().parents[2] / ".build" / "browser-shots"


def test_event_page_travels_compressed(server, browser):
    base, token = server["base"], server["token"]
    event = api(base, "POST", "/api/v1/chapters/toulouse/events", {
        "title": "Soirée compressée", "startsAt": "2099-04-21T18:30:00+02:00", "endsAt": "2099-04-21T21:30:00+02:00",
        "capacity": 30, "description": "Une soirée pour vérifier ce que le téléphone télécharge. " * 20}, token)
    browser.get(f"{base}/events/{event['id']}")
    assert "Soirée compressée" in browser.find_element(By.TAG_NAME, "h1").text
    page = browser.execute_script(
        "const n = performance.getEntriesByType('navigation')[0];"
        "return {encoded: n.encodedBodySize, decoded: n.decodedBodySize};")
    assert page["decoded"] > 10_000, page
    assert page["encoded"] < page["decoded"] / 2, page
    css = browser.execute_script(
        "const r = performance.getEntriesByType('resource').find(e => e.name.includes('/static/app.css'));"
        "return r ? {encoded: r.encodedBodySize, decoded: r.decodedBodySize} : null;")
    assert css is not None
    assert css["encoded"] < css["decoded"] / 3, css
    # The stylesheet was understood: the page is laid out with it, not in the browser's defaults.
    assert browser.execute_script("return getComputedStyle(document.body).fontFamily") != "\"Times New Roman\""
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SHOTS / "compressed-event-page.png"))

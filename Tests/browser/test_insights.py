"""Insights on a phone (issue 15): a generated chapter's evenings (rendezvous demo --scale large,
one small chapter), the organiser's insights page at 390 px: every chart an SVG image with its
title and description, its table, its CSV link; nothing wider than the screen; no serious
accessibility violation; every text of every chart at least 11 CSS pixels high and none over
another, on the chapter's page and the network's, at 390 px and 1280 px. Runs its own server
(port 8094). The screenshots are for a person to look at."""
import pathlib, subprocess, urllib.request

import pytest
from selenium.webdriver.common.by import By

from conftest import BINARY, start_server, stop_server
from test_accessibility import serious_violations
from test_registration import click_and_wait

SHOTS = pathlib.Path(__file__).resolve().parents[2] / ".build" / "browser-shots"
PORT = 8094

# Each chart's texts as drawn: their font size in CSS pixels (the computed size scaled by the text's
# transform to the screen, so a picture shrunk to the width would show it) and their boxes. Hidden
# ones (a label only for the other width) are left out.
CHART_TEXTS = """
return [...document.querySelectorAll('svg.insight-chart')].map(svg => {
  const shown = [...svg.querySelectorAll('text')].filter(t => getComputedStyle(t).display != 'none');
  const card = svg.closest('section').getBoundingClientRect();
  return {id: svg.closest('section').id, width: svg.getBoundingClientRect().width, card: [card.left, card.right],
          texts: shown.map(t => { const r = t.getBoundingClientRect();
            return {text: t.textContent, size: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a, box: [r.left, r.top, r.right, r.bottom]}; })};
});"""


def check_chart_texts(browser, smallest):
    """Every chart's texts are at least `smallest` pixels, inside their card, and none covers another."""
    charts = browser.execute_script(CHART_TEXTS)
    assert charts
    for chart in charts:
        assert chart["texts"], chart["id"]
        for text in chart["texts"]:
            assert text["size"] >= smallest, (chart["id"], text)
            assert chart["card"][0] <= text["box"][0] and text["box"][2] <= chart["card"][1], (chart["id"], text)
        for i, a in enumerate(chart["texts"]):
            for b in chart["texts"][i + 1:]:
                apart = a["box"][2] <= b["box"][0] + 1 or b["box"][2] <= a["box"][0] + 1 or a["box"][3] <= b["box"][1] + 1 or b["box"][3] <= a["box"][1] + 1
                assert apart, (chart["id"], a, b)
    return charts


@pytest.fixture(scope="module")
def insights_server():
    server = start_server(PORT, "rendezvous-insights-")
    try:
        subprocess.run([BINARY, "demo", "--scale", "large", "--chapters", "1", "--events", "6", "--registrations", "40"],
                       env=server.env, check=True, capture_output=True)
        subprocess.run([BINARY, "user", "add", "--email", "orga@example.org", "--password", "browser-orga-pw",
                        "--role", "organizer", "--chapter", "bench-1", "--name", "Natalajia Princeva"], env=server.env, check=True, capture_output=True)
        yield server
    finally:
        stop_server(server)


def open_on_a_phone(browser, base, path, email, password):
    """Signs in, then opens `path` 390 pixels wide (the window's --window-size gives at least 500 in
    headless Chromium; set_window_size goes narrower)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    browser.get(f"{base}/signin")
    browser.find_element(By.NAME, "email").send_keys(email)
    browser.find_element(By.NAME, "password").send_keys(password)
    click_and_wait(browser, "main form button[type=submit]")
    browser.set_window_size(390, 844)
    browser.get(base + path)


def test_the_chapter_insights_on_a_phone(insights_server, browser):
    base = insights_server.base
    open_on_a_phone(browser, base, "/organize/bench-1/insights", "orga@example.org", "browser-orga-pw")
    assert "Présence et absences" in browser.page_source
    screen = browser.execute_script("return document.documentElement.clientWidth")
    charts = browser.find_elements(By.CSS_SELECTOR, "svg[role=img]")
    assert len(charts) == 8
    for chart in charts:
        assert chart.find_element(By.TAG_NAME, "title").get_attribute("textContent")
        assert chart.find_element(By.TAG_NAME, "desc").get_attribute("textContent")
        assert chart.size["width"] <= screen
    # Nine charts, each with its table and CSV; "how did you hear about us" has no picture here
    # (nobody in the generated network answered it): its table says so.
    assert len(browser.find_elements(By.CSS_SELECTOR, "section.insight table")) == 9
    assert len(browser.find_elements(By.CSS_SELECTOR, "a[href*='/insights/csv/']")) == 9
    # Nothing pushes the page sideways on a phone (wide tables scroll inside their own box).
    assert browser.execute_script("return document.documentElement.scrollWidth") <= screen
    assert serious_violations(browser) == []
    # Legible on the phone: the texts keep 12 pixels (they were 7 when the picture shrank to the width).
    charts = check_chart_texts(browser, 11)
    assert all(chart["width"] < 360 for chart in charts)
    for chart in ("demand", "attendance", "jobs"):
        section = browser.find_element(By.ID, chart)
        browser.execute_script("arguments[0].scrollIntoView()", section)
        section.screenshot(str(SHOTS / f"insights-phone-{chart}.png"))
    browser.set_window_size(390, 5200)
    browser.save_screenshot(str(SHOTS / "insights-phone.png"))
    # A laptop: the same page, its charts at their full width, more labels and values shown.
    browser.set_window_size(1280, 900)
    browser.get(f"{base}/organize/bench-1/insights")
    wide = check_chart_texts(browser, 14)
    assert all(chart["width"] == 640 for chart in wide)
    assert sum(len(c["texts"]) for c in wide) > sum(len(c["texts"]) for c in charts)
    browser.find_element(By.ID, "attendance").screenshot(str(SHOTS / "insights-laptop-attendance.png"))
    browser.set_window_size(390, 844)
    # The CSV of a chart, as the link downloads it.
    cookie = browser.get_cookie("rv_session")["value"]
    request = urllib.request.Request(f"{base}/organize/bench-1/insights/csv/attendance", headers={"Cookie": f"rv_session={cookie}", "Accept-Language": "fr"})
    with urllib.request.urlopen(request) as response:
        text = response.read().decode("utf-8-sig")
    assert text.startswith("Soirée,Avec une place,Venues,Sans inscription,Absences\r\n")
    assert len(text.strip().split("\r\n")) == 7


def test_the_network_insights_on_a_phone_and_a_laptop(insights_server, browser):
    """The network's charts (admin) in English: legible at 390 px, the table beside each kept."""
    base = insights_server.base
    open_on_a_phone(browser, base, "/admin/insights?lang=en", "admin@example.org", "browser-admin-pw")
    assert "Evenings per quarter" in browser.page_source
    charts = check_chart_texts(browser, 11)
    assert {chart["id"] for chart in charts} >= {"countries", "growth-evenings", "growth-people"}
    for chart in charts:
        assert browser.find_element(By.ID, chart["id"]).find_element(By.CSS_SELECTOR, "table.data")
    assert browser.execute_script("return document.documentElement.scrollWidth") <= browser.execute_script("return document.documentElement.clientWidth")
    section = browser.find_element(By.ID, "growth-evenings")
    browser.execute_script("arguments[0].scrollIntoView()", section)
    section.screenshot(str(SHOTS / "network-insights-phone-growth.png"))
    browser.set_window_size(1280, 900)
    browser.get(f"{base}/admin/insights?lang=en")
    check_chart_texts(browser, 14)
    browser.find_element(By.ID, "countries").screenshot(str(SHOTS / "network-insights-laptop-countries.png"))

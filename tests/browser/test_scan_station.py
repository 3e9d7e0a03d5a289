"""A real browser at the scan station: codes typed into the focused input as fast as a USB
scanner types them (each ending in Enter), the colours of the feedback, a misread, the
page on a phone, and the same station without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from dossier.archive import queries
from dossier.archive.items import create_item
from dossier.archive.locations import create_location
from dossier.archive.models import LocationKind, PhysicalItem
from dossier.extensions import db
from tests.archive.web import path
from tests.conftest import build_app, migrate_and_seed
from tests.factories import PASSWORD, UserFactory
from tests.support.databases import fresh_database
from tests.support.live_server import running_gunicorn

pytestmark = [pytest.mark.browser, pytest.mark.committed]
SCREENSHOTS = Path("/tmp")
SCANNER_DELAY_MS = 4  # between keystrokes: a USB scanner types a code in a few ms
GREEN, RED = "rgb(214, 245, 225)", "rgb(251, 211, 207)"


@dataclass(frozen=True)
class Server:
    url: str
    app: Flask
    shelf: str
    other_shelf: str
    items: list[str]
    item_ids: list[int]


def _prepare(app: Flask) -> tuple[str, str, list[str], list[int]]:
    with app.app_context():
        clerk = UserFactory(username="clerk", roles=["clerk"], full_name="Karin Klerk")
        site = create_location(clerk, LocationKind.SITE, "Archief Utrecht")
        shelf = create_location(clerk, LocationKind.SHELF, "Plank 1", site)
        other = create_location(clerk, LocationKind.SHELF, "Plank 2", site)
        items = [create_item(clerk, home=shelf) for _ in range(12)]
        db.session.commit()
        prepared = (shelf.barcode, other.barcode, [i.barcode for i in items],
                    [i.id for i in items])
        db.session.remove()
    return prepared


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("station")
    with fresh_database(data_dir) as database:
        app = build_app(database, data_dir)
        migrate_and_seed(app)
        shelf, other, items, ids = _prepare(app)
        try:
            with running_gunicorn(database, data_dir) as url:
                yield Server(url, app, shelf, other, items, ids)
        finally:
            with app.app_context():
                db.engine.dispose()


def _signed_in(browser: Browser, server: Server, **options: object) -> Page:
    context = browser.new_context(locale="en-GB", **options)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(f"{server.url}/login")
    return page


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    page = _signed_in(browser, server, viewport={"width": 1280, "height": 900})
    yield page
    page.context.close()


def _scanner(page: Page, code: str) -> None:
    """What a USB scanner does: type the code into whatever has the focus, then Enter."""
    page.keyboard.type(code, delay=SCANNER_DELAY_MS)
    page.keyboard.press("Enter")


def _misread(code: str) -> str:
    return code[:-1] + ("0" if code[-1] != "0" else "1")


def _history(server: Server, item_id: int) -> list[str]:
    with server.app.app_context():
        kinds = [m.kind for m in queries.history(db.session.get(PhysicalItem, item_id))]
        db.session.remove()
    return kinds


def _places(server: Server, ids: list[int]) -> list[str]:
    with server.app.app_context():
        places = [queries.path_label(queries.state_of(db.session.get(PhysicalItem, i)).location)
                  for i in ids]
        db.session.remove()
    return places


def test_rapid_scans_all_arrive_in_order_with_green_feedback(server: Server, page: Page):
    page.goto(f"{server.url}/archive/scan")
    scan_input = page.locator("#scan-code")
    expect(scan_input).to_be_focused()
    page.get_by_role("button", name="Move", exact=True).click()
    expect(page.locator("button.mode-button.active")).to_have_text("Move")
    expect(scan_input).to_be_focused()  # after the reload, too

    batch = server.items[:8]
    _scanner(page, server.other_shelf)
    for code in batch:  # no waiting between codes: the page queues them
        _scanner(page, code)
    recent = page.locator("[data-recent] li")
    expect(recent).to_have_count(9, timeout=15_000)
    destination = path("Archief Utrecht", "Plank 2")
    expect(recent.first).to_contain_text(f"{batch[-1]} moved to {destination}.")
    feedback = page.locator("[data-feedback]")
    expect(feedback).to_have_class("scan-feedback scan-ok")
    expect(feedback).to_have_css("background-color", GREEN)
    expect(feedback).to_have_attribute("data-sound", "ok")
    expect(page.locator("[data-state-field=done]")).to_have_text("8")
    expect(page).to_have_url(f"{server.url}/archive/scan")  # never reloaded
    assert _places(server, server.item_ids[:8]) == [path("Archief Utrecht", "Plank 2")] * 8
    expect(scan_input).to_be_focused()
    expect(scan_input).to_have_value("")
    page.screenshot(path=str(SCREENSHOTS / "scan-station-ok.png"), full_page=True)


def test_a_misread_asks_to_scan_again_in_red(server: Server, page: Page):
    page.goto(f"{server.url}/archive/scan")
    _scanner(page, _misread(server.items[9]))
    feedback = page.locator("[data-feedback]")
    expect(feedback).to_contain_text("Check digit wrong, scan again.")
    expect(feedback).to_have_class("scan-feedback scan-error")
    expect(feedback).to_have_css("background-color", RED)
    expect(feedback).to_have_attribute("data-sound", "error")
    page.screenshot(path=str(SCREENSHOTS / "scan-station-error.png"), full_page=True)


def test_a_double_read_is_listed_once_and_focus_comes_back(server: Server, page: Page):
    page.goto(f"{server.url}/archive/scan")
    with page.expect_navigation():  # a mode change reloads the page; a clerk scans after
        page.get_by_role("button", name="Check in", exact=True).click()
    expect(page.locator("#scan-code")).to_be_focused()
    code = server.items[10]
    _scanner(page, code)
    _scanner(page, code)  # the scanner read the same label twice
    expect(page.locator("[data-recent] li").first).to_contain_text(code)
    expect(page.locator("[data-feedback]")).not_to_have_class(re.compile("scan-busy"))
    page.wait_for_timeout(300)
    listed = page.locator("[data-recent] li", has_text=code).all_inner_texts()
    home = path("Archief Utrecht", "Plank 1")
    assert f"{code} checked in at {home}." in listed[-1]
    # Ignored when the server sees it within a second of the first; on a slow machine it
    # may come later, and then it is a second read that changes nothing.
    assert len(listed) == 1 or (len(listed) == 2 and "is already checked in" in listed[0])
    assert len(_history(server, server.item_ids[10])) == 1
    page.locator("h1").click()  # a click elsewhere on the page
    expect(page.locator("#scan-code")).to_be_focused()


def test_the_station_on_a_phone(browser: Browser, server: Server):
    phone = _signed_in(browser, server, viewport={"width": 390, "height": 844},
                       is_mobile=True, has_touch=True)
    try:
        phone.goto(f"{server.url}/archive/scan")
        phone.locator("#scan-code").fill(server.items[11])
        phone.keyboard.press("Enter")
        expect(phone.locator("[data-feedback]")).to_have_class("scan-feedback scan-ok")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways ({width}px)"
        phone.screenshot(path=str(SCREENSHOTS / "scan-station-phone.png"), full_page=True)
    finally:
        phone.context.close()


def test_without_javascript_each_scan_reloads_the_page_with_its_feedback(
        browser: Browser, server: Server):
    plain = _signed_in(browser, server, java_script_enabled=False,
                       viewport={"width": 1280, "height": 900})
    try:
        plain.goto(f"{server.url}/archive/scan")
        plain.get_by_role("button", name="Census", exact=True).click()
        plain.locator("#scan-code").fill(server.shelf)
        plain.keyboard.press("Enter")
        expect(plain.locator("[data-feedback]")).to_contain_text("Counting Archief Utrecht")
        plain.locator("#scan-code").fill(_misread(server.items[0]))
        plain.keyboard.press("Enter")
        feedback = plain.locator("[data-feedback]")
        expect(feedback).to_have_class("scan-feedback scan-error")
        expect(feedback).to_contain_text("Check digit wrong, scan again.")
        expect(plain.get_by_role("link", name="Census report")).to_be_visible()
        plain.screenshot(path=str(SCREENSHOTS / "scan-station-nojs.png"), full_page=True)
    finally:
        plain.context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_other_archive_screens_fit_the_screen(browser: Browser, server: Server,
                                                  width: int):
    visitor = _signed_in(browser, server, viewport={"width": width, "height": 900})
    try:
        for name, path in (("dashboard", "/archive"), ("locations", "/archive/locations"),
                           ("item", f"/archive/items/{server.item_ids[0]}"),
                           ("labels", "/archive/labels")):
            visitor.goto(f"{server.url}{path}")
            expect(visitor.locator("h1")).to_be_visible()
            visitor.screenshot(path=str(SCREENSHOTS / f"archive-{name}-{width}.png"),
                               full_page=True)
            scrolled = visitor.evaluate("document.documentElement.scrollWidth")
            assert scrolled <= width, f"{path} scrolls sideways at {width}px ({scrolled}px)"
    finally:
        visitor.context.close()

"""A real browser on the search page: the header box, results, a facet, a document; at desk
and at phone width, with hostile OCR text that must stay text."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from dossier import search
from dossier.extensions import db
from tests.browser.conftest import ARTIFACTS
from tests.conftest import build_app, migrate_and_seed
from tests.factories import PASSWORD, CustomerFactory, UserFactory
from tests.search.corpus import Corpus
from tests.support.databases import fresh_database
from tests.support.live_server import running_gunicorn

pytestmark = [pytest.mark.browser, pytest.mark.committed]
QUOTE = "Offerte zonnepanelen Van der Meer"
ORDER = "Order zonnepanelen 12 stuks"
CARE = "Servicemelding zonnepanelen lekkage"
HOSTILE = "Brief <script>alert('titel')</script> zonnepanelen"


@dataclass(frozen=True)
class Server:
    url: str
    customer_id: int


def _fill(app: Flask) -> int:
    with app.app_context():
        UserFactory(username="sales", roles=["sales"])
        corpus = Corpus(UserFactory(roles=["admin"]))
        customer = CustomerFactory(number="100777", first_name="Marieke", infix="van der",
                                   last_name="Meer", street="Lindelaan", house_number=4,
                                   postcode="3512 JK", city="Utrecht")
        corpus.document(QUOTE, "Geachte mevrouw Van der Meer, hierbij onze offerte voor "
                        "twaalf zonnepanelen op het zuiddak, inclusief omvormer.",
                        type_code="quote", customers=[customer], on=date(2025, 4, 2),
                        key_points={"amount": "6400.00", "status": "open"})
        corpus.document(ORDER, "Bestelling van 12 zonnepanelen, levering in mei.",
                        type_code="order", customers=[customer], on=date(2025, 4, 20),
                        paper=True)
        corpus.document(HOSTILE, "Tekst <img src=x onerror=alert('ocr')> over zonnepanelen "
                        "<script>alert('ocr')</script> en de garantie.",
                        customers=[customer], on=date(2025, 2, 1))
        corpus.document(CARE, "De zonnepanelen lekken bij regen.", type_code="service_call",
                        scopes=["care"], customers=[customer], on=date(2025, 5, 1))
        db.session.commit()
        search.rebuild()
        db.session.commit()
        customer_id = customer.id
        db.session.remove()
    return customer_id


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("search")
    with fresh_database(data_dir) as database:
        app = build_app(database, data_dir)
        migrate_and_seed(app)
        customer_id = _fill(app)
        try:
            with running_gunicorn(database, data_dir) as url:
                yield Server(url, customer_id)
        finally:
            with app.app_context():
                db.engine.dispose()


def _signed_in(browser: Browser, server: Server, width: int, height: int) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB", viewport={"width": width, "height": height})
    page = context.new_page()
    alerts: list[str] = []
    page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    page.goto(f"{server.url}/login")
    page.fill("input[name=username]", "sales")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(f"{server.url}/login")
    yield page
    context.close()
    assert alerts == [], f"script from a document ran: {alerts}"


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    yield from _signed_in(browser, server, 1280, 900)


@pytest.fixture
def phone(browser: Browser, server: Server) -> Iterator[Page]:
    yield from _signed_in(browser, server, 390, 844)


def _shoot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_header_box_results_facet_and_document(server: Server, page: Page) -> None:
    page.goto(f"{server.url}/customers/")
    _shoot(page, "search-header.png")
    box = page.locator(".topbar-search").get_by_role("searchbox")
    box.fill("zonnepanelen")
    box.press("Enter")
    expect(page).to_have_url(f"{server.url}/search?q=zonnepanelen")
    hits = page.locator(".document-hit")
    expect(hits).to_have_count(3)
    expect(page.get_by_text(CARE)).to_have_count(0)
    expect(page.get_by_role("link", name=HOSTILE)).to_be_visible()  # shown as text
    expect(page.locator(".document-hit-snippet mark").first).to_have_text("zonnepanelen")
    _shoot(page, "search-results.png")

    page.locator(".search-facets").get_by_role("link", name="Quote").click()
    expect(page).to_have_url(f"{server.url}/search?q=zonnepanelen&type=quote")
    expect(hits).to_have_count(1)
    expect(page.locator(".chip")).to_contain_text("Type: Quote")
    _shoot(page, "search-facet.png")
    page.get_by_role("link", name=QUOTE).click()
    expect(page.get_by_role("heading", name=QUOTE)).to_be_visible()


def test_customer_first_and_paper_original(server: Server, page: Page) -> None:
    page.goto(f"{server.url}/search?q=Marieke")
    customers = page.locator(".search-customers")
    expect(customers.get_by_role("link", name="Marieke van der Meer")).to_be_visible()
    expect(customers).to_contain_text("3512 JK Utrecht")
    order = page.locator(".document-hit", has_text=ORDER)
    expect(order.get_by_text("Paper original in the archive")).to_be_visible()
    customers.get_by_role("link", name="Marieke van der Meer").click()
    expect(page).to_have_url(f"{server.url}/customers/{server.customer_id}")


def test_syntax_help_and_a_malformed_query(server: Server, page: Page) -> None:
    page.goto(f"{server.url}/search")
    page.get_by_text("How to search").click()
    expect(page.get_by_role("link", name="datum:2025", exact=True)).to_be_visible()
    _shoot(page, "search-help.png")
    page.get_by_label("Find customers and documents").fill('offerte "zonne')
    page.get_by_label("Find customers and documents").press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("quote is not closed")
    expect(page.get_by_label("Find customers and documents")).to_have_value('offerte "zonne')


def test_phone_width(server: Server, phone: Page) -> None:
    phone.goto(f"{server.url}/customers/")
    _shoot(phone, "search-header-phone.png")
    phone.goto(f"{server.url}/search?q=zonnepanelen")
    expect(phone.locator(".document-hit")).to_have_count(3)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone: {width}px"
    _shoot(phone, "search-phone.png")
    phone.locator(".search-facets").get_by_role("link", name="Order").click()
    expect(phone.locator(".document-hit")).to_have_count(1)


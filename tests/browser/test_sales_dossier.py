"""A real browser against a real gunicorn: sales sees its documents in a dossier, not care's."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from dossier.extensions import db
from tests.browser.conftest import ARTIFACTS
from tests.conftest import build_app, migrate_and_seed
from tests.factories import PASSWORD, CustomerFactory, DocumentFactory, UserFactory
from tests.support.databases import fresh_database
from tests.support.live_server import running_gunicorn

pytestmark = [pytest.mark.browser, pytest.mark.committed]
SALES_TITLE = "Offerte zonnepanelen"
CARE_TITLE = "Servicemelding lekkage"


@dataclass(frozen=True)
class Server:
    url: str
    customer_id: int
    customer_name: str



def _fill_database(url: str, data_dir: Path) -> tuple[int, str]:
    app = build_app(url, data_dir)
    migrate_and_seed(app)
    with app.app_context():
        UserFactory(username="sales", roles=["sales"])
        customer = CustomerFactory(first_name="Marieke", infix="van der", last_name="Meer")
        DocumentFactory(type_code="quote", title=SALES_TITLE, scopes=["sales"],
                        customers=[customer],
                        key_points={"amount": "6400.00", "status": "open"})
        DocumentFactory(type_code="service_call", title=CARE_TITLE, scopes=["care"],
                        customers=[customer],
                        key_points={"status": "open", "product": "CV-ketel"})
        db.session.commit()
        found = customer.id, customer.display_name
        db.session.remove()
        db.engine.dispose()
    return found


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("browser")
    with fresh_database(data_dir) as database:
        customer_id, name = _fill_database(database, data_dir)
        with running_gunicorn(database, data_dir) as url:
            yield Server(url, customer_id, name)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_sales_sees_sales_documents_only(server: Server, page: Page) -> None:
    page.goto(f"{server.url}/login")
    page.fill("input[name=username]", "sales")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(f"{server.url}/login")

    page.goto(f"{server.url}/customers/")
    page.get_by_role("link", name=server.customer_name).click()
    expect(page).to_have_url(f"{server.url}/customers/{server.customer_id}")
    expect(page.get_by_role("heading", name=server.customer_name)).to_be_visible()

    # Both the document section and the contact-history timeline list the document.
    expect(page.locator("#documents").get_by_role("link", name=SALES_TITLE)).to_be_visible()
    expect(page.locator("#timeline").get_by_role("link", name=SALES_TITLE)).to_be_visible()
    expect(page.get_by_text(CARE_TITLE)).to_have_count(0)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "sales-dossier.png"), full_page=True)

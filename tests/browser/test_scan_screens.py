"""A real browser on the scan screens: files sent one by one by script, a triage part read
and filed, and the jobs page following a job to its end."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from dossier.extensions import db
from dossier.ingest.models import IngestJob, JobState, Stage
from tests.browser.conftest import ARTIFACTS
from tests.conftest import build_app, migrate_and_seed
from tests.factories import PASSWORD, CustomerFactory, UserFactory
from tests.ingest.ui_objects import triage_job
from tests.support.databases import fresh_database
from tests.support.live_server import running_gunicorn

pytestmark = [pytest.mark.browser, pytest.mark.committed]


@dataclass(frozen=True)
class Server:
    url: str
    app: Flask  # on the same database, to prepare and inspect what the browser sees
    item_id: int
    job_id: int


def _prepare(app: Flask) -> tuple[int, int]:
    with app.app_context():
        UserFactory(username="care", roles=["care"])
        CustomerFactory(number="100555", first_name="Sanne", last_name="Kok",
                        postcode="9711 LM", house_number=8)
        item = triage_job(app, ["Klantnummer 100555\nSanne Kok, 9711 LM 8"]).triage_items[0]
        running = IngestJob(sha256="f" * 64, original_name="lang.pdf",
                            state=JobState.PROCESSING.value, stage=Stage.TEXT.value, page=1,
                            page_total=4, barcodes=[], document_ids=[])
        db.session.add(running)
        db.session.commit()
        ids = item.id, running.id
        db.session.remove()
    return ids


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir = tmp_path_factory.mktemp("scans")
    with fresh_database(data_dir) as database:
        app = build_app(database, data_dir)
        migrate_and_seed(app)
        item_id, job_id = _prepare(app)
        try:
            with running_gunicorn(database, data_dir) as url:
                yield Server(url, app, item_id, job_id)
        finally:
            with app.app_context():
                db.engine.dispose()


@pytest.fixture
def page(browser: Browser, server: Server) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.fill("input[name=username]", "care")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(f"{server.url}/login")
    yield page
    context.close()


def test_files_are_sent_one_by_one_with_a_result_each(server: Server, page: Page,
                                                      tmp_path: Path) -> None:
    empty = tmp_path / "leeg.pdf"
    empty.write_bytes(b"")
    note = tmp_path / "notitie.txt"
    note.write_text("geen scan")
    page.goto(f"{server.url}/ingest/upload")
    expect(page.get_by_text("Drop files here")).to_be_visible()
    page.set_input_files("input[type=file]", [str(empty), str(note)])
    page.get_by_role("button", name="Upload").click()
    results = page.locator("[data-upload-results] li")
    expect(results).to_have_count(2)
    expect(results.filter(has_text="leeg.pdf")).to_contain_text("The file is empty")
    expect(results.filter(has_text="notitie.txt")).to_contain_text("This is not a PDF")
    expect(page).to_have_url(f"{server.url}/ingest/upload")  # no page load: sent by script
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "scan-upload.png"), full_page=True)


def test_a_part_is_read_and_filed_from_a_suggestion(server: Server, page: Page) -> None:
    page.goto(f"{server.url}/ingest/triage/{server.item_id}")
    preview = page.get_by_role("img", name="Page 1 of the scan")
    expect(preview).to_be_visible()
    assert preview.evaluate("image => image.complete && image.naturalWidth > 0")
    expect(page.get_by_text("customer number 100555 found on page 1")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "triage-item.png"), full_page=True)
    page.get_by_role("link", name="Use this customer").click()
    expect(page.locator("#customer")).to_have_value("100555")
    page.get_by_label("Document type").select_option("complaint")
    page.get_by_role("button", name="File as document").click()
    expect(page.get_by_text("Filed as document")).to_be_visible()
    expect(page.get_by_text("for care because")).to_be_visible()


def test_the_jobs_page_follows_a_running_job(server: Server, page: Page) -> None:
    page.goto(f"{server.url}/ingest/jobs")
    row = page.locator(f"tr[data-job-id='{server.job_id}']")
    expect(row).to_contain_text("OCR page 1 of 4")
    with server.app.app_context():
        job = db.session.get(IngestJob, server.job_id)
        assert job is not None
        job.page = 3
        db.session.commit()
        expect(row).to_contain_text("OCR page 3 of 4", timeout=10_000)
        job.state, job.stage = JobState.DONE.value, Stage.FINISHED.value
        db.session.commit()
        db.session.remove()
    expect(row).to_contain_text("Done", timeout=10_000)
    expect(row).not_to_have_attribute("data-active", "")
    page.screenshot(path=str(ARTIFACTS / "scan-jobs.png"), full_page=True)

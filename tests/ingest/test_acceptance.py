"""The scanner inbox as a new user meets it (issue 4, "Done when"), through a real worker.

A cover sheet printed from the web page is scanned with a two-page letter and dropped in
the inbox: the letter shows in the customer's dossier with its text on the document page.
A scan without a cover sheet waits in triage; a truncated PDF lands in failed/ with its
reason and shows on the jobs page with download and retry.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select

from dossier.customers.models import Customer
from dossier.extensions import db
from dossier.ingest.inbox import Inbox, reason_file_of
from dossier.ingest.models import IngestJob, JobState
from tests.factories import CustomerFactory, UserFactory, login
from tests.ingest.pipeline_scans import DPI, DUTCH, save_pdf, save_png, text_page
from tests.ingest.worker_process import WorkerProcess, wait_for, worker_environment

pytestmark = pytest.mark.committed
LETTER = [["Geachte heer Visser,", "Hierbij ontvangt u het contract voor het onderhoud."],
          ["Wij vragen u het getekende contract terug te sturen.", "Met vriendelijke groet,"]]


def _printed_cover_sheet(client: FlaskClient, customer: Customer) -> bytes:
    response = client.get(f"/sheets/cover/{customer.id}?type=correspondence&scope=sales")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    return response.get_data()


def _scanned(pdf: bytes) -> Image.Image:
    """The sheet as a scanner gives it back: 300 dpi grey, a little crooked."""
    document = pdfium.PdfDocument(pdf)
    try:
        image = document[0].render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
    finally:
        document.close()
    crooked = image.rotate(0.8, expand=False, fillcolor=255)
    crooked.info["dpi"] = (DPI, DPI)
    return crooked


def _jobs(app: Flask) -> dict[str, IngestJob] | None:
    with app.app_context():
        jobs = list(db.session.scalars(select(IngestJob)))
        for job in jobs:
            db.session.expunge(job)
        db.session.remove()
    if len(jobs) < 3 or any(job.state in (JobState.QUEUED, JobState.PROCESSING)
                            for job in jobs):
        return None
    return {job.original_name: job for job in jobs}


def test_a_scanned_letter_reaches_the_dossier_and_the_rest_triage_or_failed(
        committed_app: Flask, tmp_path: Path):
    client = committed_app.test_client()
    with committed_app.app_context():
        customer = CustomerFactory(first_name="Kees", last_name="Visser")
        user = UserFactory(roles=("sales",))
        db.session.commit()
        login(client, user)
        cover = _printed_cover_sheet(client, customer)
        db.session.remove()
    inbox = Inbox(Path(committed_app.config["INBOX"]))
    inbox.ensure()
    save_pdf([_scanned(cover), *map(text_page, LETTER)], tmp_path / "brief.pdf")
    save_png(text_page(DUTCH), tmp_path / "los.png")
    letter = (tmp_path / "brief.pdf").read_bytes()
    worker = WorkerProcess(worker_environment(committed_app), tmp_path / "worker.log")
    try:
        for name in ("brief.pdf", "los.png"):
            (tmp_path / name).rename(inbox.root / name)
        (inbox.root / "kapot.pdf").write_bytes(letter[: len(letter) // 2])
        jobs = wait_for(lambda: _jobs(committed_app), 60, worker, "the inbox to be read")
    finally:
        worker.stop()

    assert {name: job.state for name, job in jobs.items()} == {
        "brief.pdf": "done", "los.png": "triage", "kapot.pdf": "failed"}
    [document_id] = jobs["brief.pdf"].document_ids
    with committed_app.app_context():
        dossier = client.get(f"/customers/{customer.id}").get_data(as_text=True)
        assert f'href="/documents/{document_id}"' in dossier
        page = client.get(f"/documents/{document_id}").get_data(as_text=True)
        assert "Recognised text" in page and "Page 2" in page and "Page 3" not in page
        assert "contract voor het onderhoud" in page and "Met vriendelijke groet" in page
        assert "Kees Visser" in page
        assert "los.png" in client.get("/ingest/triage").get_data(as_text=True)
        failed = jobs["kapot.pdf"]
        listing = client.get("/ingest/jobs?state=failed").get_data(as_text=True)
        assert f"/ingest/jobs/{failed.id}/original" in listing
        assert f"/ingest/jobs/{failed.id}/retry" in listing
        db.session.remove()
    set_aside = inbox.failed / f"{failed.id}-kapot.pdf"
    assert set_aside.read_bytes() == letter[: len(letter) // 2]
    assert "reason: corrupt" in reason_file_of(set_aside).read_text()

"""A real worker watching a real inbox: a routed scan, an unrouted one and broken files."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from dossier.barcodes import make_cover
from dossier.documents.models import Document
from dossier.extensions import db
from dossier.ingest.inbox import Inbox, reason_file_of
from dossier.ingest.models import IngestJob, JobState
from tests.factories import CustomerFactory
from tests.ingest.pipeline_scans import DUTCH, ENGLISH, code_page, save_pdf, save_png, text_page
from tests.ingest.worker_process import WorkerProcess, wait_for, worker_environment

pytestmark = pytest.mark.committed


def _finished_jobs(app: Flask, count: int) -> dict[str, IngestJob] | None:
    with app.app_context():
        jobs = list(db.session.scalars(select(IngestJob)))
        for job in jobs:
            db.session.expunge(job)
        db.session.remove()
    if len(jobs) < count or any(job.state in (JobState.QUEUED, JobState.PROCESSING)
                                for job in jobs):
        return None
    return {job.original_name: job for job in jobs}


def test_files_dropped_in_the_inbox_become_documents_triage_items_or_failures(
        committed_app: Flask, tmp_path: Path):
    with committed_app.app_context():
        customer = CustomerFactory()
        db.session.commit()
        cover = code_page(make_cover(customer.id, "correspondence", "loyalty"))
        db.session.remove()
    inbox = Inbox(Path(committed_app.config["INBOX"]))
    inbox.ensure()
    (inbox.root / "wacht.pdf").write_bytes(b"")  # dropped while the worker was down
    worker = WorkerProcess(worker_environment(committed_app), tmp_path / "worker.log")
    try:
        save_pdf([cover, text_page(DUTCH), text_page(ENGLISH)], tmp_path / "brief.pdf")
        (tmp_path / "brief.pdf").rename(inbox.root / "brief.pdf")
        save_png(text_page(ENGLISH), inbox.root / "los.png")
        (inbox.root / "kapot.tif").write_bytes(b"II*\x00\x08\x00\x00\x00garbage")
        jobs = wait_for(lambda: _finished_jobs(committed_app, 4), 60, worker,
                        "the worker to process the inbox")
    finally:
        worker.stop()
    assert {name: job.state for name, job in jobs.items()} == {
        "brief.pdf": "done", "los.png": "triage", "kapot.tif": "failed", "wacht.pdf": "failed"}
    assert (jobs["kapot.tif"].reason, jobs["wacht.pdf"].reason) == ("corrupt", "empty")
    for name in ("kapot.tif", "wacht.pdf"):
        failed = inbox.failed / f"{jobs[name].id}-{name}"
        assert failed.exists() and f"reason: {jobs[name].reason}" in (
            reason_file_of(failed).read_text())
    with committed_app.app_context():
        document = db.session.get(Document, jobs["brief.pdf"].document_ids[0])
        assert document.customers[0].id == customer.id and document.scopes == ["loyalty"]
        assert document.files[0].pages == 2 and "onderhoud" in document.files[0].text
        db.session.remove()
    assert inbox.candidates() == [] and inbox.work_files() == []

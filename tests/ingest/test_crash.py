"""Crash safety with a real worker process: SIGKILL mid-file loses nothing and duplicates
nothing; the restarted worker processes the file again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from dossier.barcodes import make_cover
from dossier.documents.models import Document
from dossier.extensions import db
from dossier.ingest.inbox import Inbox
from dossier.ingest.models import IngestJob, JobState
from tests.factories import CustomerFactory
from tests.ingest.pipeline_scans import DUTCH, ENGLISH, code_page, save_pdf, text_page
from tests.ingest.worker_process import WorkerProcess, wait_for, worker_environment

pytestmark = pytest.mark.committed
PAGES = 16


@pytest.fixture
def workers() -> Iterator[list[WorkerProcess]]:
    started: list[WorkerProcess] = []
    yield started
    for worker in started:
        worker.stop()


def _job(app: Flask) -> IngestJob | None:
    with app.app_context():
        job = db.session.scalar(select(IngestJob))
        if job is not None:
            db.session.expunge(job)
        db.session.remove()
        return job


def _documents(app: Flask) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count(Document.id)))
        db.session.remove()
        return int(count or 0)


def test_a_worker_killed_mid_file_loses_nothing_and_makes_one_document(
        committed_app: Flask, tmp_path: Path, workers: list[WorkerProcess]):
    with committed_app.app_context():
        customer = CustomerFactory()
        db.session.commit()
        cover = make_cover(customer.id, "correspondence", "care")
        db.session.remove()
    inbox = Inbox(Path(committed_app.config["INBOX"]))
    inbox.ensure()
    pages = [code_page(cover)] + [text_page(DUTCH if n % 2 else ENGLISH)
                                  for n in range(PAGES - 1)]
    scan = save_pdf(pages, tmp_path / "brief.pdf")
    env = worker_environment(committed_app, DOSSIER_INGEST_LEASE_SECONDS="30")

    first = WorkerProcess(env, tmp_path / "worker1.log")
    workers.append(first)
    (inbox.root / "brief.pdf").write_bytes(scan.read_bytes())
    wait_for(lambda: (job := _job(committed_app)) and job.state == JobState.PROCESSING
             and (job.page or 0) >= 2, 60, first, "OCR to be under way")
    first.kill()

    job = _job(committed_app)
    assert job is not None and job.state == JobState.PROCESSING  # nobody finished it
    assert job.page_total == PAGES and (job.page or 0) < PAGES
    assert Path(job.work_path or "").read_bytes() == scan.read_bytes()  # the file is safe
    assert _documents(committed_app) == 0

    second = WorkerProcess(env, tmp_path / "worker2.log")
    workers.append(second)
    done = wait_for(lambda: (job := _job(committed_app)) and job.state == JobState.DONE
                    and job, 90, second, "the restarted worker to finish the file")
    assert done.attempts == 2 and len(done.document_ids) == 1
    assert _documents(committed_app) == 1
    with committed_app.app_context():
        document = db.session.get(Document, done.document_ids[0])
        assert document.customers[0].id == customer.id
        assert document.files[0].pages == PAGES - 1
        assert "onderhoud" in document.files[0].text and "maintenance" in document.files[0].text
        db.session.remove()
    assert inbox.candidates() == [] and inbox.work_files() == []


def test_ctrl_c_mid_ocr_fails_nothing_and_the_next_start_finishes_the_file(
        committed_app: Flask, tmp_path: Path, workers: list[WorkerProcess]):
    # Ctrl-C in the terminal of `make run` signals the whole process group, Tesseracts
    # included: the page they were reading is no reason to set the scan aside.
    with committed_app.app_context():
        customer = CustomerFactory()
        db.session.commit()
        cover = make_cover(customer.id, "correspondence", "care")
        db.session.remove()
    inbox = Inbox(Path(committed_app.config["INBOX"]))
    inbox.ensure()
    pages = [code_page(cover)] + [text_page((DUTCH + ENGLISH) * 6) for _ in range(PAGES - 1)]
    scan = save_pdf(pages, tmp_path / "brief.pdf")
    env = worker_environment(committed_app)

    first = WorkerProcess(env, tmp_path / "worker1.log")
    workers.append(first)
    (inbox.root / "brief.pdf").write_bytes(scan.read_bytes())
    wait_for(lambda: (job := _job(committed_app)) and (job.page or 0) >= 2
             and first.running_tesseracts(), 60, first, "OCR to be under way")
    first.interrupt()

    job = _job(committed_app)
    assert job is not None and job.state == JobState.PROCESSING, first.output()
    assert job.reason is None and list(inbox.failed.iterdir()) == []
    assert Path(job.work_path or "").read_bytes() == scan.read_bytes()

    second = WorkerProcess(env, tmp_path / "worker2.log")
    workers.append(second)
    done = wait_for(lambda: (job := _job(committed_app)) and job.state == JobState.DONE
                    and job, 120, second, "the next start to finish the file")
    assert done.attempts == 2 and len(done.document_ids) == 1
    assert _documents(committed_app) == 1

"""Services for the web app and the CLI: upload, retry, assign from triage."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from dossier.auth.models import User
from dossier.barcodes import make_cover
from dossier.compliance.models import AuditEvent
from dossier.documents.file_store import FileStore
from dossier.documents.services import DocumentInvalid
from dossier.extensions import db
from dossier.ingest import jobs
from dossier.ingest.inbox import Inbox, reason_file_of
from dossier.ingest.models import IngestJob, JobSource, JobState, TriageItem
from dossier.ingest.services import (
    INGEST_WORKER,
    IngestRefused,
    assign,
    ingest_upload,
    retry,
)
from dossier.ingest.tasks import queue_jobs
from tests.factories import CustomerFactory, UserFactory, document_type
from tests.ingest.pipeline_scans import DUTCH, code_page, save_pdf, text_page


def _upload(data: bytes, name: str = "brief.pdf") -> FileStorage:
    return FileStorage(io.BytesIO(data), filename=name)


@pytest.fixture
def sales(app: Flask) -> User:
    return UserFactory(roles=("sales",))


def test_an_upload_becomes_a_queued_job_in_the_work_area(app, inbox: Inbox, sales: User):
    job = ingest_upload(_upload(b"%PDF-1.4 upload", "../Brief.pdf"), sales)
    assert job.state == JobState.QUEUED and job.source == JobSource.UPLOAD
    assert job.original_name == "Brief.pdf" and job.created_by_id == sales.id
    assert Path(job.work_path or "").parent == inbox.work
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "IngestJob"))
    assert event is not None and event.actor_id == sales.id and event.action == "create"


def test_an_upload_of_known_content_is_a_duplicate(app, inbox: Inbox, sales: User):
    first = ingest_upload(_upload(b"same bytes"), sales)
    second = ingest_upload(_upload(b"same bytes", "again.pdf"), sales)
    assert second.state == JobState.DUPLICATE and second.duplicate_of_id == first.id
    db.session.commit()
    queue_jobs([second])
    assert Path(second.failed_path or "").read_bytes() == b"same bytes"
    assert second.work_path is None


def test_who_may_not_add_documents_may_not_upload(app, inbox: Inbox):
    clerk = UserFactory(roles=("clerk",))
    with pytest.raises(IngestRefused):
        ingest_upload(_upload(b"data"), clerk)
    assert inbox.work_files() == []


def test_an_upload_is_filed_with_the_uploaders_own_permissions(app, inbox: Inbox,
                                                               tmp_path: Path):
    care = UserFactory(roles=("care",))
    customer = CustomerFactory()
    db.session.commit()
    pages = [code_page(make_cover(customer.id, "contract", "sales")), text_page(DUTCH)]
    data = save_pdf(pages, tmp_path / "scan.pdf").read_bytes()
    job = ingest_upload(_upload(data, "scan.pdf"), care)
    db.session.commit()
    queue_jobs([job])
    db.session.refresh(job)
    assert job.state == JobState.TRIAGE  # care may not file into sales
    assert care.username in job.triage_items[0].note


def _failed_job(inbox: Inbox) -> IngestJob:
    path = inbox.new_work_path("scan.pdf")
    path.write_bytes(b"%PDF-1.4 broken")
    job = jobs.register(inbox, path, "scan.pdf", JobSource.INBOX)
    db.session.flush()
    jobs.fail(job, inbox, "ocr_unavailable", "Tesseract is missing")
    db.session.commit()
    queue_jobs([job])  # nothing to queue: sets the file aside
    return job


def test_retry_puts_a_failed_file_back_and_queues_it_again(app, inbox: Inbox, sales: User):
    job = _failed_job(inbox)
    failed = Path(job.failed_path or "")
    assert failed.exists() and reason_file_of(failed).exists()
    retry(job, sales)
    assert job.state == JobState.QUEUED and job.reason is None and job.failed_path is None
    assert Path(job.work_path or "").read_bytes() == b"%PDF-1.4 broken"
    assert not failed.exists() and not reason_file_of(failed).exists()


def test_retry_is_only_for_failed_jobs_whose_file_is_still_there(app, inbox: Inbox,
                                                                sales: User):
    job = _failed_job(inbox)
    Path(job.failed_path or "").unlink()
    with pytest.raises(IngestRefused, match="no longer"):
        retry(job, sales)
    job.state = JobState.DONE.value
    with pytest.raises(IngestRefused, match="Only a failed file"):
        retry(job, sales)
    with pytest.raises(IngestRefused):
        retry(job, UserFactory(roles=("clerk",)))


def _triage_job(app: Flask, parts: int = 2) -> IngestJob:
    stored = FileStore(app.config["FILE_STORE"]).store(io.BytesIO(b"%PDF-1.4 part"))
    job = IngestJob(sha256="b" * 64, original_name="stapel.pdf", state=JobState.TRIAGE.value,
                    page_count=parts, barcodes=[], document_ids=[])
    for position in range(1, parts + 1):
        job.triage_items.append(TriageItem(
            position=position, first_page=position, last_page=position,
            file_sha256=stored.sha256, mime_type="application/pdf", size_bytes=stored.size,
            text=f"Geachte heer, pagina {position}", ocr_confidence=91.5, languages="nld+eng"))
    db.session.add(job)
    db.session.flush()
    return job


def test_assign_files_each_part_and_finishes_the_job_with_the_last(app, inbox: Inbox,
                                                                  sales: User):
    job = _triage_job(app)
    customer = CustomerFactory()
    contract = document_type("contract")
    first = assign(job.triage_items[0], customer, contract, ["sales"], sales)
    assert job.state == JobState.TRIAGE and job.document_ids == [first.id]
    assert first.customers == [customer] and first.scopes == ["sales"]
    assert first.title == "Contract: stapel.pdf (pages 1-1)"
    [digital] = first.files
    assert (digital.text, digital.ocr_confidence, digital.pages) == (
        "Geachte heer, pagina 1", 91.5, 1)
    assert job.triage_items[0].document_id == first.id
    assert job.triage_items[0].assigned_by_id == sales.id
    second = assign(job.triage_items[1], customer, contract, {"sales"}, sales)
    assert job.state == JobState.DONE and job.document_ids == [first.id, second.id]


def test_a_part_is_filed_once(app, inbox: Inbox, sales: User):
    job = _triage_job(app, parts=1)
    customer = CustomerFactory()
    assign(job.triage_items[0], customer, document_type("quote"), ["sales"], sales)
    with pytest.raises(IngestRefused, match="already"):
        assign(job.triage_items[0], customer, document_type("quote"), ["sales"], sales)


def test_assign_checks_the_scopes_and_the_customer(app, inbox: Inbox, sales: User):
    job = _triage_job(app, parts=1)
    customer = CustomerFactory()
    item = job.triage_items[0]
    with pytest.raises(DocumentInvalid):
        assign(item, customer, document_type("complaint"), ["care"], sales)
    with pytest.raises(IngestRefused):
        assign(item, customer, document_type("quote"), ["sales"], UserFactory(roles=()))
    db.session.refresh(item)
    assert item.assigned_at is None and item.document_id is None
    assert assign(item, customer, document_type("quote"), ["sales"], sales).id


def test_the_ingest_worker_may_file_into_every_scope():
    assert INGEST_WORKER.scopes == frozenset({"sales", "care", "loyalty"})
    assert INGEST_WORKER.id is None and INGEST_WORKER.username == "ingest-worker"

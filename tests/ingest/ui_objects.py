"""Jobs and triage parts as the scan screens meet them, made by the tests: a real scanned
PDF in the file store for a part in triage, a real file in failed/ for a failed job."""

from __future__ import annotations

import io
import secrets
from collections.abc import Sequence
from pathlib import Path

from flask import Flask

from dossier.documents.file_store import FileStore
from dossier.extensions import db
from dossier.ingest import jobs
from dossier.ingest.inbox import Inbox
from dossier.ingest.models import IngestJob, JobSource, JobState, Stage, TriageItem
from dossier.ingest.tasks import queue_jobs
from tests.ingest.pipeline_scans import save_pdf, text_page


def scanned_pdf(pages: Sequence[Sequence[str]]) -> bytes:
    """An image-only PDF, one text strip per page, as a scanner makes it."""
    buffer = io.BytesIO()
    images = [text_page(lines) for lines in pages]
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=300)
    return buffer.getvalue()


def triage_job(app: Flask, texts: Sequence[str], name: str = "scan.pdf",
               pages_per_part: int = 1) -> IngestJob:
    """A job in triage with one part per text; each part's file is a real scanned PDF."""
    store = FileStore(app.config["FILE_STORE"])
    job = IngestJob(sha256=secrets.token_hex(32), original_name=name,
                    source=JobSource.INBOX.value, state=JobState.TRIAGE.value,
                    stage=Stage.FINISHED.value, page_count=len(texts) * pages_per_part,
                    method="ocr", barcodes=[], document_ids=[], original_stored=True)
    for position, text in enumerate(texts, start=1):
        page_texts = [text] * pages_per_part
        stored = store.store(io.BytesIO(scanned_pdf([t.splitlines()[:3] for t in page_texts])))
        first = (position - 1) * pages_per_part + 1
        job.triage_items.append(TriageItem(
            position=position, first_page=first, last_page=first + pages_per_part - 1,
            file_sha256=stored.sha256, mime_type="application/pdf", size_bytes=stored.size,
            text="\f".join(page_texts), ocr_confidence=88.4, languages="nld+eng",
            note=""))  # as the pipeline leaves it when no cover sheet was found
    db.session.add(job)
    db.session.flush()
    return job


def failed_job(inbox: Inbox, data: bytes = b"not a document at all",
               name: str = "kapot.pdf", reason: str = "unsupported_type") -> IngestJob:
    """A job that failed, its file set aside in failed/ with the reason beside it."""
    path = inbox.new_work_path(name)
    inbox.ensure()
    path.write_bytes(data)
    job = jobs.register(inbox, path, name, JobSource.INBOX)
    db.session.flush()
    jobs.fail(job, inbox, reason, "This is not a PDF, TIFF, PNG or JPEG file.")
    db.session.commit()
    queue_jobs([job])  # nothing to queue: moves the file into failed/
    assert job.failed_path and Path(job.failed_path).is_file()
    return job


def save_scan(pages: Sequence[Sequence[str]], path: Path) -> Path:
    return save_pdf([text_page(lines) for lines in pages], path)


def scan_objects(app: Flask, inbox: Inbox) -> dict[str, int]:
    """For the route walk: a failed job (its file in failed/) and a part in triage."""
    failed = failed_job(inbox)
    item = triage_job(app, ["Route walk"]).triage_items[0]
    return {"failed_job": failed.id, "triage_item": item.id, "first_page": 1}

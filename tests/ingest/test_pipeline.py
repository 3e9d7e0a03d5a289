"""The pipeline end to end with real Tesseract and zxing-cpp: files made here become documents,
triage items or failures with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from pypdf import PdfReader, PdfWriter

from dossier.barcodes import make_cover, make_separator
from dossier.customers.models import Customer
from dossier.documents.file_store import FileStore
from dossier.documents.models import Document
from dossier.extensions import db
from dossier.ingest.inbox import Inbox, reason_file_of
from dossier.ingest.models import IngestJob, JobSource, JobState, Stage
from dossier.ingest.services import ingest_file
from dossier.ingest.tasks import queue_jobs
from tests.factories import CustomerFactory
from tests.ingest.pipeline_scans import (
    DUTCH,
    ENGLISH,
    code_page,
    save_pdf,
    save_png,
    save_tiff,
    text_layer_pdf,
    text_page,
)


@pytest.fixture
def customer(app: Flask) -> Customer:
    customer = CustomerFactory()
    db.session.commit()
    return customer


def _ingest(path: Path) -> IngestJob:
    job = ingest_file(path, source=JobSource.CLI)
    db.session.commit()
    queue_jobs([job])  # the memory queue runs it here and now
    db.session.refresh(job)
    return job


def _store(app: Flask) -> FileStore:
    return FileStore(app.config["FILE_STORE"])


def _documents(job: IngestJob) -> list[Document]:
    return [db.session.get(Document, number) for number in job.document_ids]


def test_a_scan_without_barcode_waits_in_triage_with_its_text(app, inbox: Inbox,
                                                              tmp_path: Path):
    job = _ingest(save_png(text_page(DUTCH), tmp_path / "brief.png"))
    assert job.state == JobState.TRIAGE and job.stage == Stage.FINISHED
    assert (job.method, job.page_count, job.mime_type) == ("ocr", 1, "image/png")
    [item] = job.triage_items
    assert "onderhoud" in item.text and item.ocr_confidence and item.ocr_confidence > 50
    assert (item.first_page, item.last_page, item.mime_type) == (1, 1, "application/pdf")
    assert item.languages == "nld+eng" and item.document_id is None
    assert item.note == ""  # "no cover sheet" is said by the page, in the reader's language
    assert _store(app).exists(item.file_sha256) and item.file_sha256 == job.searchable_sha256
    assert _store(app).exists(job.sha256)  # the original, untouched
    assert inbox.work_files() == [] and job.work_path is None
    assert job.document_ids == []


def test_a_cover_sheet_routes_the_pages_after_it_to_one_document(app, inbox: Inbox,
                                                                 tmp_path: Path,
                                                                 customer: Customer):
    cover = code_page(make_cover(customer.id, "contract", "sales"), "Voorblad")
    path = save_pdf([cover, text_page(DUTCH), text_page(ENGLISH)], tmp_path / "scan.pdf")
    job = _ingest(path)
    assert job.state == JobState.DONE, job.message
    [document] = _documents(job)
    assert document.customers == [customer] and document.scopes == ["sales"]
    assert document.document_type.code == "contract"
    assert document.title == "Contract: scan.pdf (pages 2-3)"
    [digital] = document.files
    assert (digital.pages, digital.mime_type, digital.languages) == (2, "application/pdf",
                                                                    "nld+eng")
    assert digital.origin == "cli" and digital.original_name == "scan.pdf"
    assert "onderhoud" in digital.text and "maintenance" in digital.text
    assert "Voorblad" not in digital.text and digital.ocr_confidence
    stored = _store(app).path_for(digital.sha256)
    assert len(PdfReader(stored).pages) == 2  # the cover sheet was dropped
    assert job.barcodes[0]["kind"] == "C" and job.barcodes[0]["page"] == 1


def test_a_batch_is_split_by_separators_and_covers(app, inbox: Inbox, tmp_path: Path):
    first, second = CustomerFactory(), CustomerFactory()
    db.session.commit()
    pages = [code_page(make_cover(first.id, "correspondence", "care")), text_page(DUTCH),
             code_page(make_separator()), text_page(ENGLISH),
             code_page(make_cover(second.id, "complaint", "care")), text_page(DUTCH)]
    job = _ingest(save_tiff(pages, tmp_path / "batch.tif"))
    assert job.state == JobState.DONE, job.message
    documents = _documents(job)
    assert [d.customers for d in documents] == [[first], [first], [second]]
    assert [d.document_type.code for d in documents] == ["correspondence", "correspondence",
                                                         "complaint"]
    assert ["maintenance" in d.files[0].text for d in documents] == [False, True, False]


def test_separators_without_cover_give_one_triage_item_per_document(app, inbox: Inbox,
                                                                   tmp_path: Path):
    pages = [text_page(DUTCH), code_page(make_separator()), text_page(ENGLISH)]
    job = _ingest(save_pdf(pages, tmp_path / "stapel.pdf"))
    assert job.state == JobState.TRIAGE
    assert [(i.position, i.first_page, i.last_page) for i in job.triage_items] == [
        (1, 1, 1), (2, 3, 3)]
    assert "maintenance" in job.triage_items[1].text
    assert len(PdfReader(_store(app).path_for(job.triage_items[1].file_sha256)).pages) == 1


def test_a_born_digital_pdf_is_read_from_its_text_layer_and_kept_as_it_is(
        app, inbox: Inbox, tmp_path: Path, customer: Customer):
    path = text_layer_pdf([DUTCH, ENGLISH], tmp_path / "digitaal.pdf")
    job = _ingest(path)
    assert job.state == JobState.TRIAGE and job.method == "text_layer"
    [item] = job.triage_items
    assert item.file_sha256 == job.sha256  # the original is the document's file
    assert item.text.split("\f") == ["\n".join(DUTCH), "\n".join(ENGLISH)]
    assert item.ocr_confidence is None and item.languages == ""
    assert job.searchable_sha256 is None


def test_a_scanner_text_layer_pdf_is_still_routed_by_its_cover_image(
        app, inbox: Inbox, tmp_path: Path, customer: Customer):
    cover = code_page(make_cover(customer.id, "quote", "sales"))
    path = text_layer_pdf([["Voorblad Dossier"], DUTCH], tmp_path / "ocr-scanner.pdf",
                          images={0: cover})
    job = _ingest(path)
    assert job.method == "text_layer" and job.state == JobState.DONE, job.message
    [document] = _documents(job)
    assert document.customers == [customer]
    assert document.files[0].text == "\n".join(DUTCH)
    assert len(PdfReader(_store(app).path_for(document.files[0].sha256)).pages) == 1


def test_a_cover_sheet_that_cannot_be_followed_sends_the_pages_to_triage(
        app, inbox: Inbox, tmp_path: Path):
    pages = [code_page(make_cover(999999, "contract", "sales")), text_page(DUTCH)]
    job = _ingest(save_pdf(pages, tmp_path / "onbekend.pdf"))
    assert job.state == JobState.TRIAGE
    assert "999999" in job.triage_items[0].note


def test_the_same_file_twice_makes_one_document(app, inbox: Inbox, tmp_path: Path,
                                                customer: Customer):
    cover = code_page(make_cover(customer.id, "contract", "sales"))
    path = save_pdf([cover, text_page(DUTCH)], tmp_path / "scan.pdf")
    first = _ingest(path)
    second = _ingest(path)
    assert second.state == JobState.DUPLICATE and second.duplicate_of_id == first.id
    assert second.document_ids == first.document_ids
    assert db.session.query(Document).count() == 1
    aside = Path(second.failed_path or "")
    assert aside.parent == inbox.duplicates and aside.read_bytes() == path.read_bytes()
    assert f"document {first.document_ids[0]}" in reason_file_of(aside).read_text()
    assert inbox.work_files() == []


def test_only_sheets_is_a_failure(app, inbox: Inbox, tmp_path: Path):
    job = _ingest(save_png(code_page(make_separator()), tmp_path / "sep.png"))
    assert (job.state, job.reason) == (JobState.FAILED, "only_sheets")


def _truncated_pdf(tmp_path: Path) -> Path:
    data = text_layer_pdf([DUTCH], tmp_path / "whole.pdf").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 2])
    return path


def _encrypted_pdf(tmp_path: Path) -> Path:
    writer = PdfWriter(clone_from=text_layer_pdf([DUTCH], tmp_path / "plain.pdf"))
    writer.encrypt("geheim", algorithm="RC4-128")
    path = tmp_path / "encrypted.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    return path


def _not_a_document(tmp_path: Path) -> Path:
    path = tmp_path / "notes.pdf"
    path.write_text("Geachte heer, dit is gewoon tekst.\n")
    return path


@pytest.mark.parametrize(("make", "reason"), [
    (_empty, "empty"), (_truncated_pdf, "corrupt"), (_encrypted_pdf, "encrypted"),
    (_not_a_document, "unsupported_type"),
])
def test_files_that_cannot_be_read_fail_into_the_failed_folder(app, inbox: Inbox,
                                                               tmp_path: Path, make, reason):
    source = make(tmp_path)
    job = _ingest(source)
    assert (job.state, job.reason) == (JobState.FAILED, reason), job.message
    failed = Path(job.failed_path or "")
    assert failed.parent == inbox.failed and failed.read_bytes() == source.read_bytes()
    text = reason_file_of(failed).read_text()
    assert text.startswith(job.message) and f"reason: {reason}" in text
    assert job.document_ids == [] and inbox.work_files() == []


def test_limits_give_a_reason(app, inbox: Inbox, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(app.config, "INGEST_MAX_PAGES", 2)
    pages = [text_page(["een"]), text_page(["twee"]), text_page(["drie"])]
    job = _ingest(save_tiff(pages, tmp_path / "lang.tif"))
    assert (job.reason, job.details) == ("too_many_pages", {"pages": 3, "limit": 2})
    monkeypatch.setitem(app.config, "INGEST_MAX_PIXELS", 1000)
    job = _ingest(save_png(text_page(DUTCH), tmp_path / "groot.png"))
    assert job.reason == "too_many_pixels"


def test_missing_tesseract_languages_fail_with_a_reason(app, inbox: Inbox, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(app.config, "OCR_LANGUAGES", "xxx")
    job = _ingest(save_png(text_page(DUTCH), tmp_path / "brief.png"))
    assert (job.state, job.reason) == (JobState.FAILED, "ocr_unavailable")

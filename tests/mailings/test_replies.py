"""Returned reply coupons through the real ingest pipeline (Tesseract, zxing-cpp): each sets
its recipient's answer and makes no document, unless the mailing keeps coupon scans."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from pypdf import PdfReader

from dossier.auth.models import User
from dossier.barcodes import make_cover, with_check_character
from dossier.customers.models import Customer
from dossier.documents.file_store import FileStore
from dossier.documents.models import Document
from dossier.extensions import db
from dossier.ingest.cli import describe
from dossier.ingest.inbox import Inbox
from dossier.ingest.models import IngestJob, JobSource, JobState
from dossier.ingest.services import ingest_file
from dossier.ingest.tasks import queue_jobs
from dossier.mailings.models import Mailing, MailingRecipient
from tests.ingest.pipeline_scans import DUTCH, code_page, save_pdf, save_png, text_page
from tests.mailings.conftest import make_mailing
from tests.mailings.coupon_scans import letter_scan, tick, torn_off


def _ingest(path: Path) -> IngestJob:
    job = ingest_file(path, source=JobSource.CLI)
    db.session.commit()
    queue_jobs([job])  # the memory queue runs it here and now
    db.session.refresh(job)
    return job


def _committed(mailing: Mailing) -> list[MailingRecipient]:
    db.session.commit()
    return sorted(mailing.recipients, key=lambda r: r.sequence)


def _documents() -> int:
    return db.session.query(Document).count()


def test_a_ticked_letter_sets_the_answer_and_makes_no_document(
        app: Flask, inbox: Inbox, tmp_path: Path, mailing: Mailing) -> None:
    recipients = _committed(mailing)
    documents = _documents()
    page = tick(letter_scan(mailing, recipients[1]), 0)  # "Ja"
    job = _ingest(save_png(page, tmp_path / "antwoord.png"))
    assert job.state == JobState.DONE, job.message
    db.session.refresh(recipients[1])
    assert recipients[1].responded and recipients[1].answer == "Ja"
    assert recipients[1].responded_at is not None and recipients[1].source_job_id == job.id
    assert recipients[1].document_id is None
    assert not recipients[0].responded and not recipients[2].responded
    assert job.document_ids == [] and job.triage_items == [] and _documents() == documents
    assert job.barcodes[0]["kind"] == "M"
    assert describe(job) == "reply coupons recorded: 1"


def test_a_batch_of_torn_coupons_and_a_letter_with_a_cover_sheet(
        app: Flask, inbox: Inbox, tmp_path: Path, mailing: Mailing,
        utrecht: list[Customer]) -> None:
    first, second, third = _committed(mailing)
    pages = [torn_off(tick(letter_scan(mailing, first), 1)),  # "Nee"
             torn_off(letter_scan(mailing, second)),  # nothing ticked
             code_page(make_cover(utrecht[2].id, "correspondence", "sales")),
             text_page(DUTCH)]
    job = _ingest(save_pdf(pages, tmp_path / "stapel.pdf"))
    assert job.state == JobState.DONE, job.message
    for recipient in (first, second, third):
        db.session.refresh(recipient)
    assert (first.responded, first.answer) == (True, "Nee")
    assert (second.responded, second.answer) == (True, None)  # for a person to complete
    assert not third.responded
    [document_id] = job.document_ids
    document = db.session.get(Document, document_id)
    assert document is not None and document.customers == [utrecht[2]]
    assert "onderhoud" in document.files[0].text


def test_a_mailing_that_keeps_coupons_files_the_scan_in_the_dossier(
        app: Flask, inbox: Inbox, tmp_path: Path, sales: User,
        utrecht: list[Customer]) -> None:
    mailing = make_mailing(sales, store_coupon_images=True)
    recipients = _committed(mailing)
    pages = [torn_off(tick(letter_scan(mailing, recipients[0]), 2)), text_page(DUTCH)]
    job = _ingest(save_pdf(pages, tmp_path / "coupon.pdf"))
    assert job.state == JobState.TRIAGE  # the page without a code
    db.session.refresh(recipients[0])
    assert recipients[0].answer == "Misschien"
    [document_id] = job.document_ids
    assert recipients[0].document_id == document_id
    document = db.session.get(Document, document_id)
    assert document is not None and document.customers == [recipients[0].customer]
    assert document.scopes == ["sales"] and document.document_type.code == "reply_coupon"
    assert document.title.endswith("Uitnodiging najaarsavond")
    [digital] = document.files
    stored = FileStore(app.config["FILE_STORE"]).path_for(digital.sha256)
    assert len(PdfReader(stored).pages) == 1 and digital.pages == 1
    [item] = job.triage_items
    assert (item.first_page, item.last_page) == (2, 2)


def test_a_coupon_of_an_unknown_letter_waits_in_triage_with_the_reason(
        app: Flask, inbox: Inbox, tmp_path: Path, mailing: Mailing) -> None:
    recipients = _committed(mailing)
    ghost = MailingRecipient(id=987654, mailing_id=mailing.id, sequence=99,
                             customer=recipients[0].customer)
    page = torn_off(tick(letter_scan(mailing, ghost), 0))
    job = _ingest(save_png(page, tmp_path / "onbekend.png"))
    assert job.state == JobState.TRIAGE, job.message
    [item] = job.triage_items
    assert "987654" in item.note and "does not exist" in item.note
    assert FileStore(app.config["FILE_STORE"]).exists(item.file_sha256)
    assert not any(r.responded for r in recipients)


def test_a_misread_coupon_code_is_not_acted_on(app: Flask, inbox: Inbox, tmp_path: Path,
                                               mailing: Mailing) -> None:
    recipients = _committed(mailing)
    body = recipients[0].code[:-1]
    wrong = next(body + c for c in "ABC" if with_check_character(body) != body + c)
    job = _ingest(save_png(code_page(wrong), tmp_path / "verkeerd.png"))
    assert job.state == JobState.TRIAGE
    assert job.barcodes[0]["text"] == wrong and job.barcodes[0]["kind"] is None
    assert not recipients[0].responded


@pytest.fixture(autouse=True)
def _no_leftover_work(inbox: Inbox):
    yield
    assert inbox.work_files() == []

"""Digitise on request and the digitisation advisor: static originals asked for often,
their cover sheet, and the scan that comes back filed with the same document."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from flask import Flask

from dossier import barcodes
from dossier.archive import digitise, movements
from dossier.archive.advisor import advice
from dossier.archive.desk_models import DigitisationOrder, RetrievalRequest
from dossier.archive.items import create_item
from dossier.auth.models import utcnow
from dossier.documents.models import DigitalFile, Document
from dossier.extensions import db
from dossier.ingest.inbox import Inbox
from dossier.ingest.models import JobSource, JobState
from dossier.ingest.services import ingest_file
from dossier.ingest.tasks import queue_jobs
from tests.factories import CustomerFactory, DocumentFactory, UserFactory, login
from tests.ingest.pipeline_scans import DUTCH, save_pdf, text_page


def _original(clerk, tree, type_code="contract", scopes=("sales",)):
    document = DocumentFactory(type_code=type_code, scopes=list(scopes), paper_original=True,
                               customers=[CustomerFactory()])
    item = create_item(clerk, document=document, home=tree.shelf)
    movements.check_in(clerk, item)
    return item


def _asked(item, times: int, days_ago: int = 10, status: str = "returned") -> None:
    requester = UserFactory(roles=("sales",))
    db.session.add_all(RetrievalRequest(
        item=item, requester=requester, purpose="Inzage", status=status,
        requested_at=utcnow() - timedelta(days=days_ago, hours=n)) for n in range(times))
    db.session.flush()


def test_static_originals_asked_for_more_than_n_times_are_advised(clerk, tree):
    often = _original(clerk, tree)
    _asked(often, 4)
    just_three = _original(clerk, tree, "order")
    _asked(just_three, 3)
    long_ago = _original(clerk, tree, "order")
    _asked(long_ago, 5, days_ago=400)
    dynamic = _original(clerk, tree, "quote")
    _asked(dynamic, 6)
    (found,) = advice(3, 12)
    assert (found.item, found.requests, found.order) == (often, 4, None)
    assert [(verdict.scope, verdict.document_class.value) for verdict in found.static_in] == [
        ("sales", "static")]
    assert found.static_in[0].rule_id is not None
    assert [entry.item for entry in advice(2, 24)] == [long_ago, often, just_three]


def test_cancelled_requests_are_not_counted(clerk, tree):
    item = _original(clerk, tree)
    _asked(item, 2)
    _asked(item, 3, status="cancelled")
    assert advice(3, 12) == []
    _asked(item, 2, status="requested")
    (found,) = advice(3, 12)
    assert (found.item, found.requests) == (item, 4)


def test_originals_already_digital_or_destroyed_are_not_advised(clerk, tree):
    scanned = _original(clerk, tree)
    _asked(scanned, 5)
    db.session.add(DigitalFile(document=scanned.document, sha256="0" * 64,
                               original_name="scan.pdf", mime_type="application/pdf",
                               size_bytes=10))
    gone = _original(clerk, tree, "order")
    _asked(gone, 5)
    movements.record_destroyed(clerk, gone)
    db.session.flush()
    assert advice(3, 12) == []


def test_ordering_digitisation_records_it_once(clerk, tree):
    item = _original(clerk, tree)
    placed = digitise.order(clerk, item)
    assert (placed.status, placed.scope, placed.document) == ("waiting", "sales", item.document)
    assert digitise.order(clerk, item) is placed
    with pytest.raises(digitise.CannotDigitise):
        digitise.order(clerk, create_item(clerk, home=tree.shelf))


def _page_codes(pdf: bytes) -> list[str]:
    page = pypdfium2.PdfDocument(pdf)[0].render(scale=300 / 72).to_pil()
    return sorted(code.text for code in zxingcpp.read_barcodes(page))


def test_the_cover_sheet_routes_to_the_document_and_names_the_original(clerk, tree):
    item = _original(clerk, tree)
    placed = digitise.order(clerk, item)
    document = item.document
    expected = sorted([barcodes.make_cover(document.customers[0].id, "contract", "sales"),
                       item.barcode])
    assert _page_codes(digitise.cover_sheet(placed, "en")) == expected


def test_the_scan_comes_back_as_a_file_of_the_same_document(
        app: Flask, clerk, tree, tmp_path: Path, monkeypatch):
    inbox = Inbox(tmp_path / "scanner_inbox")
    monkeypatch.setitem(app.config, "INBOX", str(inbox.root))
    monkeypatch.setitem(app.config, "FILE_STORE", str(tmp_path / "files"))
    inbox.ensure()
    item = _original(clerk, tree)
    placed = digitise.order(clerk, item)
    sheet = pypdfium2.PdfDocument(digitise.cover_sheet(placed, "nl"))[0].render(
        scale=300 / 72).to_pil().convert("L")
    sheet.info["dpi"] = (300, 300)
    documents_before = db.session.query(Document).count()
    db.session.commit()

    job = ingest_file(save_pdf([sheet, text_page(DUTCH)], tmp_path / "scan.pdf"),
                      source=JobSource.CLI)
    db.session.commit()
    queue_jobs([job])
    db.session.refresh(job)
    assert job.state == JobState.DONE, job.message
    document = db.session.get(Document, item.document_id)
    assert job.document_ids == [document.id]
    assert db.session.query(Document).count() == documents_before
    assert document.storage.value == "hybrid"
    assert "onderhoud" in document.files[-1].text
    placed = db.session.get(DigitisationOrder, placed.id)
    assert placed.status == "scanned" and placed.digital_file == document.files[-1]


# -- screens ------------------------------------------------------------------------


def test_the_advisor_page_proposes_a_policy_change_and_digitising(client, clerk, tree):
    item = _original(clerk, tree, "complaint", scopes=("care",))
    _asked(item, 4)
    admin = UserFactory(roles=("admin",))
    login(client, admin)
    page = client.get("/archive/digitise").get_data(as_text=True)
    assert item.barcode in page and "Digitise: print the cover sheet" in page
    assert "document_class=dynamic" in page and "scope=care" in page

    rule_form = client.get(
        f"/admin/policy/new?scope=care&document_class=dynamic&condition=always"
        f"&document_type_id={item.document.document_type_id}&reason=asked+for+often"
    ).get_data(as_text=True)
    assert 'value="asked for often"' in rule_form
    assert f'<option selected value="{item.document.document_type_id}">' in rule_form

    response = client.post(f"/archive/digitise/items/{item.id}/order")
    assert response.status_code == 302 and "cover-sheet.pdf" in response.headers["Location"]
    sheet = client.get(response.headers["Location"])
    assert sheet.mimetype == "application/pdf" and item.barcode in _page_codes(sheet.data)


def test_clerks_see_no_policy_links(client, clerk, tree):
    item = _original(clerk, tree)
    _asked(item, 4)
    login(client, clerk)
    page = client.get("/archive/digitise").get_data(as_text=True)
    assert item.barcode in page and "Change the policy" not in page


def test_the_advisor_is_for_archive_staff(client):
    login(client, UserFactory(roles=("sales",)))
    assert client.get("/archive/digitise").status_code == 403

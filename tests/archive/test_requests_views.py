"""Retrieval requests in the browser: asking from the document page, one's own requests,
the archive desk with its printed pick list, the overdue list."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from dossier import barcodes
from dossier.archive import movements, queries
from dossier.archive.desk_models import RetrievalRequest
from dossier.archive.requests import ask
from dossier.compliance.models import AuditEvent
from dossier.extensions import db
from tests.archive.station import Station
from tests.factories import UserFactory, login


@pytest.fixture
def shelved(clerk, item):
    movements.check_in(clerk, item)
    return item


def _page(response) -> str:
    return response.get_data(as_text=True)


def test_the_document_page_offers_to_request_the_original(client, borrower, shelved):
    login(client, borrower)
    page = _page(client.get(f"/documents/{shelved.document_id}"))
    assert "Request the paper original" in page
    assert f"/archive/requests/new/{shelved.document_id}" in page


def test_asking_with_a_purpose_files_the_request(client, borrower, shelved):
    login(client, borrower)
    url = f"/archive/requests/new/{shelved.document_id}"
    assert shelved.barcode in _page(client.get(url))
    response = client.post(url, data={"purpose": "Klacht van de klant"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/documents/{shelved.document_id}")
    request = db.session.scalar(select(RetrievalRequest))
    assert (request.requester, request.purpose) == (borrower, "Klacht van de klant")
    page = _page(client.get(f"/documents/{shelved.document_id}"))
    assert "your request is requested" in page


def test_a_request_without_purpose_is_sent_back(client, borrower, shelved):
    login(client, borrower)
    response = client.post(f"/archive/requests/new/{shelved.document_id}",
                           data={"purpose": "  "})
    assert response.status_code == 422
    assert "Say what you need the original for." in _page(response)
    assert db.session.scalar(select(RetrievalRequest)) is None


def test_a_second_request_joins_the_queue(client, borrower, shelved):
    ask(UserFactory(roles=("care",)), shelved.document, "First")
    login(client, borrower)
    client.post(f"/archive/requests/new/{shelved.document_id}", data={"purpose": "Second"})
    page = _page(client.get("/archive/requests/mine"))
    assert "Second" in page and "1 request is before yours." in page


def test_the_requester_withdraws_from_their_list(client, borrower, shelved):
    request = ask(borrower, shelved.document, "Audit")
    login(client, borrower)
    response = client.post(f"/archive/requests/{request.id}/cancel")
    assert response.status_code == 302 and request.status == "cancelled"


def test_someone_else_cannot_cancel_a_request(client, borrower, shelved):
    request = ask(borrower, shelved.document, "Audit")
    login(client, UserFactory(roles=("care",)))
    assert client.post(f"/archive/requests/{request.id}/cancel").status_code == 403
    assert request.status == "requested"


def test_the_desk_lists_what_to_pick_and_what_waits(client, clerk, borrower, shelved):
    ask(borrower, shelved.document, "Klacht <b>dringend</b>")
    ask(UserFactory(roles=("care",), full_name="Wim Wachter"), shelved.document, "Later")
    login(client, clerk)
    page = _page(client.get("/archive/requests"))
    assert "To pick (1)" in page and "Waiting (1)" in page
    assert "Klacht &lt;b&gt;dringend&lt;/b&gt;" in page
    assert "Wim Wachter" in page and "asked for first by Bart Lener" in page
    assert queries.path_label(queries.state_of(shelved).location) in page
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "PickList")).all()
    assert [event.action for event in events] == ["view"]


def test_the_printed_pick_list_is_a_pdf(client, clerk, borrower, shelved):
    ask(borrower, shelved.document, "Audit")
    login(client, clerk)
    response = client.get("/archive/requests/picklist.pdf")
    assert response.mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert shelved.barcode in text and "Bart Lener" in text


def test_the_overdue_list_names_the_borrower(client, clerk, borrower, shelved, monkeypatch):
    ask(borrower, shelved.document, "Rechtszaak")
    station = Station(clerk, "checkout")
    station.scan(barcodes.make_badge(borrower.id))
    station.scan(shelved.barcode)
    login(client, clerk)
    assert "Nothing is overdue." in _page(client.get("/archive/requests/overdue"))
    later = queries.state_of(shelved).due_on + timedelta(days=4)
    monkeypatch.setattr(queries, "today", lambda: later)  # four days after the due date
    page = _page(client.get("/archive/requests/overdue"))
    assert "Bart Lener" in page and "Rechtszaak" in page and shelved.barcode in page
    assert '<td class="text-right">4</td>' in page


def test_only_archive_staff_see_the_desk(client, borrower):
    login(client, borrower)
    for url in ("/archive/requests", "/archive/requests/picklist.pdf",
                "/archive/requests/overdue"):
        assert client.get(url).status_code == 403


def test_the_scan_station_picks_in_pick_mode_and_says_who_waits(client, clerk, borrower,
                                                                shelved):
    request = ask(borrower, shelved.document, "Audit")
    login(client, clerk)
    client.post("/archive/scan/mode", data={"mode": "pick"})
    page = client.post("/archive/scan", data={"code": shelved.barcode},
                       follow_redirects=True).get_data(as_text=True)
    assert "picked for Bart Lener" in page
    assert request.status == "picked"
    client.post("/archive/scan/mode", data={"mode": "checkin"})
    page = client.post("/archive/scan", data={"code": shelved.barcode},
                       follow_redirects=True).get_data(as_text=True)
    assert "Bart Lener asked for" in page and request.status == "requested"

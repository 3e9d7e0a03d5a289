"""The scan screens: upload, the jobs page with progress, download and retry, and triage."""

from __future__ import annotations

import io
import re
import secrets
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, select

from dossier.auth.models import User
from dossier.compliance.models import AuditEvent
from dossier.documents.models import Document
from dossier.extensions import db
from dossier.ingest.inbox import Inbox
from dossier.ingest.models import IngestJob, JobSource, JobState, Stage
from tests.factories import CustomerFactory, DocumentFactory, UserFactory, login
from tests.ingest.pipeline_scans import text_layer_pdf
from tests.ingest.ui_objects import failed_job, triage_job

HOSTILE = '<script>alert("x")</script> <img src=x onerror=alert(1)> Klantnummer 100777'


@pytest.fixture
def sales(app: Flask, client: FlaskClient, inbox: Inbox) -> User:
    user = UserFactory(roles=("sales",))
    login(client, user)
    return user


def _signed_in(client: FlaskClient, role: str) -> User:
    user = UserFactory(roles=(role,))
    login(client, user)
    return user


def _page(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def _audit(action: str, object_type: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.object_type == object_type)))


def _letter_pdf(tmp_path: Path, name: str = "brief.pdf") -> bytes:
    path = text_layer_pdf([["Geachte heer Jansen,", "Hierbij de offerte."]], tmp_path / name)
    return path.read_bytes()


def _job(state: str, name: str = "scan.pdf", **values: object) -> IngestJob:
    values = {"barcodes": [], "document_ids": [], **values}
    job = IngestJob(sha256=secrets.token_hex(32), original_name=name, state=state,
                    source=JobSource.INBOX.value, **values)
    db.session.add(job)
    db.session.flush()
    return job


class TestUpload:
    def test_the_page_offers_a_plain_multi_file_form(self, client: FlaskClient, sales: User):
        html = _page(client.get("/ingest/upload"))
        assert 'enctype="multipart/form-data"' in html
        [file_input] = re.findall(r'<input[^>]*type="file"[^>]*>', html)
        assert " multiple " in file_input and 'name="files"' in file_input
        assert 'name="csrf_token"' in html and "data-dropzone" in html
        assert "js/ingest.js" in html

    def test_each_file_gets_its_own_result(self, client: FlaskClient, sales: User,
                                           tmp_path: Path, inbox: Inbox):
        files = [(io.BytesIO(_letter_pdf(tmp_path)), "brief.pdf"),
                 (io.BytesIO(b""), "leeg.pdf"),
                 (io.BytesIO(b"just some words"), "notitie.txt")]
        response = client.post("/ingest/upload", data={"files": files},
                               content_type="multipart/form-data")
        html = _page(response)
        assert response.status_code == 200
        assert "The file is empty (0 bytes)." in html
        assert "This is not a PDF, TIFF, PNG or JPEG file." in html
        job = db.session.scalar(select(IngestJob).where(IngestJob.original_name == "brief.pdf"))
        assert job is not None and job.source == JobSource.UPLOAD
        assert job.created_by_id == sales.id
        # The memory queue runs the job at once: a letter without a cover sheet waits in triage.
        assert job.state == JobState.TRIAGE
        assert "waits in triage" in html
        assert db.session.scalar(select(func.count()).select_from(IngestJob)) == 1

    def test_the_same_file_twice_is_a_duplicate(self, client: FlaskClient, sales: User,
                                                tmp_path: Path):
        data = _letter_pdf(tmp_path)
        client.post("/ingest/upload", data={"files": [(io.BytesIO(data), "a.pdf")]})
        html = _page(client.post("/ingest/upload", data={"files": [(io.BytesIO(data), "b.pdf")]}))
        first = db.session.scalar(select(IngestJob).where(IngestJob.original_name == "a.pdf"))
        assert first is not None
        assert f"Already received as job {first.id}" in html

    def test_no_file_is_refused(self, client: FlaskClient, sales: User):
        response = client.post("/ingest/upload", data={})
        assert response.status_code == 422
        assert "Choose at least one file." in _page(response)
        empty_choice = {"files": [(io.BytesIO(b""), "")]}  # a form sent with nothing chosen
        assert client.post("/ingest/upload", data=empty_choice).status_code == 422

    def test_only_refused_files_answer_422(self, client: FlaskClient, sales: User):
        response = client.post("/ingest/upload",
                               data={"files": [(io.BytesIO(b"GIF89a..."), "plaatje.gif")]})
        assert response.status_code == 422
        assert "This is not a PDF, TIFF, PNG or JPEG file." in _page(response)
        assert db.session.scalar(select(func.count()).select_from(IngestJob)) == 0

    def test_a_file_over_the_ingest_limit_is_refused(self, app: Flask, client: FlaskClient,
                                                     sales: User,
                                                     monkeypatch: pytest.MonkeyPatch):
        monkeypatch.setitem(app.config, "INGEST_MAX_BYTES", 200 * 1024)
        big = b"%PDF-1.4\n" + b"0" * (450 * 1024)
        html = _page(client.post("/ingest/upload", data={"files": [(io.BytesIO(big), "g.pdf")]}))
        assert "The file is 0.4 MB; the limit is 0.2 MB." in html

    def test_an_upload_over_the_request_limit_gets_a_friendly_413(
            self, app: Flask, client: FlaskClient, sales: User,
            monkeypatch: pytest.MonkeyPatch):
        # Small: above 500 kB the test client spools a body to a file it leaves open.
        monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 256 * 1024)
        data = b"%PDF-1.4\n" + b"0" * (400 * 1024)
        response = client.post("/ingest/upload", data={"files": [(io.BytesIO(data), "g.pdf")]})
        assert response.status_code == 413
        html = _page(response)
        assert "larger than 0.25 MB" in html and 'type="file"' in html
        json_response = client.post("/ingest/upload",
                                    data={"files": [(io.BytesIO(data), "g.pdf")]},
                                    headers={"Accept": "application/json"})
        assert json_response.status_code == 413
        assert "larger than 0.25 MB" in json_response.get_json()["error"]

    def test_other_scan_forms_over_the_limit_get_the_plain_413(
            self, app: Flask, client: FlaskClient, sales: User,
            monkeypatch: pytest.MonkeyPatch):
        monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
        response = client.post("/ingest/triage/assign", data={"customer": "x" * 4096})
        assert response.status_code == 413
        assert "File too large" in _page(response) and 'type="file"' not in _page(response)

    def test_script_uploads_get_json_per_file(self, client: FlaskClient, sales: User):
        response = client.post("/ingest/upload", headers={"Accept": "application/json"},
                               data={"files": [(io.BytesIO(b""), "leeg.pdf")]})
        assert response.status_code == 422
        assert response.get_json() == {"results": [{
            "name": "leeg.pdf", "status": "refused", "message": "The file is empty (0 bytes).",
            "job": None}]}

    @pytest.mark.parametrize("role", ["clerk", "compliance"])
    def test_who_cannot_file_documents_cannot_upload(self, client: FlaskClient, inbox: Inbox,
                                                     role: str):
        _signed_in(client, role)
        assert client.get("/ingest/upload").status_code == 403
        data = {"files": [(io.BytesIO(b"%PDF-1.4"), "x.pdf")]}
        assert client.post("/ingest/upload", data=data).status_code == 403
        assert inbox.work_files() == []

    def test_the_form_needs_its_csrf_token(self, app: Flask, client: FlaskClient, sales: User,
                                           tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
        monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
        data = _letter_pdf(tmp_path)
        refused = client.post("/ingest/upload", data={"files": [(io.BytesIO(data), "a.pdf")]})
        assert refused.status_code == 400
        token = re.search(r'name="csrf_token" value="([^"]+)"',
                          _page(client.get("/ingest/upload")))
        assert token is not None
        accepted = client.post("/ingest/upload", data={
            "csrf_token": token.group(1), "files": [(io.BytesIO(data), "a.pdf")]})
        assert accepted.status_code == 200


class TestJobs:
    def test_progress_and_results_in_words(self, client: FlaskClient, sales: User):
        customer = CustomerFactory()
        seen = DocumentFactory(scopes=["sales"], customers=[customer])
        unseen = DocumentFactory(scopes=["care"], customers=[customer])
        _job(JobState.QUEUED.value, "wacht.pdf")
        _job(JobState.PROCESSING.value, "bezig.pdf", stage=Stage.TEXT.value, page=3,
             page_total=12)
        _job(JobState.DONE.value, "klaar.pdf", document_ids=[seen.id, unseen.id])
        _job(JobState.FAILED.value, "stuk.pdf", reason="encrypted", message="x")
        html = _page(client.get("/ingest/jobs"))
        assert "Waiting for a worker" in html
        assert "OCR page 3 of 12" in html and '<progress max="12" value="3"' in html
        assert f'href="/documents/{seen.id}"' in html
        assert f'href="/documents/{unseen.id}"' not in html and str(unseen.id) in html
        assert "The PDF is protected with a password." in html
        assert "<noscript><meta http-equiv=\"refresh\"" in html

    def test_a_scan_of_reply_coupons_says_how_many_were_recorded(self, client: FlaskClient,
                                                                 sales: User):
        _job(JobState.DONE.value, "antwoorden.pdf", details={"replies": 2})
        assert "2 reply coupons recorded" in _page(client.get("/ingest/jobs"))

    def test_no_refresh_when_nothing_runs(self, client: FlaskClient, sales: User):
        _job(JobState.DONE.value)
        assert "http-equiv" not in _page(client.get("/ingest/jobs"))

    def test_filter_sort_and_pages(self, app: Flask, client: FlaskClient, sales: User,
                                   monkeypatch: pytest.MonkeyPatch):
        monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
        for name in ("c.pdf", "a.pdf", "b.pdf"):
            _job(JobState.FAILED.value, name, reason="corrupt")
        _job(JobState.DONE.value, "klaar.pdf")
        failed = _page(client.get("/ingest/jobs?state=failed&sort=name"))
        assert failed.index("a.pdf") < failed.index("b.pdf")
        assert "c.pdf" not in failed and "klaar.pdf" not in failed
        assert "Page 1 of 2" in failed
        second = _page(client.get("/ingest/jobs?state=failed&sort=name&page=2"))
        assert "c.pdf" in second and "a.pdf" not in second
        everything = _page(client.get("/ingest/jobs?state=nonsense&sort=-name"))
        assert "klaar.pdf" in everything  # unknown filters fall back to all

    def test_progress_endpoint(self, client: FlaskClient, sales: User):
        running = _job(JobState.PROCESSING.value, stage=Stage.TEXT.value, page=2, page_total=5)
        done = _job(JobState.DONE.value)
        answer = client.get(f"/ingest/jobs/progress?id={running.id}&id={done.id}&id=x")
        assert answer.status_code == 200
        jobs = {entry["id"]: entry for entry in answer.get_json()["jobs"]}
        assert jobs[running.id]["progress"] == "OCR page 2 of 5" and jobs[running.id]["active"]
        finished = jobs[done.id]
        assert (finished["active"], finished["state"], finished["progress"]) == (
            False, "done", "Done")

    def test_download_a_failed_original(self, client: FlaskClient, sales: User, inbox: Inbox):
        job = failed_job(inbox, b"\x00\x01 scanner junk")
        html = _page(client.get("/ingest/jobs"))
        assert f'href="/ingest/jobs/{job.id}/original"' in html
        response = client.get(f"/ingest/jobs/{job.id}/original")
        assert response.status_code == 200
        assert response.data == b"\x00\x01 scanner junk"
        assert response.mimetype == "application/octet-stream"
        assert "attachment" in response.headers["Content-Disposition"]
        assert response.headers["Cache-Control"] == "private, no-store"
        response.close()
        [event] = _audit("download", "IngestJob")
        assert event.actor_id == sales.id and event.object_id == str(job.id)

    def test_only_failed_files_are_downloaded(self, client: FlaskClient, sales: User):
        job = _job(JobState.DONE.value)
        assert client.get(f"/ingest/jobs/{job.id}/original").status_code == 404

    def test_retry_queues_the_file_again(self, client: FlaskClient, sales: User, inbox: Inbox,
                                         tmp_path: Path):
        job = failed_job(inbox, _letter_pdf(tmp_path), "brief.pdf", reason="ocr_unavailable")
        html = _page(client.get("/ingest/jobs"))
        assert f'action="/ingest/jobs/{job.id}/retry"' in html and "data-confirm=" in html
        response = client.post(f"/ingest/jobs/{job.id}/retry")
        assert response.status_code == 302
        db.session.refresh(job)
        assert job.state == JobState.TRIAGE  # read again (at once, with the memory queue)
        assert "is queued again" in _page(client.get("/ingest/jobs"))

    def test_retry_of_a_job_that_did_not_fail_is_refused(self, client: FlaskClient,
                                                         sales: User):
        job = _job(JobState.DONE.value)
        response = client.post(f"/ingest/jobs/{job.id}/retry", follow_redirects=True)
        assert "Only a failed file can be tried again." in _page(response)

    def test_compliance_reads_jobs_but_does_not_retry(self, client: FlaskClient,
                                                      inbox: Inbox):
        _signed_in(client, "compliance")
        job = failed_job(inbox)
        html = _page(client.get("/ingest/jobs"))
        assert "kapot.pdf" in html and "/retry" not in html
        assert client.post(f"/ingest/jobs/{job.id}/retry").status_code == 403
        download = client.get(f"/ingest/jobs/{job.id}/original")
        assert download.status_code == 200
        download.close()


class TestTriage:
    def test_the_list_shows_parts_waiting(self, app: Flask, client: FlaskClient, sales: User):
        job = triage_job(app, ["eerste brief", "tweede brief"], "stapel.pdf")
        other = triage_job(app, ["los"], "los.pdf")
        job.triage_items[1].document_id = DocumentFactory().id
        html = _page(client.get("/ingest/triage"))
        assert "stapel.pdf" in html and "los.pdf" in html
        assert f'value="{job.triage_items[0].id}"' in html
        assert f'value="{job.triage_items[1].id}"' not in html  # filed
        assert "eerste brief" not in html  # no text in the list
        only_job = _page(client.get(f"/ingest/triage?job={other.id}"))
        assert "los.pdf" in only_job and "stapel.pdf" not in only_job

    def test_the_part_with_escaped_text_suggestions_and_an_audit(self, app: Flask,
                                                                 client: FlaskClient,
                                                                 sales: User):
        customer = CustomerFactory(number="100777", postcode="9711 LM", house_number=8)
        job = triage_job(app, [HOSTILE + "\nGroningen 9711 LM 8"])
        item = job.triage_items[0]
        html = _page(client.get(f"/ingest/triage/{item.id}"))
        assert "<script>alert" not in html and "onerror=alert(1)>" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
        assert f"{customer.number} {customer.display_name}" in html
        assert "customer number 100777 found on page 1" in html
        assert "postcode 9711 LM 8 found on page 1" in html
        assert f'src="/ingest/triage/{item.id}/pages/1.png"' in html
        [event] = _audit("view", "TriageItem")
        assert event.actor_id == sales.id and event.details["shown"] == "text"
        assert event.details["job"] == job.id

    def test_a_suggestion_fills_the_customer_without_script(self, app: Flask,
                                                            client: FlaskClient, sales: User):
        item = triage_job(app, ["Klantnummer 100888"]).triage_items[0]
        CustomerFactory(number="100888")
        html = _page(client.get(f"/ingest/triage/{item.id}?customer=100888"))
        assert re.search(r'<input[^>]*id="customer"[^>]*value="100888"', html)

    def test_page_images_are_rendered_checked_and_audited(self, app: Flask,
                                                          client: FlaskClient, sales: User):
        item = triage_job(app, ["Geachte mevrouw"], pages_per_part=2).triage_items[0]
        response = client.get(f"/ingest/triage/{item.id}/pages/2.png")
        assert response.status_code == 200 and response.mimetype == "image/png"
        assert response.headers["Cache-Control"] == "private, no-store"
        image = Image.open(io.BytesIO(response.data))
        assert image.width > 300
        assert client.get(f"/ingest/triage/{item.id}/pages/3.png").status_code == 404
        assert client.get(f"/ingest/triage/{item.id}/pages/0.png").status_code == 404
        [event] = _audit("view", "TriageItem")
        assert event.details["shown"] == "page" and event.details["page"] == 2

    def test_the_file_itself_is_downloaded_and_audited(self, app: Flask, client: FlaskClient,
                                                       sales: User):
        item = triage_job(app, ["brief"]).triage_items[0]
        response = client.get(f"/ingest/triage/{item.id}/file")
        assert response.status_code == 200 and response.data.startswith(b"%PDF")
        assert "attachment" in response.headers["Content-Disposition"]
        response.close()
        [event] = _audit("download", "TriageItem")
        assert event.details["shown"] == "file"

    def test_assign_files_the_part_and_shows_the_class(self, app: Flask, client: FlaskClient,
                                                       sales: User):
        job = triage_job(app, ["eerste", "tweede"], "stapel.pdf")
        first, second = job.triage_items
        customer = CustomerFactory()
        response = client.post(f"/ingest/triage/{first.id}/assign", data={
            "customer": customer.number, "document_type": "quote", "scopes": ["sales"]})
        assert response.status_code == 302
        assert response.headers["Location"].endswith(f"/ingest/triage/{second.id}")
        db.session.refresh(first)
        document = db.session.get(Document, first.document_id)
        assert document is not None and document.customers == [customer]
        assert document.scopes == ["sales"] and document.document_type.code == "quote"
        html = _page(client.get(response.headers["Location"]))
        assert f"Filed as document {document.id}" in html and "for sales because" in html

    def test_assign_with_an_unknown_customer_or_wrong_scope(self, app: Flask,
                                                            client: FlaskClient):
        _signed_in(client, "admin")
        item = triage_job(app, ["brief"]).triage_items[0]
        unknown = client.post(f"/ingest/triage/{item.id}/assign", data={
            "customer": "nobody", "document_type": "quote", "scopes": ["sales"]})
        assert unknown.status_code == 422
        assert "There is no customer with this number." in _page(unknown)
        customer = CustomerFactory()
        wrong = client.post(f"/ingest/triage/{item.id}/assign", data={
            "customer": customer.number, "document_type": "service_call", "scopes": ["sales"]})
        assert wrong.status_code == 422
        assert "Choose among the scopes offered." in _page(wrong)
        no_scope = client.post(f"/ingest/triage/{item.id}/assign", data={
            "customer": customer.number, "document_type": "quote"})
        assert "Choose at least one scope." in _page(no_scope)
        db.session.refresh(item)
        assert item.document_id is None and item.assigned_at is None

    def test_a_user_cannot_file_into_a_scope_not_theirs(self, app: Flask, client: FlaskClient,
                                                        sales: User):
        item = triage_job(app, ["brief"]).triage_items[0]
        customer = CustomerFactory()
        response = client.post(f"/ingest/triage/{item.id}/assign", data={
            "customer": customer.number, "document_type": "quote", "scopes": ["care"]})
        assert response.status_code == 422
        db.session.refresh(item)
        assert item.document_id is None

    def test_a_filed_part_is_no_longer_shown(self, app: Flask, client: FlaskClient,
                                             sales: User):
        item = triage_job(app, ["brief"]).triage_items[0]
        document = DocumentFactory(scopes=["sales"])
        item.document_id = document.id
        db.session.flush()
        response = client.get(f"/ingest/triage/{item.id}")
        assert response.headers["Location"].endswith(f"/documents/{document.id}")
        assert client.get(f"/ingest/triage/{item.id}/pages/1.png").status_code == 404
        assert client.get(f"/ingest/triage/{item.id}/file").status_code == 404
        again = client.post(f"/ingest/triage/{item.id}/assign", data={
            "customer": "x", "document_type": "quote", "scopes": ["sales"]})
        assert again.status_code == 302

    def test_bulk_assign_files_every_selected_part(self, app: Flask, client: FlaskClient,
                                                   sales: User):
        job = triage_job(app, ["een", "twee", "drie"], "stapel.pdf")
        customer = CustomerFactory()
        chosen = [item.id for item in job.triage_items[:2]]
        response = client.post("/ingest/triage/assign", data={
            "items": chosen, "customer": customer.number, "document_type": "correspondence",
            "scopes": ["sales"]})
        assert response.status_code == 302
        db.session.expire_all()
        filed = [item.id for item in job.triage_items if item.document_id is not None]
        assert filed == chosen
        assert job.state == JobState.TRIAGE and len(job.document_ids) == 2
        assert "2 parts filed" in _page(client.get("/ingest/triage"))

    def test_bulk_assign_is_all_or_nothing(self, app: Flask, client: FlaskClient,
                                           sales: User):
        job = triage_job(app, ["een", "twee"], "stapel.pdf")
        first, second = job.triage_items
        customer = CustomerFactory()
        client.post(f"/ingest/triage/{second.id}/assign", data={
            "customer": customer.number, "document_type": "quote", "scopes": ["sales"]})
        documents_before = db.session.scalar(select(func.count()).select_from(Document))
        response = client.post("/ingest/triage/assign", data={
            "items": [first.id, second.id], "customer": customer.number,
            "document_type": "quote", "scopes": ["sales"]})
        assert response.status_code == 422
        assert "This part has already been filed." in _page(response)
        db.session.expire_all()
        assert first.document_id is None
        assert db.session.scalar(select(func.count()).select_from(Document)) == documents_before

    def test_bulk_assign_needs_a_selection(self, app: Flask, client: FlaskClient, sales: User):
        triage_job(app, ["een"])
        customer = CustomerFactory()
        response = client.post("/ingest/triage/assign", data={
            "customer": customer.number, "document_type": "quote", "scopes": ["sales"]})
        assert response.status_code == 422
        assert "Select at least one part in the list." in _page(response)
        missing = client.post("/ingest/triage/assign", data={
            "items": [987654], "customer": customer.number, "document_type": "quote",
            "scopes": ["sales"]})
        assert "no longer exist" in _page(missing)

    def test_compliance_reads_without_a_form_and_cannot_assign(self, app: Flask,
                                                               client: FlaskClient):
        _signed_in(client, "compliance")
        item = triage_job(app, ["brief"]).triage_items[0]
        html = _page(client.get(f"/ingest/triage/{item.id}"))
        assert "brief" in html and "/assign" not in html
        customer = CustomerFactory()
        response = client.post(f"/ingest/triage/{item.id}/assign", data={
            "customer": customer.number, "document_type": "quote", "scopes": ["sales"]})
        assert response.status_code == 403

    def test_clerks_never_see_scans(self, app: Flask, client: FlaskClient):
        _signed_in(client, "clerk")
        item = triage_job(app, ["brief"]).triage_items[0]
        for url in ("/ingest/jobs", "/ingest/triage", f"/ingest/triage/{item.id}",
                    f"/ingest/triage/{item.id}/pages/1.png", "/ingest/jobs/progress"):
            assert client.get(url).status_code == 403, url
        assert _audit("view", "TriageItem") == []


def test_navigation_shows_scans_to_who_may_use_them(client: FlaskClient, inbox: Inbox):
    _signed_in(client, "care")
    html = _page(client.get("/"))
    assert 'href="/ingest/jobs"' in html and 'href="/ingest/upload"' in html
    client.post("/logout")
    _signed_in(client, "clerk")
    html = _page(client.get("/"))
    assert "/ingest/" not in html


def test_the_triage_page_speaks_dutch(app: Flask, client: FlaskClient):
    login(client, UserFactory(roles=("care",), locale="nl"))
    CustomerFactory(number="100321")
    item = triage_job(app, ["Klantnummer 100321"]).triage_items[0]
    html = _page(client.get(f"/ingest/triage/{item.id}"))
    assert "Voorgestelde klanten" in html
    assert "klantnummer 100321 gevonden op pagina 1" in html
    assert "gemiddeld 88% zeker" in html


def test_the_filed_message_starts_its_class_sentence_with_a_capital(app: Flask,
                                                                    client: FlaskClient):
    login(client, UserFactory(roles=("sales",)))
    item = triage_job(app, ["Geachte heer,"]).triage_items[0]
    customer = CustomerFactory()
    response = client.post(f"/ingest/triage/{item.id}/assign", data={
        "customer": customer.number, "document_type": "quote", "scopes": ["sales"]},
        follow_redirects=True)
    assert re.search(r"Filed as document \d+ for [^.]+\. (Dynamic|Static) for sales because",
                     _page(response))


def test_the_jobs_page_in_dutch_calls_an_upload_an_upload(app: Flask, client: FlaskClient,
                                                          inbox: Inbox):
    login(client, UserFactory(roles=("sales",), locale="nl"))
    db.session.add(IngestJob(sha256=secrets.token_hex(32), original_name="brief.pdf",
                             state=JobState.DONE.value, source=JobSource.UPLOAD.value,
                             barcodes=[], document_ids=[]))
    html = _page(client.get("/ingest/jobs"))
    assert re.search(r"<td>\s*Upload\s*</td>", html)  # where it came from: a noun
    assert ">Uploaden</a>" in html  # the tab: a verb


def test_triage_chooses_no_document_type_for_the_user(app: Flask, client: FlaskClient):
    login(client, UserFactory(roles=("sales",)))
    item = triage_job(app, ["Geachte heer,"]).triage_items[0]
    html = _page(client.get(f"/ingest/triage/{item.id}"))
    assert re.search(r'<select[^>]*name="document_type"[^>]*>\s*<option (selected )?value="">—',
                     html)
    response = client.post(f"/ingest/triage/{item.id}/assign", data={
        "customer": CustomerFactory().number, "document_type": "", "scopes": ["sales"]})
    assert response.status_code == 422 and "Choose a document type." in _page(response)
    assert item.document_id is None


def test_the_no_cover_sheet_note_is_in_the_readers_language(app: Flask, client: FlaskClient):
    item = triage_job(app, ["Geachte heer,"]).triage_items[0]
    login(client, UserFactory(roles=("care",), locale="nl"))
    for url in ("/ingest/triage", f"/ingest/triage/{item.id}"):
        assert "Er zat geen voorblad bij deze pagina" in _page(client.get(url))
    client.post("/language", data={"locale": "en"})
    for url in ("/ingest/triage", f"/ingest/triage/{item.id}"):
        assert "No cover sheet routed these pages." in _page(client.get(url))

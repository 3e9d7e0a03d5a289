"""Every registered route, requested by every role, answers as the table below says.

A route without a row here fails `test_every_route_has_an_expectation`: whoever adds
a route decides who may use it, in this table. POSTs send a form with none of the
view's fields (CSRF is off in the test app): a permitted role gets its form back
with errors (422), the page it asked for, or a redirect after saving (WTForms keeps
the object's value of a text field the form data leaves out, so edit forms
validate); a refused role gets 403; an anonymous visitor is sent to the login page
(LOGIN). A second class checks that every POST without its CSRF token gets the
friendly 400 page.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from dossier.ingest.inbox import Inbox
from tests.archive.desk_objects import WithDeskObjects
from tests.archive.route_objects import archive_objects
from tests.customers.contact_objects import contact_objects
from tests.customers.route_objects import merge_objects
from tests.customers.segment_objects import segment_objects
from tests.ingest.ui_objects import scan_objects
from tests.support.routes import (
    LOGIN,
    ROLES,
    Case,
    World,
    build_world,
    outcome,
    registered_requests,
    sign_in,
)

L = LOGIN
ADMIN_ONLY = (L, 403, 403, 403, 403, 403, 200)
ADMIN_FORM_SENT = (L, 403, 403, 403, 403, 403, 422)
ADMIN_REDIRECTED = (L, 403, 403, 403, 403, 403, 302)
SIGNED_IN = (L, 200, 200, 200, 200, 200, 200)
NOT_FOUND = (L, 404, 404, 404, 404, 404, 404)
CUSTOMER = {"customer_id": "customer"}
SALES_DOC = {"document_id": "sales_document"}
CARE_DOC = {"document_id": "care_document"}
SALES_MAILING = {"mailing_id": "mailing"}
SALES_SEGMENT = {"segment_id": "sales_segment"}
SALES_CONTACT = {"customer_id": "customer", "interaction_id": "sales_interaction"}
SALES_COMPLAINT = {"customer_id": "customer", "complaint_id": "sales_complaint"}
SCANS_READ = (L, 200, 200, 200, 403, 200, 200)
SCANS_FILE = (L, 422, 422, 422, 403, 403, 422)
SCANS_MISSING = (L, 404, 404, 404, 403, 404, 404)
FAILED_JOB = {"job_id": "failed_job"}
TRIAGE_ITEM = {"item_id": "triage_item"}
# Not empty: Flask-WTF reads an empty body as "no form data" and keeps the object's values.
INVALID_FORM = {"route_walk": "a field no form has"}
NEW_LETTER = {"type": "correspondence", "customer": "@customer"}
ARCHIVE_STAFF = (L, 403, 403, 403, 200, 403, 200)
REQUESTED_DOC = {"document_id": "requested_document"}
RETRIEVAL_REQUEST = {"request_id": "retrieval_request"}
ARCHIVE_STAFF_DONE = (L, 403, 403, 403, 302, 403, 302)
PROPOSAL = {"record_id": "destruction_proposal"}
ARCHIVE_FORM_SENT = (L, 403, 403, 403, 422, 403, 422)
ARCHIVE_MISSING = (L, 403, 403, 403, 404, 403, 404)
ARCHIVE_SHELF = {"location_id": "archive_shelf"}
ARCHIVE_BOX = {"location_id": "archive_box"}
ARCHIVE_ITEM = {"item_id": "archive_item"}
API_READ = (401, 200, 200, 200, 200, 200, 200)
# One URL, several endpoints (one per method): asking another method reaches another view.
SHARED_URL_ENDPOINTS = {"api.customers", "api.create_customer", "api.customer",
                        "api.update_customer", "api.customer_interactions",
                        "api.create_interaction"}

# Roles, in order:  anonymous, sales, care, loyalty, clerk, compliance, admin.
CASES = (
    Case("GET", "web.dashboard", SIGNED_IN),
    Case("POST", "web.set_language", (400, 400, 400, 400, 400, 400, 400)),
    Case("GET", "auth.login", (200, 302, 302, 302, 302, 302, 302)),
    Case("POST", "auth.login", (422, 302, 302, 302, 302, 302, 302)),
    Case("POST", "auth.logout", (L, 302, 302, 302, 302, 302, 302)),
    Case("GET", "auth.account", SIGNED_IN),
    Case("POST", "auth.account", SIGNED_IN),
    # Customers: every role finds customers; clerks only look them up.
    Case("GET", "customers.index", SIGNED_IN),
    Case("GET", "customers.new", (L, 200, 200, 200, 403, 403, 200)),
    Case("POST", "customers.new", (L, 422, 422, 422, 403, 403, 422)),
    Case("GET", "customers.show", SIGNED_IN, CUSTOMER),
    Case("GET", "customers.show", NOT_FOUND, {"customer_id": "missing"}, variant="missing"),
    Case("GET", "customers.edit", (L, 200, 200, 200, 403, 200, 200), CUSTOMER),
    Case("POST", "customers.edit", (L, 302, 302, 302, 403, 302, 302), CUSTOMER),
    # Contact history: read in one's scopes (compliance and admin: all), written in one's
    # scope roles (admin: all), deleted by admins; clerks have none of it.
    Case("GET", "interactions.new", (L, 200, 200, 200, 403, 403, 200), CUSTOMER),
    Case("POST", "interactions.new", (L, 422, 422, 422, 403, 403, 422), CUSTOMER),
    Case("GET", "interactions.show", (L, 200, 403, 403, 403, 200, 200), SALES_CONTACT),
    Case("GET", "interactions.show", (L, 403, 200, 403, 403, 200, 200),
         CUSTOMER | {"interaction_id": "care_interaction"}, variant="care"),
    Case("GET", "interactions.show", (L, 404, 404, 404, 403, 404, 404),
         CUSTOMER | {"interaction_id": "missing"}, variant="missing"),
    Case("GET", "interactions.edit", (L, 200, 403, 403, 403, 403, 200), SALES_CONTACT),
    Case("POST", "interactions.edit", (L, 302, 403, 403, 403, 403, 302), SALES_CONTACT),
    Case("GET", "interactions.delete", ADMIN_ONLY, SALES_CONTACT),
    Case("POST", "interactions.delete", ADMIN_REDIRECTED, SALES_CONTACT),
    Case("GET", "complaints.new", (L, 200, 200, 200, 403, 403, 200), CUSTOMER),
    Case("POST", "complaints.new", (L, 422, 422, 422, 403, 403, 422), CUSTOMER),
    Case("GET", "complaints.show", (L, 200, 403, 403, 403, 200, 200), SALES_COMPLAINT),
    Case("GET", "complaints.show", (L, 404, 404, 404, 403, 404, 404),
         CUSTOMER | {"complaint_id": "missing"}, variant="missing"),
    Case("POST", "complaints.change_status", (L, 422, 403, 403, 403, 403, 422),
         SALES_COMPLAINT),
    # Documents: seen in a shared scope (compliance and admin see all), changed by
    # the scope's own role or an admin; clerks see none.
    Case("GET", "documents.new", (L, 200, 200, 200, 403, 403, 200)),
    Case("GET", "documents.new", (L, 200, 200, 200, 403, 403, 200), query=NEW_LETTER,
         variant="letter"),
    Case("POST", "documents.new", (L, 422, 422, 422, 403, 403, 422), query=NEW_LETTER,
         variant="letter"),
    Case("GET", "documents.show", (L, 200, 403, 403, 403, 200, 200), SALES_DOC,
         variant="sales"),
    Case("GET", "documents.show", (L, 403, 200, 403, 403, 200, 200), CARE_DOC,
         variant="care"),
    Case("GET", "documents.show", NOT_FOUND, {"document_id": "missing"}, variant="missing"),
    Case("GET", "documents.edit", (L, 200, 403, 403, 403, 403, 200), SALES_DOC,
         variant="sales"),
    Case("GET", "documents.edit", (L, 403, 200, 403, 403, 403, 200), CARE_DOC,
         variant="care"),
    Case("POST", "documents.edit", (L, 422, 403, 403, 403, 403, 422), SALES_DOC,
         variant="sales"),
    Case("POST", "documents.edit", (L, 403, 422, 403, 403, 403, 422), CARE_DOC,
         variant="care"),
    Case("GET", "documents.download", (L, 200, 403, 403, 403, 200, 200),
         SALES_DOC | {"file_id": "sales_file"}, variant="sales"),
    Case("GET", "documents.download", (L, 403, 200, 403, 403, 200, 200),
         CARE_DOC | {"file_id": "care_file"}, variant="care"),
    Case("GET", "documents.download", NOT_FOUND, SALES_DOC | {"file_id": "care_file"},
         variant="file-of-another-document"),
    Case("GET", "documents.policy", (L, 200, 200, 200, 403, 200, 200)),
    # Scan sheets: a cover sheet for whoever may file in its scope; the separator for all.
    Case("GET", "sheets.cover", (L, 200, 200, 200, 403, 403, 200), CUSTOMER),
    Case("GET", "sheets.cover", (L, 200, 422, 422, 403, 403, 200), CUSTOMER,
         query={"type": "correspondence", "scope": "sales"}, variant="pdf"),
    Case("GET", "sheets.cover", NOT_FOUND, {"customer_id": "missing"}, variant="missing"),
    Case("GET", "sheets.separator", SIGNED_IN),
    # Mailings: for whoever writes documents in some scope; one mailing only in its scope.
    Case("GET", "mailings.index", (L, 200, 200, 200, 403, 403, 200)),
    Case("GET", "mailings.new", (L, 200, 200, 200, 403, 403, 200)),
    Case("POST", "mailings.new", (L, 422, 422, 422, 403, 403, 422)),
    Case("GET", "mailings.show", (L, 200, 403, 403, 403, 403, 200), SALES_MAILING),
    Case("GET", "mailings.show", (L, 404, 404, 404, 403, 403, 404), {"mailing_id": "missing"},
         variant="missing"),
    Case("GET", "mailings.letters", (L, 200, 403, 403, 403, 403, 200), SALES_MAILING),
    Case("POST", "mailings.answer", (L, 302, 403, 403, 403, 403, 302),
         SALES_MAILING | {"recipient_id": "mailing_recipient"}),
    # Scans: filed by the scope roles and admins; compliance reads them (DECISIONS.md).
    Case("GET", "ingest.upload", (L, 200, 200, 200, 403, 403, 200)),
    Case("POST", "ingest.upload", SCANS_FILE),
    Case("GET", "ingest.jobs", SCANS_READ),
    Case("GET", "ingest.progress", SCANS_READ, query={"id": "@failed_job"}),
    Case("GET", "ingest.original", SCANS_READ, FAILED_JOB),
    Case("GET", "ingest.original", SCANS_MISSING, {"job_id": "missing"}, variant="missing"),
    Case("POST", "ingest.retry_job", (L, 302, 302, 302, 403, 403, 302), FAILED_JOB),
    Case("GET", "ingest.triage_list", SCANS_READ),
    Case("POST", "ingest.bulk_assign", SCANS_FILE),
    Case("GET", "ingest.triage_item", SCANS_READ, TRIAGE_ITEM),
    Case("GET", "ingest.triage_item", SCANS_MISSING, {"item_id": "missing"}, variant="missing"),
    Case("POST", "ingest.assign_item", SCANS_FILE, TRIAGE_ITEM),
    Case("GET", "ingest.triage_page", SCANS_READ, TRIAGE_ITEM | {"page": "first_page"}),
    Case("GET", "ingest.triage_file", SCANS_READ, TRIAGE_ITEM),
    # Search: every role searches customers, documents only in its scopes (clerks none);
    # the JSON API answers 401 instead of the login redirect.
    Case("GET", "search.index", SIGNED_IN),
    Case("GET", "search.index", SIGNED_IN, query={"q": "walk", "type": "quote"},
         variant="query"),
    Case("GET", "search_api.search_json", (401, 200, 200, 200, 200, 200, 200),
         query={"q": "walk"}),
    Case("GET", "search_api.search_json", (401, 400, 400, 400, 400, 400, 400),
         query={"q": '"unclosed'}, variant="malformed"),
    # The JSON API (session or token; the walk signs in): 401 instead of the login
    # redirect; the walk's form body is not the JSON or multipart a change needs (415),
    # unless the role may not make that change at all (403).
    Case("GET", "api.openapi_json", API_READ),
    Case("GET", "api.docs", SIGNED_IN),
    Case("GET", "api.customers", API_READ),
    Case("POST", "api.create_customer", (401, 415, 415, 415, 403, 403, 415)),
    Case("GET", "api.customer", API_READ, CUSTOMER),
    Case("GET", "api.customer", (401, 404, 404, 404, 404, 404, 404), {"customer_id": "missing"},
         variant="missing"),
    Case("PATCH", "api.update_customer", (401, 415, 415, 415, 403, 415, 415), CUSTOMER),
    Case("GET", "api.customer_documents", (401, 200, 200, 200, 403, 200, 200), CUSTOMER),
    Case("GET", "api.document", (401, 200, 403, 403, 403, 200, 200), SALES_DOC,
         variant="sales"),
    Case("GET", "api.document", (401, 403, 200, 403, 403, 200, 200), CARE_DOC,
         variant="care"),
    Case("GET", "api.document", (401, 404, 404, 404, 404, 404, 404), {"document_id": "missing"},
         variant="missing"),
    Case("GET", "api.document_file", (401, 200, 403, 403, 403, 200, 200),
         SALES_DOC | {"file_id": "sales_file"}),
    Case("POST", "api.create_document", (401, 415, 415, 415, 403, 403, 415)),
    Case("GET", "api.customer_interactions", (401, 200, 200, 200, 403, 200, 200), CUSTOMER),
    Case("POST", "api.create_interaction", (401, 415, 415, 415, 403, 403, 415), CUSTOMER),
    Case("POST", "api.archive_scan", (401, 403, 403, 403, 415, 403, 415)),
    # API tokens: everyone manages their own; administrators revoke anyone's.
    Case("GET", "api_tokens.index", SIGNED_IN),
    Case("POST", "api_tokens.index", (L, 422, 422, 422, 422, 422, 422)),
    Case("GET", "api_tokens.all_tokens", ADMIN_ONLY),
    Case("POST", "api_tokens.revoke", ADMIN_REDIRECTED, {"token_id": "api_token"}),
    # Retrieval requests: asked for by whoever sees the document; the desk is the archive's.
    Case("GET", "requests.new", (L, 200, 403, 403, 403, 200, 200), REQUESTED_DOC),
    Case("POST", "requests.new", (L, 422, 403, 403, 403, 422, 422), REQUESTED_DOC),
    Case("GET", "requests.new", NOT_FOUND, {"document_id": "missing"}, variant="missing"),
    Case("GET", "requests.mine", SIGNED_IN),
    Case("POST", "requests.cancel", (L, 403, 403, 403, 302, 403, 302), RETRIEVAL_REQUEST),
    Case("GET", "requests.index", ARCHIVE_STAFF),
    Case("GET", "requests.picklist_pdf", ARCHIVE_STAFF),
    Case("GET", "requests.overdue", ARCHIVE_STAFF),
    # Destruction: archive staff propose, another of them approves (the walk's proposal
    # was made by someone else); certificates only of what was destroyed.
    Case("GET", "destruction.index", ARCHIVE_STAFF),
    Case("POST", "destruction.propose", ARCHIVE_STAFF_DONE),
    Case("POST", "destruction.approve", ARCHIVE_STAFF_DONE, PROPOSAL),
    Case("POST", "destruction.reject", ARCHIVE_STAFF_DONE, PROPOSAL),
    Case("GET", "destruction.certificate", ARCHIVE_STAFF, {"record_id": "destruction_done"}),
    Case("GET", "destruction.certificate", (L, 403, 403, 403, 404, 403, 404), PROPOSAL,
         variant="not-destroyed"),
    # The archive: its screens are for archive staff (clerks, admins); an original's own
    # page also for whoever sees its document (here a sales document's).
    Case("GET", "archive.dashboard", ARCHIVE_STAFF),
    Case("GET", "archive.find", ARCHIVE_STAFF_DONE, query={"code": "not a code"}),
    Case("GET", "archive.locations_tree", ARCHIVE_STAFF),
    Case("GET", "archive.location", ARCHIVE_STAFF, ARCHIVE_SHELF),
    Case("GET", "archive.location", ARCHIVE_MISSING, {"location_id": "missing"},
         variant="missing"),
    Case("GET", "archive.location_new", ARCHIVE_STAFF),
    Case("POST", "archive.location_new", ARCHIVE_FORM_SENT),
    Case("GET", "archive.location_edit", ARCHIVE_STAFF, ARCHIVE_SHELF),
    Case("POST", "archive.location_edit", ARCHIVE_FORM_SENT, ARCHIVE_SHELF),
    Case("GET", "archive.location_move", ARCHIVE_STAFF, ARCHIVE_BOX),
    Case("POST", "archive.location_move", ARCHIVE_FORM_SENT, ARCHIVE_BOX),
    Case("GET", "archive.item", (L, 200, 403, 403, 200, 200, 200), ARCHIVE_ITEM),
    Case("GET", "archive.item", NOT_FOUND, {"item_id": "missing"}, variant="missing"),
    Case("GET", "archive.item_new", ARCHIVE_STAFF),
    Case("POST", "archive.item_new", ARCHIVE_STAFF_DONE),
    Case("GET", "archive.item_edit", ARCHIVE_STAFF, ARCHIVE_ITEM),
    Case("POST", "archive.item_edit", ARCHIVE_STAFF_DONE, ARCHIVE_ITEM),
    Case("GET", "archive.labels", ARCHIVE_STAFF),
    Case("GET", "archive.scan_station", ARCHIVE_STAFF),
    Case("POST", "archive.scan_station", (L, 403, 403, 403, 303, 403, 303)),
    Case("POST", "archive.scan_mode", (L, 403, 403, 403, 400, 403, 400)),
    Case("POST", "archive.scan_borrower", ARCHIVE_FORM_SENT),
    Case("GET", "archive.census_report", ARCHIVE_STAFF,
         query={"location": "@archive_shelf", "batch": "a" * 32}),
    Case("POST", "archive.census_record", ARCHIVE_MISSING),
    # A portable scanner's file: uploaded by archive staff.
    Case("GET", "archive_upload.upload", ARCHIVE_STAFF),
    Case("POST", "archive_upload.upload", (L, 403, 403, 403, 422, 403, 422)),
    # Digitisation advisor and orders: archive staff.
    Case("GET", "digitise.advisor_list", ARCHIVE_STAFF),
    Case("POST", "digitise.order", ARCHIVE_STAFF_DONE, {"item_id": "desk_item"}),
    Case("GET", "digitise.cover_sheet", ARCHIVE_STAFF, {"order_id": "digitisation_order"}),
    # Administration: admins only.
    Case("GET", "users.index", ADMIN_ONLY),
    Case("GET", "users.new", ADMIN_ONLY),
    Case("POST", "users.new", ADMIN_FORM_SENT),
    Case("GET", "users.edit", ADMIN_ONLY, {"user_id": "user"}),
    Case("GET", "users.edit", (L, 403, 403, 403, 403, 403, 404), {"user_id": "missing"},
         variant="missing"),
    Case("POST", "users.edit", ADMIN_REDIRECTED, {"user_id": "user"}),
    Case("POST", "users.toggle_active", ADMIN_REDIRECTED, {"user_id": "user"}),
    Case("GET", "fields.index", ADMIN_ONLY),
    Case("GET", "fields.new", ADMIN_ONLY),
    Case("POST", "fields.new", ADMIN_FORM_SENT),
    Case("GET", "fields.edit", ADMIN_ONLY, {"field_id": "field"}),
    Case("POST", "fields.edit", ADMIN_FORM_SENT, {"field_id": "field"}),
    Case("POST", "fields.toggle", ADMIN_REDIRECTED, {"field_id": "field"}),
    # Derived fields: admins define them; segments: a scope's readers see and export its
    # segments, its writers (scope role, admin) make and change them.
    Case("GET", "derived.index", ADMIN_ONLY),
    Case("GET", "derived.new", ADMIN_ONLY),
    Case("POST", "derived.new", ADMIN_FORM_SENT),
    Case("GET", "derived.edit", ADMIN_ONLY, {"field_id": "derived_field"}),
    Case("POST", "derived.edit", ADMIN_FORM_SENT, {"field_id": "derived_field"}),
    Case("POST", "derived.toggle", ADMIN_REDIRECTED, {"field_id": "derived_field"}),
    Case("GET", "customers.export", SIGNED_IN),
    Case("GET", "segments.index", SIGNED_IN),
    Case("GET", "segments.new", (L, 200, 200, 200, 403, 403, 200)),
    Case("POST", "segments.new", (L, 422, 422, 422, 403, 403, 422)),
    Case("POST", "segments.count", SIGNED_IN),
    Case("GET", "segments.show", (L, 200, 403, 403, 403, 200, 200), SALES_SEGMENT),
    Case("GET", "segments.show", NOT_FOUND, {"segment_id": "missing"}, variant="missing"),
    Case("GET", "segments.edit", (L, 200, 403, 403, 403, 403, 200), SALES_SEGMENT),
    Case("POST", "segments.edit", (L, 422, 403, 403, 403, 403, 422), SALES_SEGMENT),
    Case("GET", "segments.export", (L, 200, 403, 403, 403, 200, 200), SALES_SEGMENT),
    Case("POST", "segments.delete", (L, 302, 403, 403, 403, 403, 302), SALES_SEGMENT),
    # Duplicates, merge and import: admins only (docs/DECISIONS.md).
    Case("GET", "merge.index", ADMIN_ONLY),
    Case("POST", "merge.refresh", ADMIN_REDIRECTED),
    Case("POST", "merge.dismiss", ADMIN_REDIRECTED, {"candidate_id": "duplicate_candidate"}),
    Case("POST", "merge.dismiss", (L, 403, 403, 403, 403, 403, 404),
         {"candidate_id": "missing"}, variant="missing"),
    Case("GET", "merge.compare", ADMIN_ONLY, {"first_id": "customer", "second_id": "twin"}),
    Case("GET", "merge.compare", (L, 403, 403, 403, 403, 403, 404),
         {"first_id": "customer", "second_id": "missing"}, variant="missing"),
    Case("POST", "merge.compare", ADMIN_FORM_SENT, {"first_id": "customer", "second_id": "twin"}),
    Case("GET", "customer_import.upload", ADMIN_ONLY),
    Case("POST", "customer_import.upload", ADMIN_FORM_SENT),
    Case("GET", "customer_import.mapping", ADMIN_ONLY, {"import_id": "customer_import"}),
    Case("POST", "customer_import.mapping", ADMIN_FORM_SENT, {"import_id": "customer_import"}),
    Case("GET", "customer_import.preview", ADMIN_ONLY, {"import_id": "customer_import"}),
    Case("GET", "customer_import.preview", (L, 403, 403, 403, 403, 403, 404),
         {"import_id": "missing"}, variant="missing"),
    Case("POST", "customer_import.apply", ADMIN_FORM_SENT, {"import_id": "customer_import"}),
    Case("POST", "customer_import.discard", ADMIN_REDIRECTED, {"import_id": "customer_import"}),
    Case("GET", "doc_admin.types", ADMIN_ONLY),
    Case("GET", "doc_admin.type_new", ADMIN_ONLY),
    Case("POST", "doc_admin.type_new", ADMIN_FORM_SENT),
    Case("GET", "doc_admin.type_edit", ADMIN_ONLY, {"type_id": "document_type"}),
    Case("POST", "doc_admin.type_edit", ADMIN_FORM_SENT, {"type_id": "document_type"}),
    Case("GET", "doc_admin.rule_new", ADMIN_ONLY),
    Case("POST", "doc_admin.rule_new", ADMIN_FORM_SENT),
    Case("GET", "doc_admin.rule_edit", ADMIN_ONLY, {"rule_id": "rule"}),
    Case("POST", "doc_admin.rule_edit", ADMIN_REDIRECTED, {"rule_id": "rule"}),
    Case("POST", "doc_admin.rule_delete", ADMIN_REDIRECTED, {"rule_id": "rule"}),
)
POST_CASES = tuple({case.endpoint: case for case in reversed(CASES)
                    if case.method == "POST"}.values())


def _wrong_method_cases() -> list[Case]:
    """Each endpoint asked with the method it does not take: routing answers 405."""
    methods: dict[str, set[str]] = {}
    first: dict[str, Case] = {}
    for case in CASES:
        methods.setdefault(case.endpoint, set()).add(case.method)
        first.setdefault(case.endpoint, case)
    return [first[endpoint]._replace(method=({"GET", "POST"} - taken).pop())
            for endpoint, taken in methods.items()
            if len(taken) == 1 and endpoint not in SHARED_URL_ENDPOINTS]


@pytest.fixture
def world(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    monkeypatch.setitem(app.config, "FILE_STORE", str(tmp_path / "files"))
    monkeypatch.setitem(app.config, "INBOX", str(tmp_path / "inbox"))
    world = build_world(tmp_path / "files")
    world.ids |= scan_objects(app, Inbox(tmp_path / "inbox"))
    world.ids = WithDeskObjects(world.ids)
    world.ids |= archive_objects(world.ids["sales_document"])
    world.ids |= merge_objects(world.ids["customer"])
    world.ids |= contact_objects(world.ids["customer"])
    world.ids |= segment_objects()
    return world


def _send(client: FlaskClient, app: Flask, world: World, case: Case) -> TestResponse:
    data = INVALID_FORM if case.method == "POST" else None
    return client.open(world.url(app, case), method=case.method, data=data)


def test_every_route_has_an_expectation(app: Flask) -> None:
    served = registered_requests(app)
    walked = {(case.method, case.endpoint) for case in CASES}
    missing = sorted(f"{method} {endpoint}" for method, endpoint in served - walked)
    stale = sorted(f"{method} {endpoint}" for method, endpoint in walked - served)
    assert not missing, f"routes without an expectation in CASES: {', '.join(missing)}"
    assert not stale, f"CASES names routes the app does not serve: {', '.join(stale)}"


def test_every_case_has_one_outcome_per_role_and_a_unique_name() -> None:
    assert all(len(case.outcomes) == len(ROLES) for case in CASES)
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_route_answers_each_role_as_expected(client: FlaskClient, app: Flask, world: World,
                                             case: Case, role: str) -> None:
    sign_in(client, role)
    response = _send(client, app, world, case)
    got = outcome(response)
    assert got == case.expected(role), (
        f"{case.name} as {role}: expected {case.expected(role)}, got {got}\n"
        f"{response.get_data(as_text=True)[:800]}"
    )


@pytest.mark.parametrize("case", _wrong_method_cases(), ids=lambda case: case.name)
def test_route_refuses_the_method_it_does_not_take(client: FlaskClient, app: Flask,
                                                   world: World, case: Case) -> None:
    sign_in(client, "admin")
    response = _send(client, app, world, case)
    assert outcome(response) == 405
    assert case.method not in response.headers["Allow"]
    if world.url(app, case).startswith("/api/"):  # the API answers in JSON, also here
        assert response.get_json()["error"] == "Method Not Allowed"
    else:
        assert "Not allowed this way" in response.get_data(as_text=True)


class TestPostWithoutCsrfToken:
    """With CSRF on, as in production: a POST without its token gets the friendly 400."""

    @pytest.mark.parametrize("case", POST_CASES, ids=lambda case: case.name)
    def test_post_without_token_is_refused_with_a_clear_page(
        self, client: FlaskClient, app: Flask, world: World, case: Case,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        sign_in(client, "admin")  # the login form itself needs a token once CSRF is on
        monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
        response = _send(client, app, world, case)
        page = response.get_data(as_text=True)
        assert response.status_code == 400, page[:800]
        if world.url(app, case).startswith("/api/"):  # the API answers in JSON
            assert "X-CSRFToken" in response.get_json()["message"]
            return
        assert "Your form expired or was sent from elsewhere" in page
        assert "Bad request" in page

    def test_anonymous_login_without_token_is_refused(
        self, client: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
        response = client.post("/login", data={"username": "someone", "password": "x"})
        assert response.status_code == 400
        assert "Your form expired" in response.get_data(as_text=True)

"""The demo data set: realistic, valid, covering every type, scope and class; repeatable."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from dossier.auth.models import User
from dossier.customers.models import Customer, CustomField, CustomFieldValue
from dossier.customers.validation import normalise_phone, normalise_postcode
from dossier.demo.addresses import CITIES
from dossier.demo.customers import build_customers
from dossier.demo.documents import build_documents
from dossier.demo.loader import SEED, database_is_empty, load_demo
from dossier.demo.names import DEMO_USERS, NEAR_DUPLICATES
from dossier.demo.scans import SCANNED_QUOTES
from dossier.documents.file_store import FileStore
from dossier.documents.key_points import as_form_value, validate_key_points
from dossier.documents.models import DigitalFile, Document, DocumentType, PolicyRule
from dossier.documents.policy import PolicyBook
from dossier.documents.retention import retention_until
from dossier.documents.seed import DOCUMENT_TYPES
from dossier.extensions import db
from tests.conftest import build_app, migrate_and_seed
from tests.support.databases import fresh_database

pytestmark = pytest.mark.committed


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One committed database with the demo data, shared by the tests of this module."""
    data_dir = tmp_path_factory.mktemp("demo")
    with fresh_database(data_dir) as url:
        app = build_app(url, data_dir)
        migrate_and_seed(app)
        with app.app_context():
            assert database_is_empty()
            app.config["DEMO_COUNTS"] = load_demo()
            db.session.commit()
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def ctx(demo_app: Flask) -> Iterator[Flask]:
    with demo_app.app_context():
        yield demo_app
        db.session.remove()


def _customers() -> list[Customer]:
    return list(db.session.scalars(select(Customer).order_by(Customer.number)))


def test_about_200_customers_three_quarters_people(ctx: Flask) -> None:
    customers = _customers()
    kinds = Counter(c.kind for c in customers)
    assert 190 <= len(customers) <= 210
    assert 0.70 <= kinds["person"] / len(customers) <= 0.80
    assert customers[0].number == "100001"
    assert ctx.config["DEMO_COUNTS"]["customers"] == len(customers)
    organisations = [c.organisation_name for c in customers if c.kind == "organisation"]
    assert any(name.endswith("B.V.") for name in organisations)
    assert any(name.startswith("Stichting") for name in organisations)
    assert {c.status for c in customers} == {"active", "prospect", "inactive"}
    assert len({c.preferred_channel for c in customers}) >= 4


def test_people_have_dutch_names_and_near_duplicates(ctx: Flask) -> None:
    people = [c for c in _customers() if c.kind == "person"]
    names = {(c.infix, c.last_name) for c in people}
    for one, other in NEAR_DUPLICATES:
        assert one in names and other in names
    assert {"van", "de", "van der"} <= {c.infix for c in people}
    assert all(c.first_name and c.date_of_birth and c.initials.endswith(".") for c in people)
    assert all(c.date_of_birth < date.today() - timedelta(days=17 * 365) for c in people)


def test_addresses_and_contact_details_are_valid(ctx: Flask) -> None:
    ranges = {city.name: (city.postcode_low, city.postcode_high) for city in CITIES}
    for customer in _customers():
        assert normalise_postcode(customer.postcode) == customer.postcode
        low, high = ranges[customer.city]
        assert low <= int(customer.postcode[:4]) <= high, customer.postcode
        assert customer.street and customer.house_number and customer.country == "NL"
        assert customer.email.rsplit("@", 1)[1] in {"example.nl", "example.com"}
        assert normalise_phone(customer.phone) == customer.phone
    assert any(c.house_number_addition for c in _customers())


def test_every_type_in_every_scope_with_both_classes_where_rules_allow(ctx: Flask) -> None:
    documents = list(db.session.scalars(select(Document)))
    assert 1400 <= len(documents) <= 1700
    types = list(db.session.scalars(select(DocumentType)))
    assert {d.document_type.code for d in documents} == {spec["code"] for spec in
                                                          DOCUMENT_TYPES}
    book = PolicyBook.load()
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for document in documents:
        for scope in document.scopes:
            assert scope in document.document_type.scopes
            seen[(scope, document.document_type.code)].add(
                book.classify(document, scope).document_class.value)
    ruled: dict[tuple[str, str], set[str]] = defaultdict(set)
    for rule in db.session.scalars(select(PolicyRule)):
        ruled[(rule.scope, rule.document_type.code)].add(rule.document_class)
    for document_type in types:
        for scope in document_type.scopes:
            key = (scope, document_type.code)
            assert seen[key], f"no {document_type.code} document in {scope}"
            assert seen[key] >= (ruled[key] or {"static"}), key
    assert seen[("care", "service_call")] == {"dynamic", "static"}
    assert seen[("care", "sla")] == {"dynamic", "static"}
    assert seen[("care", "contract")] == {"dynamic", "static"}


def test_key_points_fit_their_schema_and_retention_follows_the_type(ctx: Flask) -> None:
    six_years_ago = date.today() - timedelta(days=6 * 366)
    for document in db.session.scalars(select(Document)):
        schema = document.document_type.key_point_schema
        raw = {spec["key"]: as_form_value(spec, document.key_points.get(spec["key"]))
               for spec in schema}
        values, errors = validate_key_points(document.document_type, raw)
        assert not errors, (document.title, errors)
        expected = {k: v for k, v in values.items() if k in document.key_points}
        assert expected == document.key_points, document.title
        assert document.retention_until == retention_until(
            document.document_type, document.document_date, document.key_points)
        assert six_years_ago <= document.document_date <= date.today()
        assert document.title


def test_documents_link_households_and_keep_paper(ctx: Flask) -> None:
    documents = list(db.session.scalars(select(Document)))
    linked = Counter(len(d.customers) for d in documents)
    assert linked[2] >= 50 and linked[3] >= 3
    paper = sum(d.paper_original for d in documents)
    assert 0.2 * len(documents) < paper < 0.6 * len(documents)
    titles = {d.title for d in documents}
    assert "Offerte renovatie dakgoot" in titles
    assert any(t.startswith("Servicecontract CV-ketel 20") for t in titles)


def test_recent_quotes_have_a_scanned_letter_in_the_file_store(ctx: Flask) -> None:
    scans = list(db.session.scalars(select(DigitalFile)))
    assert len(scans) == SCANNED_QUOTES
    store = FileStore(ctx.config["FILE_STORE"])
    for scan in scans:
        assert scan.document.document_type.code == "quote"
        assert "dakinspectie" in scan.text and scan.document.customers[0].display_name in scan.text
        assert "dakinspectie" not in scan.document.title
        assert store.path_for(scan.sha256).read_bytes().startswith(b"%PDF")
        assert scan.mime_type == "application/pdf" and scan.pages == 1
    newest_quote = max((d for d in db.session.scalars(select(Document))
                        if d.document_type.code == "quote"),
                       key=lambda d: (d.document_date, d.title))
    assert newest_quote.files


def test_custom_fields_have_values_for_their_scopes(ctx: Flask) -> None:
    fields = {f.key: f for f in db.session.scalars(select(CustomField))}
    assert fields["klantwaarde"].scopes == ["loyalty"]
    assert fields["servicecontractnummer"].scopes == ["care"]
    assert fields["nieuwsbrief"].scopes == ["sales", "loyalty"]
    assert fields["segment"].field_type == "choice"
    counts = Counter(db.session.scalars(select(CustomFieldValue.field_id)))
    assert all(counts[field.id] > 20 for field in fields.values())
    segments = set(db.session.scalars(select(CustomFieldValue.value_text).where(
        CustomFieldValue.field_id == fields["segment"].id)))
    assert segments <= set(fields["segment"].choices) and len(segments) >= 3


def test_demo_users_log_in_with_demo(ctx: Flask) -> None:
    users = {u.username: u for u in db.session.scalars(select(User))}
    for username, full_name, roles in DEMO_USERS:
        user = users[username]
        assert user.roles == frozenset(roles)
        assert user.full_name == full_name
        assert user.check_password("demo")


def test_same_seed_same_data(ctx: Flask) -> None:
    today = date(2026, 11, 24)
    first = build_customers(random.Random(SEED), today)
    again = build_customers(random.Random(SEED), today)
    summary = [(c.number, c.display_name, c.postcode, c.email) for c in first.customers]
    assert summary == [(c.number, c.display_name, c.postcode, c.email)
                       for c in again.customers]
    loaded = [(c.number, c.display_name, c.postcode, c.email) for c in _customers()]
    assert loaded[:20] == summary[:20]
    types = {spec["code"]: DocumentType(**spec) for spec in DOCUMENT_TYPES}
    one = build_documents(random.Random(SEED), today, types, first)
    two = build_documents(random.Random(SEED), today, types, again)
    assert [(d.title, d.key_points) for d in one] == [(d.title, d.key_points) for d in two]

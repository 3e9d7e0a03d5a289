"""`flask dossier search`, `flask dossier reindex`, and `flask dossier init` building the index."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from dossier import search
from dossier.compliance.models import AuditEvent
from dossier.customers.models import Customer
from dossier.documents.models import Document
from dossier.extensions import db
from tests.factories import CustomerFactory, DocumentFactory, UserFactory
from tests.search.recording import RecordingIndex, use_recording_index


@pytest.fixture
def index(app: Flask) -> RecordingIndex:
    return use_recording_index(app)


@pytest.fixture
def filed(index: RecordingIndex) -> dict[str, Document]:
    """A sales and a care document of one customer, committed and indexed."""
    customer = CustomerFactory(number="555001", first_name="Anna", last_name="Janssen")
    sales = DocumentFactory(scopes=["sales"], title="Offerte keuken", type_code="quote",
                            customers=[customer])
    care = DocumentFactory(scopes=["care"], title="Klacht levering", type_code="complaint",
                           customers=[customer])
    UserFactory(username="verkoop", roles=("sales",))
    UserFactory(username="balie", roles=("clerk",))
    UserFactory(username="weg", roles=("sales",), active=False)
    search.index_customers([customer.id])
    db.session.commit()
    search.drain()
    return {"sales": sales, "care": care}


def test_search_prints_the_hits_the_user_may_see(runner: FlaskCliRunner,
                                                 filed: dict[str, Document]) -> None:
    result = runner.invoke(args=["dossier", "search", "offerte", "--as", "verkoop"])
    assert result.exit_code == 0, result.output
    sales = filed["sales"]
    line = next(line for line in result.output.splitlines() if "Offerte keuken" in line)
    assert str(sales.id) in line and "quote" in line
    assert sales.document_date.isoformat() in line and "555001 Anna Janssen" in line
    assert "Klacht levering" not in result.output
    assert "1 documents, page 1 of 1" in result.output


def test_search_is_audited_as_the_user(runner: FlaskCliRunner,
                                       filed: dict[str, Document]) -> None:
    assert runner.invoke(args=["dossier", "search", "offerte", "--as", "verkoop"]).exit_code == 0
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "search")).one()
    assert event.actor_name == "verkoop" and event.details["query"] == "offerte"


def test_search_as_json(runner: FlaskCliRunner, filed: dict[str, Document]) -> None:
    result = runner.invoke(args=["dossier", "search", "offerte", "--as", "verkoop", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"query", "order", "page", "per_page", "pages", "total", "hits",
                         "customers", "facets", "notice"}
    [hit] = data["hits"]
    assert hit["id"] == filed["sales"].id and hit["type"] == "quote"
    assert hit["customers"] == [{"id": filed["sales"].customers[0].id, "number": "555001",
                                 "name": "Anna Janssen"}]
    assert data["customers"][0]["number"] == "555001"


def test_a_clerk_finds_customers_only(runner: FlaskCliRunner,
                                      filed: dict[str, Document]) -> None:
    result = runner.invoke(args=["dossier", "search", "janssen", "--as", "balie", "--json"])
    data = json.loads(result.output)
    assert data["hits"] == [] and data["total"] == 0
    assert [c["number"] for c in data["customers"]] == ["555001"]


def test_pages(runner: FlaskCliRunner, filed: dict[str, Document]) -> None:
    result = runner.invoke(args=["dossier", "search", "iets", "--as", "verkoop", "--json",
                                 "--page", "2", "--per-page", "1"])
    data = json.loads(result.output)
    assert data["page"] == 2 and data["per_page"] == 1 and data["hits"] == []


@pytest.mark.parametrize("args, message", [
    (["offerte", "--as", "niemand"], "No active user 'niemand'"),
    (["offerte", "--as", "weg"], "No active user 'weg'"),
    (['"offerte', "--as", "verkoop"], "quote is not closed"),
    (["kleur:rood", "--as", "verkoop"], "Unknown filter kleur:"),
])
def test_refusals_are_clear_messages(runner: FlaskCliRunner, filed: dict[str, Document],
                                     args: list[str], message: str) -> None:
    result = runner.invoke(args=["dossier", "search", *args])
    assert result.exit_code == 1 and message in result.output


def test_reindex_rebuilds_with_a_progress_bar(runner: FlaskCliRunner,
                                              filed: dict[str, Document],
                                              index: RecordingIndex) -> None:
    index.documents.clear()
    result = runner.invoke(args=["dossier", "reindex"])
    assert result.exit_code == 0, result.output
    total = db.session.scalar(select(func.count(Document.id)))
    assert "Indexing documents" in result.output
    assert f"Indexed {total} documents" in result.output
    assert len(index.documents) == total


@pytest.mark.committed
def test_init_builds_the_index_after_the_demo_data(committed_app: Flask) -> None:
    index = use_recording_index(committed_app)
    result = committed_app.test_cli_runner().invoke(args=["dossier", "init"])
    assert result.exit_code == 0, result.output
    with committed_app.app_context():
        documents = db.session.scalar(select(func.count(Document.id)))
        customers = db.session.scalar(select(func.count(Customer.id)))
        db.session.remove()
    assert f"Search index built: {documents} documents." in result.output
    assert len(index.documents) == documents and len(index.customers) == customers

"""PostgreSQL search rows: the outbox way and the rebuild way write the same rows; builds.

PostgreSQL only (the whole run of .ci/run covers both databases; on SQLite there is no
search table to test).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text

from dossier.documents.models import Document
from dossier.extensions import db
from dossier.search.backends import get_backend, reset_backend
from dossier.search.backends.postgres import PostgresBackend
from dossier.search.backends.postgres_customers import phone_digits, phone_sql
from dossier.search.backends.postgres_schema import tsv_index_method
from dossier.search.content import load_customers, load_documents
from tests.factories import UserFactory
from tests.search.conftest import use_backend
from tests.search.corpus import Corpus, attach_text
from tests.support.databases import using_postgres

pytestmark = pytest.mark.skipif(not using_postgres(), reason="PostgreSQL search tables")


@pytest.fixture
def backend(app: Flask, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
            ) -> Iterator[PostgresBackend]:
    use_backend(app, monkeypatch, "postgres", tmp_path / "unused")
    found = get_backend(app)
    assert isinstance(found, PostgresBackend)
    found.clear()
    yield found
    reset_backend(app)


@pytest.fixture
def corpus(backend: PostgresBackend) -> Corpus:
    return Corpus(UserFactory(roles=("admin",)))


def _rows(table: str, key: str) -> list[dict[str, Any]]:
    result = db.session.execute(text(f"SELECT * FROM {table} ORDER BY {key}"))
    return [{name: str(value) for name, value in row._mapping.items()} for row in result]


@pytest.fixture
def varied(corpus: Corpus) -> list[Document]:
    """Documents that exercise every part of a row."""
    firm = corpus.customer("", organisation_name="Zoë's Café B.V.", number="300010")
    person = corpus.customer("Berg", "Anna", infix="van den", number="300011",
                             phone="+31 6 1234 5678")
    contract = corpus.document(
        "Servicecontract CV-ketel", "Eerste versie.", type_code="contract",
        scopes=["sales", "care"], customers=[person, firm],
        key_points={"status": "Open", "end_date": "2030-01-31", "value": "1250.50",
                    "amount": 12.5, "signed": True, "empty": "", "missing": None},
        notes="Origineel in de brandkast", paper=True)
    attach_text(contract, "Tweede versie: de ketel wordt jaarlijks nagekeken.", "nld+eng")
    letter = corpus.document("Invoice reminder", "The invoices for the boilers you ordered "
                             "are overdue; please pay them from your account this week.",
                             languages="nld+eng", scopes=["loyalty"], customers=[person])
    english = corpus.document("Letter", "Several complaints reached our desk.",
                              languages="eng")
    paper = corpus.document("Archiefdoos", paper=True, key_points={"box": 17})
    corpus.sync()
    return [contract, letter, english, paper]


def test_outbox_rows_equal_rebuilt_rows(varied: list[Document],
                                        backend: PostgresBackend) -> None:
    ids = [document.id for document in varied]
    backend.index_documents(load_documents(ids))
    from_outbox = _rows("search_document", "document_id")
    customers = _rows("search_customer", "customer_id")
    steps: list[int] = []

    assert backend.rebuild_from_database(steps.append) == len(ids)
    assert sum(steps) == len(ids)
    assert _rows("search_document", "document_id") == from_outbox
    assert _rows("search_customer", "customer_id") == customers
    assert [row["storage"] for row in from_outbox] == ["hybrid", "digital", "digital", "paper"]
    assert from_outbox[0]["status"] == "open" and from_outbox[0]["end_date"] == "2030-01-31"
    assert from_outbox[0]["customer_numbers"] == "['300010', '300011']"


def test_rows_hold_the_texts_that_are_searched(varied: list[Document]) -> None:
    vector = db.session.execute(text("SELECT tsv::text FROM search_document "
                                     "WHERE document_id = :id"), {"id": varied[0].id}).scalar()
    for lexeme in ("'twed'", "'zoe'", "'cafe'", "'berg'", "'300011'", "'brandkast'",
                   "'1250.50'", "'12.5'"):
        assert lexeme in vector, lexeme
    assert "'eerst'" not in vector  # an older file version
    assert "'true'" not in vector and "signed" not in vector  # yes/no flags and labels


def test_a_files_language_decides_its_stemming(varied: list[Document]) -> None:
    def lexemes(document: Document) -> set[str]:
        return set(db.session.execute(text(
            "SELECT unnest(tsvector_to_array(tsv)) FROM search_document "
            "WHERE document_id = :id"), {"id": document.id}).scalars())

    contract, letter, english, _paper = varied
    assert "jaarlijk" in lexemes(contract) and "jaarlijks" not in lexemes(contract)
    assert {"invoic", "boiler"} <= lexemes(letter)  # English found in a "nld+eng" scan
    assert "complaint" in lexemes(english) and "sever" in lexemes(english)


def test_bulk_load_builds_the_text_index_once(varied: list[Document],
                                              backend: PostgresBackend) -> None:
    method = tsv_index_method(db.session)
    ids = [document.id for document in varied]
    backend.clear()
    steps: list[int] = []
    customer_ids = list(db.session.scalars(text("SELECT id FROM customer")))
    backend.bulk_load([load_documents(ids[:2]), load_documents(ids[2:])],
                      [load_customers(customer_ids)], steps.append)

    assert steps == [2, 2]
    assert tsv_index_method(db.session) == method
    assert len(_rows("search_document", "document_id")) == 4
    assert db.session.execute(text("SELECT count(*) FROM search_name_word "
                                   "WHERE word IN ('zoe', 'berg', 'anna')")).scalar() == 3


def test_remove_takes_documents_and_customers_out(varied: list[Document],
                                                  backend: PostgresBackend) -> None:
    backend.remove_documents([varied[0].id])
    backend.remove_customers([customer.id for customer in varied[0].customers])
    assert varied[0].id not in {int(r["document_id"])
                                for r in _rows("search_document", "document_id")}
    assert _rows("search_customer", "customer_id") == []


def test_health_names_what_is_missing(varied: list[Document],
                                      backend: PostgresBackend) -> None:
    assert backend.health() is None
    db.session.execute(text("DROP INDEX ix_search_document_tsv"))
    assert "index" in (backend.health() or "")
    backend.rebuild_from_database(lambda _count: None)
    assert backend.health() is None
    db.session.execute(text("ALTER TABLE search_customer RENAME TO search_customer_gone"))
    assert "migrations" in (PostgresBackend().health() or "")


@pytest.mark.parametrize("typed", ["06-12345678", "0612345678", "+31 6 12345678",
                                   "0031612345678", "612345678", "(06) 1234 5678"])
def test_phone_digits_typed_and_stored_agree(backend: PostgresBackend, typed: str) -> None:
    stored = db.session.execute(text(f"SELECT {phone_sql(':raw')}"),
                                {"raw": typed}).scalar()
    assert stored == phone_digits(typed) == "612345678"

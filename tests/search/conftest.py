"""Fixtures for the search tests: every available backend on an empty index, a corpus helper.

`search_backend` runs a test once per backend this run can serve: Whoosh always,
PostgreSQL full-text search when the test database is PostgreSQL. The params are built
here, so a backend that cannot run is absent rather than skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from dossier.auth.models import User
from dossier.documents.models import Document
from dossier.search import backends
from tests.factories import UserFactory
from tests.search.corpus import Corpus
from tests.support.databases import using_postgres

BACKENDS: tuple[str, ...] = ("whoosh", "postgres") if using_postgres() else ("whoosh",)


def use_backend(app: Flask, monkeypatch: pytest.MonkeyPatch, name: str, index_dir: Path) -> None:
    """Point the app at backend `name` with a fresh Whoosh index directory."""
    monkeypatch.setitem(app.config, "SEARCH_BACKEND", name)
    monkeypatch.setitem(app.config, "SEARCH_INDEX", str(index_dir))
    backends.reset_backend(app)  # the backend is cached per app: drop the previous test's


@pytest.fixture(params=BACKENDS)
def search_backend(request: pytest.FixtureRequest, app: Flask, tmp_path: Path,
                   monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The name of the backend the app now searches with, on an empty index."""
    use_backend(app, monkeypatch, request.param, tmp_path / "search-index")
    backend = backends.get_backend(app)
    assert backend.name == request.param
    backend.clear()
    yield request.param
    backends.reset_backend(app)


@pytest.fixture
def corpus(search_backend: str, app: Flask) -> Corpus:
    return Corpus(UserFactory(roles=("admin",)))


@pytest.fixture
def admin(app: Flask) -> User:
    return UserFactory(roles=("admin",))


@pytest.fixture
def sales(app: Flask) -> User:
    return UserFactory(roles=("sales",))


@pytest.fixture
def care(app: Flask) -> User:
    return UserFactory(roles=("care",))


@pytest.fixture
def classed(corpus: Corpus) -> dict[str, Document]:
    """One document per interesting policy case; every body holds "dossierstuk"."""
    def doc(type_code: str, scopes: list[str], points: dict[str, str]) -> Document:
        return corpus.document(type_code, "dossierstuk", type_code=type_code, scopes=scopes,
                               key_points=points)

    docs = {
        "current_contract": doc("contract", ["sales", "care"],
                                {"start_date": "2024-01-01", "end_date": "2099-12-31",
                                 "signed_by": "A. de Vries"}),
        "expired_contract": doc("contract", ["sales", "care"],
                                {"start_date": "2010-01-01", "end_date": "2020-12-31",
                                 "signed_by": "A. de Vries"}),
        "quote": doc("quote", ["sales", "care"], {"status": "open"}),
        "open_call": doc("service_call", ["care"], {"status": "open"}),
        "closed_call": doc("service_call", ["care"], {"status": "closed"}),
        "purchase": doc("purchase", ["loyalty"], {"product": "fiets"}),
        "letter": doc("correspondence", ["sales", "loyalty"], {"direction": "incoming"}),
        "order": doc("order", ["sales"], {"order_number": "A-1"}),
    }
    corpus.sync()
    return docs


@pytest.fixture
def stored(corpus: Corpus) -> dict[str, Document]:
    docs = {
        "digital": corpus.document("Archiefstuk", "archiefstuk digitaal"),
        "paper": corpus.document("Archiefstuk", paper=True),
        "hybrid": corpus.document("Archiefstuk", "archiefstuk beide", paper=True),
    }
    corpus.sync()
    return docs
